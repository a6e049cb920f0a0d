//! What lets a team trust the history and the plan later: schemadiff.sum catches a migration edited,
//! removed or renumbered after it was recorded (until `rehash` accepts it), and a JSON plan names the
//! fingerprint of the schema it was made for.

mod common;

use common::text;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

fn example_project(name: &str) -> PathBuf {
    let root = schemadiff_testkit::repo_root();
    let dir = common::project(
        "cli-trust",
        name,
        &fs::read_to_string(root.join("schema.toml")).unwrap(),
        &[],
    );
    for e in fs::read_dir(root.join("migrations")).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, dir.join("migrations").join(p.file_name().unwrap())).unwrap();
    }
    // The diagram that `check` keeps true ([erd] of the example).
    let diagram = "docs/diagrams/database_erd.mmd";
    fs::create_dir_all(dir.join("docs/diagrams")).unwrap();
    fs::copy(root.join(diagram), dir.join(diagram)).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    common::schemadiff(dir, args, &[])
}

#[tokio::test]
async fn an_edited_recorded_migration_is_caught_until_rehash() {
    let (_db, dev) = common::dev_url().await;
    let dir = example_project("history");
    let out = run(&dir, &["write", "--dev-url", &dev]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("recorded its checksum in migrations/schemadiff.sum"));
    let out = run(&dir, &["check", "--dev-url", &dev]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // An applied migration edited in place: check fails, write refuses.
    let first = dir.join("migrations/001_initial_schema.sql");
    let original = fs::read_to_string(&first).unwrap();
    fs::write(&first, format!("{original}\n-- a late edit\n")).unwrap();
    let out = run(&dir, &["check", "--dev-url", &dev]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("001_initial_schema.sql was edited after it was recorded"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("schemadiff rehash"), "{}", text(&out));
    let json = run(&dir, &["check", "--dev-url", &dev, "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["in_sync"], false);
    assert_eq!(value["history_changes"].as_array().unwrap().len(), 1);
    let out = run(&dir, &["write", "--dev-url", &dev]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("Nothing was written"), "{}", text(&out));

    // Renumbered and removed.
    fs::write(&first, &original).unwrap();
    fs::rename(
        dir.join("migrations/002_add_admin_field.sql"),
        dir.join("migrations/004_add_admin_field.sql"),
    )
    .unwrap();
    let out = run(&dir, &["check", "--dev-url", &dev]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains(
            "002_add_admin_field.sql was renamed (renumbered?) to 004_add_admin_field.sql"
        ),
        "{}",
        text(&out)
    );
    fs::rename(
        dir.join("migrations/004_add_admin_field.sql"),
        dir.join("migrations/002_add_admin_field.sql"),
    )
    .unwrap();

    // An intended edit, accepted by rehash.
    fs::write(&first, format!("{original}\n-- a late edit\n")).unwrap();
    let out = run(&dir, &["rehash"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("accepted: 001_initial_schema.sql was edited"),
        "{}",
        text(&out)
    );
    let out = run(&dir, &["check", "--dev-url", &dev]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // The sum file itself edited by hand.
    let sum = dir.join("migrations/schemadiff.sum");
    let recorded = fs::read_to_string(&sum).unwrap();
    let mut lines: Vec<&str> = recorded.lines().collect();
    lines.pop();
    fs::write(&sum, lines.join("\n") + "\n").unwrap();
    let out = run(&dir, &["check", "--dev-url", &dev]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("edited by hand or merged"),
        "{}",
        text(&out)
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_json_plan_names_the_schema_it_was_made_for() {
    let (_db, dev) = common::dev_url().await;
    let dir = common::project_with_migrations(
        "cli-trust",
        "fingerprint",
        "[tables.a.columns]\nid = \"integer\"\n[tables.b.columns]\nid = \"integer\"\n",
        &[("001_a.sql", "CREATE TABLE a (id integer);\n")],
    );
    let plan = |dir: &Path| -> serde_json::Value {
        let out = run(dir, &["plan", "--dev-url", &dev, "--format", "json"]);
        assert!(out.status.success(), "{}", text(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let fingerprint = |dir: &Path| -> String {
        let out = run(dir, &["fingerprint", "--dev-url", &dev]);
        assert!(out.status.success(), "{}", text(&out));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let first = plan(&dir);
    assert_eq!(first["format_version"], 1);
    assert_eq!(first["tool"]["name"], "schemadiff");
    assert_eq!(first["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let a = first["current_fingerprint"].as_str().unwrap().to_string();
    assert!(a.starts_with("sha256:") && a.len() == 71, "{a}");
    assert_eq!(
        fingerprint(&dir),
        a,
        "the same schema, the same fingerprint"
    );
    assert_eq!(plan(&dir)["current_fingerprint"], a.as_str(), "stable");

    // The current schema changes: so does the fingerprint, and the plan made before is stale.
    fs::write(
        dir.join("migrations/002_b.sql"),
        "CREATE TABLE b (id integer);\n",
    )
    .unwrap();
    let second = plan(&dir);
    let b = second["current_fingerprint"].as_str().unwrap();
    assert_ne!(b, a);
    assert_eq!(fingerprint(&dir), b);
    // With nothing left to do, the plan goes from the desired schema to itself.
    assert_eq!(second["desired_fingerprint"], b);
    assert_eq!(first["desired_fingerprint"], b);
    fs::remove_dir_all(&dir).unwrap();
}
