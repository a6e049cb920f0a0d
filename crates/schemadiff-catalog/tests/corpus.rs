//! The crash corpus: valid schemas covering what CREATE TYPE, CREATE DOMAIN and CREATE TABLE can declare
//! (tests/corpus/*.sql). Each says on its first line what must happen to it:
//! `-- expect: round trip` (nothing unsupported; dump, load into a fresh database, dump again: equal), or
//! `-- expect: unsupported: kind, kind` (exactly these kinds are reported by name, nothing else). Valid input
//! must never end in "This is a bug in schemadiff". `SCHEMADIFF_CORPUS=name[,name]` runs only the files whose
//! name contains one of them.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use schemadiff_catalog::conninfo::with_dbname;
use schemadiff_catalog::introspect::{IntrospectOptions, dump, introspect, server_message};
use schemadiff_catalog::scratch::ScratchServer;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[derive(Debug, PartialEq)]
enum Expect {
    RoundTrip,
    Unsupported(BTreeSet<String>),
}

fn expectation(sql: &str) -> Option<Expect> {
    let first = sql.lines().next()?.strip_prefix("-- expect:")?.trim();
    if first == "round trip" {
        return Some(Expect::RoundTrip);
    }
    let kinds = first.strip_prefix("unsupported:")?;
    Some(Expect::Unsupported(
        kinds.split(',').map(|k| k.trim().to_string()).collect(),
    ))
}

async fn check(stem: &str, sql: &str, expect: &Expect) -> Result<(), String> {
    let db_a = schemadiff_testkit::fresh_database().await;
    let a = db_a.client().await;
    for stmt in schemadiff_migrate::split_statements(sql) {
        a.batch_execute(stmt).await.map_err(|e| {
            format!(
                "{stem}: the SQL does not apply: {}\nstatement: {stmt}",
                server_message(&e)
            )
        })?;
    }
    let options = IntrospectOptions::default();
    let read = introspect(&a, &options)
        .await
        .map_err(|e| format!("{stem}: reading failed: {e}"))?;
    let kinds: BTreeSet<String> = read.unsupported.iter().map(|u| u.kind.clone()).collect();
    let names: Vec<String> = read.unsupported.iter().map(|u| u.to_string()).collect();
    match expect {
        Expect::Unsupported(want) => {
            return if &kinds == want {
                Ok(())
            } else {
                Err(format!(
                    "{stem}: expected unsupported {want:?}, found {kinds:?}: {names:?}"
                ))
            };
        }
        Expect::RoundTrip if !kinds.is_empty() => {
            return Err(format!(
                "{stem}: expected a round trip, found unsupported {names:?}"
            ));
        }
        Expect::RoundTrip => {}
    }
    let scratch = ScratchServer::existing(
        &with_dbname(db_a.conninfo(), "postgres"),
        "the test cluster",
    )
    .map_err(|e| e.to_string())?;
    let first = dump(&a, &options, &scratch)
        .await
        .map_err(|e| format!("{stem}: dump of A: {e}"))?;
    let loaded = schemadiff_model::load_str(&format!("dump of {stem}"), &first)
        .map_err(|d| format!("{stem}: the dump does not load:\n{d}\n--- dump:\n{first}"))?;
    let db_b = schemadiff_testkit::fresh_database().await;
    let b = db_b.client().await;
    for stmt in schemadiff_model::create_script(&loaded.schema) {
        b.batch_execute(&stmt.sql).await.map_err(|e| {
            format!(
                "{stem}: creating the dump in B failed: {}\nstatement: {}",
                server_message(&e),
                stmt.sql
            )
        })?;
    }
    let second = dump(&b, &options, &scratch)
        .await
        .map_err(|e| format!("{stem}: dump of B: {e}"))?;
    scratch.cleanup().await.map_err(|e| e.to_string())?;
    if first != second {
        return Err(format!(
            "{stem}: the dumps differ:\n{}",
            similar::TextDiff::from_lines(&first, &second)
                .unified_diff()
                .header("dump of A", "dump of B")
        ));
    }
    Ok(())
}

#[tokio::test]
async fn every_corpus_schema_round_trips_or_is_named_unsupported() {
    let only: Vec<String> = std::env::var("SCHEMADIFF_CORPUS")
        .map(|v| v.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let mut files: Vec<PathBuf> = fs::read_dir(repo_root().join("tests/corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "expected at least 10 corpus schemas");
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in &files {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        if !only.is_empty() && !only.iter().any(|o| stem.contains(o.as_str())) {
            continue;
        }
        let sql = fs::read_to_string(path).unwrap();
        let Some(expect) = expectation(&sql) else {
            failures.push(format!("{stem}: the first line says no `-- expect: ...`"));
            continue;
        };
        ran += 1;
        if let Err(e) = check(&stem, &sql, &expect).await {
            failures.push(e);
        }
    }
    let bugs = failures
        .iter()
        .filter(|f| f.contains("This is a bug in schemadiff"))
        .count();
    assert!(
        failures.is_empty(),
        "{} of {ran} corpus schemas failed ({bugs} with \"This is a bug in schemadiff\"):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn expectations_parse() {
    assert_eq!(
        expectation("-- expect: round trip\n"),
        Some(Expect::RoundTrip)
    );
    assert_eq!(
        expectation("-- expect: unsupported: collation, typed table\n"),
        Some(Expect::Unsupported(
            ["collation", "typed table"].map(String::from).into()
        ))
    );
    assert_eq!(expectation("CREATE TABLE t ();\n"), None);
}
