//! Round trip through dump: SQL into database A, dump A, load the dump, create it in database B, dump B:
//! the two dumps must be byte-identical. Run for every tests/roundtrip/*.sql and for the example schema.toml;
//! each first dump is also kept in snapshots/dump/ for review (`<name>.pg<major>.toml` where a major prints
//! differently). A schema using what older majors lack says so on a line `-- needs PostgreSQL 15: ...` at its top,
//! and is skipped on them, saying so.

use std::fs;
use std::path::{Path, PathBuf};

use schemadiff_catalog::conninfo::with_dbname;
use schemadiff_catalog::introspect::{IntrospectOptions, dump, server_message};
use schemadiff_catalog::scratch::ScratchServer;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn unified(a: &str, b: &str) -> String {
    similar::TextDiff::from_lines(a, b)
        .unified_diff()
        .header("dump of A", "dump of B")
        .to_string()
}

/// `snapshots/dump/<name>`, or `<stem>.pg<major>.toml` where a major prints differently (13's EXTRACT is
/// `date_part`).
fn check_snapshot(name: &str, major: u32, actual: &str) -> Result<(), String> {
    schemadiff_testkit::snapshot_for_major(&format!("dump/{name}"), major, actual)
}

/// The major a SQL schema needs, from a line `-- needs PostgreSQL <major>: <what>` at its top.
fn needs(sql: &str) -> Option<(u32, String)> {
    sql.lines()
        .take_while(|l| l.starts_with("--"))
        .find_map(|l| l.strip_prefix("-- needs PostgreSQL "))
        .and_then(|rest| {
            let (n, what) = rest.split_once(':').unwrap_or((rest, ""));
            Some((n.trim().parse().ok()?, what.trim().to_string()))
        })
}

/// The test cluster serves as the scratch server too.
fn scratch(db: &schemadiff_testkit::TestDatabase) -> ScratchServer {
    ScratchServer::existing(&with_dbname(db.conninfo(), "postgres"), "the test cluster").unwrap()
}

/// Dump A (already loaded), recreate from the dump in a fresh B, dump B; compare.
async fn round_trip(
    label: &str,
    db_a: &schemadiff_testkit::TestDatabase,
) -> Result<String, String> {
    let options = IntrospectOptions::default();
    let scratch = scratch(db_a);
    let a = db_a.client().await;
    let first = dump(&a, &options, &scratch)
        .await
        .map_err(|e| format!("{label}: dump of A: {e}"))?;
    let loaded = schemadiff_model::load_str(&format!("dump of {label}"), &first)
        .map_err(|d| format!("{label}: the dump does not load:\n{d}\n--- dump:\n{first}"))?;
    let db_b = schemadiff_testkit::fresh_database().await;
    let b = db_b.client().await;
    for stmt in schemadiff_model::create_script(&loaded.schema) {
        b.batch_execute(&stmt.sql).await.map_err(|e| {
            format!(
                "{label}: creating the dump in B failed: {}\nstatement: {}",
                server_message(&e),
                stmt.sql
            )
        })?;
    }
    let second = dump(&b, &options, &scratch)
        .await
        .map_err(|e| format!("{label}: dump of B: {e}"))?;
    scratch.cleanup().await.map_err(|e| e.to_string())?;
    if first != second {
        return Err(format!(
            "{label}: the dumps differ:\n{}",
            unified(&first, &second)
        ));
    }
    Ok(first)
}

#[tokio::test]
async fn sql_schemas_round_trip_through_dump() {
    let dir = repo_root().join("tests/roundtrip");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 20,
        "expected at least 20 SQL schemas in tests/roundtrip, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let sql = fs::read_to_string(path).unwrap();
        let db_a = schemadiff_testkit::fresh_database().await;
        let a = db_a.client().await;
        let major = schemadiff_testkit::server_major(&a).await;
        if let Some((since, what)) = needs(&sql).filter(|(since, _)| major < *since) {
            schemadiff_testkit::note_skip(&format!(
                "SKIPPED on PostgreSQL {major}: round trip {stem} (needs PostgreSQL {since}: {what})"
            ));
            continue;
        }
        if sql.to_lowercase().contains("create extension")
            && sql.to_lowercase().contains("postgis")
            && !schemadiff_testkit::extension_available(
                &a,
                "postgis",
                &format!("round trip {stem}"),
            )
            .await
        {
            continue;
        }
        // Statement by statement, as psql runs a file.
        let mut applied = true;
        for stmt in schemadiff_migrate::split_statements(&sql) {
            if let Err(e) = a.batch_execute(stmt).await {
                failures.push(format!(
                    "{stem}: the SQL does not apply: {}\nstatement: {stmt}",
                    server_message(&e)
                ));
                applied = false;
                break;
            }
        }
        if !applied {
            continue;
        }
        match round_trip(&stem, &db_a).await {
            Ok(text) => {
                if let Err(e) = check_snapshot(&format!("{stem}.toml"), major, &text) {
                    failures.push(e);
                }
            }
            Err(e) => failures.push(e),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

#[tokio::test]
async fn example_schema_round_trips_through_dump() {
    let loaded = schemadiff_model::load_file(&repo_root().join("schema.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let db_a = schemadiff_testkit::fresh_database().await;
    let a = db_a.client().await;
    if loaded.schema.extensions.iter().any(|e| e.name == "postgis")
        && !schemadiff_testkit::extension_available(
            &a,
            "postgis",
            "round trip of the example schema.toml",
        )
        .await
    {
        return;
    }
    for stmt in schemadiff_model::create_script(&loaded.schema) {
        a.batch_execute(&stmt.sql)
            .await
            .unwrap_or_else(|e| panic!("{e}: {}", stmt.sql));
    }
    let text = round_trip("schema.toml", &db_a)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let major = schemadiff_testkit::server_major(&a).await;
    check_snapshot("calendar.toml", major, &text).unwrap_or_else(|e| panic!("{e}"));
}
