//! A new migration in a directory's own format, written atomically: every file is written to a temporary name
//! and linked into place (which fails rather than overwrite), all or nothing.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::layout::{Format, Layout};

/// A migration to add.
#[derive(Debug, Clone)]
pub struct NewMigration {
    pub version: String,
    /// For the file name: `create_delayed_jobs`.
    pub slug: String,
    /// For formats that carry one (MyBatis's `-- // description`).
    pub description: String,
    /// The up script (statements ending in `;` and a new line).
    pub up: String,
    /// The down script.
    pub down: String,
    /// The statements must not run inside a transaction.
    pub no_transaction: bool,
}

use crate::transaction::{DIESEL_METADATA, FLYWAY_CONF, MYBATIS_NOTE, SQLX_NO_TRANSACTION};

/// `Create delayed jobs, page views!` -> `create_delayed_jobs_page_views`
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        "migration".into()
    } else {
        out
    }
}

/// The description of a MyBatis migration, for its `-- // description` line: control characters (a line
/// break above all, which would start a line that a runner may read as a marker) become spaces, and a
/// description that MyBatis would read as a directive (`@UNDO`) is not one.
fn one_line(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    if line.trim_start().starts_with('@') {
        format!("migration {}", line.trim_start())
    } else {
        line
    }
}

/// A script for goose, which ends a statement at any line that ends with `;` (quotes and dollar quotes
/// aside): a statement with such a line inside (a function body) goes between `-- +goose StatementBegin` and
/// `-- +goose StatementEnd`. A script without one stays as it is.
fn goose_statements(script: &str) -> String {
    let statements = crate::sql::split_statements(script);
    let inner_end = |stmt: &str| {
        let lines: Vec<&str> = stmt.lines().collect();
        lines.len() > 1
            && lines[..lines.len() - 1]
                .iter()
                .any(|l| l.trim_end().ends_with(';'))
    };
    if !statements.iter().any(|s| inner_end(s)) {
        return script.to_string();
    }
    let mut out = String::new();
    for stmt in statements {
        if inner_end(stmt) {
            out.push_str("-- +goose StatementBegin\n");
            out.push_str(stmt);
            out.push_str(";\n-- +goose StatementEnd\n");
        } else {
            out.push_str(stmt);
            out.push_str(";\n");
        }
    }
    out
}

/// Lines of SQL as comments.
fn commented(sql: &str) -> String {
    sql.lines()
        .map(|l| {
            if l.is_empty() {
                "--".to_string()
            } else {
                format!("-- {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether the directory format can mark one file as not transactional.
pub fn supports_no_transaction(format: Format) -> bool {
    matches!(format, Format::Goose | Format::Dbmate)
}

/// The files of a new migration: (path, contents).
pub fn files(layout: &Layout, m: &NewMigration) -> Vec<(PathBuf, String)> {
    let base = format!("{}_{}", m.version, m.slug);
    let dir = &layout.dir;
    match layout.format {
        Format::MyBatis => vec![(
            dir.join(format!("{base}.sql")),
            format!(
                "-- // {}\n{}{}\n-- //@UNDO\n{}",
                one_line(&m.description),
                if m.no_transaction {
                    format!("{MYBATIS_NOTE}\n")
                } else {
                    String::new()
                },
                m.up,
                m.down
            ),
        )],
        Format::Dbmate => {
            let tx = if m.no_transaction {
                " transaction:false"
            } else {
                ""
            };
            vec![(
                dir.join(format!("{base}.sql")),
                format!(
                    "-- migrate:up{tx}\n{}\n-- migrate:down{tx}\n{}",
                    m.up, m.down
                ),
            )]
        }
        Format::Goose => {
            let tx = if m.no_transaction {
                "-- +goose NO TRANSACTION\n"
            } else {
                ""
            };
            vec![(
                dir.join(format!("{base}.sql")),
                format!(
                    "{tx}-- +goose Up\n{}\n-- +goose Down\n{}",
                    goose_statements(&m.up),
                    goose_statements(&m.down)
                ),
            )]
        }
        Format::Flyway => {
            let up = format!("V{}__{}.sql", m.version, m.slug);
            let mut files = vec![
                (dir.join(&up), m.up.clone()),
                (
                    dir.join(format!("U{}__{}.sql", m.version, m.slug)),
                    m.down.clone(),
                ),
            ];
            // Flyway's script configuration: the up file runs statement by statement, outside a transaction.
            if m.no_transaction {
                files.push((dir.join(format!("{up}.conf")), FLYWAY_CONF.to_string()));
            }
            files
        }
        Format::Pairs => {
            // sqlx reads the first line; golang-migrate never wraps a file and reads it as a comment.
            let up = if m.no_transaction {
                format!("{SQLX_NO_TRANSACTION}\n{}", m.up)
            } else {
                m.up.clone()
            };
            vec![
                (dir.join(format!("{base}.up.sql")), up),
                (dir.join(format!("{base}.down.sql")), m.down.clone()),
            ]
        }
        Format::Diesel => {
            let mut files = vec![
                (dir.join(&base).join("up.sql"), m.up.clone()),
                (dir.join(&base).join("down.sql"), m.down.clone()),
            ];
            if m.no_transaction {
                files.push((
                    dir.join(&base).join("metadata.toml"),
                    DIESEL_METADATA.to_string(),
                ));
            }
            files
        }
        Format::Plain => vec![(
            dir.join(format!("{base}.sql")),
            format!(
                "{}\n-- Rollback (this format has no place for it, so it is kept here, commented out):\n{}\n",
                m.up,
                commented(m.down.trim_end())
            ),
        )],
    }
}

#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.error.kind() == std::io::ErrorKind::AlreadyExists {
            write!(
                f,
                "{} already exists; schemadiff never overwrites a file (nothing was written)",
                self.path.display()
            )
        } else {
            write!(
                f,
                "cannot write {}: {} (nothing was written)",
                self.path.display(),
                self.error
            )
        }
    }
}

impl std::error::Error for WriteError {}

/// Write every file or none: each to a temporary file beside it, then linked to its name (refused if the name
/// exists), then the temporary removed. A failure removes whatever this call had put in place.
pub fn write_all(files: &[(PathBuf, String)]) -> Result<(), WriteError> {
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut placed: Vec<PathBuf> = Vec::new();
    let mut temps: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for (path, _) in files {
            if path.exists() {
                return Err(WriteError {
                    path: path.clone(),
                    error: std::io::ErrorKind::AlreadyExists.into(),
                });
            }
        }
        for (path, text) in files {
            let dir = path.parent().unwrap_or(Path::new("."));
            if !dir.exists() {
                std::fs::create_dir_all(dir).map_err(|error| WriteError {
                    path: dir.to_path_buf(),
                    error,
                })?;
                created_dirs.push(dir.to_path_buf());
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let tmp = dir.join(format!(".{name}.schemadiff-{}", std::process::id()));
            let err = |error| WriteError {
                path: path.clone(),
                error,
            };
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)
                .map_err(err)?;
            temps.push(tmp.clone());
            f.write_all(text.as_bytes()).map_err(|e| WriteError {
                path: path.clone(),
                error: e,
            })?;
            f.sync_all().map_err(|e| WriteError {
                path: path.clone(),
                error: e,
            })?;
        }
        for ((path, _), tmp) in files.iter().zip(&temps) {
            std::fs::hard_link(tmp, path).map_err(|error| WriteError {
                path: path.clone(),
                error,
            })?;
            placed.push(path.clone());
        }
        Ok(())
    })();
    for t in &temps {
        let _ = std::fs::remove_file(t);
    }
    if result.is_err() {
        for p in &placed {
            let _ = std::fs::remove_file(p);
        }
        for d in created_dirs.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goose_gets_statement_blocks_around_bodies_only() {
        let plain = "CREATE TABLE a (x int);\nDROP TABLE b;\n";
        assert_eq!(goose_statements(plain), plain);
        let body = "CREATE TABLE a (x int);\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n";
        assert_eq!(
            goose_statements(body),
            "CREATE TABLE a (x int);\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n-- +goose StatementEnd\n"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slug("create delayed jobs page views analytics rollups"),
            "create_delayed_jobs_page_views_analytics_rollups"
        );
        assert_eq!(slug("  Add: users' e-mail!! "), "add_users_e_mail");
        assert_eq!(slug("!!!"), "migration");
    }

    #[test]
    fn never_overwrites_and_leaves_nothing_half_written() {
        let dir = std::env::temp_dir().join(format!("schemadiff-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("b.sql"), "old").unwrap();
        let files = vec![
            (dir.join("a.sql"), "new a".to_string()),
            (dir.join("b.sql"), "new b".to_string()),
        ];
        let err = write_all(&files).unwrap_err();
        assert_eq!(err.error.kind(), std::io::ErrorKind::AlreadyExists);
        assert!(!dir.join("a.sql").exists(), "a.sql must not be left behind");
        assert_eq!(std::fs::read_to_string(dir.join("b.sql")).unwrap(), "old");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        write_all(&[(dir.join("c.sql"), "c".into())]).unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("c.sql")).unwrap(), "c");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn descriptions_are_one_line_and_never_a_directive() {
        assert_eq!(one_line("a\n-- //@UNDO\r\tb"), "a -- //@UNDO  b");
        assert_eq!(one_line("@UNDO"), "migration @UNDO");
        assert_eq!(one_line(" @UNDO"), "migration @UNDO");
        assert_eq!(one_line("create users"), "create users");
    }
}
