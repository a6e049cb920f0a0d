//! `schemadiff dump` as a user runs it, against a real PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use schemadiff_catalog::conninfo::with_dbname;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn schemadiff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schemadiff"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("SCHEMADIFF_DEV_URL")
        .output()
        .expect("run schemadiff")
}

/// A database holding the example's migration history (000 to 002, the part before `-- //@UNDO`).
async fn migrated_database() -> schemadiff_testkit::TestDatabase {
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo_root().join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let up = text.split("-- //@UNDO").next().unwrap();
        for stmt in schemadiff_migrate::split_statements(up) {
            client
                .batch_execute(stmt)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        }
    }
    db
}

#[tokio::test]
async fn dump_writes_a_schema_toml_that_loads_and_is_the_same_every_time() {
    let db = migrated_database().await;
    let dev = with_dbname(db.conninfo(), "postgres");
    let dir = std::env::temp_dir().join(format!("schemadiff-cli-dump-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("schema.toml");
    let out_s = out.to_str().unwrap();
    let first = schemadiff(&[
        "dump",
        "--database-url",
        db.conninfo(),
        "--dev-url",
        &dev,
        "--output",
        out_s,
    ]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let loaded = schemadiff_model::load_file(&out).unwrap_or_else(|e| panic!("{e}"));
    let tables: Vec<String> = loaded
        .schema
        .tables
        .iter()
        .map(|t| t.name.to_string())
        .collect();
    assert_eq!(
        tables,
        [
            "calendar_orders",
            "calendar_templates",
            "calendar_users",
            "user_calendars"
        ]
    );
    let users = loaded
        .schema
        .tables
        .iter()
        .find(|t| t.name.name == "calendar_users")
        .unwrap();
    assert_eq!(users.columns.last().unwrap().name, "is_admin");

    // The same again, to standard output: byte-identical.
    let second = schemadiff(&["dump", "--database-url", db.conninfo(), "--dev-url", &dev]);
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(String::from_utf8(second.stdout).unwrap(), text);
    // No temporary file is left next to the output.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn dump_of_one_schema() {
    let db = schemadiff_testkit::fresh_database().await;
    db.client()
        .await
        .batch_execute("CREATE SCHEMA billing; CREATE TABLE billing.invoices (id int PRIMARY KEY); CREATE TABLE users (id int)")
        .await
        .unwrap();
    let dev = with_dbname(db.conninfo(), "postgres");
    let out = schemadiff(&[
        "dump",
        "--database-url",
        db.conninfo(),
        "--dev-url",
        &dev,
        "--schema",
        "billing",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[tables.\"billing.invoices\"]"), "{text}");
    assert!(!text.contains("users"), "{text}");
}

#[test]
fn a_failed_connection_says_where_and_never_shows_the_password() {
    let out = schemadiff(&[
        "dump",
        "--database-url",
        "postgres://alice:Sup3rS3cret@127.0.0.1:1/app?connect_timeout=5",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("127.0.0.1") && stderr.contains("port 1"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("Sup3rS3cret"),
        "the password leaked: {stderr}"
    );
    assert!(out.stdout.is_empty());
}

/// A table whose CHECK is not a fixpoint of the catalog: `status IN ('a','b')` on varchar reads back as
/// `(status)::text = ANY ((ARRAY['a'::character varying, ...])::text[])`, which recreated reads back
/// differently again.
async fn non_fixpoint_check() -> schemadiff_testkit::TestDatabase {
    let db = schemadiff_testkit::fresh_database().await;
    db.client()
        .await
        .batch_execute(
            "CREATE TABLE orders (id int PRIMARY KEY, status varchar(10) NOT NULL \
             CONSTRAINT orders_status_check CHECK (status IN ('a', 'b')))",
        )
        .await
        .unwrap();
    db
}

/// The text after the two header lines and the blank line of `schemadiff dump`.
fn body(dump: &[u8]) -> String {
    let text = String::from_utf8(dump.to_vec()).unwrap();
    let (head, rest) = text.split_once("\n\n").unwrap();
    assert!(head.contains("written by `schemadiff dump`"), "{text}");
    rest.to_string()
}

#[tokio::test]
async fn dump_starts_no_scratch_server_and_plans_nothing_against_its_database() {
    let db = non_fixpoint_check().await;
    let dir = std::env::temp_dir().join(format!("schemadiff-cli-dump-fast-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("schema.toml");
    // No --dev-url and no server binaries: a scratch server could not be started.
    let without_server = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_schemadiff"))
            .args(args)
            .env_remove("DATABASE_URL")
            .env_remove("SCHEMADIFF_DEV_URL")
            .env("SCHEMADIFF_PG_BINDIR", dir.join("no-such-bin"))
            .env("PATH", "/nonexistent")
            .output()
            .expect("run schemadiff")
    };
    let dumped = without_server(&[
        "dump",
        "--database-url",
        db.conninfo(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(
        dumped.status.success(),
        "{}",
        String::from_utf8_lossy(&dumped.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("[[tables.orders.checks]]"), "{text}");
    // The catalog's own text, as read.
    assert!(text.contains("ANY ((ARRAY["), "{text}");
    // The same flags with --canonical need the scratch server, and say so.
    let canonical = without_server(&["dump", "--canonical", "--database-url", db.conninfo()]);
    assert_eq!(
        canonical.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&canonical.stderr)
    );
    // The dump is in sync with the database it came from.
    let dev = with_dbname(db.conninfo(), "postgres");
    let plan = schemadiff(&[
        "plan",
        "--schema-file",
        out.to_str().unwrap(),
        "--database-url",
        db.conninfo(),
        "--dev-url",
        &dev,
        "--format",
        "json",
    ]);
    assert!(
        plan.status.success(),
        "{}",
        String::from_utf8_lossy(&plan.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    assert_eq!(v["changes"].as_array().map(Vec::len), Some(0), "{v}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn dump_canonical_writes_what_the_round_trip_writes() {
    let db = non_fixpoint_check().await;
    let dev = with_dbname(db.conninfo(), "postgres");
    let canonical = schemadiff(&[
        "dump",
        "--canonical",
        "--database-url",
        db.conninfo(),
        "--dev-url",
        &dev,
    ]);
    assert!(
        canonical.status.success(),
        "{}",
        String::from_utf8_lossy(&canonical.stderr)
    );
    let scratch =
        schemadiff_catalog::scratch::ScratchServer::existing(&dev, "the test cluster").unwrap();
    let round_trip = schemadiff_catalog::introspect::dump(
        &db.client().await,
        &schemadiff_catalog::introspect::IntrospectOptions::default(),
        &scratch,
    )
    .await
    .unwrap();
    assert_eq!(body(&canonical.stdout), format!("{round_trip}\n"));
    // Without --canonical, the catalog's text: here not the fixpoint.
    let plain = schemadiff(&["dump", "--database-url", db.conninfo()]);
    assert!(
        plain.status.success(),
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );
    assert_ne!(body(&plain.stdout), body(&canonical.stdout));
}
