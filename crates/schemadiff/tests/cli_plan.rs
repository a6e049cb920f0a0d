//! `schemadiff plan` as a user runs it, against a real PostgreSQL.

mod common;

use common::repo_root;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

fn schemadiff(dir: &Path, args: &[&str]) -> Output {
    common::schemadiff(dir, args, &[])
}

async fn dev_url() -> (schemadiff_testkit::TestDatabase, String) {
    common::dev_url().await
}

fn temp_project(name: &str, schema: &str, migrations: &[(&str, &str)]) -> PathBuf {
    common::project_with_migrations("cli-plan", name, schema, migrations)
}

#[tokio::test]
async fn the_example_plans_the_three_new_tables_in_dependency_order() {
    let (_db, dev) = dev_url().await;
    let out = schemadiff(&repo_root(), &["plan", "--dev-url", &dev]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "table public.delayed_jobs",
        "table public.page_views",
        "table public.analytics_rollups",
        "+ create index public.idx_delayed_jobs_queue_run_at",
        "+ add foreign key page_views_user_id_fkey on public.page_views",
        "COMMENT ON TABLE public.page_views IS 'One row per page view, for analytics';",
        "10 to create, 0 to alter, 0 to drop.",
        "Verified on a scratch copy",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
    assert!(!stdout.contains('\x1b'), "NO_COLOR is honored");
    // The foreign key comes after the table it is on, and the table before its indexes.
    let at = |s: &str| stdout.find(s).unwrap_or_else(|| panic!("no `{s}`"));
    assert!(
        at("CREATE TABLE public.page_views") < at("CREATE INDEX page_views_user_id_created_idx")
    );
    assert!(at("CREATE TABLE public.page_views") < at("ADD CONSTRAINT page_views_user_id_fkey"));

    // The script alone, byte for byte as kept in snapshots/plan/calendar.sql.
    let sql = schemadiff(
        &repo_root(),
        &["plan", "--dev-url", &dev, "--format", "sql"],
    );
    assert!(sql.status.success());
    let text = String::from_utf8(sql.stdout).unwrap();
    let path = repo_root().join("snapshots/plan/calendar.sql");
    if std::env::var_os("SCHEMADIFF_UPDATE_SNAPSHOTS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, &text).unwrap();
    }
    assert_eq!(
        text,
        fs::read_to_string(&path).expect("snapshots/plan/calendar.sql")
    );
}

#[tokio::test]
async fn json_lists_changes_with_kinds_objects_hazards_and_sql() {
    let (_db, dev) = dev_url().await;
    let out = schemadiff(
        &repo_root(),
        &["plan", "--dev-url", &dev, "--format", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["create"], 10);
    assert_eq!(v["verified"], true);
    let changes = v["changes"].as_array().unwrap();
    let index = changes
        .iter()
        .find(|c| c["object"] == "index public.idx_delayed_jobs_queue_run_at")
        .unwrap();
    assert_eq!(index["kind"], "create_index");
    // An index of a table the plan creates blocks no one.
    assert_eq!(index["hazards"], serde_json::json!([]));
    assert!(
        index["sql"][0]
            .as_str()
            .unwrap()
            .starts_with("CREATE INDEX idx_delayed_jobs_queue_run_at")
    );
    // The rollback drops what the plan creates.
    let rollback = v["rollback"].as_array().unwrap();
    assert!(
        rollback
            .iter()
            .any(|c| c["kind"] == "drop_table" && c["object"] == "table public.delayed_jobs")
    );
}

const HISTORY: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, legacy text);\nCREATE TABLE notes (id bigint PRIMARY KEY, body text);\n";

#[tokio::test]
async fn data_loss_is_refused_unless_allowed() {
    let (_db, dev) = dev_url().await;
    let schema = "[tables.users]\nprimary_key = [\"id\"]\n[tables.users.columns]\nid = \"bigint\"\nemail = { type = \"text\", not_null = true }\n";
    let dir = temp_project("destructive", schema, &[("001_init.sql", HISTORY)]);
    let refused = schemadiff(&dir, &["plan", "--dev-url", &dev]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("the plan deletes data"), "{stderr}");
    assert!(
        stderr.contains("drop column public.users.legacy"),
        "{stderr}"
    );
    assert!(stderr.contains("drop table public.notes"), "{stderr}");
    assert!(stderr.contains("--allow-destructive"), "{stderr}");
    assert!(refused.stdout.is_empty(), "nothing is printed as a plan");

    let allowed = schemadiff(&dir, &["plan", "--dev-url", &dev, "--allow-destructive"]);
    let stdout = String::from_utf8_lossy(&allowed.stdout);
    assert!(
        allowed.status.success(),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    assert!(stdout.contains("- drop table  ⚠ deletes data"), "{stdout}");
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_plan_that_fails_verification_exits_2_with_what_to_do() {
    let (_db, dev) = dev_url().await;
    // text -> integer has no implicit cast: without `using`, the change gets a default one.
    let schema = "[tables.users]\nprimary_key = [\"id\"]\n[tables.users.columns]\nid = \"bigint\"\nemail = { type = \"text\", not_null = true }\nlegacy = \"integer\"\n\n[tables.notes]\nprimary_key = [\"id\"]\n[tables.notes.columns]\nid = \"bigint\"\nbody = \"text\"\n";
    let dir = temp_project("verify", schema, &[("001_init.sql", HISTORY)]);
    let out = schemadiff(&dir, &["plan", "--dev-url", &dev, "--format", "sql"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "BEGIN;\nALTER TABLE public.users ALTER COLUMN legacy TYPE integer USING legacy::integer;\nCOMMIT;\n"
    );

    // A `using` the server refuses: the plan cannot apply, and says what to do.
    let refused = schema.replace(
        "legacy = \"integer\"",
        "legacy = { type = \"integer\", using = \"legacy::point\" }",
    );
    fs::write(dir.join("schema.toml"), refused).unwrap();
    let out = schemadiff(&dir, &["plan", "--dev-url", &dev]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the plan does not apply to a copy of the current schema"),
        "{stderr}"
    );
    assert!(stderr.contains("using"), "{stderr}");

    // A written `using` wins.
    let fixed = schema.replace(
        "legacy = \"integer\"",
        "legacy = { type = \"integer\", using = \"nullif(legacy, '')::integer\" }",
    );
    fs::write(dir.join("schema.toml"), fixed).unwrap();
    let ok = schemadiff(&dir, &["plan", "--dev-url", &dev, "--format", "sql"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout),
        "BEGIN;\nALTER TABLE public.users ALTER COLUMN legacy TYPE integer USING nullif(legacy, '')::integer;\nCOMMIT;\n"
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_schema_toml_exits_2_with_located_errors() {
    let dir = temp_project(
        "bad",
        "[tables.users.columns]\nid = { typ = \"bigint\" }\n",
        &[],
    );
    let out = schemadiff(&dir, &["plan"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("schema.toml:2:8"), "{stderr}");
    assert!(stderr.contains("did you mean `type`?"), "{stderr}");
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn exit_code_says_whether_there_are_changes() {
    let (_db, dev) = dev_url().await;
    let dir = temp_project(
        "exit-code",
        "[tables.a.columns]\nid = \"integer\"\n",
        &[("001_a.sql", "CREATE TABLE a (id integer);\n")],
    );
    // No changes: 0, with or without the flag.
    let same = schemadiff(&dir, &["plan", "--dev-url", &dev, "--exit-code"]);
    assert_eq!(
        same.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&same.stderr)
    );
    // Changes: 1 with the flag (the plan is printed all the same), 0 without.
    fs::write(
        dir.join("schema.toml"),
        "[tables.a.columns]\nid = \"integer\"\nnote = \"text\"\n",
    )
    .unwrap();
    let changed = schemadiff(&dir, &["plan", "--dev-url", &dev, "--exit-code"]);
    assert_eq!(
        changed.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    assert!(String::from_utf8_lossy(&changed.stdout).contains("ADD COLUMN note text"));
    let plain = schemadiff(&dir, &["plan", "--dev-url", &dev]);
    assert_eq!(plain.status.code(), Some(0));
    // An error is still 2.
    fs::write(
        dir.join("schema.toml"),
        "[tables.a.columns]\nid = { typ = \"integer\" }\n",
    )
    .unwrap();
    let broken = schemadiff(&dir, &["plan", "--dev-url", &dev, "--exit-code"]);
    assert_eq!(broken.status.code(), Some(2));
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn hazards_are_an_allow_list_and_online_refuses_what_still_blocks_writes() {
    let (_db, dev) = dev_url().await;
    // users.email becomes an integer (a rewrite online mode cannot avoid), notes gets an index (concurrent).
    let schema = "[tables.users]\nprimary_key = [\"id\"]\n[tables.users.columns]\nid = \"bigint\"\nemail = { type = \"text\", not_null = true }\nlegacy = { type = \"integer\", using = \"length(legacy)\" }\n[tables.notes]\nprimary_key = [\"id\"]\n[tables.notes.columns]\nid = \"bigint\"\nbody = \"text\"\n[[tables.notes.indexes]]\ncolumns = [\"body\"]\n";
    let dir = temp_project("hazards", schema, &[("001_init.sql", HISTORY)]);

    // Without --online, only data loss is guarded: this plan goes through.
    let plain = schemadiff(&dir, &["plan", "--dev-url", &dev]);
    assert!(
        plain.status.success(),
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );

    // Online, the rewrite is refused, naming the change and the flag that allows it.
    let refused = schemadiff(&dir, &["plan", "--dev-url", &dev, "--online"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("alter column public.users.legacy: rewrites the table"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--allow-hazards rewrites_table"),
        "{stderr}"
    );
    assert!(refused.stdout.is_empty());

    // Allowed by flag, the SQL is the online migration: timeouts, no transaction block, a concurrent build.
    let allowed = schemadiff(
        &dir,
        &[
            "plan",
            "--dev-url",
            &dev,
            "--online",
            "--allow-hazards",
            "rewrites_table",
            "--format",
            "sql",
        ],
    );
    let sql = String::from_utf8_lossy(&allowed.stdout);
    assert!(
        allowed.status.success(),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    assert!(
        sql.starts_with("SET lock_timeout = '5s';\nSET statement_timeout = '1min';\n"),
        "{sql}"
    );
    assert!(
        sql.contains("CREATE INDEX CONCURRENTLY notes_body_idx ON public.notes (body);"),
        "{sql}"
    );
    assert!(!sql.contains("BEGIN"), "{sql}");

    // Or by schema.toml.
    fs::write(
        dir.join("schema.toml"),
        format!("[migrations]\nonline = true\nallow_hazards = [\"rewrites_table\"]\n{schema}"),
    )
    .unwrap();
    let configured = schemadiff(&dir, &["plan", "--dev-url", &dev]);
    let stdout = String::from_utf8_lossy(&configured.stdout);
    assert!(
        configured.status.success(),
        "{}",
        String::from_utf8_lossy(&configured.stderr)
    );
    assert!(
        stdout.contains("create index public.notes_body_idx  ⚠ builds an index concurrently"),
        "{stdout}"
    );

    // An unknown hazard is an error that lists the known ones.
    let unknown = schemadiff(
        &dir,
        &["plan", "--dev-url", &dev, "--allow-hazards", "rewrite"],
    );
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(stderr.contains("unknown hazard `rewrite`"), "{stderr}");
    assert!(stderr.contains("rewrites_table"), "{stderr}");
    fs::remove_dir_all(&dir).unwrap();
}

/// `plan --allow-hazards rebuilds_table` of `dir` against `dev`, which must succeed: its standard output.
fn plan_allowing_rebuilds(dir: &Path, dev: &str) -> String {
    let allowed = schemadiff(
        dir,
        &[
            "plan",
            "--dev-url",
            dev,
            "--allow-hazards",
            "rebuilds_table",
        ],
    );
    assert!(
        allowed.status.success(),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    String::from_utf8_lossy(&allowed.stdout).into_owned()
}

/// The table a rebuilt table's rows wait in takes a name no relation has: here `plain__schemadiff_rows` is a
/// table of the schema, so the rows wait in `plain__schemadiff_rows1` (the plan is verified: a clash would fail
/// it).
#[tokio::test]
async fn a_rebuild_holds_its_rows_in_a_table_of_a_free_name() {
    let (_db, dev) = dev_url().await;
    let history = "CREATE TABLE plain (id bigint NOT NULL, at date NOT NULL);\n\
                   CREATE TABLE plain__schemadiff_rows (note text);\n";
    let schema = "[tables.plain]\npartition_by = \"RANGE (at)\"\n[tables.plain.columns]\nid = { type = \"bigint\", not_null = true }\nat = { type = \"date\", not_null = true }\n\n\
                  [tables.plain__schemadiff_rows.columns]\nnote = { type = \"text\" }\n";
    let dir = temp_project("repartition_holding", schema, &[("001_init.sql", history)]);
    let stdout = plan_allowing_rebuilds(&dir, &dev);
    for expected in [
        "CREATE TABLE public.plain__schemadiff_rows1 AS SELECT * FROM public.plain;",
        "INSERT INTO public.plain (id, at) SELECT id, at FROM public.plain__schemadiff_rows1;",
        "DROP TABLE public.plain__schemadiff_rows1;",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
    assert!(
        !stdout.contains("DROP TABLE public.plain__schemadiff_rows;"),
        "{stdout}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn repartitioning_is_a_rebuild_refused_unless_allowed_by_name() {
    let (_db, dev) = dev_url().await;
    let history = "CREATE TABLE plain (id bigint NOT NULL, at date NOT NULL);\n\
                   CREATE TABLE keyed (a integer NOT NULL, b integer NOT NULL) PARTITION BY RANGE (a);\n\
                   CREATE TABLE keyed_1 PARTITION OF keyed FOR VALUES FROM (0) TO (10);\n";
    let schema = "[tables.plain]\npartition_by = \"RANGE (at)\"\n[tables.plain.columns]\nid = { type = \"bigint\", not_null = true }\nat = { type = \"date\", not_null = true }\n\n\
                  [tables.keyed]\npartition_by = \"RANGE (b)\"\n[tables.keyed.columns]\na = { type = \"integer\", not_null = true }\nb = { type = \"integer\", not_null = true }\n\n\
                  [tables.keyed_1]\npartition_of = \"keyed\"\nbounds = \"FOR VALUES FROM (0) TO (10)\"\n";
    let dir = temp_project("repartition", schema, &[("001_init.sql", history)]);
    // Allowing data loss is not enough: the rebuild is allowed by its own name.
    let refused = schemadiff(&dir, &["plan", "--dev-url", &dev, "--allow-destructive"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{stderr}");
    assert!(refused.stdout.is_empty(), "nothing is printed as a plan");
    for expected in [
        "the plan has hazards that are not allowed, so it is refused",
        "copy rows of table public.plain: rebuilds the table to change its partitioning",
        "copy rows of table public.keyed: rebuilds the table to change its partitioning",
        "a row that fits no new partition fails the migration",
        "run again with --allow-hazards rebuilds_table",
    ] {
        assert!(
            stderr.contains(expected),
            "missing `{expected}` in:\n{stderr}"
        );
    }
    assert!(!stderr.contains("deletes data"), "{stderr}");

    // Allowed: the plan copies the rows aside, rebuilds, and copies them back.
    let stdout = plan_allowing_rebuilds(&dir, &dev);
    for expected in [
        "CREATE TABLE public.plain__schemadiff_rows AS SELECT * FROM public.plain;",
        ") PARTITION BY RANGE (at);",
        "INSERT INTO public.keyed (a, b) SELECT a, b FROM public.keyed__schemadiff_rows;",
        "DROP TABLE public.keyed__schemadiff_rows;",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
    fs::remove_dir_all(&dir).unwrap();

    // A partition that moves to another parent is not planned, allowed or not.
    let history = "CREATE TABLE one (a integer NOT NULL) PARTITION BY RANGE (a);\n\
                   CREATE TABLE two (a integer NOT NULL) PARTITION BY RANGE (a);\n\
                   CREATE TABLE part PARTITION OF one FOR VALUES FROM (0) TO (10);\n";
    let schema = "[tables.one]\npartition_by = \"RANGE (a)\"\n[tables.one.columns]\na = { type = \"integer\", not_null = true }\n\n\
                  [tables.two]\npartition_by = \"RANGE (a)\"\n[tables.two.columns]\na = { type = \"integer\", not_null = true }\n\n\
                  [tables.part]\npartition_of = \"two\"\nbounds = \"FOR VALUES FROM (0) TO (10)\"\n";
    let dir = temp_project("repartition_move", schema, &[("001_init.sql", history)]);
    let refused = schemadiff(
        &dir,
        &[
            "plan",
            "--dev-url",
            &dev,
            "--allow-hazards",
            "rebuilds_table,deletes_data",
        ],
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{stderr}");
    for expected in [
        "partition public.part would move from public.one to public.two: moving a partition is not planned",
        "copy the rows",
    ] {
        assert!(
            stderr.contains(expected),
            "missing `{expected}` in:\n{stderr}"
        );
    }
    fs::remove_dir_all(&dir).unwrap();
}
