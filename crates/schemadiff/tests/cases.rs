//! The diff cases in tests/cases/<name>/: `before.sql` is the current state; `after.sql` or `schema.toml` the
//! desired one. For each, the plan is made and verified (it applies to a copy of the current schema, leaves the
//! desired one, plans nothing more, and its rollback restores the current one), checked against
//! snapshots/cases/<name>.txt, and applied to the real `before` database, rows included, which must then match
//! the desired schema with its rows kept (unless the plan deletes data). For a case with an `after.sql`, the
//! `pg_dump --schema-only` of the migrated database must also equal that of a database built from `after.sql`:
//! a detail the model does not hold (and so never plans) shows up there. A `check_after.sql` then runs on the
//! migrated database (statements that must succeed with its rows, e.g. an insert taking the next number).
//!
//! A case with a file `online` (or `[migrations] online = true` in its schema.toml) is planned in online mode:
//! its plan (not its rollback, which is written plainly) must then carry none of the hazards that online mode refuses (a rewrite, a write-blocking index
//! build or check), and the real database gets the migration as it is written (timeouts first, each long step
//! under the long statement timeout, statement by statement).
//!
//! A case using what older PostgreSQL majors lack names the first major with it in `needs` (`15 NULLS NOT
//! DISTINCT`): on an older server, a case from `schema.toml` must be refused with an error naming that version,
//! and a case from SQL is skipped, saying so (see docs/versions.md).

use std::fs;
use std::path::{Path, PathBuf};

use schemadiff::pipeline::{self, comparable};
use schemadiff::report::{self, Style};
use schemadiff_catalog::conninfo::with_dbname;
use schemadiff_catalog::introspect::{IntrospectOptions, introspect, server_message};
use schemadiff_catalog::normalize::canonicalize;
use schemadiff_catalog::scratch::ScratchServer;
use schemadiff_diff::{Hazard, online};
use schemadiff_model::Schema;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

async fn run_sql(client: &tokio_postgres::Client, path: &Path) -> Result<(), String> {
    let sql = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    for stmt in schemadiff_migrate::split_statements(&sql) {
        client.batch_execute(stmt).await.map_err(|e| {
            format!(
                "{}: {}\n  statement: {stmt}",
                path.display(),
                server_message(&e)
            )
        })?;
    }
    Ok(())
}

async fn row_count(client: &tokio_postgres::Client, schema: &Schema) -> i64 {
    let mut total = 0;
    // A partitioned table counts the rows of its partitions: each row once.
    for t in schema.tables.iter().filter(|t| t.partition_of.is_none()) {
        let n: i64 = client
            .query_one(&format!("SELECT count(*) FROM {}", t.name.sql()), &[])
            .await
            .unwrap()
            .get(0);
        total += n;
    }
    total
}

/// `pg_dump --schema-only` of a database, without what differs between two equal schemas: comments (the header
/// with versions and each object's `-- Name: ...` line), session `SET`s, `\restrict` keys and blank lines.
/// `major` is the server's: the pg_dump is of that major or a newer one (see `pg_dump_for`).
fn schema_dump(conninfo: &str, major: u32) -> Result<String, String> {
    let pg_dump = schemadiff_testkit::pg_dump_for(major)?;
    let out = std::process::Command::new(&pg_dump)
        .args(["--schema-only", "--no-owner", "--dbname", conninfo])
        .output()
        .map_err(|e| format!("running {}: {e}", pg_dump.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed: {}",
            pg_dump.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut kept = String::new();
    for line in text.lines() {
        let noise = line.is_empty()
            || line.starts_with("--")
            || line.starts_with("SET ")
            || line.starts_with("SELECT pg_catalog.set_config(")
            || line.starts_with("\\restrict")
            || line.starts_with("\\unrestrict");
        if !noise {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    Ok(kept)
}

/// The two dumps must be equal; otherwise their difference.
fn compare_dumps(expected: &str, actual: &str) -> Result<(), String> {
    if expected == actual {
        return Ok(());
    }
    Err(format!(
        "pg_dump --schema-only of the migrated database differs from that of after.sql:\n{}",
        similar::TextDiff::from_lines(expected, actual)
            .unified_diff()
            .context_radius(3)
            .header("after.sql", "migrated")
    ))
}

/// The case's text for its snapshot, or `None` when it is skipped (it needs PostGIS, absent on this server and
/// allowed to be: see `schemadiff_testkit::extension_available`).
async fn run_case(dir: &Path) -> Result<Option<String>, String> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let before_db = schemadiff_testkit::fresh_database().await;
    let needs_postgis = ["before.sql", "after.sql", "schema.toml"].iter().any(|f| {
        fs::read_to_string(dir.join(f)).is_ok_and(|t| t.to_lowercase().contains("postgis"))
    });
    // A case that uses what older majors lack says so in `needs`: `<major> <what>`. On an older server, a case
    // from schema.toml must be refused with the error naming the version; one from SQL cannot run at all.
    if let Ok(needs) = fs::read_to_string(dir.join("needs")) {
        let (since, what) = needs.trim().split_once(' ').unwrap_or((needs.trim(), ""));
        let since: u32 = since
            .parse()
            .map_err(|_| format!("{name}/needs: {needs:?}"))?;
        let client = before_db.client().await;
        let major = schemadiff_testkit::server_major(&client).await;
        if major < since {
            if dir.join("schema.toml").exists() {
                let loaded = schemadiff_model::load_file(&dir.join("schema.toml"))
                    .map_err(|e| e.to_string())?;
                let scratch = ScratchServer::existing(
                    &with_dbname(before_db.conninfo(), "postgres"),
                    "the test cluster",
                )
                .unwrap();
                let refused = pipeline::desired(&loaded, &scratch).await;
                scratch.cleanup().await.map_err(|e| e.to_string())?;
                let want = format!("needs PostgreSQL {since} or later");
                return match refused {
                    Err(e) if e.to_string().contains(&want) => Ok(None),
                    Err(e) => Err(format!(
                        "{name}: on PostgreSQL {major}, expected an error saying it {want}, got: {e}"
                    )),
                    Ok(_) => Err(format!(
                        "{name}: on PostgreSQL {major}, expected an error saying it {want}, but it was accepted"
                    )),
                };
            }
            schemadiff_testkit::note_skip(&format!(
                "SKIPPED on PostgreSQL {major}: case {name} (needs PostgreSQL {since}: {what})"
            ));
            return Ok(None);
        }
    }
    if needs_postgis
        && !schemadiff_testkit::extension_available(
            &before_db.client().await,
            "postgis",
            &format!("case {name}"),
        )
        .await
    {
        return Ok(None);
    }
    let scratch = ScratchServer::existing(
        &with_dbname(before_db.conninfo(), "postgres"),
        "the test cluster",
    )
    .unwrap();
    let result = async {
        let before = before_db.client().await;
        let major = schemadiff_testkit::server_major(&before).await;
        run_sql(&before, &dir.join("before.sql")).await?;
        // A schema.toml that manages ownership has the owners it states read on the live side too.
        let stated = if dir.join("schema.toml").exists() {
            schemadiff_model::load_file(&dir.join("schema.toml"))
                .map_err(|e| e.to_string())?
                .schema
        } else {
            schemadiff_model::Schema::default()
        };
        let read_live = async |client: &tokio_postgres::Client| {
            let mut s = introspect(client, &pipeline::owner_options(&stated))
                .await
                .map_err(|e| e.to_string())?
                .schema;
            schemadiff_catalog::introspect::keep_stated_owners(&mut s, &stated);
            Ok::<_, String>(s)
        };
        let live = read_live(&before).await?;
        let current = canonicalize(live.clone(), &scratch)
            .await
            .map_err(|e| e.to_string())?;

        let mut after_dump = None;
        let mut directives = schemadiff_model::Directives::default();
        let desired = if dir.join("schema.toml").exists() {
            let loaded =
                schemadiff_model::load_file(&dir.join("schema.toml")).map_err(|e| e.to_string())?;
            directives = schemadiff_model::Directives::of(&loaded.schema);
            pipeline::desired(&loaded, &scratch)
                .await
                .map_err(|e| e.to_string())?
        } else {
            let after_db = schemadiff_testkit::fresh_database().await;
            let after = after_db.client().await;
            run_sql(&after, &dir.join("after.sql")).await?;
            after_dump = Some(schema_dump(after_db.conninfo(), major)?);
            let s = introspect(&after, &IntrospectOptions::default())
                .await
                .map_err(|e| e.to_string())?
                .schema;
            canonicalize(s, &scratch).await.map_err(|e| e.to_string())?
        };

        if dir.join("online").exists() {
            directives
                .migrations
                .get_or_insert_with(Default::default)
                .online = true;
        }
        let online = pipeline::is_online(&directives);
        let planned = pipeline::plan(&current, &desired, &directives, &scratch)
            .await
            .map_err(|e| e.to_string())?;
        // The way `plan` takes with a live database (its schema as read is the current side, and only the tables
        // that differ go through the scratch server) makes the same plan and rollback.
        // (A case from after.sql takes its schema.toml as `dump` writes the desired schema, which must load again.)
        let mut for_live = match dir.join("schema.toml").exists() {
            true => {
                schemadiff_model::load_file(&dir.join("schema.toml")).map_err(|e| e.to_string())?
            }
            false => {
                schemadiff_model::load_str("schema.toml", &schemadiff_model::to_toml(&desired))
                    .map_err(|e| format!("the dump of after.sql does not load again: {e}"))?
            }
        };
        for_live.schema.migrations = directives.migrations.clone();
        let (_, _, by_live) = pipeline::plan_live(
            pipeline::Current {
                schema: live.clone(),
                unsupported: Vec::new(),
            },
            &for_live,
            Some(schemadiff_catalog::incremental::desired_text(&for_live)),
            &|_, d| std::borrow::Cow::Borrowed(d),
            &directives,
            &scratch,
        )
        .await
        .map_err(|e| format!("the live way: {e}"))?;
        let texts =
            |p: &schemadiff_diff::Plan| p.statements().map(str::to_string).collect::<Vec<_>>();
        if texts(&by_live.plan) != texts(&planned.plan)
            || texts(&by_live.rollback) != texts(&planned.rollback)
        {
            return Err(format!(
                "the live way planned otherwise:\n{}\n-- rollback:\n{}",
                by_live.plan.script(),
                by_live.rollback.script()
            ));
        }
        if online {
            let blocking: Vec<String> = planned
                .plan
                .changes
                .iter()
                .filter(|c| {
                    c.hazards.iter().any(|h| {
                        matches!(
                            h,
                            Hazard::RewritesTable
                                | Hazard::BuildsIndexBlockingWrites
                                | Hazard::ShareLock
                                | Hazard::ShareRowExclusiveLock
                        )
                    })
                })
                .map(|c| c.describe())
                .collect();
            if !blocking.is_empty() {
                return Err(format!(
                    "online mode left changes that block writes: {blocking:?}"
                ));
            }
        }

        // The real thing: the plan on the database with its rows (online: as written, with its timeouts).
        let rows_before = row_count(&before, &current).await;
        let statements: Vec<String> = if online {
            online::statements(
                &planned.plan.changes,
                &pipeline::timeouts(&directives),
                true,
            )
        } else {
            planned.plan.statements().map(str::to_string).collect()
        };
        for sql in &statements {
            before.batch_execute(sql).await.map_err(|e| {
                format!(
                    "applying to the real database: {}\n  statement: {sql}",
                    server_message(&e)
                )
            })?;
        }
        let after = read_live(&before).await?;
        let after = canonicalize(after, &scratch)
            .await
            .map_err(|e| e.to_string())?;
        if comparable(&after, &desired) != comparable(&desired, &desired) {
            return Err(format!(
                "the real database differs from the desired schema after the plan:\n{}",
                pipeline::schema_difference(
                    &comparable(&desired, &desired),
                    &comparable(&after, &desired)
                )
            ));
        }
        if let Some(expected) = &after_dump {
            compare_dumps(expected, &schema_dump(before_db.conninfo(), major)?)?;
        }
        if planned.plan.destructive().is_empty() {
            let rows_after = row_count(&before, &after).await;
            if rows_after != rows_before {
                return Err(format!(
                    "the plan deletes no data, but the rows went from {rows_before} to {rows_after}"
                ));
            }
        }

        // What the migrated database must still do with its rows (an insert taking the next number, say).
        if dir.join("check_after.sql").exists() {
            run_sql(&before, &dir.join("check_after.sql"))
                .await
                .map_err(|e| format!("after the plan: {e}"))?;
        }

        let style = Style { color: false };
        let mut text = report::human(&planned.plan, style);
        if online {
            text.push_str("\n-- As written (online):\n");
            text.push_str(&online::script(
                &planned.plan.changes,
                &pipeline::timeouts(&directives),
                true,
            ));
        }
        text.push_str("\n-- Rollback:\n");
        text.push_str(&planned.rollback.script());
        Ok(Some(text))
    }
    .await;
    scratch.cleanup().await.map_err(|e| e.to_string())?;
    result.map_err(|e| format!("{name}: {e}"))
}

/// The snapshot of a case: `snapshots/cases/<name>.txt`, or `<name>.pg<major>.txt` where a major's output differs
/// (an unpinned extension's default version, say).
fn check_snapshot(name: &str, major: u32, actual: &str) -> Result<(), String> {
    schemadiff_testkit::snapshot_for_major(&format!("cases/{name}.txt"), major, actual)
}

#[tokio::test]
async fn every_case_plans_verifies_and_matches_its_snapshot() {
    let only = std::env::var("SCHEMADIFF_CASE").ok();
    let mut dirs: Vec<PathBuf> = fs::read_dir(repo_root().join("tests/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            // `SCHEMADIFF_CASE=view,trigger` runs the cases whose names hold any of the parts.
            only.as_ref().is_none_or(|o| {
                let name = p.file_name().unwrap().to_string_lossy();
                o.split(',').any(|part| name.contains(part))
            })
        })
        .collect();
    dirs.sort();
    if only.is_none() {
        assert!(
            dirs.len() >= 40,
            "expected at least 40 cases, found {}",
            dirs.len()
        );
    }
    let major = {
        let db = schemadiff_testkit::fresh_database().await;
        db.client()
            .await
            .query_one(
                "SELECT current_setting('server_version_num')::int / 10000",
                &[],
            )
            .await
            .unwrap()
            .get::<_, i32>(0) as u32
    };
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        match run_case(dir).await {
            Ok(None) => {}
            Ok(Some(text)) => {
                if let Err(e) = check_snapshot(&name, major, &text) {
                    failures.push(e);
                }
            }
            Err(e) => failures.push(e),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}
