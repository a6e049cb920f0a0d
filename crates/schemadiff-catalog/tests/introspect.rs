//! Introspection against a real server: a constant number of statements whatever the schema's size, schema
//! filters, extension objects left out; normalization errors that point into schema.toml.

use std::fs;
use std::path::{Path, PathBuf};

use schemadiff_catalog::conninfo::with_dbname;
use schemadiff_catalog::introspect::{IntrospectOptions, introspect};
use schemadiff_catalog::normalize::{NormalizeError, normalize_desired};
use schemadiff_catalog::scratch::ScratchServer;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `n` tables, each with a key, a foreign key to the one before, a check, a unique, an index and comments.
fn tables_sql(n: usize) -> String {
    let mut sql = String::new();
    for i in 0..n {
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id bigint PRIMARY KEY, parent bigint, code text UNIQUE, qty int CHECK (qty > 0), created timestamptz NOT NULL DEFAULT now());\n\
             CREATE INDEX ON t{i} (created DESC) WHERE qty > 1;\n\
             COMMENT ON TABLE t{i} IS 'table {i}'; COMMENT ON COLUMN t{i}.code IS 'code';\n"
        ));
        // A view, a view on it, and a materialized view with an index.
        sql.push_str(&format!(
            "CREATE VIEW v{i} AS SELECT id, code FROM t{i} WHERE qty > 1;\n\
             CREATE VIEW w{i} AS SELECT code FROM v{i};\n\
             CREATE MATERIALIZED VIEW m{i} AS SELECT id, qty FROM t{i};\n\
             CREATE UNIQUE INDEX ON m{i} (id);\n"
        ));
        if i > 0 {
            sql.push_str(&format!(
                "ALTER TABLE t{i} ADD FOREIGN KEY (parent) REFERENCES t{} ON DELETE CASCADE;\n",
                i - 1
            ));
        }
    }
    sql
}

#[tokio::test]
async fn statement_count_does_not_grow_with_the_schema() {
    let mut counts = Vec::new();
    for n in [10, 500] {
        let db = schemadiff_testkit::fresh_database().await;
        let client = db.client().await;
        client
            .batch_execute(&format!("BEGIN; {} COMMIT;", tables_sql(n)))
            .await
            .unwrap();
        let read = introspect(&client, &IntrospectOptions::default())
            .await
            .unwrap();
        assert_eq!(read.schema.tables.len(), n);
        let t = &read.schema.tables[n - 1];
        assert_eq!(t.columns.len(), 5);
        assert_eq!(
            (
                t.uniques.len(),
                t.checks.len(),
                t.indexes.len(),
                t.foreign_keys.len()
            ),
            (1, 1, 1, 1)
        );
        assert_eq!(read.schema.views.len(), 3 * n);
        let w = read
            .schema
            .view(&schemadiff_model::QualifiedName::new(
                "public",
                format!("w{}", n - 1),
            ))
            .unwrap();
        assert!(
            w.uses.contains(&schemadiff_model::ViewUse::Column(
                schemadiff_model::QualifiedName::new("public", format!("v{}", n - 1)),
                "code".into()
            )),
            "w reads column code of v: {:?}",
            w.uses
        );
        let m = read
            .schema
            .view(&schemadiff_model::QualifiedName::new(
                "public",
                format!("m{}", n - 1),
            ))
            .unwrap();
        assert_eq!(m.indexes.len(), 1);
        counts.push(read.statements);
    }
    assert_eq!(counts[0], counts[1], "statements for 10 and for 500 tables");
    // 22: the table options (table_options.rs) and default privileges (grant.rs) have a query of their own.
    assert!(
        counts[0] <= 22,
        "introspection sent {} statements",
        counts[0]
    );
}

#[tokio::test]
async fn schema_filter_and_extension_objects() {
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    if !schemadiff_testkit::extension_available(
        &client,
        "postgis",
        "introspect::schema_filter_and_extension_objects",
    )
    .await
    {
        return;
    }
    client
        .batch_execute(
            "CREATE EXTENSION postgis; CREATE SCHEMA billing; CREATE SCHEMA audit;
             CREATE TABLE billing.invoices (id int PRIMARY KEY, area geometry);
             CREATE TABLE audit.events (id int); CREATE TABLE public.users (id int);",
        )
        .await
        .unwrap();
    let all = introspect(&client, &IntrospectOptions::default())
        .await
        .unwrap()
        .schema;
    let names: Vec<String> = all.tables.iter().map(|t| t.name.to_string()).collect();
    // PostGIS's spatial_ref_sys belongs to the extension: not part of the schema.
    assert_eq!(names, ["audit.events", "billing.invoices", "users"]);
    assert_eq!(
        all.extensions
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        ["postgis"]
    );
    assert_eq!(all.tables[1].columns[1].data_type, "geometry");

    let only = IntrospectOptions {
        schemas: vec!["billing".into()],
        ..Default::default()
    };
    let billing = introspect(&client, &only).await.unwrap().schema;
    let names: Vec<String> = billing.tables.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(names, ["billing.invoices"]);
    assert_eq!(
        billing
            .schemas
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["billing"]
    );
}

/// What the server refuses in a schema.toml is reported at the element, and at the field where the server
/// says where it stopped.
#[tokio::test]
async fn server_rejections_point_into_schema_toml() {
    let text = r#"[tables.orders]
primary_key = ["id"]

[tables.orders.columns]
id       = { type = "bigint" }
status   = { type = "varchr(20)" }
quantity = { type = "integer", default = "nonexistent_function()" }

[[tables.orders.checks]]
expression = "quantity >> 'many'"

[[tables.orders.indexes]]
columns = [{ column = "status", opclass = "no_such_ops" }]

[tables.items.columns]
order_id = { type = "bigint" }
note     = { type = "text", collation = "no-such-collation" }
"#;
    let loaded =
        schemadiff_model::load_str("tests/rejected.toml", text).unwrap_or_else(|e| panic!("{e}"));
    let db = schemadiff_testkit::fresh_database().await;
    let scratch =
        ScratchServer::existing(&with_dbname(db.conninfo(), "postgres"), "the test cluster")
            .unwrap();
    let err = normalize_desired(&loaded, &scratch).await.unwrap_err();
    scratch.cleanup().await.unwrap();
    let NormalizeError::Rejected(d) = err else {
        panic!("expected a rejection, got {err}")
    };
    // Pointing at the elements, the spans dropped after loading were found again.
    assert!(loaded.spans.rebuilt());
    let rendered = format!("{d}\n");
    let path = repo_root().join("snapshots/normalize/rejected.txt");
    if std::env::var_os("SCHEMADIFF_UPDATE_SNAPSHOTS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, &rendered).unwrap();
    }
    let expected = fs::read_to_string(&path)
        .expect("snapshots/normalize/rejected.txt (SCHEMADIFF_UPDATE_SNAPSHOTS=1 creates it)");
    assert_eq!(rendered, expected);
    for at in ["6:21", "7:42", "10:14", "17:41"] {
        assert!(
            rendered.contains(&format!("--> tests/rejected.toml:{at}")),
            "{at} is pointed at:\n{rendered}"
        );
    }
}

async fn server_major(client: &tokio_postgres::Client) -> i32 {
    client
        .query_one(
            "SELECT current_setting('server_version_num')::int / 10000",
            &[],
        )
        .await
        .unwrap()
        .get(0)
}

/// PostgreSQL 18 stores NOT NULL as constraints: named ones read as plain NOT NULL, and a NOT VALID one (rows
/// may hold nulls) is reported as unsupported rather than read as NOT NULL. Before 18 there is no such syntax.
#[tokio::test]
async fn not_null_constraints_of_postgresql_18() {
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    client
        .batch_execute("CREATE TABLE t (id int CONSTRAINT id_must NOT NULL, b int)")
        .await
        .unwrap();
    let added = client
        .batch_execute("ALTER TABLE t ADD CONSTRAINT b_nn NOT NULL b NOT VALID")
        .await;
    if server_major(&client).await < 18 {
        assert!(added.is_err(), "NOT VALID NOT NULL before PostgreSQL 18");
        let read = introspect(&client, &IntrospectOptions::default())
            .await
            .unwrap();
        assert!(read.schema.tables[0].columns[0].not_null);
        assert!(read.unsupported.is_empty(), "{:?}", read.unsupported);
        return;
    }
    added.unwrap();
    let read = introspect(&client, &IntrospectOptions::default())
        .await
        .unwrap();
    let t = &read.schema.tables[0];
    assert!(t.columns[0].not_null, "a named NOT NULL constraint");
    let found: Vec<String> = read.unsupported.iter().map(|u| u.to_string()).collect();
    assert_eq!(found, ["NOT VALID not-null constraint public.b_nn on t"]);
}

/// VIRTUAL generated columns (PostgreSQL 18) read as such, STORED ones as before; before 18 there are none.
#[tokio::test]
async fn virtual_generated_columns() {
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    let created = client
        .batch_execute(
            "CREATE TABLE boxes (w int, h int, area int GENERATED ALWAYS AS (w * h) VIRTUAL, \
             twice int GENERATED ALWAYS AS (w * 2) STORED)",
        )
        .await;
    if server_major(&client).await < 18 {
        assert!(
            created.is_err(),
            "VIRTUAL generated columns before PostgreSQL 18"
        );
        return;
    }
    created.unwrap();
    let read = introspect(&client, &IntrospectOptions::default())
        .await
        .unwrap();
    let cols = &read.schema.tables[0].columns;
    assert_eq!(cols[2].extras().generated.as_deref(), Some("(w * h)"));
    assert!(cols[2].extras().generated_virtual);
    assert_eq!(cols[3].extras().generated.as_deref(), Some("(w * 2)"));
    assert!(!cols[3].extras().generated_virtual);
    let text = schemadiff_model::to_toml(&read.schema);
    assert!(
        text.contains(r#"generated = "(w * h)", virtual = true }"#)
            && text.contains(r#"generated = "(w * 2)" }"#),
        "{text}"
    );
}

/// A batch of rebuild statements is one transaction sent in one go: all of it, or nothing of it, with the index
/// of the statement that failed; and each statement is still one command of the extended protocol, so text
/// holding a second command is refused rather than run.
#[tokio::test]
async fn batches_are_all_or_nothing_and_one_command_per_statement() {
    use schemadiff_catalog::scratch::{BATCH, run_batch, run_script};
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    let count = async |client: &tokio_postgres::Client| -> i64 {
        client
            .query_one(
                "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace",
                &[],
            )
            .await
            .unwrap()
            .get(0)
    };
    run_batch(
        &client,
        &["CREATE TABLE a (x int)", "CREATE TABLE b (x int)"],
    )
    .await
    .unwrap();
    assert_eq!(count(&client).await, 2);
    let (at, e) = run_batch(
        &client,
        &[
            "CREATE TABLE c (x int)",
            "CREATE TABLE a (x int)",
            "CREATE TABLE d (x int)",
        ],
    )
    .await
    .unwrap_err();
    assert_eq!(at, 1, "{e}");
    assert_eq!(
        e.code(),
        Some(&tokio_postgres::error::SqlState::DUPLICATE_TABLE)
    );
    assert_eq!(count(&client).await, 2, "the failed batch left nothing");
    let (at, e) = run_batch(&client, &["CREATE TABLE e (x int); DROP TABLE a"])
        .await
        .unwrap_err();
    assert_eq!(at, 0);
    let message = e
        .as_db_error()
        .map_or(String::new(), |d| d.message().to_string());
    assert!(message.contains("multiple commands"), "{e:?}");
    assert_eq!(count(&client).await, 2);
    // A script longer than a batch: the index counts from its start, and the batches before it stay.
    let many: Vec<String> = (0..BATCH + 5)
        .map(|i| format!("CREATE TABLE m{i} (x int)"))
        .chain(["CREATE TABLE m0 (x int)".to_string()])
        .collect();
    let sqls: Vec<&str> = many.iter().map(String::as_str).collect();
    let (at, _) = run_script(&client, &sqls).await.unwrap_err();
    assert_eq!(at, BATCH + 5);
    assert_eq!(count(&client).await, 2 + BATCH as i64);
}
