//! Cost follows the change: a plan that touches one table of a large schema sends far fewer statements to the
//! scratch server than the schema has tables, and its desired schema is the one normalizing the whole
//! schema.toml gives; with owners managed too. (One test in this file: the statement count is the process's.)

use schemadiff::pipeline;
use schemadiff_catalog::conninfo::with_dbname;
use schemadiff_catalog::introspect::IntrospectOptions;
use schemadiff_catalog::scratch::{ScratchServer, databases_created, statements_sent};

const TABLES: usize = 300;

/// The role that owns every tenth table when owners are managed.
const OWNER: &str = "sd_incremental_owner";

/// `n` tables, each with a primary key, a default, a check, an index, a comment and (but the first) a foreign
/// key to one of the ten before it; with `changed`, that table has one column more; with `owners`, every tenth
/// table belongs to [`OWNER`].
fn tables_sql(n: usize, changed: Option<usize>, owners: bool) -> String {
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
        if owners && i % 10 == 0 {
            sql.push_str(&format!("ALTER TABLE t{i} OWNER TO {OWNER};\n"));
        }
    }
    sql.push_str("CREATE VIEW first_rows AS SELECT id, name FROM t0;\nCOMMIT;\n");
    sql
}

/// How many tables of `s` have their owner stated.
fn tables_owned(s: &schemadiff_model::Schema) -> usize {
    s.owners
        .iter()
        .filter(|o| matches!(o.target, schemadiff_model::GrantTarget::Table(_)))
        .count()
}

fn sorted(mut s: schemadiff_model::Schema) -> schemadiff_model::Schema {
    s.dependencies.sort();
    s
}

#[tokio::test]
async fn a_plan_touching_one_table_sends_few_statements_to_the_scratch_server() {
    one_changed_table(false).await;
    // `manage_ownership = true`, every table's owner stated (as `dump --owners` writes them): an unchanged
    // owned table renders as the current one does, and the changed one keeps its owner.
    one_changed_table(true).await;
}

async fn one_changed_table(owners: bool) {
    let live = schemadiff_testkit::fresh_database().await;
    let target = schemadiff_testkit::fresh_database().await;
    let (l, d) = (live.client().await, target.client().await);
    if owners {
        l.batch_execute(&format!(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OWNER}') \
             THEN CREATE ROLE {OWNER} NOLOGIN; END IF; END $$"
        ))
        .await
        .unwrap();
    }
    l.batch_execute(&tables_sql(TABLES, None, owners))
        .await
        .unwrap();
    d.batch_execute(&tables_sql(TABLES, Some(TABLES / 2), owners))
        .await
        .unwrap();
    // schema.toml: the changed database dumped (with its owners, as `dump --owners` does).
    let options = IntrospectOptions {
        owners,
        ..Default::default()
    };
    let mut written = schemadiff_catalog::introspect::introspect(&d, &options)
        .await
        .unwrap()
        .schema;
    if owners {
        assert_eq!(
            tables_owned(&written),
            TABLES,
            "every table's owner is read"
        );
        written.migrations = Some(schemadiff_model::MigrationsConfig {
            manage_ownership: true,
            ..Default::default()
        });
    }
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
    let mut read = pipeline::read_database(
        &l,
        &pipeline::owner_options(&loaded.schema),
        Default::default(),
    )
    .await
    .unwrap();
    schemadiff_catalog::introspect::keep_stated_owners(&mut read.schema, &loaded.schema);
    assert_eq!(read.schema.tables.len(), TABLES);
    let before = statements_sent();
    let databases_before = databases_created();
    let (as_read, desired, planned) = pipeline::plan_live(
        read,
        &loaded,
        None,
        &|_, d| std::borrow::Cow::Borrowed(d),
        &Default::default(),
        &scratch,
    )
    .await
    .unwrap();
    let live_cost = statements_sent() - before;
    // A plan without errors never points into schema.toml: the spans dropped after loading are not found again.
    assert!(
        !loaded.spans.rebuilt(),
        "a plan without errors decoded schema.toml again for its spans"
    );
    // schema.toml as `dump` writes it: the desired side's first round is its fixpoint. One small database for
    // each side; the plan is verified in the current side's own.
    assert_eq!(
        databases_created() - databases_before,
        2,
        "databases created by a plan changing one table (owners: {owners})"
    );
    let changed = desired
        .tables
        .iter()
        .find(|t| t.name.name == format!("t{}", TABLES / 2))
        .unwrap();
    assert!(changed.column("note").is_some());
    assert_eq!(planned.plan.changes.len(), 1, "{:?}", planned.plan.changes);
    // The tables the change leaves alone (neither it nor naming it) are the current schema's own, shared with
    // it rather than copied.
    let current_tables: std::collections::HashMap<_, _> =
        as_read.schema.tables.iter().map(|t| (&t.name, t)).collect();
    let names_changed = |t: &schemadiff_model::Table| {
        t.name == changed.name || t.foreign_keys.iter().any(|f| f.references == changed.name)
    };
    let mut shared = 0;
    for t in &desired.tables {
        let same = std::sync::Arc::ptr_eq(t, current_tables[&t.name]);
        assert_eq!(same, !names_changed(t), "{} shared: {same}", t.name);
        shared += usize::from(same);
    }
    assert!(shared > TABLES - 10, "{shared} tables of {TABLES} shared");
    if owners {
        let owner_of = |s: &schemadiff_model::Schema, i: usize| {
            schemadiff_model::owner::owner_of(
                s,
                &schemadiff_model::GrantTarget::Table(schemadiff_model::QualifiedName::new(
                    "public",
                    format!("t{i}"),
                )),
            )
            .map(str::to_string)
        };
        assert_eq!(tables_owned(&desired), TABLES, "{:?}", desired.owners);
        assert_eq!(owner_of(&desired, TABLES / 2).as_deref(), Some(OWNER));
        assert_eq!(owner_of(&desired, 1), owner_of(&as_read.schema, 1));
    }
    // Normalizing the change on both sides and verifying the plan: a few dozen statements, not one per table.
    assert!(
        live_cost < TABLES as u64 / 5,
        "a plan changing one table of {TABLES} (owners: {owners}) sent {live_cost} statements to the scratch server"
    );

    // The whole way: the current schema brought to its canonical form whole, schema.toml normalized whole,
    // and the plan verified on a copy of the whole current schema. What the live way must equal, and what it
    // costs.
    let before = statements_sent();
    let current = pipeline::current_from_database(
        &l,
        &pipeline::owner_options(&loaded.schema),
        &scratch,
        Default::default(),
        Some(&loaded.schema),
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
        "normalizing one changed table of {TABLES} (owners: {owners}) sent {incremental_cost} statements"
    );
    assert_eq!(sorted(against), sorted(whole));
    scratch.cleanup().await.unwrap();
}
