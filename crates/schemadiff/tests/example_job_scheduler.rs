//! The second worked example, examples/job-scheduler: a history of golang-migrate up/down pairs with seven
//! plpgsql functions and a trigger, and a schema.toml one step ahead. `check` finds the drift, `write` writes
//! the next pair, `check` is then in sync; the pair replayed on a real database gives the desired schema, and
//! its down file gives back the schema of the history before it.

mod common;

use common::{apply, copy_dir, repo_root};

use std::fs;

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test]
async fn the_job_scheduler_gets_its_next_golang_migrate_pair() {
    let (_keep, dev) = common::dev_url().await;
    let dir = std::env::temp_dir().join(format!(
        "schemadiff-example-job-scheduler-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    copy_dir(&repo_root().join("examples/job-scheduler"), &dir);
    let run = |args: &[&str]| common::schemadiff(&dir, args, &[]);

    let drift = run(&["check", "--dev-url", &dev]);
    assert_eq!(drift.status.code(), Some(1), "{}", text(&drift));

    let out = run(&[
        "write",
        "--dev-url",
        &dev,
        "--name",
        "job priorities and stats",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let migrations = dir.join("migrations");
    let up = migrations.join("000003_job_priorities_and_stats.up.sql");
    let down = migrations.join("000003_job_priorities_and_stats.down.sql");
    assert!(up.exists() && down.exists(), "{}", text(&out));
    let up_text = fs::read_to_string(&up).unwrap();
    for expected in [
        "ADD COLUMN priority",
        "CREATE OR REPLACE FUNCTION public.poll_jobs",
        "FOR UPDATE SKIP LOCKED",
        "CREATE FUNCTION public.job_stats()",
        "CREATE TRIGGER scheduler_config_updated_at",
    ] {
        assert!(up_text.contains(expected), "{expected}:\n{up_text}");
    }

    let in_sync = run(&["check", "--dev-url", &dev]);
    assert_eq!(in_sync.status.code(), Some(0), "{}", text(&in_sync));

    // Replayed on a real database: the three ups give schema.toml; the third down gives back the first two.
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    for f in [
        "000001_create_scheduler_tables.up.sql",
        "000002_create_scheduler_functions.up.sql",
    ] {
        apply(&client, &migrations.join(f)).await;
    }
    let two = common::schemadiff(
        &dir,
        &["dump", "--dev-url", &dev, "--database-url", db.conninfo()],
        &[],
    );
    assert!(two.status.success(), "{}", text(&two));
    apply(&client, &up).await;
    let live = run(&["check", "--dev-url", &dev, "--database-url", db.conninfo()]);
    assert_eq!(live.status.code(), Some(0), "{}", text(&live));
    apply(&client, &down).await;
    let back = common::schemadiff(
        &dir,
        &["dump", "--dev-url", &dev, "--database-url", db.conninfo()],
        &[],
    );
    assert_eq!(
        String::from_utf8_lossy(&back.stdout),
        String::from_utf8_lossy(&two.stdout),
        "the down file does not give back the schema before it"
    );
    fs::remove_dir_all(&dir).unwrap();
}
