//! `schemadiff write` as a user runs it, against a real PostgreSQL: the example, every directory format
//! (the written files against snapshots/write/, then the directory replayed must give the desired schema),
//! and the refusals that leave a directory as it was.

mod common;

use common::{repo_root, text};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn schemadiff(dir: &Path, args: &[&str]) -> Output {
    common::schemadiff(dir, args, &[("SCHEMADIFF_NOW", "20251110150000")])
}

async fn dev_url() -> (schemadiff_testkit::TestDatabase, String) {
    common::dev_url().await
}

/// A project directory: schema.toml and the given files (relative paths) under it.
fn project(name: &str, schema: &str, files: &[(&str, &str)]) -> PathBuf {
    common::project("cli-write", name, schema, files)
}

/// Every file under `dir/migrations`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, String> {
    fn walk(base: &Path, at: &Path, out: &mut BTreeMap<String, String>) {
        for e in fs::read_dir(at).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(base).unwrap().display().to_string(),
                    fs::read_to_string(&p).unwrap_or_default(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&dir.join("migrations"), &dir.join("migrations"), &mut out);
    out
}

fn check_snapshot(name: &str, actual: &str) {
    schemadiff_testkit::snapshot(&format!("write/{name}"), actual)
        .unwrap_or_else(|e| panic!("{e}"));
}

/// After a write, the directory replayed must build schema.toml: planning again finds nothing.
fn assert_in_sync(dir: &Path, dev: &str) {
    let out = schemadiff(dir, &["plan", "--dev-url", dev]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("No changes"),
        "{}",
        text(&out)
    );
}

#[tokio::test]
async fn the_example_gets_its_003_mybatis_migration_once() {
    let (_db, dev) = dev_url().await;
    let dir = std::env::temp_dir().join(format!(
        "schemadiff-cli-write-example-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("migrations")).unwrap();
    fs::copy(repo_root().join("schema.toml"), dir.join("schema.toml")).unwrap();
    for e in fs::read_dir(repo_root().join("migrations")).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, dir.join("migrations").join(p.file_name().unwrap())).unwrap();
    }
    let before = tree(&dir);
    let out = schemadiff(
        &dir,
        &[
            "write",
            "--dev-url",
            &dev,
            "--name",
            "create delayed jobs page views analytics rollups",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out)
            .contains("wrote migrations/003_create_delayed_jobs_page_views_analytics_rollups.sql"),
        "{}",
        text(&out)
    );
    let after = tree(&dir);
    let new: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(
        new,
        [
            "003_create_delayed_jobs_page_views_analytics_rollups.sql",
            "schemadiff.sum"
        ]
    );
    let written = &after["003_create_delayed_jobs_page_views_analytics_rollups.sql"];
    assert!(written.starts_with("-- // create delayed jobs page views analytics rollups\n"));
    assert!(written.contains("\n-- //@UNDO\n"));
    check_snapshot(
        "003_create_delayed_jobs_page_views_analytics_rollups.sql",
        written,
    );
    assert_in_sync(&dir, &dev);

    // A second run has nothing to write.
    let again = schemadiff(
        &dir,
        &[
            "write",
            "--dev-url",
            &dev,
            "--name",
            "create delayed jobs page views analytics rollups",
        ],
    );
    assert!(again.status.success(), "{}", text(&again));
    assert!(text(&again).contains("No changes"), "{}", text(&again));
    assert_eq!(tree(&dir), after);
    fs::remove_dir_all(&dir).unwrap();
}

/// The desired schema for every format: the history's table gains a column and a value of its enum (which
/// cannot be used in the transaction that adds it), and a new table references it.
const SCHEMA: &str = r#"
[enums.status]
values = ["new", "done", "archived"]

[tables.tasks]
primary_key = ["id"]

[tables.tasks.columns]
id     = { type = "bigint" }
title  = { type = "text", not_null = true }
status = { type = "status", not_null = true, default = "'archived'" }
due    = { type = "date" }

[tables.notes]
primary_key = ["id"]

[tables.notes.columns]
id      = { type = "bigint" }
task_id = { type = "bigint", not_null = true }
body    = { type = "text" }

[[tables.notes.foreign_keys]]
columns = ["task_id"]
references = { table = "tasks" }
on_delete = "cascade"

[[tables.notes.indexes]]
columns = ["task_id"]
"#;

const V1: &str = "CREATE TYPE status AS ENUM ('new', 'done');\n";
const V2: &str = "CREATE TABLE tasks (id bigint PRIMARY KEY, title text NOT NULL, status status NOT NULL DEFAULT 'new');\n";
const V1_DOWN: &str = "DROP TYPE status;\n";
const V2_DOWN: &str = "DROP TABLE tasks;\n";

/// Write in a directory with a history in `files`, compare what was written with the snapshots, replay.
async fn format_case(name: &str, schema: &str, files: &[(&str, &str)]) {
    let (_db, dev) = dev_url().await;
    let dir = project(name, schema, files);
    let before = tree(&dir);
    let out = schemadiff(
        &dir,
        &["write", "--dev-url", &dev, "--name", "notes and due dates"],
    );
    assert!(out.status.success(), "{name}: {}", text(&out));
    let after = tree(&dir);
    let mut written = String::new();
    for (path, body) in &after {
        if !before.contains_key(path) {
            written.push_str(&format!("==> {path}\n{body}"));
        }
    }
    assert!(
        !written.is_empty(),
        "{name}: nothing written: {}",
        text(&out)
    );
    check_snapshot(
        &format!("{name}.txt"),
        &format!("{}\n{written}", String::from_utf8_lossy(&out.stdout)),
    );
    assert_in_sync(&dir, &dev);
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn mybatis_splits_enum_values_into_their_own_migration() {
    let f = |up: &str, down: &str, d: &str| format!("-- // {d}\n{up}\n-- //@UNDO\n{down}");
    let (a, b) = (f(V1, V1_DOWN, "status"), f(V2, V2_DOWN, "tasks"));
    format_case(
        "mybatis",
        SCHEMA,
        &[
            ("migrations/001_status.sql", &a),
            ("migrations/002_tasks.sql", &b),
        ],
    )
    .await;
}

#[tokio::test]
async fn plain_sequential_four_digits() {
    format_case(
        "plain",
        SCHEMA,
        &[
            ("migrations/0001_status.sql", V1),
            ("migrations/0002_tasks.sql", V2),
        ],
    )
    .await;
}

#[tokio::test]
async fn timestamps() {
    format_case(
        "timestamp",
        SCHEMA,
        &[
            ("migrations/20250101000000_status.sql", V1),
            ("migrations/20250102000000_tasks.sql", V2),
        ],
    )
    .await;
}

#[tokio::test]
async fn flyway() {
    format_case(
        "flyway",
        SCHEMA,
        &[
            ("migrations/V1__status.sql", V1),
            ("migrations/U1__status.sql", V1_DOWN),
            ("migrations/V2__tasks.sql", V2),
            ("migrations/U2__tasks.sql", V2_DOWN),
        ],
    )
    .await;
}

#[tokio::test]
async fn golang_migrate_pairs() {
    format_case(
        "golang_migrate",
        SCHEMA,
        &[
            ("migrations/000001_status.up.sql", V1),
            ("migrations/000001_status.down.sql", V1_DOWN),
            ("migrations/000002_tasks.up.sql", V2),
            ("migrations/000002_tasks.down.sql", V2_DOWN),
        ],
    )
    .await;
}

#[tokio::test]
async fn sqlx_timestamped_pairs() {
    format_case(
        "sqlx",
        SCHEMA,
        &[
            ("migrations/20250101000000_status.up.sql", V1),
            ("migrations/20250101000000_status.down.sql", V1_DOWN),
            ("migrations/20250102000000_tasks.up.sql", V2),
            ("migrations/20250102000000_tasks.down.sql", V2_DOWN),
        ],
    )
    .await;
}

#[tokio::test]
async fn dbmate_runs_outside_a_transaction() {
    let f = |up: &str, down: &str| format!("-- migrate:up\n{up}\n-- migrate:down\n{down}");
    let (a, b) = (f(V1, V1_DOWN), f(V2, V2_DOWN));
    format_case(
        "dbmate",
        SCHEMA,
        &[
            ("migrations/20250101000000_status.sql", &a),
            ("migrations/20250102000000_tasks.sql", &b),
        ],
    )
    .await;
}

#[tokio::test]
async fn goose_runs_outside_a_transaction() {
    let f = |up: &str, down: &str| format!("-- +goose Up\n{up}\n-- +goose Down\n{down}");
    let (a, b) = (f(V1, V1_DOWN), f(V2, V2_DOWN));
    format_case(
        "goose",
        SCHEMA,
        &[
            ("migrations/00001_status.sql", &a),
            ("migrations/00002_tasks.sql", &b),
        ],
    )
    .await;
}

#[tokio::test]
async fn diesel_directories() {
    format_case(
        "diesel",
        SCHEMA,
        &[
            ("migrations/2025-01-01-000000_status/up.sql", V1),
            ("migrations/2025-01-01-000000_status/down.sql", V1_DOWN),
            ("migrations/2025-01-02-000000_tasks/up.sql", V2),
            ("migrations/2025-01-02-000000_tasks/down.sql", V2_DOWN),
        ],
    )
    .await;
}

#[tokio::test]
async fn an_empty_directory_takes_the_configured_format() {
    let schema = format!("[migrations]\nformat = \"dbmate\"\nnaming = \"timestamp\"\n{SCHEMA}");
    format_case("configured", &schema, &[]).await;
}

#[test]
fn colliding_numbers_are_refused_and_listed() {
    let dir = project(
        "collision",
        SCHEMA,
        &[
            ("migrations/001_status.sql", V1),
            ("migrations/001_tasks.sql", V2),
        ],
    );
    let before = tree(&dir);
    let out = schemadiff(&dir, &["write"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("several migrations have the version 001"), "{t}");
    assert!(
        t.contains("001_status.sql") && t.contains("001_tasks.sql"),
        "{t}"
    );
    assert_eq!(tree(&dir), before);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_that_does_not_parse_is_refused() {
    let up = format!("-- // status\n{V1}\n-- //@UNDO\n{V1_DOWN}");
    let dir = project(
        "unparseable",
        SCHEMA,
        &[
            ("migrations/001_status.sql", &up),
            ("migrations/002_tasks.sql", V2),
        ],
    );
    let before = tree(&dir);
    let out = schemadiff(&dir, &["write"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("MyBatis Migrations format"), "{t}");
    assert!(t.contains("002_tasks.sql: no `-- //@UNDO` section"), "{t}");
    assert_eq!(tree(&dir), before);
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_read_only_directory_gives_a_clear_error_and_stays_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let (_db, dev) = dev_url().await;
    let dir = project(
        "readonly",
        SCHEMA,
        &[
            ("migrations/001_status.sql", V1),
            ("migrations/002_tasks.sql", V2),
        ],
    );
    let migrations = dir.join("migrations");
    let before = tree(&dir);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_schemadiff"));
    cmd.current_dir(&dir)
        .args(["write", "--dev-url", &dev])
        .env("NO_COLOR", "1");
    // Root writes anywhere: as root, run as `nobody`, for whom the directory is read-only.
    if unsafe { libc_geteuid() } == 0 {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(dir.join("schema.toml"), fs::Permissions::from_mode(0o644)).unwrap();
        cmd.uid(65534).gid(65534);
    } else {
        fs::set_permissions(&migrations, fs::Permissions::from_mode(0o555)).unwrap();
    }
    let out = cmd.output().unwrap();
    fs::set_permissions(&migrations, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("cannot write migrations/003_") && t.contains("nothing was written"),
        "{t}"
    );
    assert_eq!(tree(&dir), before);
    fs::remove_dir_all(&dir).unwrap();
}

unsafe extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

/// The schema of the function replay test: a trigger function, a BEGIN ATOMIC function, a procedure, a body
/// with `$$` inside and one with lines that look like the runners' markers.
const FUNCTIONS: &str = r#"
[tables.tasks]
primary_key = ["id"]

[tables.tasks.columns]
id         = "bigint"
title      = { type = "text", not_null = true }
updated_at = { type = "timestamptz", not_null = true, default = "now()" }

[[tables.tasks.triggers]]
name = "tasks_updated_at"
timing = "before"
events = ["update"]
for_each = "row"
function = "set_updated_at"

[functions."set_updated_at()"]
returns = "trigger"
language = "plpgsql"
body = '''
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
'''

[functions."task_count()"]
returns = "bigint"
language = "sql"
volatility = "stable"
body = '''
BEGIN ATOMIC
  SELECT count(*) FROM tasks;
  SELECT count(*) FROM tasks WHERE title <> '';
END'''

[functions."dollars(t text)"]
returns = "text"
language = "plpgsql"
body = '''
BEGIN
  RETURN '$$' || t || $x$;$x$;
END;
'''

[functions."markers()"]
returns = "text"
language = "plpgsql"
body = '''
BEGIN
-- +goose Down
-- migrate:down
-- //@UNDO
  RETURN 'x';
END;
'''

[procedures."rename_all(p text)"]
language = "sql"
body = '''
BEGIN ATOMIC
  UPDATE tasks SET title = p;
END'''
"#;

/// `write` of a plan with function bodies, in every directory format: the written files replay (as each
/// runner splits them) to the desired schema, and no line of them is a marker but the format's own.
#[tokio::test]
async fn function_bodies_replay_in_every_format() {
    const T1: &str = "CREATE TABLE tasks (id bigint PRIMARY KEY, title text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());\n";
    const T1_DOWN: &str = "DROP TABLE tasks;\n";
    let mybatis = format!("-- // tasks\n{T1}\n-- //@UNDO\n{T1_DOWN}");
    let dbmate = format!("-- migrate:up\n{T1}\n-- migrate:down\n{T1_DOWN}");
    let goose = format!("-- +goose Up\n{T1}\n-- +goose Down\n{T1_DOWN}");
    let histories: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "mybatis",
            vec![("migrations/001_tasks.sql", mybatis.as_str())],
        ),
        ("plain", vec![("migrations/0001_tasks.sql", T1)]),
        (
            "flyway",
            vec![
                ("migrations/V1__tasks.sql", T1),
                ("migrations/U1__tasks.sql", T1_DOWN),
            ],
        ),
        (
            "golang_migrate",
            vec![
                ("migrations/000001_tasks.up.sql", T1),
                ("migrations/000001_tasks.down.sql", T1_DOWN),
            ],
        ),
        (
            "dbmate",
            vec![("migrations/20250101000000_tasks.sql", dbmate.as_str())],
        ),
        (
            "goose",
            vec![("migrations/00001_tasks.sql", goose.as_str())],
        ),
        (
            "diesel",
            vec![
                ("migrations/2025-01-01-000000_tasks/up.sql", T1),
                ("migrations/2025-01-01-000000_tasks/down.sql", T1_DOWN),
            ],
        ),
    ];
    let (_db, dev) = dev_url().await;
    for (name, files) in histories {
        let dir = project(&format!("functions-{name}"), FUNCTIONS, &files);
        let before = tree(&dir);
        let out = schemadiff(&dir, &["write", "--dev-url", &dev, "--name", "functions"]);
        assert!(out.status.success(), "{name}: {}", text(&out));
        let written: Vec<(String, String)> = tree(&dir)
            .into_iter()
            .filter(|(p, _)| !before.contains_key(p) && p != "schemadiff.sum")
            .collect();
        assert!(!written.is_empty(), "{name}: nothing written");
        for (path, body) in &written {
            assert!(body.contains("set_updated_at()"), "{name}: {path}:\n{body}");
            // The body with marker-like lines is there, as one escaped string.
            assert!(
                !body.contains("CREATE FUNCTION public.markers()")
                    || body.contains("-- +goose Down\\n"),
                "{name}: {path}:\n{body}"
            );
            // The body's marker-like lines are never lines of the file: each marker is there at most once,
            // and only in its own format.
            for (marker, format) in [
                ("-- +goose Down", "goose"),
                ("-- migrate:down", "dbmate"),
                ("-- //@UNDO", "mybatis"),
            ] {
                let n = body
                    .lines()
                    .filter(|l| l.trim_start().starts_with(marker))
                    .count();
                let allowed = usize::from(format == name);
                assert!(
                    n <= allowed,
                    "{name}: {path}: `{marker}` {n} times:\n{body}"
                );
            }
            if name == "goose" {
                assert!(body.contains("-- +goose StatementBegin"), "{body}");
            }
        }
        assert_in_sync(&dir, &dev);
        fs::remove_dir_all(&dir).unwrap();
    }
}
