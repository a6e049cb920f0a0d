//! The "up" part of migration files, in the order they apply, for replaying a directory into a database.

use std::path::{Path, PathBuf};

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
            let body = &text[start + up.len()..];
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
    }
}
