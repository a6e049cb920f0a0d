//! The "up" part of migration files, in the order they apply, for replaying a directory into a database.

use std::path::{Path, PathBuf};

use crate::layout::{Format, Layout};

/// The up script of each migration of a layout, in order: (the file it comes from, its SQL).
pub fn up_scripts(layout: &Layout) -> std::io::Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    for m in &layout.migrations {
        let path = match layout.format {
            Format::Diesel => m.paths[0].join("up.sql"),
            _ => m.paths[0].clone(),
        };
        let text = std::fs::read_to_string(&path)?;
        let up = match layout.format {
            Format::MyBatis | Format::Dbmate | Format::Goose => up_section(&text),
            _ => text,
        };
        out.push((path, up));
    }
    Ok(out)
}

/// The migration files of a directory in the order they apply: `*.sql` by name, leaving out the down halves
/// of pairs (`*.down.sql`); diesel-style directories contribute their `up.sql`.
pub fn migration_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            let up = path.join("up.sql");
            if up.is_file() {
                files.push(up);
            }
        } else if path.extension().is_some_and(|e| e == "sql")
            && !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(".down.sql"))
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Where a marker line of the file's format stands: the byte offsets of the line's start and of the next
/// line's. A marker counts only as a whole line (after leading white space), as the runners read it: MyBatis
/// `-- //@UNDO`, dbmate `-- migrate:up` / `-- migrate:down` (options may follow), goose `-- +goose Up` /
/// `-- +goose Down`. Text inside a statement, a string or a comment's middle never matches.
fn marker_line(text: &str, is_marker: impl Fn(&str) -> bool) -> Option<(usize, usize)> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if is_marker(line.trim()) {
            return Some((at, at + line.len()));
        }
        at += line.len();
    }
    None
}

/// MyBatis's rule: a comment whose text, after `//`, is the directive `@UNDO` (`-- //@UNDO`, `-- // @UNDO`).
fn is_undo(line: &str) -> bool {
    line.strip_prefix("--")
        .and_then(|rest| rest.trim().strip_prefix("//"))
        .is_some_and(|directive| directive.trim().eq_ignore_ascii_case("@UNDO"))
}

fn is_marker(line: &str, marker: &str) -> bool {
    line == marker || line.starts_with(&format!("{marker} "))
}

/// A migration file's up part and, where the file holds one, its down part: before and after MyBatis's
/// `-- //@UNDO`, between dbmate's `-- migrate:up` and `-- migrate:down` and after it, between goose's
/// `-- +goose Up` and `-- +goose Down` and after it (goose's own annotations left out); else all of it.
pub fn sections(text: &str) -> (String, Option<String>) {
    if let Some((start, end)) = marker_line(text, is_undo) {
        return (text[..start].to_string(), Some(text[end..].to_string()));
    }
    for (up, down) in [
        ("-- migrate:up", "-- migrate:down"),
        ("-- +goose Up", "-- +goose Down"),
    ] {
        if let Some((_, body)) = marker_line(text, |l| is_marker(l, up)) {
            let rest = &text[body..];
            let (up_part, down_part) = match marker_line(rest, |l| is_marker(l, down)) {
                Some((s, e)) => (&rest[..s], Some(&rest[e..])),
                None => (rest, None),
            };
            let clean = |t: &str| {
                t.lines()
                    .filter(|l| !l.trim_start().starts_with("-- +goose"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            return (clean(up_part), down_part.map(clean));
        }
    }
    (text.to_string(), None)
}

/// The part of a migration file that applies it (see [`sections`]).
pub fn up_section(text: &str) -> String {
    sections(text).0
}

#[cfg(test)]
mod tests {
    use super::up_section;

    #[test]
    fn up_parts() {
        assert_eq!(
            up_section("-- // x\nCREATE TABLE a ();\n-- //@UNDO\nDROP TABLE a;\n"),
            "-- // x\nCREATE TABLE a ();\n"
        );
        assert_eq!(
            up_section("-- migrate:up\nCREATE TABLE a ();\n-- migrate:down\nDROP TABLE a;\n")
                .trim(),
            "CREATE TABLE a ();"
        );
        assert_eq!(
            up_section("-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE a ();\n-- +goose StatementEnd\n-- +goose Down\nDROP TABLE a;").trim(),
            "CREATE TABLE a ();"
        );
        assert_eq!(up_section("CREATE TABLE a ();"), "CREATE TABLE a ();");
        // A marker counts only as a line of its own.
        assert_eq!(
            up_section(
                "-- // x\nCOMMENT ON TABLE a IS 'b -- //@UNDO';\n-- //@UNDO\nDROP TABLE a;\n"
            ),
            "-- // x\nCOMMENT ON TABLE a IS 'b -- //@UNDO';\n"
        );
        assert_eq!(
            super::sections(
                "-- migrate:up\nSELECT '-- migrate:down';\n-- migrate:down\nSELECT 2;\n"
            ),
            (
                "SELECT '-- migrate:down';".to_string(),
                Some("SELECT 2;".to_string())
            )
        );
        assert_eq!(
            up_section("-- migrate:up transaction:false\nALTER TYPE t ADD VALUE 'x';\n-- migrate:down transaction:false\n").trim(),
            "ALTER TYPE t ADD VALUE 'x';"
        );
    }
}
