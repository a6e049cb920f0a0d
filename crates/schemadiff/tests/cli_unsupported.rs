//! Nothing silently dropped, as a user meets it: a database holding objects schemadiff does not model stops
//! `dump`, `plan` and `check` (exit 2, naming each), `--ignore-unsupported` goes on with a warning, and a plan
//! that would break one of them is refused.

mod common;

use common::text;

use std::fs;

const LIVE: &str = r#"
CREATE TABLE users (id integer PRIMARY KEY, email text, nickname text, updated timestamptz);
CREATE FUNCTION set_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated = now(); RETURN NEW; END $$;
CREATE TRIGGER users_set_updated BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated();
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_own ON users USING (id > 0);
CREATE STATISTICS users_stats ON id, email FROM users;
CREATE VIEW directory AS SELECT id, nickname FROM users;
CREATE AGGREGATE total(integer) (sfunc = int4pl, stype = integer);
"#;

const SCHEMA: &str = r#"
[tables.users]
row_level_security = true
primary_key = ["id"]

[tables.users.columns]
id = "integer"
email = "text"
nickname = "text"
updated = "timestamptz"

[[tables.users.triggers]]
name = "users_set_updated"
timing = "before"
events = ["update"]
for_each = "row"
function = "set_updated"

[[tables.users.policies]]
name = "users_own"
using = "id > 0"

[views.directory]
query = "SELECT id, nickname FROM users"

[functions."set_updated()"]
returns = "trigger"
language = "plpgsql"
body = " BEGIN NEW.updated = now(); RETURN NEW; END "
"#;

#[tokio::test]
async fn unmodelled_objects_stop_every_command_until_ignored_and_are_never_broken() {
    let (_db, dev) = common::dev_url().await;
    let live = schemadiff_testkit::fresh_database().await;
    live.client().await.batch_execute(LIVE).await.unwrap();
    let dir = common::project_with_migrations(
        "cli-unsupported",
        "live",
        SCHEMA,
        &[("001_all.sql", LIVE)],
    );
    let url = live.conninfo().to_string();
    let named = [
        "aggregate public.total(integer)",
        "extended statistics public.users_stats",
    ];
    let run = |args: &[&str]| common::schemadiff(&dir, args, &[]);
    for args in [
        vec!["dump", "--dev-url", &dev, "--database-url", &url],
        vec!["plan", "--dev-url", &dev, "--database-url", &url],
        vec!["plan", "--dev-url", &dev],
        vec!["check", "--dev-url", &dev],
        vec!["check", "--dev-url", &dev, "--database-url", &url],
        vec!["write", "--dev-url", &dev],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        for n in named {
            assert!(err.contains(n), "{args:?} does not name `{n}`: {err}");
        }
        // Views, functions, triggers, row-level security and policies are modelled: never named as unsupported.
        for modelled in [
            "policy public.users_own",
            "row-level security on public.users",
            "view public.directory",
            "function public.set_updated",
            "trigger public.users_set_updated",
        ] {
            assert!(!err.contains(modelled), "{args:?}: {err}");
        }
        assert!(err.contains("--ignore-unsupported"), "{err}");
    }
    assert_eq!(
        fs::read_dir(dir.join("migrations")).unwrap().count(),
        1,
        "write wrote nothing"
    );

    // Ignored: the commands go on and say what they leave as it is.
    let dump = run(&[
        "dump",
        "--dev-url",
        &dev,
        "--database-url",
        &url,
        "--ignore-unsupported",
    ]);
    assert!(dump.status.success(), "{}", text(&dump));
    let toml = String::from_utf8_lossy(&dump.stdout);
    assert!(
        toml.contains("# Left out, since schemadiff does not model them yet"),
        "{toml}"
    );
    assert!(
        toml.contains("#   - extended statistics public.users_stats"),
        "{toml}"
    );
    assert!(String::from_utf8_lossy(&dump.stderr).contains("warning: left as they are"));
    let plan = run(&[
        "plan",
        "--dev-url",
        &dev,
        "--database-url",
        &url,
        "--ignore-unsupported",
    ]);
    assert!(plan.status.success(), "{}", text(&plan));
    assert!(
        String::from_utf8_lossy(&plan.stdout).starts_with("No changes"),
        "{}",
        text(&plan)
    );
    assert!(
        text(&plan).contains("extended statistics public.users_stats"),
        "{}",
        text(&plan)
    );
    // The same from schema.toml.
    let with_setting = format!("{SCHEMA}\n[filter]\nignore_unsupported = true\n");
    fs::write(dir.join("schema.toml"), &with_setting).unwrap();
    let check = run(&["check", "--dev-url", &dev, "--database-url", &url]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));

    // Dropping a column that the statistics use is refused...
    {
        let column = "email";
        fs::write(
            dir.join("schema.toml"),
            with_setting.replace(&format!("{column} = \"text\"\n"), ""),
        )
        .unwrap();
        let out = run(&[
            "plan",
            "--dev-url",
            &dev,
            "--database-url",
            &url,
            "--allow-destructive",
        ]);
        assert_eq!(out.status.code(), Some(2), "{column}: {}", text(&out));
        assert!(
            text(&out).contains(&format!("`drop column public.users.{column}` would break")),
            "{}",
            text(&out)
        );
    }
    // ...while a type change under the view, which is modelled, drops and recreates it around the change; a
    // change nothing uses goes through.
    fs::write(
        dir.join("schema.toml"),
        with_setting.replace(
            "nickname = \"text\"",
            "nickname = { type = \"varchar(100)\" }",
        ),
    )
    .unwrap();
    let out = run(&[
        "plan",
        "--dev-url",
        &dev,
        "--database-url",
        &url,
        "--format",
        "sql",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let sql = String::from_utf8_lossy(&out.stdout).to_string();
    let at = |s: &str| sql.find(s).unwrap_or_else(|| panic!("no `{s}` in {sql}"));
    assert!(at("DROP VIEW public.directory") < at("ALTER COLUMN nickname TYPE"));
    assert!(at("ALTER COLUMN nickname TYPE") < at("CREATE VIEW public.directory"));
    fs::write(
        dir.join("schema.toml"),
        with_setting.replace(
            "updated = \"timestamptz\"",
            "updated = \"timestamptz\"\nnote = \"text\"",
        ),
    )
    .unwrap();
    let out = run(&[
        "plan",
        "--dev-url",
        &dev,
        "--database-url",
        &url,
        "--format",
        "sql",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ADD COLUMN note text"));
    fs::remove_dir_all(&dir).unwrap();
}
