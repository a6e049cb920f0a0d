//! The command line as a person meets it: progress on a terminal only, `-v`/`-vv` logs without secrets,
//! `--color`, shell completions, the manual page and the version.

mod common;

use common::text;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn small_project(name: &str) -> std::path::PathBuf {
    common::project_with_migrations(
        "cli-ux",
        name,
        "[tables.a]\nprimary_key = [\"id\"]\n[tables.a.columns]\nid = \"integer\"\nnote = \"text\"\n",
        &[("001_a.sql", "CREATE TABLE a (id integer PRIMARY KEY);\n")],
    )
}

/// Quote for sh.
fn sh(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Run a shell command line under a pseudo-terminal (util-linux `script`), returning what the terminal showed.
fn on_a_terminal(dir: &Path, line: &str) -> Output {
    Command::new("script")
        .args(["-qec", line, "/dev/null"])
        .current_dir(dir)
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .output()
        .expect("script (util-linux) runs")
}

#[tokio::test]
async fn progress_shows_on_a_terminal_only_and_never_in_the_output() {
    let (_db, dev) = common::dev_url().await;
    let dir = small_project("progress");
    let bin = env!("CARGO_BIN_EXE_schemadiff");
    let out = on_a_terminal(
        &dir,
        &format!(
            "{} plan --dev-url {} --format json > plan.json",
            sh(bin),
            sh(&dev)
        ),
    );
    assert!(out.status.success(), "{}", text(&out));
    let screen = text(&out);
    assert!(screen.contains("normalizing schema.toml"), "{screen}");
    let json = fs::read_to_string(dir.join("plan.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["format_version"], 1);
    assert!(!json.contains("normalizing"));

    // Piped: no progress at all.
    let piped = common::schemadiff(&dir, &["plan", "--dev-url", &dev], &[]);
    assert!(piped.status.success(), "{}", text(&piped));
    assert!(
        !String::from_utf8_lossy(&piped.stderr).contains("normalizing"),
        "{}",
        text(&piped)
    );
    // -q: nothing on standard error, even on a terminal.
    let quiet = on_a_terminal(
        &dir,
        &format!(
            "{} -q plan --dev-url {} --format sql > plan.sql",
            sh(bin),
            sh(&dev)
        ),
    );
    assert!(quiet.status.success(), "{}", text(&quiet));
    assert!(!text(&quiet).contains("normalizing"), "{}", text(&quiet));
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn verbose_logs_each_stage_and_statement_but_never_a_password() {
    let (_db, dev) = common::dev_url().await;
    let dev = format!("{dev} password=hunter2-not-shown");
    let dir = small_project("verbose");
    let v = common::schemadiff(&dir, &["-v", "plan", "--dev-url", &dev], &[]);
    assert!(v.status.success(), "{}", text(&v));
    let log = String::from_utf8_lossy(&v.stderr).to_string();
    for stage in [
        "normalizing schema.toml: done in",
        "replaying 1 migration of migrations: done in",
        "verifying the plan on a scratch copy: done in",
    ] {
        assert!(log.contains(stage), "{stage}: {log}");
    }
    assert!(!log.contains("scratch: CREATE"), "statements only at -vv");
    let vv = common::schemadiff(&dir, &["-vv", "plan", "--dev-url", &dev], &[]);
    assert!(vv.status.success(), "{}", text(&vv));
    let log = String::from_utf8_lossy(&vv.stderr).to_string();
    assert!(log.contains("scratch: CREATE TABLE public.a"), "{log}");
    assert!(log.contains("replay"), "{log}");
    assert!(!text(&vv).contains("hunter2"), "a password was printed");
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn color_follows_the_flag_then_the_environment() {
    let (_db, dev) = common::dev_url().await;
    let dir = small_project("color");
    let plan = |flag: &str, env: &[(&str, &str)]| {
        let out = common::schemadiff(&dir, &["--color", flag, "plan", "--dev-url", &dev], env);
        assert!(out.status.success(), "{}", text(&out));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    assert!(!plan("never", &[("CLICOLOR_FORCE", "1")]).contains('\u{1b}'));
    assert!(plan("always", &[]).contains("\u{1b}["));
    // auto: piped output has none, unless CLICOLOR_FORCE asks (NO_COLOR, set by the helper, is removed).
    assert!(!plan("auto", &[]).contains('\u{1b}'));
    let forced = Command::new(env!("CARGO_BIN_EXE_schemadiff"))
        .current_dir(&dir)
        .args(["plan", "--dev-url", &dev])
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&forced.stdout).contains("\u{1b}["));
    // Diagnostics in colour carry their `error:` once.
    fs::write(
        dir.join("schema.toml"),
        "[tables.a.columns]\nid = { typ = \"integer\" }\n",
    )
    .unwrap();
    let bad = common::schemadiff(&dir, &["--color", "always", "validate"], &[]);
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("\u{1b}[") && !err.contains("error: \u{1b}"),
        "{err:?}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn completions_manual_and_version() {
    let dir = std::env::temp_dir();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = common::schemadiff(&dir, &["completions", shell], &[]);
        assert!(out.status.success(), "{shell}: {}", text(&out));
        let script = String::from_utf8(out.stdout).unwrap();
        for word in ["schemadiff", "plan", "write", "check", "dump", "dev-url"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
        // The shells that are installed check the syntax.
        let check = match shell {
            "bash" => Some(("bash", "-n")),
            "zsh" => Some(("zsh", "-n")),
            "fish" => Some(("fish", "--no-execute")),
            _ => None,
        };
        if let Some((program, flag)) = check {
            let path = dir.join(format!(
                "schemadiff-completion-{}.{shell}",
                std::process::id()
            ));
            fs::write(&path, &script).unwrap();
            if let Ok(o) = Command::new(program).arg(flag).arg(&path).output() {
                assert!(o.status.success(), "{shell}: {}", text(&o));
            } else {
                assert_ne!(shell, "bash", "bash is always there");
            }
            fs::remove_file(&path).unwrap();
        }
    }
    let man = common::schemadiff(&dir, &["man"], &[]);
    assert!(man.status.success());
    let page = String::from_utf8(man.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH schemadiff 1"),
        "{page}"
    );
    let version = common::schemadiff(&dir, &["--version"], &[]);
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!(
            "schemadiff {} (PostgreSQL 13 to 18)",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[tokio::test]
async fn a_missing_extension_names_the_package_to_install() {
    let (_db, dev) = common::dev_url().await;
    // `vector` (pgvector) is not installed with the test server.
    let dir = common::project_with_migrations(
        "cli-ux",
        "extension",
        "[extensions]\nvector = {}\n[tables.t.columns]\nid = \"integer\"\n",
        &[("001_x.sql", "CREATE EXTENSION vector;\n")],
    );
    let out = common::schemadiff(&dir, &["plan", "--dev-url", &dev], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--> schema.toml:2:1"), "{err}");
    assert!(
        err.contains("apt-get install postgresql-15-pgvector") || err.contains("-pgvector`"),
        "{err}"
    );
    assert!(err.contains("--dev-url"), "{err}");
    // The same advice when the history replays it.
    fs::write(
        dir.join("schema.toml"),
        "[tables.t.columns]\nid = \"integer\"\n",
    )
    .unwrap();
    let out = common::schemadiff(&dir, &["plan", "--dev-url", &dev], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("replaying migrations/001_x.sql"), "{err}");
    assert!(err.contains("-pgvector`"), "{err}");
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn filters_leave_objects_to_other_tools_on_both_sides() {
    let (_db, dev) = common::dev_url().await;
    let history = "CREATE TABLE users (id integer PRIMARY KEY);\nCREATE TABLE audit_log (id integer);\nCREATE SCHEMA legacy;\nCREATE TABLE legacy.old (id integer);\n";
    let users =
        "[tables.users]\nprimary_key = [\"id\"]\n[tables.users.columns]\nid = \"integer\"\n";
    let dir = common::project_with_migrations("cli-ux", "filter", users, &[("001_a.sql", history)]);
    let plan = |extra: &[&str]| {
        let mut args = vec!["plan", "--dev-url", &dev];
        args.extend_from_slice(extra);
        common::schemadiff(&dir, &args, &[])
    };
    // Unfiltered, the objects schema.toml does not declare would be dropped.
    let out = plan(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("audit_log"), "{}", text(&out));
    // Left to other tools on the command line...
    let out = plan(&["--exclude", "audit_*", "--exclude-schema", "legacy"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("No changes"),
        "{}",
        text(&out)
    );
    let out = plan(&["--include", "public.users"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("No changes"),
        "{}",
        text(&out)
    );
    // ...or in schema.toml, where a declared but excluded table is not created either.
    fs::write(
        dir.join("schema.toml"),
        format!("{users}[tables.audit_new.columns]\nid = \"integer\"\n[filter]\nexclude = [\"audit_*\"]\nexclude_schemas = [\"legacy\"]\n"),
    )
    .unwrap();
    let out = plan(&[]);
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("No changes"),
        "{}",
        text(&out)
    );
    let out = common::schemadiff(&dir, &["check", "--dev-url", &dev], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // A kept table still changes.
    fs::write(
        dir.join("schema.toml"),
        format!("{users}note = \"text\"\n[filter]\nexclude = [\"audit_*\"]\nexclude_schemas = [\"legacy\"]\n"),
    )
    .unwrap();
    let out = plan(&["--format", "sql"]);
    assert!(out.status.success(), "{}", text(&out));
    let sql = String::from_utf8_lossy(&out.stdout);
    assert!(
        sql.contains("ADD COLUMN note text") && !sql.contains("audit") && !sql.contains("legacy"),
        "{sql}"
    );
    // A bad pattern is an error that names it.
    let out = plan(&["--exclude", "["]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("the pattern `[`"), "{}", text(&out));

    // dump leaves them out too.
    let live = schemadiff_testkit::fresh_database().await;
    live.client().await.batch_execute(history).await.unwrap();
    let out = common::schemadiff(
        &dir,
        &[
            "dump",
            "--dev-url",
            &dev,
            "--database-url",
            live.conninfo(),
            "--exclude",
            "audit_*",
            "--exclude-schema",
            "legacy",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    let toml = String::from_utf8_lossy(&out.stdout);
    assert!(
        toml.contains("[tables.users]") && !toml.contains("audit") && !toml.contains("legacy"),
        "{toml}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_schema_in_several_files_points_errors_at_the_right_file() {
    let dir = common::project(
        "cli-ux",
        "includes",
        "include = [\"tables\", \"enums.toml\"]\n\n[tables.users.columns]\nid = \"integer\"\n",
        &[
            ("enums.toml", "[enums.mood]\nvalues = [\"ok\"]\n"),
            (
                "tables/a_notes.toml",
                "[tables.notes.columns]\nbody = \"text\"\nmood = \"mood\"\n",
            ),
            (
                "tables/b_tasks.toml",
                "[tables.tasks.columns]\ntitle = { type = \"text\", nul_null = true }\n",
            ),
        ],
    );
    let out = common::schemadiff(&dir, &["validate"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--> tables/b_tasks.toml:2:"), "{err}");
    assert!(err.contains("did you mean `not_null`?"), "{err}");
    // Fixed, the files load as one schema; a table declared twice across files is shown in both.
    fs::write(
        dir.join("tables/b_tasks.toml"),
        "[tables.tasks.columns]\ntitle = \"text\"\n[tables.users.columns]\nid = \"integer\"\n",
    )
    .unwrap();
    let out = common::schemadiff(&dir, &["validate"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("tables/b_tasks.toml:3:"), "{err}");
    assert!(err.contains("schema.toml:3:"), "{err}");
    fs::write(
        dir.join("tables/b_tasks.toml"),
        "[tables.tasks.columns]\ntitle = \"text\"\n",
    )
    .unwrap();
    let out = common::schemadiff(&dir, &["validate"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("3 tables, 1 enums"), "{}", text(&out));
    // Settings belong in the main file; a missing file is named.
    fs::write(
        dir.join("enums.toml"),
        "[migrations]\nformat = \"plain\"\n[enums.mood]\nvalues = [\"ok\"]\n",
    )
    .unwrap();
    let out = common::schemadiff(&dir, &["validate"], &[]);
    assert!(
        text(&out).contains("`migrations` belongs in the main file"),
        "{}",
        text(&out)
    );
    fs::write(dir.join("schema.toml"), "include = [\"nowhere/*.toml\"]\n").unwrap();
    let out = common::schemadiff(&dir, &["validate"], &[]);
    assert!(
        text(&out).contains("matches no file") || text(&out).contains("cannot read"),
        "{}",
        text(&out)
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn dump_split_writes_files_that_load_back_as_the_same_schema() {
    let (_db, dev) = common::dev_url().await;
    let live = schemadiff_testkit::fresh_database().await;
    live.client()
        .await
        .batch_execute(
            "CREATE SCHEMA crm; CREATE TYPE mood AS ENUM ('ok', 'bad'); \
             CREATE TABLE users (id integer PRIMARY KEY, m mood); \
             CREATE TABLE crm.\"Contacts/2\" (id integer PRIMARY KEY, user_id integer REFERENCES users); \
             COMMENT ON TABLE users IS 'people';",
        )
        .await
        .unwrap();
    for (how, expect) in [
        ("tables", "tables/crm.Contacts_2.toml"),
        ("schemas", "schemas/crm.toml"),
    ] {
        let dir = common::project("cli-ux", &format!("split-{how}"), "", &[]);
        let out = common::schemadiff(
            &dir,
            &[
                "dump",
                "--dev-url",
                &dev,
                "--database-url",
                live.conninfo(),
                "--split",
                how,
                "--output",
                "db",
            ],
            &[],
        );
        assert!(out.status.success(), "{}", text(&out));
        assert!(dir.join("db").join(expect).is_file(), "{how}: {expect}");
        // Loaded back and compared with the database: nothing to change.
        let out = common::schemadiff(
            &dir,
            &[
                "plan",
                "--dev-url",
                &dev,
                "--database-url",
                live.conninfo(),
                "--schema-file",
                "db/schema.toml",
            ],
            &[],
        );
        assert!(out.status.success(), "{how}: {}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).starts_with("No changes"),
            "{how}: {}",
            text(&out)
        );
        // Dumping again replaces the directory whole.
        let again = common::schemadiff(
            &dir,
            &[
                "dump",
                "--dev-url",
                &dev,
                "--database-url",
                live.conninfo(),
                "--split",
                how,
                "--output",
                "db",
            ],
            &[],
        );
        assert!(again.status.success(), "{}", text(&again));
        let names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert!(
            names
                .iter()
                .all(|n| !n.contains("schemadiff-tmp") && !n.contains("schemadiff-old")),
            "{names:?}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
