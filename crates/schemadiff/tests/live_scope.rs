//! A plan against a live database takes its schema as read for the current side (see `pipeline::plan_live`):
//! an element not in canonical form as read shows no false drift, and a change that is not a matter of tables
//! still plans and verifies (the whole way), the same as the whole way plans it.

use schemadiff::pipeline;
use schemadiff_catalog::conninfo::with_dbname;
use schemadiff_catalog::introspect::{IntrospectOptions, introspect};
use schemadiff_catalog::normalize::canonicalize;
use schemadiff_catalog::scratch::ScratchServer;
use schemadiff_model::{LoadedSchema, Schema};
use schemadiff_testkit::TestDatabase;

async fn live(sql: &str) -> (TestDatabase, tokio_postgres::Client) {
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    client.batch_execute(sql).await.unwrap();
    (db, client)
}

async fn read(client: &tokio_postgres::Client) -> Schema {
    introspect(client, &IntrospectOptions::default())
        .await
        .unwrap()
        .schema
}

fn toml_of(schema: &Schema) -> LoadedSchema {
    schemadiff_model::load_str("schema.toml", &schemadiff_model::to_toml(schema)).expect("loads")
}

fn scratch_on(db: &TestDatabase) -> ScratchServer {
    ScratchServer::existing(&with_dbname(db.conninfo(), "postgres"), "the test cluster").unwrap()
}

/// The live way's plan and rollback, as statements.
async fn live_plan(
    client: &tokio_postgres::Client,
    loaded: &LoadedSchema,
    scratch: &ScratchServer,
) -> (Vec<String>, Vec<String>) {
    let read = pipeline::read_database(client, &IntrospectOptions::default(), Default::default())
        .await
        .unwrap();
    let directives = schemadiff_model::Directives::of(&loaded.schema);
    let (_, _, planned) = pipeline::plan_live(
        read,
        loaded,
        None,
        &|_, d| std::borrow::Cow::Borrowed(d),
        &directives,
        scratch,
    )
    .await
    .unwrap();
    // A plan without errors never needs to point into schema.toml: its spans are not found again.
    assert!(!loaded.spans.rebuilt());
    (texts(&planned.plan), texts(&planned.rollback))
}

/// The whole way's: the current schema canonical whole, schema.toml normalized whole.
async fn whole_plan(
    client: &tokio_postgres::Client,
    loaded: &LoadedSchema,
    scratch: &ScratchServer,
) -> (Vec<String>, Vec<String>) {
    let current = canonicalize(read(client).await, scratch).await.unwrap();
    let desired = pipeline::desired(loaded, scratch).await.unwrap();
    let directives = schemadiff_model::Directives::of(&loaded.schema);
    let planned = pipeline::plan(&current, &desired, &directives, scratch)
        .await
        .unwrap();
    (texts(&planned.plan), texts(&planned.rollback))
}

fn texts(p: &schemadiff_diff::Plan) -> Vec<String> {
    p.statements().map(str::to_string).collect()
}

const STATUS: &str = "CREATE TABLE other (id int PRIMARY KEY);
CREATE TABLE orders (id int PRIMARY KEY, status varchar(10) CHECK (status IN ('a', 'b')), other_id int REFERENCES other);";

#[tokio::test]
async fn a_live_element_not_in_canonical_form_plans_empty_either_way_round() {
    let (db, client) = live(STATUS).await;
    let scratch = scratch_on(&db);
    let as_read = read(&client).await;
    let canonical = canonicalize(as_read.clone(), &scratch).await.unwrap();
    let check = |s: &Schema| {
        s.tables
            .iter()
            .find(|t| t.name.name == "orders")
            .unwrap()
            .checks[0]
            .expression
            .clone()
    };
    // The case this is about: the check reads back otherwise than it was read.
    assert_ne!(check(&as_read), check(&canonical));

    // The live database as SQL wrote it, schema.toml a dump of its canonical form.
    let (plan, rollback) = live_plan(&client, &toml_of(&canonical), &scratch).await;
    assert!(
        plan.is_empty() && rollback.is_empty(),
        "{plan:?} {rollback:?}"
    );

    // The reverse: the live database made from the canonical form, schema.toml as the first read wrote it.
    let (db2, client2) = live("").await;
    for s in schemadiff_model::create_script(&canonical) {
        client2.batch_execute(&s.sql).await.unwrap();
    }
    let (plan, rollback) = live_plan(&client2, &toml_of(&as_read), &scratch).await;
    assert!(
        plan.is_empty() && rollback.is_empty(),
        "{plan:?} {rollback:?}"
    );
    drop(db2);
    scratch.cleanup().await.unwrap();
}

/// A schema whose every part the loop below changes in turn.
const BASE: &str = "CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE a (id int PRIMARY KEY, m mood);
CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a, note text);
CREATE FUNCTION answer() RETURNS int LANGUAGE sql AS $$ SELECT 41 $$;";

#[tokio::test]
async fn a_change_other_than_a_table_still_plans_and_verifies_as_the_whole_way() {
    let changes = [
        // An enum value: not a matter of tables, the whole way.
        ("an enum value", "ALTER TYPE mood ADD VALUE 'happy';"),
        // A function body.
        (
            "a function",
            "CREATE OR REPLACE FUNCTION answer() RETURNS int LANGUAGE sql AS $$ SELECT 42 $$;",
        ),
        // A table: the way of the scope.
        ("a column", "ALTER TABLE b ADD COLUMN extra int;"),
        // A table another names by a foreign key to a key that stays: that one is not built again.
        (
            "a column of a referenced table",
            "ALTER TABLE a ADD COLUMN extra int;",
        ),
        // A removed table that another names.
        (
            "a removed table",
            "DROP TABLE b; ALTER TABLE a ADD COLUMN n int;",
        ),
    ];
    for (what, change) in changes {
        let (db, client) = live(BASE).await;
        let (_target, target) = live(&format!("{BASE}\n{change}")).await;
        let loaded = toml_of(&read(&target).await);
        let scratch = scratch_on(&db);
        let by_live = live_plan(&client, &loaded, &scratch).await;
        assert!(!by_live.0.is_empty(), "{what}: no plan");
        let by_whole = whole_plan(&client, &loaded, &scratch).await;
        assert_eq!(by_live, by_whole, "{what}: the plans differ");
        // Applied to the live database, the plan leaves what schema.toml says.
        for sql in &by_live.0 {
            client.batch_execute(sql).await.unwrap();
        }
        let (plan, _) = live_plan(&client, &loaded, &scratch).await;
        assert!(plan.is_empty(), "{what}: after the plan, still {plan:?}");
        scratch.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_plan_of_nothing_starts_no_scratch_cluster() {
    let (_db, client) = live(STATUS).await;
    let major = schemadiff_testkit::server_major(&client).await;
    // schema.toml: the live database as read, dumped.
    let loaded = toml_of(&read(&client).await);
    let scratch = ScratchServer::start_local(Some(major), &[]).unwrap();
    let (plan, rollback) = live_plan(&client, &loaded, &scratch).await;
    assert!(
        plan.is_empty() && rollback.is_empty(),
        "{plan:?} {rollback:?}"
    );
    assert!(
        !scratch.started(),
        "a plan of nothing started the scratch cluster"
    );
    // A change needs it, and starts it.
    client
        .batch_execute("ALTER TABLE other ADD COLUMN n int")
        .await
        .unwrap();
    let (plan, _) = live_plan(&client, &loaded, &scratch).await;
    assert_eq!(plan.len(), 1, "{plan:?}");
    assert!(scratch.started());
    scratch.cleanup().await.unwrap();
}

/// A changed table whose key a foreign key of another table needs: that table goes through the server with it,
/// which refuses the change (`b.a_id integer` cannot reference `a.id text`), as the whole way does.
#[tokio::test]
async fn a_referenced_key_that_changes_is_checked_with_the_foreign_keys_on_it() {
    let (db, client) = live(BASE).await;
    let scratch = scratch_on(&db);
    let mut wanted = read(&client).await;
    let a = wanted
        .tables
        .iter_mut()
        .find(|t| t.name.name == "a")
        .unwrap();
    std::sync::Arc::make_mut(a)
        .columns
        .iter_mut()
        .find(|c| c.name == "id")
        .unwrap()
        .data_type = "text".into();
    let loaded = toml_of(&wanted);
    let read_now =
        pipeline::read_database(&client, &IntrospectOptions::default(), Default::default())
            .await
            .unwrap();
    let directives = schemadiff_model::Directives::of(&loaded.schema);
    let refused = match pipeline::plan_live(
        read_now,
        &loaded,
        None,
        &|_, d| std::borrow::Cow::Borrowed(d),
        &directives,
        &scratch,
    )
    .await
    {
        Ok(_) => panic!("the server refuses a foreign key from integer to text"),
        Err(e) => e.to_string(),
    };
    assert!(
        refused.contains("PostgreSQL rejected") && refused.contains("foreign key"),
        "{refused}"
    );
    // The rejection points into schema.toml: its spans were found again for it.
    assert!(loaded.spans.rebuilt());
    assert!(refused.contains("--> schema.toml:"), "{refused}");
    scratch.cleanup().await.unwrap();
}

/// A context table that the changed tables name only in foreign keys is built as a stub (its keys and columns,
/// without its comment, check or plain index); one named otherwise (here: in a comment, as words are matched
/// generously) is built whole.
/// Either way the live plan is the whole way's, verified.
#[tokio::test]
async fn context_named_only_by_foreign_keys_is_built_as_a_stub() {
    let sql = "CREATE TABLE parent (id int PRIMARY KEY, note text CHECK (note <> ''));
               COMMENT ON TABLE parent IS 'the parent';
               CREATE INDEX ON parent (note);
               CREATE TABLE shape (id int PRIMARY KEY, label text);
               CREATE INDEX ON shape (label);
               CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent ON DELETE CASCADE);
               COMMENT ON TABLE child IS 'drawn as a shape';";
    // Tables the change does not involve: the scope stays small next to the schema.
    let others: String = (0..6)
        .map(|i| format!("CREATE TABLE other_{i} (id int PRIMARY KEY);"))
        .collect();
    let (db, client) = live(&format!("{sql}{others}")).await;
    let scratch = scratch_on(&db);
    let mut wanted = read(&client).await;
    let child = wanted
        .tables
        .iter_mut()
        .find(|t| t.name.name == "child")
        .unwrap();
    std::sync::Arc::make_mut(child)
        .columns
        .push(schemadiff_model::Column::new("note", "text"));
    let loaded = toml_of(&wanted);
    let as_read = read(&client).await;
    let prepared = schemadiff_catalog::incremental::prepare(&loaded, &as_read);
    let scope = prepared.scope().expect("a matter of tables");
    let names = |set: &std::collections::BTreeSet<schemadiff_model::QualifiedName>| {
        set.iter().map(|q| q.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(&scope.tables), ["child"]);
    assert_eq!(names(&scope.context), ["parent", "shape"]);
    assert_eq!(names(&scope.stubs), ["parent"]);
    let small = scope.restrict(&as_read);
    let parent = small
        .tables
        .iter()
        .find(|t| t.name.name == "parent")
        .unwrap();
    assert!(parent.comment.is_none() && parent.checks.is_empty() && parent.indexes.is_empty());
    assert!(parent.primary_key.is_some() && parent.column("note").is_some());
    let shape = small
        .tables
        .iter()
        .find(|t| t.name.name == "shape")
        .unwrap();
    assert_eq!(shape.indexes.len(), 1, "built whole: {shape:?}");

    let (plan, rollback) = live_plan(&client, &loaded, &scratch).await;
    assert_eq!(plan, ["ALTER TABLE public.child ADD COLUMN note text"]);
    assert_eq!(
        (plan, rollback),
        whole_plan(&client, &loaded, &scratch).await
    );
    scratch.cleanup().await.unwrap();
}
