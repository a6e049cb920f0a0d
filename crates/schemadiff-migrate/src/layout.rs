//! The layout of a migrations directory: its format (how a file holds its up and down parts), its naming (how
//! versions are numbered), and its migrations, read and checked.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// How migration files hold their parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `NNN_name.sql`, up only (the rollback is kept as a comment).
    Plain,
    /// MyBatis Migrations: `-- // description`, the up part, `-- //@UNDO`, the down part.
    MyBatis,
    /// `V3__name.sql` (and the undo `U3__name.sql`).
    Flyway,
    /// golang-migrate and sqlx: `NNN_name.up.sql` and `NNN_name.down.sql`.
    Pairs,
    /// dbmate: `-- migrate:up` and `-- migrate:down` in one file.
    Dbmate,
    /// goose: `-- +goose Up` and `-- +goose Down` in one file.
    Goose,
    /// diesel: a directory `VERSION_name/` with `up.sql` and `down.sql`.
    Diesel,
}

impl Format {
    /// From the `[migrations] format` of schema.toml.
    pub fn from_config(name: &str) -> Option<Format> {
        Some(match name {
            "plain" => Format::Plain,
            "mybatis" => Format::MyBatis,
            "flyway" => Format::Flyway,
            "golang-migrate" | "sqlx" => Format::Pairs,
            "dbmate" => Format::Dbmate,
            "goose" => Format::Goose,
            "diesel" => Format::Diesel,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Plain => "plain SQL",
            Format::MyBatis => "MyBatis Migrations",
            Format::Flyway => "Flyway",
            Format::Pairs => "golang-migrate/sqlx up and down pairs",
            Format::Dbmate => "dbmate",
            Format::Goose => "goose",
            Format::Diesel => "diesel",
        }
    }
}

/// How versions are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// `001`, `0001`, `7`: the next is one more, zero-padded to the width.
    Sequential { width: usize },
    /// `20251110150000` (diesel: `2025-11-10-150000`): the next is the current time.
    Timestamp { dashed: bool },
}

/// One migration of a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The version as written (`003`, `20251110150000`, `2025-11-10-150000`).
    pub version: String,
    pub name: String,
    /// The files (or directory) it is made of.
    pub paths: Vec<PathBuf>,
}

impl Migration {
    /// The version as a number, for ordering.
    pub fn number(&self) -> u128 {
        self.version
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(0)
    }
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub dir: PathBuf,
    pub format: Format,
    pub naming: Naming,
    /// In the order they apply.
    pub migrations: Vec<Migration>,
}

/// Why a directory cannot be used.
#[derive(Debug)]
pub enum LayoutError {
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Files that are not migrations of the directory's format, each with the reason.
    Unparseable {
        format: Format,
        problems: Vec<(PathBuf, String)>,
    },
    /// Several migrations with one version.
    Collision {
        version: String,
        paths: Vec<PathBuf>,
    },
}

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayoutError::Io { path, error } => {
                write!(f, "cannot read {}: {error}", path.display())
            }
            LayoutError::Unparseable { format, problems } => {
                writeln!(
                    f,
                    "the migrations directory is in {} format, but these files do not parse as such:",
                    format.name()
                )?;
                for (p, why) in problems {
                    writeln!(f, "  {}: {why}", p.display())?;
                }
                write!(f, "Fix or remove them (nothing was written).")
            }
            LayoutError::Collision { version, paths } => {
                writeln!(f, "several migrations have the version {version}:")?;
                for p in paths {
                    writeln!(f, "  {}", p.display())?;
                }
                write!(
                    f,
                    "Renumber all but one of them, so that the order they apply in is clear (nothing was written)."
                )
            }
        }
    }
}

impl std::error::Error for LayoutError {}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LayoutError + '_ {
    move |error| LayoutError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// `(version, rest)` when `name` starts with a version: digits, or diesel's `YYYY-MM-DD-HHMMSS`.
fn split_version(name: &str) -> Option<(&str, &str)> {
    let bytes = name.as_bytes();
    let dashed = bytes.len() >= 17
        && bytes[..17].iter().enumerate().all(|(i, b)| {
            if [4, 7, 10].contains(&i) {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let end = if dashed {
        17
    } else {
        name.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(name.len())
    };
    (end > 0).then(|| (&name[..end], &name[end..]))
}

/// Read a directory (missing means empty) and find its layout; `config` is `[migrations]` (format, naming)
/// for an empty directory.
pub fn read(
    dir: &Path,
    config_format: Option<&str>,
    config_naming: Option<&str>,
) -> Result<Layout, LayoutError> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    if dir.exists() {
        for entry in std::fs::read_dir(dir).map_err(io(dir))? {
            let path = entry.map_err(io(dir))?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "sql") {
                files.push(path);
            }
        }
    }
    files.sort();
    dirs.sort();
    let file_name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    };
    let texts: BTreeMap<PathBuf, String> = files
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .map(|t| (p.clone(), t))
                .map_err(io(p))
        })
        .collect::<Result<_, _>>()?;
    // A marker is a line of its own: the text inside a statement (an escaped function body) is not one.
    let any_text = |marker: &str| {
        texts
            .values()
            .any(|t| t.lines().any(|l| l.trim_start().starts_with(marker)))
    };

    let format = if dirs.iter().any(|d| d.join("up.sql").is_file()) {
        Format::Diesel
    } else if files.iter().any(|p| file_name(p).ends_with(".up.sql")) {
        Format::Pairs
    } else if files.iter().any(|p| {
        let n = file_name(p);
        n.starts_with('V') && n.contains("__")
    }) {
        Format::Flyway
    } else if any_text("-- //@UNDO") {
        Format::MyBatis
    } else if any_text("-- migrate:up") {
        Format::Dbmate
    } else if any_text("-- +goose Up") {
        Format::Goose
    } else if !files.is_empty() {
        Format::Plain
    } else {
        config_format
            .and_then(Format::from_config)
            .unwrap_or(Format::Pairs)
    };

    let mut problems: Vec<(PathBuf, String)> = Vec::new();
    let mut migrations: Vec<Migration> = Vec::new();
    let expect = match format {
        Format::Flyway => "V<version>__<name>.sql",
        Format::Pairs => "<version>_<name>.up.sql and <version>_<name>.down.sql",
        Format::Diesel => "<version>_<name>/up.sql and down.sql",
        _ => "<version>_<name>.sql",
    };
    if format == Format::Diesel {
        for d in &dirs {
            let n = file_name(d);
            match split_version(&n) {
                Some((v, rest))
                    if rest.starts_with('_')
                        && d.join("up.sql").is_file()
                        && d.join("down.sql").is_file() =>
                {
                    migrations.push(Migration {
                        version: v.to_string(),
                        name: rest[1..].to_string(),
                        paths: vec![d.clone()],
                    })
                }
                _ => problems.push((
                    d.clone(),
                    format!("not a migration directory named {expect}"),
                )),
            }
        }
        for f in &files {
            problems.push((
                f.clone(),
                "a loose .sql file in a diesel migrations directory".into(),
            ));
        }
    } else {
        let mut downs: BTreeMap<String, PathBuf> = BTreeMap::new();
        for f in &files {
            let n = file_name(f);
            let text = &texts[f];
            let (stem, version_part) = match format {
                Format::Flyway => match n.strip_prefix('V').or_else(|| n.strip_prefix('U')) {
                    Some(rest) => (
                        n.clone(),
                        rest.split_once("__")
                            .map(|(v, r)| (v.to_string(), r.trim_end_matches(".sql").to_string())),
                    ),
                    None => (n.clone(), None),
                },
                _ => {
                    let base = n
                        .trim_end_matches(".sql")
                        .trim_end_matches(".up")
                        .trim_end_matches(".down")
                        .to_string();
                    let parsed = split_version(&base).and_then(|(v, rest)| {
                        rest.strip_prefix('_')
                            .map(|r| (v.to_string(), r.to_string()))
                    });
                    (n.clone(), parsed)
                }
            };
            let Some((version, name)) = version_part.filter(|(v, _)| {
                !v.is_empty()
                    && v.chars()
                        .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
            }) else {
                problems.push((f.clone(), format!("the name does not follow {expect}")));
                continue;
            };
            let missing = |marker: &str| !text.contains(marker);
            let problem = match format {
                Format::MyBatis if missing("-- //@UNDO") => {
                    Some("no `-- //@UNDO` section (its rollback is missing)")
                }
                Format::Dbmate if missing("-- migrate:up") => Some("no `-- migrate:up` marker"),
                Format::Dbmate if missing("-- migrate:down") => {
                    Some("no `-- migrate:down` marker (its rollback is missing)")
                }
                Format::Goose if missing("-- +goose Up") => Some("no `-- +goose Up` marker"),
                Format::Goose if missing("-- +goose Down") => {
                    Some("no `-- +goose Down` marker (its rollback is missing)")
                }
                _ => None,
            };
            if let Some(p) = problem {
                problems.push((f.clone(), p.to_string()));
                continue;
            }
            let is_down = (format == Format::Pairs && stem.ends_with(".down.sql"))
                || (format == Format::Flyway && stem.starts_with('U'));
            if is_down {
                downs.insert(version.clone(), f.clone());
                continue;
            }
            if format == Format::Pairs && !stem.ends_with(".up.sql") {
                problems.push((f.clone(), format!("the name does not follow {expect}")));
                continue;
            }
            migrations.push(Migration {
                version,
                name,
                paths: vec![f.clone()],
            });
        }
        for m in &mut migrations {
            if let Some(d) = downs.remove(&m.version) {
                m.paths.push(d);
            } else if format == Format::Pairs {
                problems.push((
                    m.paths[0].clone(),
                    "no matching .down.sql file (its rollback is missing)".into(),
                ));
            }
        }
        for (_, d) in downs {
            problems.push((d, "a down file without its up file".into()));
        }
    }
    if !problems.is_empty() {
        return Err(LayoutError::Unparseable { format, problems });
    }
    migrations.sort_by(|a, b| (a.number(), &a.version).cmp(&(b.number(), &b.version)));
    for w in migrations.windows(2) {
        if w[0].number() == w[1].number() {
            let version = w[0].version.clone();
            let paths = migrations
                .iter()
                .filter(|m| m.number() == w[0].number())
                .flat_map(|m| m.paths.clone())
                .collect();
            return Err(LayoutError::Collision { version, paths });
        }
    }
    let naming = match migrations.last() {
        Some(m) if m.version.contains('-') => Naming::Timestamp { dashed: true },
        Some(m) if m.version.len() == 14 => Naming::Timestamp { dashed: false },
        Some(_) => Naming::Sequential {
            width: migrations
                .iter()
                .map(|m| m.version.len())
                .max()
                .unwrap_or(3),
        },
        None => match config_naming {
            Some("timestamp") => Naming::Timestamp {
                dashed: format == Format::Diesel,
            },
            _ => Naming::Sequential {
                width: if format == Format::Flyway { 1 } else { 3 },
            },
        },
    };
    Ok(Layout {
        dir: dir.to_path_buf(),
        format,
        naming,
        migrations,
    })
}

impl Layout {
    /// The version of the next migration; `now` is the current UTC time as `YYYYMMDDHHMMSS`.
    pub fn next_version(&self, now: &str) -> String {
        let last = self.migrations.last().map(|m| m.number());
        match self.naming {
            Naming::Sequential { width } => {
                let next = last.map_or(if self.migrations.is_empty() { 1 } else { 0 }, |n| n + 1);
                format!("{next:0width$}")
            }
            Naming::Timestamp { dashed } => {
                let mut n: u128 = now.parse().unwrap_or(0);
                if let Some(l) = last {
                    n = n.max(l + 1);
                }
                let s = format!("{n:014}");
                if dashed {
                    format!("{}-{}-{}-{}", &s[..4], &s[4..6], &s[6..8], &s[8..])
                } else {
                    s
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(split_version("003_init"), Some(("003", "_init")));
        assert_eq!(
            split_version("2025-11-10-150000_init"),
            Some(("2025-11-10-150000", "_init"))
        );
        assert_eq!(split_version("init"), None);
    }

    #[test]
    fn next_versions() {
        let layout = |naming, versions: &[&str]| Layout {
            dir: PathBuf::new(),
            format: Format::Plain,
            naming,
            migrations: versions
                .iter()
                .map(|v| Migration {
                    version: v.to_string(),
                    name: "x".into(),
                    paths: vec![],
                })
                .collect(),
        };
        assert_eq!(
            layout(Naming::Sequential { width: 3 }, &["000", "001", "002"])
                .next_version("20250101000000"),
            "003"
        );
        assert_eq!(
            layout(Naming::Sequential { width: 4 }, &["0009"]).next_version(""),
            "0010"
        );
        assert_eq!(
            layout(Naming::Sequential { width: 3 }, &[]).next_version(""),
            "001"
        );
        assert_eq!(
            layout(Naming::Timestamp { dashed: false }, &["20251110150000"])
                .next_version("20251110140000"),
            "20251110150001"
        );
        assert_eq!(
            layout(Naming::Timestamp { dashed: true }, &[]).next_version("20251110150000"),
            "2025-11-10-150000"
        );
    }
}
