//! The third worked example, examples/supabase: a Supabase-style app whose history is timestamped plain SQL
//! migrations (supabase/migrations/20251110150000_create_profiles.sql, ...), with row-level security, policies
//! and grants for `authenticated`, triggers and a SECURITY DEFINER function with `SET search_path = ''` (EXECUTE
//! revoked from PUBLIC). schema.toml is one step ahead: `check` finds the drift, `write` writes the next
//! timestamped migration (a column renamed with `renamed_from`, not dropped and added), `check` is then in sync;
//! replayed on a real database with rows, the renamed column keeps its values, row-level security shows each
//! signed-in user only their own rows, and the database is in sync with schema.toml.

mod common;

use common::{apply, copy_dir, repo_root, text};

use std::fs;
use std::path::Path;

fn migration_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn the_supabase_app_gets_its_next_timestamped_migration() {
    let (_keep, dev) = common::dev_url().await;
    let dir = std::env::temp_dir().join(format!(
        "schemadiff-example-supabase-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    copy_dir(&repo_root().join("examples/supabase"), &dir);
    let run = |args: &[&str]| common::schemadiff(&dir, args, &[]);
    let migrations = dir.join("supabase/migrations");
    let history = migration_files(&migrations);
    assert_eq!(history.len(), 2, "{history:?}");

    let drift = run(&["check", "--dev-url", &dev]);
    assert_eq!(drift.status.code(), Some(1), "{}", text(&drift));

    let out = run(&[
        "write",
        "--dev-url",
        &dev,
        "--name",
        "rename message timestamp",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let after = migration_files(&migrations);
    assert_eq!(after.len(), 3, "{after:?}");
    let new = after.last().unwrap();
    assert!(!history.contains(new), "{after:?}");
    // The next version is a timestamp (14 digits) after the newest one, in the directory's own naming.
    let (version, name) = new.split_once('_').unwrap();
    assert_eq!(version.len(), 14, "{new}");
    assert!(version.chars().all(|c| c.is_ascii_digit()), "{new}");
    assert!(version > history[1].split_once('_').unwrap().0, "{new}");
    assert_eq!(name, "rename_message_timestamp.sql");
    let up = migrations.join(new);
    let up_text = fs::read_to_string(&up).unwrap();
    for expected in [
        "ALTER TABLE public.messages RENAME COLUMN \"timestamp\" TO sent_at;",
        "ADD COLUMN avatar_url text",
        "CREATE INDEX messages_session_id_sent_at_idx",
    ] {
        assert!(up_text.contains(expected), "{expected}:\n{up_text}");
    }
    assert!(!up_text.contains("ADD COLUMN sent_at"), "{up_text}");
    assert!(!up_text.contains("DROP COLUMN \"timestamp\""), "{up_text}");

    let in_sync = run(&["check", "--dev-url", &dev]);
    assert_eq!(in_sync.status.code(), Some(0), "{}", text(&in_sync));

    // Replayed on a real database holding messages: the rename keeps every value.
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    client
        .batch_execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') \
             THEN CREATE ROLE authenticated NOLOGIN; END IF; END $$",
        )
        .await
        .unwrap();
    for f in &history {
        apply(&client, &migrations.join(f)).await;
    }
    client
        .batch_execute(
            "INSERT INTO profiles (id, email) VALUES ('00000000-0000-0000-0000-000000000001', 'Ada@Example.com');
             INSERT INTO sessions (id, profile_id, title) VALUES
               ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001', 'first');
             INSERT INTO messages (session_id, role, content, \"timestamp\") VALUES
               ('00000000-0000-0000-0000-0000000000a1', 'user', 'hello', '2025-11-12 10:00:00+00'),
               ('00000000-0000-0000-0000-0000000000a1', 'assistant', 'hi', '2025-11-12 10:00:05+00');",
        )
        .await
        .unwrap();
    let before: Vec<String> = client
        .query(
            "SELECT content || ' ' || \"timestamp\"::text FROM messages ORDER BY id",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    apply(&client, &up).await;
    let kept: Vec<String> = client
        .query(
            "SELECT content || ' ' || sent_at::text FROM messages ORDER BY id",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(kept, before);
    assert_eq!(kept.len(), 2);
    // citext: the email is found whatever its case.
    let found = client
        .query_one(
            "SELECT count(*) FROM profiles WHERE email = 'ada@example.com'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(found.get::<_, i64>(0), 1);
    // The SECURITY DEFINER function, with its empty search_path, creates the caller's profile.
    client
        .batch_execute(
            "SET request.jwt.claim.sub = '00000000-0000-0000-0000-000000000002';
             SELECT create_profile('grace@example.com');
             RESET request.jwt.claim.sub;",
        )
        .await
        .unwrap();
    let created = client
        .query_one(
            "SELECT email::text FROM profiles WHERE id = '00000000-0000-0000-0000-000000000002'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(created.get::<_, String>(0), "grace@example.com");
    // Row-level security, as a signed-in user: each sees only the messages of their own sessions.
    for (user, expected) in [
        ("00000000-0000-0000-0000-000000000001", 2),
        ("00000000-0000-0000-0000-000000000002", 0),
    ] {
        client
            .batch_execute(&format!(
                "SET request.jwt.claim.sub = '{user}'; SET ROLE authenticated;"
            ))
            .await
            .unwrap();
        let seen = client
            .query_one("SELECT count(*) FROM messages", &[])
            .await
            .unwrap();
        client
            .batch_execute("RESET ROLE; RESET request.jwt.claim.sub;")
            .await
            .unwrap();
        assert_eq!(seen.get::<_, i64>(0), expected, "{user}");
    }
    // Messages stay immutable.
    let err = client
        .batch_execute("UPDATE messages SET content = 'edited'")
        .await
        .unwrap_err();
    assert!(
        format!("{err:?}").contains("messages are immutable"),
        "{err:?}"
    );

    let live = run(&["check", "--dev-url", &dev, "--database-url", db.conninfo()]);
    assert_eq!(live.status.code(), Some(0), "{}", text(&live));
    fs::remove_dir_all(&dir).unwrap();
}
