//! `schemadiff write --split tables` against a real PostgreSQL: one migration per table, in dependency order,
//! each with its own rollback. Every written file is compared with snapshots/write/split/, then replayed on a
//! real database the way a migration tool would run them: each up part alone, in order, on top of the ones
//! before it (the last leaving schema.toml's schema), then each rollback alone, in reverse, each bringing back
//! exactly the state before its file.

mod common;

use common::{repo_root, text};

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Output;

use schemadiff_catalog::introspect::{IntrospectOptions, introspect};
use schemadiff_model::Schema;

fn schemadiff(dir: &Path, args: &[&str]) -> Output {
    common::schemadiff(dir, args, &[("SCHEMADIFF_NOW", "20251110150000")])
}

/// The migration files of `dir/migrations`, by name (schemadiff.sum, which records them, is tested apart).
fn migrations(dir: &Path) -> BTreeMap<String, String> {
    fs::read_dir(dir.join("migrations"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name() != schemadiff_migrate::sum::SUM_FILE)
        })
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

/// Run `write --split tables` in `dir`; the names of the new files, checked against the snapshots.
fn write_split(dir: &Path, dev: &str, snapshot_prefix: &str) -> (Vec<String>, String) {
    let before = migrations(dir);
    let out = schemadiff(dir, &["write", "--split", "tables", "--dev-url", dev]);
    assert!(out.status.success(), "{}", text(&out));
    let after = migrations(dir);
    let new: Vec<String> = after
        .keys()
        .filter(|k| !before.contains_key(*k))
        .cloned()
        .collect();
    for name in &new {
        schemadiff_testkit::snapshot(
            &format!("write/split/{snapshot_prefix}{name}"),
            &after[name],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    (new, String::from_utf8_lossy(&out.stdout).to_string())
}

/// The up and down parts of a MyBatis migration.
fn up_and_down(text: &str) -> (&str, &str) {
    text.split_once("\n-- //@UNDO\n")
        .expect("a MyBatis migration has its -- //@UNDO")
}

async fn run(client: &tokio_postgres::Client, file: &str, script: &str) {
    for stmt in schemadiff_migrate::split_statements(script) {
        if let Err(e) = client.batch_execute(stmt).await {
            panic!("{file}: {stmt}: {e:?}");
        }
    }
}

async fn state(client: &tokio_postgres::Client) -> Schema {
    introspect(client, &IntrospectOptions::default())
        .await
        .unwrap()
        .schema
}

/// Replay `dir/migrations` on a fresh database: the old files, then each new one alone (its state recorded);
/// the result must be schema.toml's schema (`plan --database-url` finds nothing); then each new rollback
/// alone, in reverse, must bring back the state recorded before its file.
async fn replay_and_roll_back(dir: &Path, dev: &str, new: &[String]) {
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    let files = migrations(dir);
    for (name, body) in files.iter().filter(|(n, _)| !new.contains(n)) {
        run(&client, name, &schemadiff_migrate::up_section(body)).await;
    }
    let mut states = vec![state(&client).await];
    for name in new {
        let (up, _) = up_and_down(&files[name]);
        run(&client, name, up).await;
        states.push(state(&client).await);
    }
    let out = schemadiff(
        dir,
        &["plan", "--database-url", db.conninfo(), "--dev-url", dev],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("No changes"),
        "after every migration, the database must be schema.toml's:\n{}",
        text(&out)
    );
    for (k, name) in new.iter().enumerate().rev() {
        let (_, down) = up_and_down(&files[name]);
        run(&client, name, down).await;
        assert_eq!(
            state(&client).await,
            states[k],
            "the rollback of {name} must bring back the state before it"
        );
    }
}

#[tokio::test]
async fn the_example_gets_one_mybatis_migration_per_table() {
    let (_db, dev) = common::dev_url().await;
    let dir = common::project("cli-write-split", "example", "", &[]);
    fs::copy(repo_root().join("schema.toml"), dir.join("schema.toml")).unwrap();
    for e in fs::read_dir(repo_root().join("migrations")).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, dir.join("migrations").join(p.file_name().unwrap())).unwrap();
    }
    let (new, stdout) = write_split(&dir, &dev, "");
    assert_eq!(
        new,
        [
            "003_create_delayed_jobs_table.sql",
            "004_create_page_views_table.sql",
            "005_create_analytics_rollups_table.sql"
        ],
        "{stdout}"
    );
    for name in &new {
        let body = &migrations(&dir)[name];
        assert!(body.starts_with("-- // create "), "{body}");
        assert_eq!(body.matches("\n-- //@UNDO\n").count(), 1, "{body}");
    }
    replay_and_roll_back(&dir, &dev, &new).await;

    // Once written, there is nothing left to write.
    let again = schemadiff(&dir, &["write", "--split", "tables", "--dev-url", &dev]);
    assert!(text(&again).contains("No changes"), "{}", text(&again));
    fs::remove_dir_all(&dir).unwrap();
}

/// A history with one table; the desired schema adds an enum, two tables whose foreign keys reference each
/// other, and a third table that references one of them.
const CYCLE: &str = r#"
[migrations]
format = "mybatis"
split = "tables"

[enums.role]
values = ["player", "coach"]

[tables.clubs]
primary_key = ["id"]

[tables.clubs.columns]
id   = { type = "bigint" }
name = { type = "text", not_null = true }

[tables.teams]
primary_key = ["id"]

[tables.teams.columns]
id         = { type = "bigint" }
captain_id = { type = "bigint" }

[[tables.teams.foreign_keys]]
columns = ["captain_id"]
references = { table = "players" }

[tables.players]
primary_key = ["id"]

[tables.players.columns]
id      = { type = "bigint" }
team_id = { type = "bigint", not_null = true }
club_id = { type = "bigint" }
role    = { type = "role", not_null = true, default = "'player'" }

[[tables.players.foreign_keys]]
columns = ["team_id"]
references = { table = "teams" }

[[tables.players.foreign_keys]]
columns = ["club_id"]
references = { table = "clubs" }

[tables.matches]
primary_key = ["id"]

[tables.matches.columns]
id      = { type = "bigint" }
home_id = { type = "bigint", not_null = true }

[[tables.matches.foreign_keys]]
columns = ["home_id"]
references = { table = "teams" }
"#;

const CLUBS: &str = "-- // clubs\nCREATE TABLE clubs (id bigint PRIMARY KEY, name text NOT NULL);\n\n-- //@UNDO\nDROP TABLE clubs;\n";

#[tokio::test]
async fn tables_whose_foreign_keys_reference_each_other_share_one_migration_with_a_note() {
    let (_db, dev) = common::dev_url().await;
    let dir = common::project_with_migrations(
        "cli-write-split",
        "cycle",
        CYCLE,
        &[("001_clubs.sql", CLUBS)],
    );
    let (new, stdout) = write_split(&dir, &dev, "cycle/");
    assert_eq!(
        new,
        [
            "002_create_enum_role.sql",
            "003_create_teams_and_players_tables.sql",
            "004_create_matches_table.sql"
        ],
        "{stdout}"
    );
    let cycle = &migrations(&dir)[&new[1]];
    assert!(
        cycle.contains("reference each other through foreign keys"),
        "{cycle}"
    );
    assert!(stdout.contains("note: "), "{stdout}");
    replay_and_roll_back(&dir, &dev, &new).await;
    fs::remove_dir_all(&dir).unwrap();
}

/// Two existing tables altered: one migration each, named `alter_<table>_table`.
const ALTER: &str = r#"
[tables.authors]
primary_key = ["id"]

[tables.authors.columns]
id    = { type = "bigint" }
name  = { type = "text", not_null = true }
email = { type = "text", comment = "Where reviews are sent" }

[[tables.authors.unique]]
columns = ["email"]

[tables.books]
primary_key = ["id"]

[tables.books.columns]
id        = { type = "bigint" }
title     = { type = "varchar(500)", not_null = true }
author_id = { type = "bigint" }

[[tables.books.foreign_keys]]
columns = ["author_id"]
references = { table = "authors" }

[[tables.books.indexes]]
columns = ["author_id"]
"#;

const HISTORY: &str = "-- // books\nCREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL);\nCREATE TABLE books (id bigint PRIMARY KEY, title varchar(200) NOT NULL);\n\n-- //@UNDO\nDROP TABLE books;\nDROP TABLE authors;\n";

#[tokio::test]
async fn two_altered_tables_get_one_alter_migration_each() {
    let (_db, dev) = common::dev_url().await;
    let dir = common::project_with_migrations(
        "cli-write-split",
        "alter",
        ALTER,
        &[("001_books.sql", HISTORY)],
    );
    let (new, stdout) = write_split(&dir, &dev, "alter/");
    assert_eq!(
        new,
        ["002_alter_authors_table.sql", "003_alter_books_table.sql"],
        "{stdout}"
    );
    replay_and_roll_back(&dir, &dev, &new).await;
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn split_and_name_do_not_go_together() {
    let dir = common::project("cli-write-split", "name", ALTER, &[]);
    let out = schemadiff(&dir, &["write", "--split", "tables", "--name", "x"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("--name names one migration"),
        "{}",
        text(&out)
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// Tables whose names hold markers and line breaks, referencing each other: the file names, descriptions, the
/// cycle's note and the statements stay where they belong, and the files replay and roll back as above.
const MARKERS: &str = r#"
[migrations]
format = "mybatis"

[tables."a\n-- //@UNDO"]
primary_key = ["id"]

[tables."a\n-- //@UNDO".columns]
id   = { type = "bigint" }
b_id = { type = "bigint" }

[[tables."a\n-- //@UNDO".foreign_keys]]
columns = ["b_id"]
references = { table = "b\r-- //@UNDO" }

[tables."b\r-- //@UNDO"]
primary_key = ["id"]

[tables."b\r-- //@UNDO".columns]
id   = { type = "bigint" }
a_id = { type = "bigint" }

[[tables."b\r-- //@UNDO".foreign_keys]]
columns = ["a_id"]
references = { table = "a\n-- //@UNDO" }

[tables."c\n-- //@UNDO"]
primary_key = ["id"]

[tables."c\n-- //@UNDO".columns]
id = { type = "bigint" }
"#;

#[tokio::test]
async fn names_holding_markers_stay_inside_their_files() {
    let (_db, dev) = common::dev_url().await;
    let dir = common::project("cli-write-split", "markers", MARKERS, &[]);
    let before = migrations(&dir);
    let out = schemadiff(&dir, &["write", "--split", "tables", "--dev-url", &dev]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains('\r'), "{}", text(&out));
    let files = migrations(&dir);
    let new: Vec<String> = files
        .keys()
        .filter(|k| !before.contains_key(*k))
        .cloned()
        .collect();
    assert_eq!(
        new,
        [
            "001_create_a_undo_and_b_undo_tables.sql",
            "002_create_c_undo_table.sql"
        ]
    );
    for name in &new {
        let body = &files[name];
        // One marker line, and every line of SQL or comment starts where the runner expects it.
        assert_eq!(
            body.lines().filter(|l| l.trim() == "-- //@UNDO").count(),
            1,
            "{body}"
        );
        assert!(!body.contains('\r'), "{body}");
    }
    replay_and_roll_back(&dir, &dev, &new).await;
    fs::remove_dir_all(&dir).unwrap();
}
