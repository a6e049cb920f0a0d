//! History integrity: `schemadiff.sum` in the migrations directory records a checksum of every migration file,
//! in the spirit of atlas.sum and sqlx's checksums. `write` records the files it adds; `check` and `write`
//! refuse a history whose recorded files were edited, removed or renumbered (a migration already applied
//! somewhere would silently differ from the one replayed), and `rehash` records the directory as it is, to
//! accept an intended change.
//!
//! The file holds one line per migration file (`<path> sha256:<hex>`, paths relative to the directory, `/`
//! separated, sorted) under a first line with the checksum of those lines: two branches that each add a
//! migration change that first line both, so merging them is a conflict to resolve, not a silent mix.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::layout::Layout;

/// The name of the sum file in a migrations directory.
pub const SUM_FILE: &str = "schemadiff.sum";

const HEADER: &str = "schemadiff.sum v1";

fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The checksums of the files of `layout`'s migrations (up and down parts), by path relative to its directory.
pub fn checksums(layout: &Layout) -> std::io::Result<BTreeMap<String, String>> {
    let mut files: Vec<PathBuf> = Vec::new();
    for m in &layout.migrations {
        for p in &m.paths {
            if p.is_dir() {
                for e in std::fs::read_dir(p)? {
                    let f = e?.path();
                    if f.is_file() {
                        files.push(f);
                    }
                }
            } else {
                files.push(p.clone());
            }
        }
    }
    let mut out = BTreeMap::new();
    for f in files {
        let bytes = std::fs::read(&f)?;
        out.insert(relative(&layout.dir, &f), sha256(&bytes));
    }
    Ok(out)
}

fn relative(dir: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(dir).unwrap_or(file);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The text of a sum file recording `sums`.
pub fn render(sums: &BTreeMap<String, String>) -> String {
    let body: String = sums.iter().map(|(p, h)| format!("{p} {h}\n")).collect();
    format!("{HEADER} {}\n{body}", sha256(body.as_bytes()))
}

/// What the sum file of a directory records, or None when there is none yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub sums: BTreeMap<String, String>,
    /// The first line does not match the lines below it (edited by hand, or merged from two branches).
    pub tampered: bool,
}

/// Read `dir`'s sum file.
pub fn read(dir: &Path) -> Result<Option<Recorded>, String> {
    let path = dir.join(SUM_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default().trim_end();
    let body: String = lines.collect();
    let Some(total) = first.strip_prefix(HEADER).map(str::trim) else {
        return Err(format!(
            "{} does not start with `{HEADER}`: it was not written by schemadiff (run `schemadiff rehash` to write it anew)",
            path.display()
        ));
    };
    let mut sums = BTreeMap::new();
    for (n, line) in body.lines().enumerate() {
        match line.rsplit_once(' ') {
            Some((file, sum)) if sum.starts_with("sha256:") => {
                sums.insert(file.to_string(), sum.to_string());
            }
            _ => {
                return Err(format!(
                    "{}:{}: expected `<file> sha256:<checksum>` (run `schemadiff rehash` to write it anew)",
                    path.display(),
                    n + 2
                ));
            }
        }
    }
    Ok(Some(Recorded {
        tampered: total != sha256(body.as_bytes()),
        sums,
    }))
}

/// A way the history differs from what the sum file recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Edited(String),
    Removed(String),
    /// The same contents under another name: a migration renumbered or renamed.
    Renamed {
        from: String,
        to: String,
    },
    /// A migration file the sum file does not know: added by hand, not by `schemadiff write`.
    Unrecorded(String),
    /// The sum file's first line does not match its lines.
    SumFileEdited,
}

/// A file name as printed: a control character (a line break in a name) shows as `?`.
fn shown(path: &str) -> String {
    path.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Edited(p) => write!(f, "{} was edited after it was recorded", shown(p)),
            Change::Removed(p) => write!(f, "{} was removed", shown(p)),
            Change::Renamed { from, to } => write!(
                f,
                "{} was renamed (renumbered?) to {}",
                shown(from),
                shown(to)
            ),
            Change::Unrecorded(p) => write!(
                f,
                "{} is not recorded (it was not added by `schemadiff write`)",
                shown(p)
            ),
            Change::SumFileEdited => write!(
                f,
                "{SUM_FILE} was edited by hand or merged from two branches (its first line does not match its lines)"
            ),
        }
    }
}

/// How `actual` (the files now) differs from `recorded`.
pub fn compare(recorded: &Recorded, actual: &BTreeMap<String, String>) -> Vec<Change> {
    let mut out = Vec::new();
    if recorded.tampered {
        out.push(Change::SumFileEdited);
    }
    let mut unrecorded: Vec<&String> = actual
        .keys()
        .filter(|p| !recorded.sums.contains_key(*p))
        .collect();
    for (path, sum) in &recorded.sums {
        match actual.get(path) {
            Some(now) if now == sum => {}
            Some(_) => out.push(Change::Edited(path.clone())),
            None => match unrecorded.iter().position(|p| &actual[*p] == sum) {
                Some(i) => out.push(Change::Renamed {
                    from: path.clone(),
                    to: unrecorded.remove(i).clone(),
                }),
                None => out.push(Change::Removed(path.clone())),
            },
        }
    }
    out.extend(
        unrecorded
            .into_iter()
            .map(|p| Change::Unrecorded(p.clone())),
    );
    out
}

/// The changes to `layout`'s recorded history, empty when it has no sum file.
pub fn verify(layout: &Layout) -> Result<Vec<Change>, String> {
    let Some(recorded) = read(&layout.dir)? else {
        return Ok(Vec::new());
    };
    let actual = checksums(layout).map_err(|e| format!("cannot read the migrations: {e}"))?;
    Ok(compare(&recorded, &actual))
}

/// The message for a history that changed, with what to do.
pub fn explain(dir: &Path, changes: &[Change]) -> String {
    let list: Vec<String> = changes.iter().map(|c| format!("  - {c}")).collect();
    format!(
        "the migration history in {} differs from what {SUM_FILE} recorded:\n{}\nA migration that was already applied somewhere must not change: add a new one instead (`schemadiff write`). If the change is intended (nothing applied it yet), run `schemadiff rehash` to record the directory as it is.",
        dir.display(),
        list.join("\n")
    )
}

/// Replace `dir`'s sum file with `text` atomically (a temporary file renamed over it).
pub fn replace(dir: &Path, text: &str) -> std::io::Result<()> {
    let path = dir.join(SUM_FILE);
    let tmp = dir.join(format!(".{SUM_FILE}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, &path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sums(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(p, s)| (p.to_string(), s.to_string()))
            .collect()
    }

    #[test]
    fn finds_edits_removals_renames_and_additions() {
        let recorded = Recorded {
            sums: sums(&[
                ("001_a.sql", "sha256:1"),
                ("002_b.sql", "sha256:2"),
                ("003_c.sql", "sha256:3"),
                ("004_d.sql", "sha256:4"),
            ]),
            tampered: false,
        };
        let actual = sums(&[
            ("001_a.sql", "sha256:1"),
            ("002_b.sql", "sha256:x"),
            ("005_c.sql", "sha256:3"),
            ("006_e.sql", "sha256:6"),
        ]);
        assert_eq!(
            compare(&recorded, &actual),
            [
                Change::Edited("002_b.sql".into()),
                Change::Renamed {
                    from: "003_c.sql".into(),
                    to: "005_c.sql".into()
                },
                Change::Removed("004_d.sql".into()),
                Change::Unrecorded("006_e.sql".into()),
            ]
        );
    }

    #[test]
    fn the_first_line_guards_the_rest() {
        let dir = std::env::temp_dir().join(format!("schemadiff-sum-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = render(&sums(&[("001_a.sql", "sha256:1")]));
        replace(&dir, &text).unwrap();
        let r = read(&dir).unwrap().unwrap();
        assert!(!r.tampered);
        std::fs::write(dir.join(SUM_FILE), text.replace("sha256:1", "sha256:2")).unwrap();
        assert!(read(&dir).unwrap().unwrap().tampered);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
