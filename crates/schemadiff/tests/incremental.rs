//! Cost follows the change: a plan that touches one table of a large schema sends far fewer statements to the
//! scratch server than the schema has tables, and its desired schema is the one normalizing the whole
//! schema.toml gives. (One test in this file: the statement count is the process's.)

use schemadiff::pipeline;
use schemadiff_catalog::conninfo::with_dbname;
use schemadiff_catalog::introspect::IntrospectOptions;
use schemadiff_catalog::scratch::{ScratchServer, statements_sent};

const TABLES: usize = 300;

/// `n` tables, each with a primary key, a default, a check, an index, a comment and (but the first) a foreign
/// key to one of the ten before it; with `changed`, that table has one column more.
fn tables_sql(n: usize, changed: Option<usize>) -> String {
    let mut sql = String::from("BEGIN;\n");
    for i in 0..n {
        let extra = if changed == Some(i) {
            ", note text"
        } else {
            ""
        };
        let parent = if i == 0 {
            String::new()
        } else {
            format!(
                ", parent_id bigint REFERENCES t{}",
                i - 1 - (i * 7) % i.min(10)
            )
        };
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id bigint PRIMARY KEY, name varchar(50) NOT NULL DEFAULT '', qty integer CHECK (qty >= 0){parent}{extra});\n\
             CREATE INDEX t{i}_name_idx ON t{i} (name);\n\
             COMMENT ON TABLE t{i} IS 'table {i}';\n"
        ));
    }
    sql.push_str("CREATE VIEW first_rows AS SELECT id, name FROM t0;\nCOMMIT;\n");
    sql
}

fn sorted(mut s: schemadiff_model::Schema) -> schemadiff_model::Schema {
    s.dependencies.sort();
    s
}

#[tokio::test]
async fn a_plan_touching_one_table_sends_few_statements_to_the_scratch_server() {
    let live = schemadiff_testkit::fresh_database().await;
    let target = schemadiff_testkit::fresh_database().await;
    let (l, d) = (live.client().await, target.client().await);
    l.batch_execute(&tables_sql(TABLES, None)).await.unwrap();
    d.batch_execute(&tables_sql(TABLES, Some(TABLES / 2)))
        .await
        .unwrap();
    // schema.toml: the changed database dumped.
    let written = schemadiff_catalog::introspect::introspect(&d, &IntrospectOptions::default())
        .await
        .unwrap()
        .schema;
    let loaded = schemadiff_model::load_str("schema.toml", &schemadiff_model::to_toml(&written))
        .expect("a dump loads");
    let scratch = ScratchServer::existing(
        &with_dbname(live.conninfo(), "postgres"),
        "the test cluster",
    )
    .unwrap();

    // The way `plan` takes with a live database: its schema as read is the current side; only the changed table
    // (with the tables that name it, and their context) goes through the scratch server, to normalize it on
    // both sides and to verify the plan. What it costs, in total.
    let read = pipeline::read_database(&l, &IntrospectOptions::default(), Default::default())
        .await
        .unwrap();
    assert_eq!(read.schema.tables.len(), TABLES);
    let before = statements_sent();
    let (_, desired, planned) = pipeline::plan_live(
        read,
        &loaded,
        &|_, d| d.clone(),
        &Default::default(),
        &scratch,
    )
    .await
    .unwrap();
    let live_cost = statements_sent() - before;
    let changed = desired
        .tables
        .iter()
        .find(|t| t.name.name == format!("t{}", TABLES / 2))
        .unwrap();
    assert!(changed.column("note").is_some());
    assert_eq!(planned.plan.changes.len(), 1, "{:?}", planned.plan.changes);
    // Normalizing the change on both sides and verifying the plan: a few dozen statements, not one per table.
    assert!(
        live_cost < TABLES as u64 / 5,
        "a plan changing one table of {TABLES} sent {live_cost} statements to the scratch server"
    );

    // The whole way: the current schema brought to its canonical form whole, schema.toml normalized whole,
    // and the plan verified on a copy of the whole current schema. What the live way must equal, and what it
    // costs.
    let before = statements_sent();
    let current = pipeline::current_from_database(
        &l,
        &IntrospectOptions::default(),
        &scratch,
        Default::default(),
        None,
    )
    .await
    .unwrap();
    let whole = pipeline::desired(&loaded, &scratch).await.unwrap();
    let whole_planned = pipeline::plan(&current.schema, &whole, &Default::default(), &scratch)
        .await
        .unwrap();
    let whole_cost = statements_sent() - before;
    assert!(
        whole_cost >= 2 * TABLES as u64,
        "the whole way with {TABLES} tables sent only {whole_cost} statements: the count does not see them"
    );
    assert_eq!(
        sorted(desired.clone()),
        sorted(whole.clone()),
        "the incremental desired schema differs from the whole one"
    );
    let texts = |p: &schemadiff_diff::Plan| p.statements().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(
        texts(&planned.plan),
        texts(&whole_planned.plan),
        "the plans differ"
    );
    assert_eq!(
        texts(&planned.rollback),
        texts(&whole_planned.rollback),
        "the rollbacks differ"
    );
    assert_eq!(
        planned.current_fingerprint,
        whole_planned.current_fingerprint
    );
    assert_eq!(
        planned.desired_fingerprint,
        whole_planned.desired_fingerprint
    );

    // Normalizing schema.toml against the canonical current schema: the same desired schema, and cheap.
    let before = statements_sent();
    let against = pipeline::desired_against(&loaded, Some(&current.schema), &scratch)
        .await
        .unwrap();
    let incremental_cost = statements_sent() - before;
    assert!(
        incremental_cost < TABLES as u64 / 5,
        "normalizing one changed table of {TABLES} sent {incremental_cost} statements"
    );
    assert_eq!(sorted(against), sorted(whole));
    scratch.cleanup().await.unwrap();
}
