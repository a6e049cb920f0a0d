//! `schemadiff check` as CI runs it, against a real PostgreSQL: exit 0 in sync, 1 drift, 2 error, for the
//! migrations directory replayed and for a live database. Outputs are kept in snapshots/check/
//! (`SCHEMADIFF_UPDATE_SNAPSHOTS=1` rewrites them).

mod common;

use common::repo_root;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

fn schemadiff(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    common::schemadiff(dir, args, env)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// The output must equal snapshots/check/<name>; `SCHEMADIFF_UPDATE_SNAPSHOTS=1` writes it instead.
fn snapshot(name: &str, actual: &str) {
    schemadiff_testkit::snapshot(&format!("check/{name}"), actual)
        .unwrap_or_else(|e| panic!("{e}"));
}

async fn dev_url() -> (schemadiff_testkit::TestDatabase, String) {
    common::dev_url().await
}

fn temp_project(name: &str, schema: &str, migrations: &[(&str, &str)]) -> PathBuf {
    common::project_with_migrations("cli-check", name, schema, migrations)
}

fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The model: users with a display name, and notes.
const SCHEMA: &str = r#"# The model of the check tests.

[tables.users]
comment = "People"
primary_key = ["id"]

[tables.users.columns]
id           = "bigint"
email        = { type = "varchar(255)", not_null = true }
display_name = "text"

[[tables.users.unique]]
columns = ["email"]

[tables.notes]
primary_key = ["id"]

[tables.notes.columns]
id      = "bigint"
user_id = { type = "bigint", not_null = true }
body    = "text"

[[tables.notes.foreign_keys]]
columns = ["user_id"]
references = { table = "users" }
on_delete = "cascade"
"#;

/// A history that builds SCHEMA exactly (other spellings, other column order in users).
const HISTORY_001: &str = "-- // init\nCREATE TABLE users (id bigint PRIMARY KEY, email character varying(255) NOT NULL UNIQUE);\nCOMMENT ON TABLE users IS 'People';\n\n-- //@UNDO\nDROP TABLE users;\n";
const HISTORY_002: &str = "-- // notes\nCREATE TABLE notes (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE, body text);\nALTER TABLE users ADD COLUMN display_name text;\n\n-- //@UNDO\nDROP TABLE notes;\nALTER TABLE users DROP COLUMN display_name;\n";

/// A live database built by the same history.
async fn live_database() -> schemadiff_testkit::TestDatabase {
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    for h in [HISTORY_001, HISTORY_002] {
        let up = h.split("-- //@UNDO").next().unwrap();
        client.batch_execute(up).await.unwrap();
    }
    db
}

#[tokio::test]
async fn in_sync_on_both_sides_exits_0() {
    let (_db, dev) = dev_url().await;
    let live = live_database().await;
    let dir = temp_project(
        "sync",
        SCHEMA,
        &[
            ("001_init.sql", HISTORY_001),
            ("002_notes.sql", HISTORY_002),
        ],
    );
    let out = schemadiff(
        &dir,
        &[
            "check",
            "--dev-url",
            &dev,
            "--database-url",
            live.conninfo(),
        ],
        &[],
    );
    assert_exit(&out, 0);
    snapshot("in_sync.txt", &text(&out.stdout));

    // Without --database-url only the directory is checked.
    let out = schemadiff(&dir, &["check", "--dev-url", &dev], &[]);
    assert_exit(&out, 0);
    assert_eq!(
        text(&out.stdout),
        "in sync: migrations directory (replayed)\n"
    );

    // Under GitHub Actions, nothing to annotate.
    let out = schemadiff(
        &dir,
        &["check", "--dev-url", &dev],
        &[("GITHUB_ACTIONS", "true")],
    );
    assert_exit(&out, 0);
    assert!(!text(&out.stdout).contains("::error"));
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_model_change_without_a_migration_is_directory_drift() {
    let (_db, dev) = dev_url().await;
    // The model gained a column and a table; the history still has the old state.
    let schema = SCHEMA.replace(
        "display_name = \"text\"\n",
        "display_name = \"text\"\nlast_seen    = \"timestamptz\"\n",
    ) + "\n[tables.tags]\nprimary_key = [\"name\"]\n\n[tables.tags.columns]\nname = \"text\"\n";
    let dir = temp_project(
        "directory",
        &schema,
        &[
            ("001_init.sql", HISTORY_001),
            ("002_notes.sql", HISTORY_002),
        ],
    );
    let out = schemadiff(&dir, &["check", "--dev-url", &dev], &[]);
    assert_exit(&out, 1);
    let stdout = text(&out.stdout);
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    snapshot("directory_drift.txt", &stdout);

    let json = schemadiff(&dir, &["check", "--dev-url", &dev, "--format", "json"], &[]);
    assert_exit(&json, 1);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["in_sync"], false);
    let sides = v["sides"].as_array().unwrap();
    assert_eq!(sides.len(), 1);
    let side = &sides[0];
    assert_eq!(side["side"], "migrations directory (replayed)");
    assert_eq!(side["in_sync"], false);
    assert_eq!(
        side["objects"],
        serde_json::json!([
            { "object": "table tags", "status": "missing" },
            { "object": "table users", "status": "differs" },
        ])
    );
    let kinds: Vec<&str> = side["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["create_table", "add_column"]);
    assert_eq!(
        side["changes"][1]["sql"][0],
        "ALTER TABLE public.users ADD COLUMN last_seen timestamp with time zone"
    );
    // The JSON diff is the human one, without color.
    let diff = side["diff"].as_str().unwrap();
    assert!(
        diff.starts_with("--- migrations directory (replayed)\n+++ schema.toml\n"),
        "{diff}"
    );
    assert!(stdout.contains(diff), "{diff}");
    assert!(diff.contains("+last_seen    = { type = \"timestamp with time zone\" }"));
    // The diff is limited to what differs: notes is the same on both sides.
    assert!(!diff.contains("notes"), "{diff}");
    fs::remove_dir_all(&dir).unwrap();
}

/// Changes made by hand on the live database: a column, an index and a whole table schema.toml does not have.
const HOTFIX: &str = "ALTER TABLE users ADD COLUMN is_admin boolean NOT NULL DEFAULT false;\nCREATE INDEX users_display_name_idx ON users (display_name);\nCREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, message text NOT NULL);\n";

#[tokio::test]
async fn a_change_by_hand_on_the_database_is_live_drift() {
    let (_db, dev) = dev_url().await;
    let live = live_database().await;
    live.client().await.batch_execute(HOTFIX).await.unwrap();
    let dir = temp_project(
        "live",
        SCHEMA,
        &[
            ("001_init.sql", HISTORY_001),
            ("002_notes.sql", HISTORY_002),
        ],
    );
    let out = schemadiff(
        &dir,
        &[
            "check",
            "--dev-url",
            &dev,
            "--database-url",
            live.conninfo(),
        ],
        &[],
    );
    assert_exit(&out, 1);
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("in sync: migrations directory (replayed)\ndrift: live database"),
        "{stdout}"
    );
    snapshot("live_drift.txt", &stdout);

    let json = schemadiff(
        &dir,
        &[
            "check",
            "--dev-url",
            &dev,
            "--database-url",
            live.conninfo(),
            "--format",
            "json",
        ],
        &[],
    );
    assert_exit(&json, 1);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["sides"][0]["in_sync"], true);
    assert_eq!(v["sides"][0]["diff"], "");
    assert_eq!(v["sides"][1]["side"], "live database");
    assert_eq!(v["sides"][1]["in_sync"], false);
    assert_eq!(
        v["sides"][1]["objects"],
        serde_json::json!([
            { "object": "table audit_log", "status": "extra" },
            { "object": "table users", "status": "differs" },
        ])
    );

    // --schema limits what is read from the database: a schema with nothing in it lacks every table.
    let filtered = schemadiff(
        &dir,
        &[
            "check",
            "--dev-url",
            &dev,
            "--database-url",
            live.conninfo(),
            "--schema",
            "nothing_here",
            "--format",
            "json",
        ],
        &[],
    );
    assert_exit(&filtered, 1);
    let v: serde_json::Value = serde_json::from_slice(&filtered.stdout).unwrap();
    assert_eq!(
        v["sides"][1]["objects"],
        serde_json::json!([
            { "object": "table notes", "status": "missing" },
            { "object": "table users", "status": "missing" },
        ])
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn drift_on_both_sides_is_reported_for_each_with_github_annotations() {
    let (_db, dev) = dev_url().await;
    let live = live_database().await;
    live.client().await.batch_execute(HOTFIX).await.unwrap();
    // The directory lacks the notes migration.
    let dir = temp_project("both", SCHEMA, &[("001_init.sql", HISTORY_001)]);
    let args = [
        "check",
        "--dev-url",
        &dev,
        "--database-url",
        live.conninfo(),
    ];
    let out = schemadiff(&dir, &args, &[]);
    assert_exit(&out, 1);
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("::error"), "no annotations outside GitHub");
    assert!(
        stdout.ends_with("drift found: migrations directory (replayed), live database\n"),
        "{stdout}"
    );
    snapshot("both_drift.txt", &stdout);

    // Under GitHub Actions: the same report, then one annotation per drifting element, at its line in
    // schema.toml (line 1 for what schema.toml does not have).
    let gh = schemadiff(&dir, &args, &[("GITHUB_ACTIONS", "true")]);
    assert_exit(&gh, 1);
    let gh_stdout = text(&gh.stdout);
    assert!(gh_stdout.starts_with(&stdout), "{gh_stdout}");
    let annotations: Vec<&str> = gh_stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(
        annotations,
        [
            // [tables.notes] is on line 15, [tables.users] on line 3.
            "::error file=schema.toml,line=15::table notes is in schema.toml but missing from the migrations directory (replayed): run `schemadiff write` to add the migration that brings it up to date",
            "::error file=schema.toml,line=3::table users in the migrations directory (replayed) differs from schema.toml: run `schemadiff write` to add the migration that brings it up to date",
            "::error file=schema.toml,line=1::table audit_log exists in the live database but is missing from schema.toml",
            "::error file=schema.toml,line=3::table users in the live database differs from schema.toml: apply the pending migrations, or bring the manual change into schema.toml and a migration",
        ]
    );
    snapshot("github_annotations.txt", &(annotations.join("\n") + "\n"));

    // With JSON, standard output stays JSON; the annotations go to standard error (the runner reads both).
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let json = schemadiff(&dir, &json_args, &[("GITHUB_ACTIONS", "true")]);
    assert_exit(&json, 1);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["in_sync"], false);
    assert_eq!(v["sides"][0]["in_sync"], false);
    assert_eq!(v["sides"][1]["in_sync"], false);
    let stderr = text(&json.stderr);
    assert_eq!(stderr.lines().count(), 4, "{stderr}");
    assert!(
        stderr
            .lines()
            .all(|l| l.starts_with("::error file=schema.toml,line="))
    );

    // A schema file elsewhere: the annotation names it as given.
    fs::create_dir_all(dir.join("db")).unwrap();
    fs::rename(dir.join("schema.toml"), dir.join("db/schema.toml")).unwrap();
    let moved = schemadiff(
        &dir,
        &[
            "check",
            "--dev-url",
            &dev,
            "--schema-file",
            "db/schema.toml",
            "--migrations-dir",
            "migrations",
        ],
        &[("GITHUB_ACTIONS", "true")],
    );
    assert_exit(&moved, 1);
    assert!(
        text(&moved.stdout)
            .contains("::error file=db/schema.toml,line=15::table notes is in schema.toml"),
        "{}",
        text(&moved.stdout)
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn bad_input_exits_2() {
    let (_db, dev) = dev_url().await;
    // A mistake in schema.toml: located, before any server is needed.
    let dir = temp_project(
        "bad",
        "[tables.users.columns]\nid = { typ = \"bigint\" }\n",
        &[],
    );
    let out = schemadiff(&dir, &["check"], &[]);
    assert_exit(&out, 2);
    assert!(out.stdout.is_empty());
    snapshot("bad_schema.stderr.txt", &text(&out.stderr));

    // No schema.toml at all.
    let out = schemadiff(&dir, &["check", "--schema-file", "missing.toml"], &[]);
    assert_exit(&out, 2);
    assert!(
        text(&out.stderr).starts_with("error: cannot read missing.toml"),
        "{}",
        text(&out.stderr)
    );
    fs::remove_dir_all(&dir).unwrap();

    // A migration that does not replay.
    let dir = temp_project(
        "replay",
        SCHEMA,
        &[(
            "001_init.sql",
            "-- // init\nCREATE TABLE users (id bigint PRIMARY KEY, email nosuchtype);\n",
        )],
    );
    let out = schemadiff(&dir, &["check", "--dev-url", &dev], &[]);
    assert_exit(&out, 2);
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("001_init.sql"), "{stderr}");
    assert!(
        stderr.contains("type \"nosuchtype\" does not exist"),
        "{stderr}"
    );
    assert!(
        stderr.contains("while checking the migrations directory (replayed)"),
        "{stderr}"
    );
    fs::remove_dir_all(&dir).unwrap();

    // A plan that fails verification (text -> integer with a `using` the server refuses) is an error, not
    // drift. (Without `using`, the change gets a default `USING display_name::integer` and applies.)
    let schema = SCHEMA.replace(
        "display_name = \"text\"",
        "display_name = { type = \"integer\", using = \"no_such_function(display_name)\" }",
    );
    let dir = temp_project(
        "verify",
        &schema,
        &[
            ("001_init.sql", HISTORY_001),
            ("002_notes.sql", HISTORY_002),
        ],
    );
    let out = schemadiff(&dir, &["check", "--dev-url", &dev], &[]);
    assert_exit(&out, 2);
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("the plan does not apply to a copy of the current schema"),
        "{stderr}"
    );
    assert!(stderr.contains("no_such_function"), "{stderr}");
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn no_connection_exits_2() {
    let (_db, dev) = dev_url().await;
    let dir = temp_project(
        "noconn",
        SCHEMA,
        &[
            ("001_init.sql", HISTORY_001),
            ("002_notes.sql", HISTORY_002),
        ],
    );
    // Nothing listens on port 1.
    let out = schemadiff(
        &dir,
        &[
            "check",
            "--dev-url",
            &dev,
            "--database-url",
            "postgres://nobody:secret@127.0.0.1:1/app?connect_timeout=5&sslmode=disable",
        ],
        &[],
    );
    assert_exit(&out, 2);
    assert!(out.stdout.is_empty(), "nothing is reported as checked");
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("error:"), "{stderr}");
    assert!(stderr.contains("127.0.0.1"), "{stderr}");
    assert!(!stderr.contains("secret"), "the password is not printed");

    // The scratch server unreachable is an error too.
    let out = schemadiff(
        &dir,
        &[
            "check",
            "--dev-url",
            "postgres://nobody@127.0.0.1:1/postgres?connect_timeout=5&sslmode=disable",
        ],
        &[],
    );
    assert_exit(&out, 2);
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).starts_with("error:"));
    fs::remove_dir_all(&dir).unwrap();
}

/// A copy of the repository's example (schema.toml, migrations/ and the diagram of its `[erd] file`) in a temp
/// dir.
fn example_copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "schemadiff-cli-check-{name}-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("migrations")).unwrap();
    fs::copy(repo_root().join("schema.toml"), dir.join("schema.toml")).unwrap();
    for entry in fs::read_dir(repo_root().join("migrations")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), dir.join("migrations").join(entry.file_name())).unwrap();
    }
    let diagram = "docs/diagrams/database_erd.mmd";
    fs::create_dir_all(dir.join("docs/diagrams")).unwrap();
    fs::copy(repo_root().join(diagram), dir.join(diagram)).unwrap();
    dir
}

#[tokio::test]
async fn the_example_drifts_until_migration_003_exists() {
    let (_db, dev) = dev_url().await;
    let dir = example_copy("example");
    let out = schemadiff(&dir, &["check", "--dev-url", &dev], &[]);
    assert_exit(&out, 1);
    let stdout = text(&out.stdout);
    for table in ["delayed_jobs", "page_views", "analytics_rollups"] {
        assert!(
            stdout.contains(&format!("@@ table {table}: in schema.toml, missing from the migrations directory (replayed) @@")),
            "{table} not named in:\n{stdout}"
        );
    }
    snapshot("example_drift.txt", &stdout);

    let gh = schemadiff(
        &dir,
        &["check", "--dev-url", &dev],
        &[("GITHUB_ACTIONS", "true")],
    );
    assert_exit(&gh, 1);
    let annotations: Vec<String> = text(&gh.stdout)
        .lines()
        .filter(|l| l.starts_with("::error"))
        .map(|l| l.split("::").nth(1).unwrap().to_string())
        .collect();
    assert_eq!(
        annotations,
        [
            "error file=schema.toml,line=223",
            "error file=schema.toml,line=165",
            "error file=schema.toml,line=193",
        ]
    );

    // `schemadiff write` produces migration 003; then the check passes.
    let write = schemadiff(
        &dir,
        &[
            "write",
            "--dev-url",
            &dev,
            "--name",
            "create delayed jobs page views analytics rollups",
        ],
        &[],
    );
    assert_exit(&write, 0);
    assert!(
        dir.join("migrations/003_create_delayed_jobs_page_views_analytics_rollups.sql")
            .is_file()
    );
    let out = schemadiff(&dir, &["check", "--dev-url", &dev], &[]);
    assert_exit(&out, 0);
    assert_eq!(
        text(&out.stdout),
        "in sync: migrations directory (replayed)\nin sync: diagram docs/diagrams/database_erd.mmd\n"
    );

    // A database built by that directory is in sync too.
    let live = schemadiff_testkit::fresh_database().await;
    let client = live.client().await;
    let mut files: Vec<PathBuf> = fs::read_dir(dir.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    for f in files {
        let t = fs::read_to_string(&f).unwrap();
        client
            .batch_execute(t.split("-- //@UNDO").next().unwrap())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
    let out = schemadiff(
        &dir,
        &[
            "check",
            "--dev-url",
            &dev,
            "--database-url",
            live.conninfo(),
        ],
        &[],
    );
    assert_exit(&out, 0);
    assert_eq!(
        text(&out.stdout),
        "in sync: migrations directory (replayed)\nin sync: live database\nin sync: diagram docs/diagrams/database_erd.mmd\n"
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// Indexes that exist but are not valid: a partitioned index made `ON ONLY` the parent and never attached on
/// its partition, and a unique index whose concurrent build failed on a duplicate.
const INVALID_SCHEMA: &str = r#"[tables.events]
partition_by = "RANGE (at)"

[tables.events.columns]
id = "integer"
at = "date"

[[tables.events.indexes]]
name = "events_at"
columns = ["at"]

[tables.events_2026]
partition_of = "events"
bounds = "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"

[tables.tags]

[tables.tags.columns]
name = "text"

[[tables.tags.indexes]]
name = "tags_name"
unique = true
columns = ["name"]
"#;

const INVALID_HISTORY: &str = "CREATE TABLE events (id integer, at date) PARTITION BY RANGE (at);\nCREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\nCREATE INDEX events_at ON events (at);\nCREATE TABLE tags (name text);\nCREATE UNIQUE INDEX tags_name ON tags (name);\n";

#[tokio::test]
async fn an_invalid_index_is_drift_and_the_plan_builds_it_again() {
    let (_db, dev) = dev_url().await;
    let live = schemadiff_testkit::fresh_database().await;
    let client = live.client().await;
    client
        .batch_execute(
            "CREATE TABLE events (id integer, at date) PARTITION BY RANGE (at);
             CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
             CREATE INDEX events_at ON ONLY events (at);
             CREATE TABLE tags (name text);
             INSERT INTO tags VALUES ('a'), ('a');",
        )
        .await
        .unwrap();
    // Outside a transaction, as a concurrent build runs; it fails on the duplicate and leaves the index.
    let failed = client
        .batch_execute("CREATE UNIQUE INDEX CONCURRENTLY tags_name ON tags (name)")
        .await;
    assert!(failed.is_err(), "the concurrent build should fail");
    let invalid: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_index WHERE NOT indisvalid AND indexrelid::regclass::text IN ('events_at', 'tags_name')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(invalid, 2);
    let dir = temp_project(
        "invalid-index",
        INVALID_SCHEMA,
        &[("001_init.sql", INVALID_HISTORY)],
    );
    let check = |dir: &Path| {
        schemadiff(
            dir,
            &[
                "check",
                "--dev-url",
                &dev,
                "--database-url",
                live.conninfo(),
            ],
            &[],
        )
    };
    let out = check(&dir);
    assert_exit(&out, 1);
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("in sync: migrations directory (replayed)\ndrift: live database"),
        "{stdout}"
    );
    for name in ["events_at", "tags_name"] {
        assert!(
            stdout.contains(&format!("# index {name} is invalid")),
            "{stdout}"
        );
    }
    let plan = schemadiff(
        &dir,
        &[
            "plan",
            "--dev-url",
            &dev,
            "--database-url",
            live.conninfo(),
            "--format",
            "sql",
        ],
        &[],
    );
    assert_exit(&plan, 0);
    let sql = text(&plan.stdout);
    for expected in [
        "DROP INDEX public.events_at;",
        "CREATE INDEX events_at ON public.events",
        "DROP INDEX public.tags_name;",
        "CREATE UNIQUE INDEX tags_name ON public.tags",
    ] {
        assert!(sql.contains(expected), "{expected} in:\n{sql}");
    }
    // With the duplicate gone, the plan applies and the live database is in sync, its indexes valid.
    client
        .batch_execute("DELETE FROM tags WHERE ctid <> (SELECT min(ctid) FROM tags)")
        .await
        .unwrap();
    client.batch_execute(&sql).await.unwrap();
    assert_exit(&check(&dir), 0);
    let invalid: i64 = client
        .query_one("SELECT count(*) FROM pg_index WHERE NOT indisvalid", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(invalid, 0);
    fs::remove_dir_all(&dir).unwrap();
}
