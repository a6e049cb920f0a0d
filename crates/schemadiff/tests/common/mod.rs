//! Helpers shared by the command-line tests.

// Each test binary uses its own part of these helpers.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use schemadiff_catalog::conninfo::with_dbname;

/// Run schemadiff in `dir` (so paths in its output are relative), without color, a DATABASE_URL, a dev URL
/// or a GitHub environment from the caller's surroundings; `env` sets variables of the test's own.
pub fn schemadiff(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_schemadiff"));
    cmd.current_dir(dir)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("SCHEMADIFF_DEV_URL")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run schemadiff")
}

/// A test database (kept alive by the caller) and the conninfo of its server's `postgres` database, where
/// schemadiff makes its scratch databases.
pub async fn dev_url() -> (schemadiff_testkit::TestDatabase, String) {
    let db = schemadiff_testkit::fresh_database().await;
    let url = with_dbname(db.conninfo(), "postgres");
    (db, url)
}

/// A fresh project directory `schemadiff-<test>-<name>-<pid>` holding schema.toml, an empty `migrations/`,
/// and `files` (paths relative to the project).
pub fn project(test: &str, name: &str, schema: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("schemadiff-{test}-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("migrations")).unwrap();
    fs::write(dir.join("schema.toml"), schema).unwrap();
    for (path, text) in files {
        let p = dir.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

/// `project` with files given by their names in `migrations/`.
pub fn project_with_migrations(
    test: &str,
    name: &str,
    schema: &str,
    migrations: &[(&str, &str)],
) -> PathBuf {
    let files: Vec<(String, &str)> = migrations
        .iter()
        .map(|(f, t)| (format!("migrations/{f}"), *t))
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(f, t)| (f.as_str(), *t)).collect();
    project(test, name, schema, &refs)
}

/// What a command printed, standard output then standard error.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Copy a directory tree (an example, to work on a copy of it).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            fs::copy(&p, &target).unwrap();
        }
    }
}

/// Run a SQL file on a database, statement by statement as a migration tool would.
pub async fn apply(client: &tokio_postgres::Client, file: &Path) {
    let sql = fs::read_to_string(file).unwrap();
    for stmt in schemadiff_migrate::split_statements(&sql) {
        client
            .batch_execute(stmt)
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}\n{stmt}", file.display()));
    }
}
