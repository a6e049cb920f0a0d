//! `schemadiff write --online` in every migration format, replayed on a real database with rows the way that
//! format's runner runs it (a transaction per file unless the file is marked, a multi-statement query where the
//! runner sends the file as one), then rolled back the same way: the result must be the desired schema, the
//! rollback must bring back the one before, and the rows stay.
//!
//! The change covers the online rewrites at once: an index added, changed and dropped, a unique index, a
//! UNIQUE constraint and a PRIMARY KEY added USING INDEX, a foreign key and CHECKs added NOT VALID then
//! validated, SET NOT NULL through a check, and a new table whose indexes are created plainly.

mod common;

use common::text;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use schemadiff_migrate::{Format, sections, split_statements, transaction};

fn schemadiff(dir: &Path, args: &[&str]) -> Output {
    common::schemadiff(dir, args, &[("SCHEMADIFF_NOW", "20251110150000")])
}

const V1: &str = r#"
[tables.posts]
primary_key = ["id"]

[tables.posts.columns]
id           = "bigint"
author_id    = { type = "bigint", not_null = true }
title        = { type = "text", not_null = true }
slug         = "text"
published_at = "timestamptz"

[[tables.posts.indexes]]
name = "posts_recent"
columns = ["published_at"]

[[tables.posts.indexes]]
name = "posts_title_idx"
columns = ["title"]

[tables.accounts.columns]
id        = "bigint"
tenant_id = { type = "bigint", not_null = true }
email     = { type = "text", not_null = true }

[tables.customers]
primary_key = ["id"]

[tables.customers.columns]
id   = "bigint"
name = { type = "text", not_null = true }

[tables.orders]
primary_key = ["id"]

[tables.orders.columns]
id          = "bigint"
customer_id = { type = "bigint", not_null = true }
total       = { type = "numeric(12,2)", not_null = true }

[tables.events]
primary_key = ["id"]

[tables.events.columns]
id         = "bigint"
kind       = "text"
created_at = "timestamptz"
"#;

const V2: &str = r#"
[tables.posts]
primary_key = ["id"]

[tables.posts.columns]
id           = "bigint"
author_id    = { type = "bigint", not_null = true }
title        = { type = "text", not_null = true }
slug         = "text"
published_at = "timestamptz"

[[tables.posts.indexes]]
name = "posts_recent"
columns = ["published_at"]
where = "published_at IS NOT NULL"

[[tables.posts.indexes]]
name = "posts_slug_key"
columns = ["slug"]
unique = true

[tables.accounts]
primary_key = ["id"]

[tables.accounts.columns]
id        = "bigint"
tenant_id = { type = "bigint", not_null = true }
email     = { type = "text", not_null = true }

[[tables.accounts.unique]]
name = "accounts_tenant_email_key"
columns = ["tenant_id", "email"]

[tables.customers]
primary_key = ["id"]

[tables.customers.columns]
id   = "bigint"
name = { type = "text", not_null = true }

[[tables.customers.checks]]
name = "customers_name_check"
expression = "name <> ''"

[tables.orders]
primary_key = ["id"]

[tables.orders.columns]
id          = "bigint"
customer_id = { type = "bigint", not_null = true }
total       = { type = "numeric(12,2)", not_null = true }

[[tables.orders.foreign_keys]]
columns = ["customer_id"]
references = { table = "customers" }

[[tables.orders.checks]]
name = "orders_total_check"
expression = "total >= 0"

[[tables.orders.indexes]]
columns = ["customer_id"]

[tables.events]
primary_key = ["id"]

[tables.events.columns]
id         = "bigint"
kind       = { type = "text", not_null = true }
created_at = "timestamptz"

[tables.books]
primary_key = ["id"]

[tables.books.columns]
id      = "bigint"
post_id = { type = "bigint", not_null = true }
isbn    = { type = "text", not_null = true }

[[tables.books.unique]]
columns = ["isbn"]

[[tables.books.foreign_keys]]
columns = ["post_id"]
references = { table = "posts" }

[[tables.books.indexes]]
columns = ["post_id"]
"#;

const ROWS: &str = "
INSERT INTO posts SELECT i, i % 10, 'title ' || i, 'slug-' || i, now() FROM generate_series(1, 500) i;
INSERT INTO accounts SELECT i, i % 7, 'user' || i || '@example.com' FROM generate_series(1, 500) i;
INSERT INTO customers SELECT i, 'c' || i FROM generate_series(1, 50) i;
INSERT INTO orders SELECT i, 1 + i % 50, i * 1.5 FROM generate_series(1, 500) i;
INSERT INTO events SELECT i, 'k', now() FROM generate_series(1, 500) i;
";

/// How a runner sends a migration's SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Send {
    /// In a transaction, statement by statement (goose, Flyway, MyBatis with auto_commit=false).
    TransactionStatements,
    /// Statement by statement, each committing (psql; goose NO TRANSACTION; Flyway executeInTransaction=false;
    /// MyBatis with auto_commit=true).
    Statements,
    /// In a transaction, the file as one query (dbmate, sqlx, diesel).
    TransactionBatch,
    /// The file as one multi-statement query: PostgreSQL runs it as one implicit transaction (golang-migrate;
    /// dbmate transaction:false, sqlx -- no-transaction, diesel run_in_transaction = false).
    Batch,
}

async fn send(
    client: &tokio_postgres::Client,
    how: Send,
    sql: &str,
    file: &str,
) -> Result<(), String> {
    let fail = |e: tokio_postgres::Error, stmt: &str| {
        format!(
            "{file} ({how:?}): {}\n  statement: {stmt}",
            schemadiff_catalog::introspect::server_message(&e)
        )
    };
    let in_tx = matches!(how, Send::TransactionStatements | Send::TransactionBatch);
    if in_tx {
        client
            .batch_execute("BEGIN")
            .await
            .map_err(|e| fail(e, "BEGIN"))?;
    }
    let result = match how {
        Send::Statements | Send::TransactionStatements => {
            let mut r = Ok(());
            for stmt in split_statements(sql) {
                if let Err(e) = client.batch_execute(stmt).await {
                    r = Err(fail(e, stmt));
                    break;
                }
            }
            r
        }
        Send::Batch | Send::TransactionBatch => {
            if sql.trim().is_empty() {
                Ok(())
            } else {
                client.batch_execute(sql).await.map_err(|e| fail(e, sql))
            }
        }
    };
    if in_tx {
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        client.batch_execute(end).await.map_err(|e| fail(e, end))?;
    }
    result
}

/// The runners: a name for messages, and whether it is sqlx (rather than golang-migrate) for pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Runner {
    Psql,
    MyBatis,
    Flyway,
    GolangMigrate,
    Sqlx,
    Dbmate,
    Goose,
    Diesel,
}

/// A migration's up and down SQL and how the runner sends each.
struct Script {
    name: String,
    up: (Send, String),
    down: Option<(Send, String)>,
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The new migrations of `dir` (those not in `before`), in order, as `runner` reads and runs them.
fn scripts(dir: &Path, runner: Runner, before: &[PathBuf]) -> Vec<Script> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !before.contains(p))
        .collect();
    entries.sort();
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().to_string();
    let mut out = Vec::new();
    for p in &entries {
        let n = name(p);
        match runner {
            Runner::Diesel if p.is_dir() => {
                let meta = p.join("metadata.toml");
                let outside = meta.exists() && read(&meta).contains("run_in_transaction = false");
                let how = if outside {
                    Send::Batch
                } else {
                    Send::TransactionBatch
                };
                out.push(Script {
                    name: n,
                    up: (how, read(&p.join("up.sql"))),
                    down: Some((how, read(&p.join("down.sql")))),
                });
            }
            Runner::GolangMigrate | Runner::Sqlx if n.ends_with(".up.sql") => {
                let up = read(p);
                let down = read(&p.with_file_name(n.replace(".up.sql", ".down.sql")));
                let how = |sql: &str| match runner {
                    Runner::GolangMigrate => Send::Batch,
                    _ if sql.lines().next() == Some(transaction::SQLX_NO_TRANSACTION) => {
                        Send::Batch
                    }
                    _ => Send::TransactionBatch,
                };
                out.push(Script {
                    name: n,
                    up: (how(&up), up.clone()),
                    down: Some((how(&down), down)),
                });
            }
            Runner::Flyway if n.starts_with('V') && n.ends_with(".sql") => {
                let conf = p.with_file_name(format!("{n}.conf"));
                let outside = conf.exists() && read(&conf).contains("executeInTransaction=false");
                let how = if outside {
                    Send::Statements
                } else {
                    Send::TransactionStatements
                };
                let undo = p.with_file_name(format!("U{}", &n[1..]));
                out.push(Script {
                    name: n,
                    up: (how, read(p)),
                    down: Some((Send::TransactionStatements, read(&undo))),
                });
            }
            Runner::Psql if n.ends_with(".sql") => out.push(Script {
                name: n,
                up: (Send::Statements, read(p)),
                down: None,
            }),
            Runner::MyBatis if n.ends_with(".sql") => {
                let text = read(p);
                let (up, down) = sections(&text);
                // The runner's environment: auto_commit=true for the migrations that say they need it.
                let how = if up.contains(transaction::MYBATIS_NOTE) {
                    Send::Statements
                } else {
                    Send::TransactionStatements
                };
                out.push(Script {
                    name: n,
                    up: (how, up),
                    down: Some((Send::TransactionStatements, down.unwrap_or_default())),
                });
            }
            Runner::Dbmate if n.ends_with(".sql") => {
                let text = read(p);
                let outside = text
                    .lines()
                    .any(|l| l.trim() == "-- migrate:up transaction:false");
                let how = if outside {
                    Send::Batch
                } else {
                    Send::TransactionBatch
                };
                let (up, down) = sections(&text);
                out.push(Script {
                    name: n,
                    up: (how, up),
                    down: Some((how, down.unwrap_or_default())),
                });
            }
            Runner::Goose if n.ends_with(".sql") => {
                let text = read(p);
                let outside = text.lines().any(|l| l.trim() == "-- +goose NO TRANSACTION");
                let how = if outside {
                    Send::Statements
                } else {
                    Send::TransactionStatements
                };
                let (up, down) = sections(&text);
                out.push(Script {
                    name: n,
                    up: (how, up),
                    down: Some((how, down.unwrap_or_default())),
                });
            }
            _ => {}
        }
    }
    out
}

fn format_of(runner: Runner) -> (&'static str, Format) {
    match runner {
        Runner::Psql => ("plain", Format::Plain),
        Runner::MyBatis => ("mybatis", Format::MyBatis),
        Runner::Flyway => ("flyway", Format::Flyway),
        Runner::GolangMigrate => ("golang-migrate", Format::Pairs),
        Runner::Sqlx => ("sqlx", Format::Pairs),
        Runner::Dbmate => ("dbmate", Format::Dbmate),
        Runner::Goose => ("goose", Format::Goose),
        Runner::Diesel => ("diesel", Format::Diesel),
    }
}

fn with_config(schema: &str, format: &str, online: bool) -> String {
    format!(
        "[migrations]\nformat = \"{format}\"\nonline = {online}\nlock_timeout = \"3s\"\nstatement_timeout = \"20s\"\n{schema}"
    )
}

fn in_sync(dir: &Path, url: &str) -> Result<(), String> {
    let out = schemadiff(
        dir,
        &["plan", "--database-url", url, "--dev-url", &dev_of(url)],
    );
    if out.status.success() && String::from_utf8_lossy(&out.stdout).starts_with("No changes") {
        Ok(())
    } else {
        Err(text(&out))
    }
}

fn dev_of(url: &str) -> String {
    schemadiff_catalog::conninfo::with_dbname(url, "postgres")
}

async fn rows(client: &tokio_postgres::Client) -> i64 {
    client
        .query_one(
            "SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM accounts) + (SELECT count(*) FROM orders) + (SELECT count(*) FROM events)",
            &[],
        )
        .await
        .unwrap()
        .get(0)
}

async fn format_case(runner: Runner) {
    let (config_name, format) = format_of(runner);
    let db = schemadiff_testkit::fresh_database().await;
    let url = db.conninfo().to_string();
    let dev = dev_of(&url);
    let client = db.client().await;
    let label = format!("{runner:?}");
    let dir = common::project(
        "online-write",
        &label,
        &with_config(V1, config_name, true),
        &[],
    );

    // The history: the tables, written and run as the runner does, then rows.
    let out = schemadiff(&dir, &["write", "--dev-url", &dev, "--name", "tables"]);
    assert!(out.status.success(), "{label}: {}", text(&out));
    for s in scripts(&dir.join("migrations"), runner, &[]) {
        send(&client, s.up.0, &s.up.1, &s.name)
            .await
            .unwrap_or_else(|e| panic!("{label}: history: {e}"));
    }
    client.batch_execute(ROWS).await.unwrap();
    let count = rows(&client).await;
    let before: Vec<PathBuf> = fs::read_dir(dir.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();

    // The online change, written, then run as the runner does.
    fs::write(dir.join("schema.toml"), with_config(V2, config_name, true)).unwrap();
    let out = schemadiff(
        &dir,
        &["write", "--dev-url", &dev, "--name", "online change"],
    );
    assert!(out.status.success(), "{label}: {}", text(&out));
    // The files as written, kept in snapshots/online_write/ for review.
    let mut written = format!("{}\n", String::from_utf8_lossy(&out.stdout));
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut stack: Vec<PathBuf> = fs::read_dir(dir.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !before.contains(p))
        .collect();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else if !p.ends_with("schemadiff.sum") {
            paths.push(p);
        }
    }
    paths.sort();
    for p in &paths {
        let rel = p.strip_prefix(dir.join("migrations")).unwrap();
        written.push_str(&format!("==> {}\n{}", rel.display(), read(p)));
    }
    schemadiff_testkit::snapshot(&format!("online_write/{config_name}.txt"), &written)
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    let new = scripts(&dir.join("migrations"), runner, &before);
    assert!(!new.is_empty(), "{label}: nothing written: {}", text(&out));
    let all: String = new.iter().map(|s| s.up.1.clone()).collect();
    assert!(
        all.contains("CREATE INDEX CONCURRENTLY") && all.contains("NOT VALID"),
        "{label}: not an online migration:\n{all}"
    );
    if transaction::alone(format) {
        assert!(
            new.len() > 1,
            "{label}: {format:?} must put concurrent statements apart"
        );
    }
    for s in &new {
        send(&client, s.up.0, &s.up.1, &s.name)
            .await
            .unwrap_or_else(|e| panic!("{label}: {e}\n{}", text(&out)));
    }
    in_sync(&dir, &url).unwrap_or_else(|e| panic!("{label}: after the migrations: {e}"));
    assert_eq!(rows(&client).await, count, "{label}: rows lost");

    // The rollbacks, newest first, as the runner runs them: back to the history's schema.
    if runner != Runner::Psql {
        for s in new.iter().rev() {
            let (how, sql) = s.down.as_ref().expect("a down part");
            send(&client, *how, sql, &s.name)
                .await
                .unwrap_or_else(|e| panic!("{label}: rollback: {e}"));
        }
        fs::write(dir.join("schema.toml"), with_config(V1, config_name, true)).unwrap();
        in_sync(&dir, &url).unwrap_or_else(|e| panic!("{label}: after the rollbacks: {e}"));
        assert_eq!(
            rows(&client).await,
            count,
            "{label}: rows lost by the rollback"
        );
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn plain_runs_statement_by_statement() {
    format_case(Runner::Psql).await;
}

#[tokio::test]
async fn mybatis() {
    format_case(Runner::MyBatis).await;
}

#[tokio::test]
async fn flyway_script_configuration() {
    format_case(Runner::Flyway).await;
}

#[tokio::test]
async fn golang_migrate_multi_statement_files() {
    format_case(Runner::GolangMigrate).await;
}

#[tokio::test]
async fn sqlx_no_transaction_line() {
    format_case(Runner::Sqlx).await;
}

#[tokio::test]
async fn dbmate_transaction_false() {
    format_case(Runner::Dbmate).await;
}

#[tokio::test]
async fn goose_no_transaction() {
    format_case(Runner::Goose).await;
}

#[tokio::test]
async fn diesel_metadata() {
    format_case(Runner::Diesel).await;
}
