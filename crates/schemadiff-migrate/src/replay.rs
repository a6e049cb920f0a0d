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

/// The part of a migration file that applies it: before MyBatis's `-- //@UNDO`, between dbmate's
/// `-- migrate:up` and `-- migrate:down`, between goose's `-- +goose Up` and `-- +goose Down`; else all of it.
pub fn up_section(text: &str) -> String {
    if let Some(i) = text.find("-- //@UNDO") {
        return text[..i].to_string();
    }
    for (up, down) in [
        ("-- migrate:up", "-- migrate:down"),
        ("-- +goose Up", "-- +goose Down"),
    ] {
        if let Some(start) = text.find(up) {
            // The marker's whole line (dbmate adds options after it: `transaction:false`).
            let after = &text[start..];
            let body = after.find('\n').map_or("", |i| &after[i + 1..]);
            let body = body.find(down).map_or(body, |end| &body[..end]);
            return body
                .lines()
                .filter(|l| !l.trim_start().starts_with("-- +goose"))
                .collect::<Vec<_>>()
                .join("\n");
        }
    }
    text.to_string()
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
        assert_eq!(
            up_section("-- migrate:up transaction:false\nALTER TYPE t ADD VALUE 'x';\n-- migrate:down transaction:false\n").trim(),
            "ALTER TYPE t ADD VALUE 'x';"
        );
    }
}
