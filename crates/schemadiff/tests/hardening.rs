//! The guarantees of docs/guarantees.md, each tried as an attacker or an impatient user would, against a real
//! PostgreSQL: SQL smuggled through schema.toml never runs, written migration files re-read as the verified
//! statements, names cannot inject into terminals or CI logs, concurrent writes serialize, signals leave
//! nothing behind, and `plan --format sql` is all or nothing in psql.

mod common;

use common::text;

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use schemadiff_catalog::scratch::run_statement;

fn project(name: &str, schema: &str) -> PathBuf {
    common::project("hardening", name, schema, &[])
}

/// A directory anyone may write in (the server runs as another user), for the side effects of smuggled SQL.
fn witness_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sdh-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
    dir
}

/// The example's schema.toml and migrations, copied into a fresh project.
fn example_project(name: &str) -> PathBuf {
    let root = schemadiff_testkit::repo_root();
    let dir = project(name, &fs::read_to_string(root.join("schema.toml")).unwrap());
    for e in fs::read_dir(root.join("migrations")).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, dir.join("migrations").join(p.file_name().unwrap())).unwrap();
    }
    dir
}

#[tokio::test]
async fn smuggled_statements_are_refused_where_they_stand_and_never_run() {
    let (db, dev) = common::dev_url().await;
    let witness = witness_dir("smuggle");
    let touch = |what: &str| {
        format!(
            // The program reads what COPY writes: one that exits first breaks the pipe, an error of its own.
            "COPY (SELECT 1) TO PROGRAM 'touch {}; cat > /dev/null'",
            witness.join(what).display()
        )
    };
    // The side effect is real on this server: sent as the simple protocol would send it, it runs.
    let client = db.client().await;
    client.batch_execute(&touch("control")).await.unwrap();
    assert!(witness.join("control").exists(), "the witness works");
    fs::remove_file(witness.join("control")).unwrap();

    let smuggle = |what: &str| format!("1; {}; SELECT 1", touch(what));
    let cases: Vec<(&str, String)> = vec![
        (
            "default",
            format!(
                "[tables.t.columns]\nid = {{ type = \"integer\", default = \"{}\" }}\n",
                smuggle("default")
            ),
        ),
        (
            "generated",
            format!(
                "[tables.t.columns]\nid = {{ type = \"integer\", generated = \"{}\" }}\n",
                smuggle("generated")
            ),
        ),
        (
            "type",
            format!(
                "[tables.t.columns]\nid = {{ type = \"integer; {}\" }}\n",
                touch("type")
            ),
        ),
        (
            "using",
            format!(
                "[tables.t.columns]\nid = {{ type = \"integer\", using = \"{}\" }}\n",
                smuggle("using")
            ),
        ),
        (
            "check",
            format!(
                "[tables.t.columns]\nid = \"integer\"\n[[tables.t.checks]]\nexpression = \"id > 0); {}; SELECT (1\"\n",
                touch("check")
            ),
        ),
        (
            "index expression",
            format!(
                "[tables.t.columns]\nid = \"integer\"\n[[tables.t.indexes]]\ncolumns = [{{ expression = \"id); {}; SELECT (1\" }}]\n",
                touch("index")
            ),
        ),
        (
            "index where",
            format!(
                "[tables.t.columns]\nid = \"integer\"\n[[tables.t.indexes]]\ncolumns = [\"id\"]\nwhere = \"{}\"\n",
                smuggle("where")
            ),
        ),
        (
            "exclusion operator",
            format!(
                "[tables.t.columns]\nid = \"integer\"\n[[tables.t.exclusions]]\nelements = [{{ column = \"id\", operator = \"=); {}; SELECT (1\" }}]\n",
                touch("operator")
            ),
        ),
        (
            "exclusion where",
            format!(
                "[tables.t.columns]\nid = \"integer\"\n[[tables.t.exclusions]]\nelements = [{{ column = \"id\", operator = \"=\" }}]\nwhere = \"{}\"\n",
                smuggle("xwhere")
            ),
        ),
    ];
    for (what, schema) in &cases {
        let dir = project(&format!("smuggle-{}", what.replace(' ', "-")), schema);
        let line = schema
            .lines()
            .position(|l| l.contains("PROGRAM"))
            .expect("the attempt is in the file")
            + 1;
        for args in [
            vec!["plan", "--dev-url", &dev],
            vec!["plan", "--dev-url", &dev, "--format", "sql"],
            vec!["ddl"],
            vec!["validate"],
        ] {
            let out = common::schemadiff(&dir, &args, &[]);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{what} {args:?}: {}",
                text(&out)
            );
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains(&format!("--> schema.toml:{line}:")) && err.contains("is refused"),
                "{what} {args:?}: {err}"
            );
            assert!(
                !String::from_utf8_lossy(&out.stdout).contains("PROGRAM"),
                "{what} {args:?} printed the statement"
            );
        }
        fs::remove_dir_all(&dir).unwrap();
    }
    let left: Vec<_> = fs::read_dir(&witness).unwrap().collect();
    assert!(left.is_empty(), "smuggled statements ran: {left:?}");

    // Whatever got past the checks, the scratch server takes one command per statement.
    let attempt = format!(
        "CREATE TABLE smuggled (x int DEFAULT 1); {}",
        touch("protocol")
    );
    let e = run_statement(&client, &attempt).await.unwrap_err();
    assert!(
        e.to_string().contains("multiple commands")
            || format!("{e:?}").contains("multiple commands"),
        "{e:?}"
    );
    assert!(!witness.join("protocol").exists());
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_class WHERE relname = 'smuggled'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);
    fs::remove_dir_all(&witness).unwrap();
}

/// Every format's files, read back as its runner reads them: the up and down statements.
fn written_statements(dir: &Path) -> (Vec<String>, Vec<String>) {
    let mut files = Vec::new();
    fn walk(at: &Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(at).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "sql") {
                out.push(p);
            }
        }
    }
    walk(&dir.join("migrations"), &mut files);
    files.sort();
    let (mut up, mut down) = (String::new(), String::new());
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let t = fs::read_to_string(f).unwrap();
        if name == "down.sql" || name.ends_with(".down.sql") || name.starts_with('U') {
            down.push_str(&t);
        } else if name == "up.sql" || name.ends_with(".up.sql") || name.starts_with('V') {
            up.push_str(&t);
        } else if let Some((u, d)) = t.split_once("\n-- Rollback (") {
            // Plain: the rollback is kept commented out, a line each.
            up.push_str(u);
            for l in d.lines().skip(1) {
                down.push_str(l.strip_prefix("-- ").unwrap_or(""));
                down.push('\n');
            }
        } else {
            let (u, d) = schemadiff_migrate::sections(&t);
            up.push_str(&u);
            down.push_str(&d.expect("a down part"));
        }
    }
    // A statement without the comment lines before it (MyBatis's description line).
    let split = |s: &str| {
        schemadiff_migrate::split_statements(s)
            .into_iter()
            .map(|stmt| {
                let code: Vec<&str> = stmt
                    .lines()
                    .skip_while(|l| l.trim_start().starts_with("--"))
                    .collect();
                code.join("\n")
            })
            .collect()
    };
    (split(&up), split(&down))
}

fn plan_statements(value: &serde_json::Value, part: &str) -> Vec<String> {
    value[part]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["sql"].as_array().unwrap().clone())
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn written_files_reread_as_the_verified_statements_whatever_the_names_and_comments_hold() {
    let (_db, dev) = common::dev_url().await;
    let markers = "\\n-- //@UNDO\\n--//@UNDO\\n-- +goose Down\\n-- migrate:down\\nDROP TABLE x;\\n";
    let body = format!(
        r#"
[tables."a\n-- //@UNDO\n-- +goose Down"]
comment = "Table{markers}"
primary_key = ["id"]

[tables."a\n-- //@UNDO\n-- +goose Down".columns]
id = {{ type = "integer", comment = "Column{markers}" }}
"b\n-- migrate:down" = {{ type = "text", default = "'x\n-- migrate:down\n' || 'y'" }}
c = {{ type = "text", comment = "it's a \\ backslash -- //@UNDO" }}
"#
    );
    for format in [
        "mybatis",
        "plain",
        "flyway",
        "golang-migrate",
        "dbmate",
        "goose",
        "diesel",
    ] {
        let schema = format!("[migrations]\nformat = \"{format}\"\n{body}");
        let dir = project(&format!("markers-{format}"), &schema);
        let planned =
            common::schemadiff(&dir, &["plan", "--dev-url", &dev, "--format", "json"], &[]);
        assert!(planned.status.success(), "{format}: {}", text(&planned));
        let json: serde_json::Value = serde_json::from_slice(&planned.stdout).unwrap();
        let write = common::schemadiff(&dir, &["write", "--dev-url", &dev, "--name", "@UNDO"], &[]);
        assert!(write.status.success(), "{format}: {}", text(&write));
        let (up, down) = written_statements(&dir);
        assert_eq!(up, plan_statements(&json, "changes"), "{format}: up");
        assert_eq!(down, plan_statements(&json, "rollback"), "{format}: down");
        // The directory replays to schema.toml: nothing is left to plan.
        let again = common::schemadiff(&dir, &["plan", "--dev-url", &dev], &[]);
        assert!(
            again.status.success()
                && String::from_utf8_lossy(&again.stdout).starts_with("No changes"),
            "{format}: {}",
            text(&again)
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    // A comment read from a live database goes through the same rendering.
    let live = schemadiff_testkit::fresh_database().await;
    live.client()
        .await
        .batch_execute(
            "CREATE TABLE t (id int); COMMENT ON TABLE t IS E'live\\n-- //@UNDO\\nDROP TABLE t;'",
        )
        .await
        .unwrap();
    let dir = project(
        "markers-live",
        "[migrations]\nformat = \"mybatis\"\n[tables.t.columns]\nid = \"integer\"\n",
    );
    let planned = common::schemadiff(
        &dir,
        &[
            "plan",
            "--dev-url",
            &dev,
            "--database-url",
            live.conninfo(),
            "--format",
            "json",
        ],
        &[],
    );
    assert!(planned.status.success(), "{}", text(&planned));
    let json: serde_json::Value = serde_json::from_slice(&planned.stdout).unwrap();
    let write = common::schemadiff(
        &dir,
        &[
            "write",
            "--dev-url",
            &dev,
            "--database-url",
            live.conninfo(),
        ],
        &[],
    );
    assert!(write.status.success(), "{}", text(&write));
    let (up, down) = written_statements(&dir);
    assert_eq!(up, plan_statements(&json, "changes"));
    assert_eq!(down, plan_statements(&json, "rollback"));
    assert!(
        down.iter().any(|s| s.contains("live\\n-- //@UNDO")),
        "{down:?}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn names_cannot_inject_into_terminals_or_ci_logs() {
    let (_db, dev) = common::dev_url().await;
    let schema = "[tables.\"x\\n::add-mask::secret\\u001b[2J\"]\ncomment = \"c\\n::error::fake\"\n[tables.\"x\\n::add-mask::secret\\u001b[2J\".columns]\nid = \"integer\"\n";
    let dir = project("inject", schema);
    for (args, env) in [
        (vec!["plan", "--dev-url", &dev], vec![]),
        (
            vec!["check", "--dev-url", &dev],
            vec![("GITHUB_ACTIONS", "true")],
        ),
        (vec!["check", "--dev-url", &dev, "--format", "json"], vec![]),
    ] {
        let out = common::schemadiff(&dir, &args, &env);
        let all = text(&out);
        assert!(
            !all.contains('\u{1b}'),
            "{args:?}: an escape sequence was printed: {all}"
        );
        for line in all.lines() {
            assert!(!line.starts_with("::add-mask::"), "{args:?}: {line}");
            assert!(!line.starts_with("::error::fake"), "{args:?}: {line}");
        }
    }
    // A schema.toml error quotes the line: shown inertly too (a raw escape character is not valid TOML).
    let bad = project(
        "inject-bad",
        "[tables.t.columns]\nid = { type = \"int\u{1b}[31mred\" }\n",
    );
    let out = common::schemadiff(&bad, &["validate"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!text(&out).contains('\u{1b}'), "{}", text(&out));
    fs::remove_dir_all(&dir).unwrap();
    fs::remove_dir_all(&bad).unwrap();
}

fn flock(file: &fs::File, op: libc::c_int) {
    use std::os::fd::AsRawFd;
    assert_eq!(unsafe { libc::flock(file.as_raw_fd(), op) }, 0);
}

#[tokio::test]
async fn concurrent_writes_serialize() {
    let (_db, dev) = common::dev_url().await;
    let dir = example_project("concurrent");
    let start = || {
        Command::new(env!("CARGO_BIN_EXE_schemadiff"))
            .current_dir(&dir)
            .args(["write", "--dev-url", &dev])
            .env_remove("DATABASE_URL")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // Two at once: one writes 003, the other waits, re-reads the directory and has nothing left to write.
    let (a, b) = (start(), start());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success(), "{}", text(&a));
    assert!(b.status.success(), "{}", text(&b));
    let files: BTreeSet<String> = fs::read_dir(dir.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    let numbers: Vec<&str> = files.iter().map(|f| &f[..3]).collect();
    assert_eq!(numbers, ["000", "001", "002", "003"], "{files:?}");
    let outputs = [text(&a), text(&b)];
    assert_eq!(
        outputs.iter().filter(|o| o.contains("wrote ")).count(),
        1,
        "{outputs:?}"
    );
    assert_eq!(
        outputs.iter().filter(|o| o.contains("No changes")).count(),
        1,
        "{outputs:?}"
    );

    // While another holds the directory, a write says that it waits, and goes on once it is free.
    fs::remove_file(dir.join("migrations").join(files.iter().last().unwrap())).unwrap();
    fs::remove_file(dir.join("migrations/schemadiff.sum")).unwrap();
    let held = fs::File::open(dir.join("migrations")).unwrap();
    flock(&held, libc::LOCK_EX);
    let waiting = start();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        fs::read_dir(dir.join("migrations")).unwrap().count() == 3,
        "it did not wait"
    );
    flock(&held, libc::LOCK_UN);
    let out = waiting.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("waiting for another schemadiff write"),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("wrote migrations/003_"),
        "{}",
        text(&out)
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// Cluster directories in `tmp` (what a run leaves when it cannot clean up).
fn clusters_in(tmp: &Path) -> Vec<String> {
    fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("schemadiff-cluster-"))
        .collect()
}

fn spawn_plan(dir: &Path, tmp: &Path, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_schemadiff"))
        .current_dir(dir)
        .arg("plan")
        .args(extra)
        .env_remove("DATABASE_URL")
        .env_remove("SCHEMADIFF_DEV_URL")
        .env("TMPDIR", tmp)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal_after(child: Child, after: Duration, signal: libc::c_int) -> Output {
    std::thread::sleep(after);
    unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    child.wait_with_output().unwrap()
}

#[test]
fn signals_leave_no_cluster_behind() {
    let dir = example_project("signals");
    let tmp = witness_dir("tmp");
    // SIGINT while the cluster starts (initdb), SIGTERM while the plan is made: cleaned up on the way out.
    for (signal, after, word) in [
        (libc::SIGINT, Duration::from_millis(200), "interrupted"),
        (libc::SIGTERM, Duration::from_millis(2500), "terminated"),
    ] {
        let out = signal_after(spawn_plan(&dir, &tmp, &[]), after, signal);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(text(&out).contains(word), "{}", text(&out));
        assert!(text(&out).contains("nothing written"), "{}", text(&out));
        assert_eq!(clusters_in(&tmp), Vec::<String>::new(), "after {word}");
    }
    // SIGKILL leaves the directory; the next run removes it.
    let killed = signal_after(
        spawn_plan(&dir, &tmp, &[]),
        Duration::from_millis(2500),
        libc::SIGKILL,
    );
    assert_eq!(killed.status.code(), None);
    let deadline = Instant::now() + Duration::from_secs(10);
    assert_eq!(clusters_in(&tmp).len(), 1, "SIGKILL leaves its directory");
    let next = spawn_plan(&dir, &tmp, &[]).wait_with_output().unwrap();
    assert!(next.status.success(), "{}", text(&next));
    while !clusters_in(&tmp).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        clusters_in(&tmp),
        Vec::<String>::new(),
        "after the next run"
    );
    fs::remove_dir_all(&tmp).unwrap();
    fs::remove_dir_all(&dir).unwrap();
}

async fn scratch_databases(client: &tokio_postgres::Client) -> Vec<String> {
    client
        .query(
            "SELECT datname::text FROM pg_database WHERE datname LIKE 'schemadiff\\_scratch\\_%' ORDER BY 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn a_dev_server_keeps_no_scratch_database_of_a_run_that_is_gone_and_every_one_of_a_live_run()
{
    // A server of its own, so that no other test's scratch databases are counted.
    let binaries = schemadiff_catalog::cluster::PgBinaries::discover().unwrap();
    let cluster = schemadiff_catalog::cluster::Cluster::start(&binaries).unwrap();
    let dev = cluster.conninfo("postgres");
    let (admin, conn) = tokio_postgres::connect(&dev, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let dir = example_project("dev-url");
    let tmp = std::env::temp_dir();

    // Interrupted: it says the databases are removed, and they are.
    let out = signal_after(
        spawn_plan(&dir, &tmp, &["--dev-url", &dev]),
        Duration::from_millis(1500),
        libc::SIGINT,
    );
    assert!(
        text(&out).contains("scratch databases removed"),
        "{}",
        text(&out)
    );
    assert_eq!(scratch_databases(&admin).await, Vec::<String>::new());

    // Killed: what it leaves is dropped by the next run...
    let killed = signal_after(
        spawn_plan(&dir, &tmp, &["--dev-url", &dev]),
        Duration::from_millis(1500),
        libc::SIGKILL,
    );
    assert_eq!(killed.status.code(), None);
    let killed_left = scratch_databases(&admin).await;
    // ...as is one of a run that is gone (no session holds its lock), but not one of a run still going
    // (its session holds the advisory lock of its tag).
    let (gone, going) = (0x1111_2222_3333_4444_u64, 0x5555_6666_7777_8888_u64);
    let name = |run: u64| format!("schemadiff_scratch_{run:016x}_0");
    let (holder, conn) = tokio_postgres::connect(&dev, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    holder
        .execute(
            "SELECT pg_advisory_lock($1, $2)",
            &[&((going >> 32) as u32 as i32), &(going as u32 as i32)],
        )
        .await
        .unwrap();
    for run in [gone, going] {
        admin
            .batch_execute(&format!("CREATE DATABASE {}", name(run)))
            .await
            .unwrap();
    }
    let sweeper = spawn_plan(&dir, &tmp, &["--dev-url", &dev])
        .wait_with_output()
        .unwrap();
    assert!(sweeper.status.success(), "{}", text(&sweeper));
    let left = scratch_databases(&admin).await;
    assert!(killed_left.iter().all(|o| !left.contains(o)), "{left:?}");
    assert_eq!(left, vec![name(going)]);
    fs::remove_dir_all(&dir).unwrap();
    drop(cluster);
}

#[tokio::test]
async fn piped_sql_is_all_or_nothing() {
    let (_db, dev) = common::dev_url().await;
    let live = schemadiff_testkit::fresh_database().await;
    live.client()
        .await
        .batch_execute("CREATE TABLE t (id int); INSERT INTO t VALUES (1), (NULL)")
        .await
        .unwrap();
    // A new table, then NOT NULL on a column whose rows break it: the second statement fails.
    let dir = project(
        "psql",
        "[tables.n.columns]\nid = \"integer\"\n[tables.t.columns]\nid = { type = \"integer\", not_null = true }\n",
    );
    let out = common::schemadiff(
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
    assert!(out.status.success(), "{}", text(&out));
    let script = String::from_utf8(out.stdout).unwrap();
    assert!(
        script.starts_with("BEGIN;\n") && script.ends_with("COMMIT;\n"),
        "{script}"
    );
    let at = |s: &str| script.find(s).unwrap_or_else(|| panic!("{s} in {script}"));
    assert!(at("CREATE TABLE public.n") < at("SET NOT NULL"), "{script}");
    let psql = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", live.conninfo()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut p| {
            use std::io::Write;
            p.stdin.take().unwrap().write_all(script.as_bytes())?;
            p.wait_with_output()
        })
        .expect("psql runs");
    assert!(
        !psql.status.success(),
        "the NOT NULL must fail: {}",
        text(&psql)
    );
    let created: i64 = live
        .client()
        .await
        .query_one("SELECT count(*) FROM pg_class WHERE relname = 'n'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        created, 0,
        "the statements before the failing one were rolled back"
    );
    fs::remove_dir_all(&dir).unwrap();
}
