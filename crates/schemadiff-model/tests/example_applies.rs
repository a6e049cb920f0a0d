//! The example schema.toml renders to DDL that PostgreSQL accepts, with the tables, columns, actions and
//! names the model says.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use schemadiff_model::naming::effective_names;
use schemadiff_model::{FkAction, load_file};

fn example() -> schemadiff_model::LoadedSchema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema.toml");
    load_file(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn example_declares_the_seven_calendar_tables() {
    let loaded = example();
    let names: Vec<&str> = loaded
        .schema
        .tables
        .iter()
        .map(|t| t.name.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "calendar_users",
            "calendar_templates",
            "user_calendars",
            "calendar_orders",
            "delayed_jobs",
            "page_views",
            "analytics_rollups"
        ]
    );
    let mig = loaded.schema.migrations.as_ref().unwrap();
    assert_eq!(mig.format.as_deref(), Some("mybatis"));
}

#[tokio::test]
async fn example_applies_to_a_fresh_database() {
    let loaded = example();
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    common::apply(&client, &loaded)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // Tables (PostGIS adds spatial_ref_sys, which belongs to the extension).
    let tables: BTreeSet<String> = common::strings(
        &client,
        "SELECT c.relname::text FROM pg_class c
          WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
            AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')",
        &[],
    )
    .await
    .into_iter()
    .collect();
    let expected: BTreeSet<String> = loaded
        .schema
        .tables
        .iter()
        .map(|t| t.name.name.clone())
        .collect();
    assert_eq!(tables, expected);

    // Column order is declaration order.
    for t in &loaded.schema.tables {
        let cols = common::strings(
            &client,
            "SELECT attname::text FROM pg_attribute WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            &[&t.name.sql()],
        )
        .await;
        let declared: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
        assert_eq!(cols, declared, "columns of {}", t.name);
    }

    // Every foreign key has the ON DELETE action the model says.
    let rows = client
        .query(
            "SELECT conrelid::regclass::text, conname::text, confdeltype::text FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2",
            &[],
        )
        .await
        .unwrap();
    let names = effective_names(&loaded.schema);
    let mut expected = Vec::new();
    for t in &loaded.schema.tables {
        for (i, fk) in t.foreign_keys.iter().enumerate() {
            let code = match fk.on_delete {
                FkAction::NoAction => "a",
                FkAction::Restrict => "r",
                FkAction::Cascade => "c",
                FkAction::SetNull => "n",
                FkAction::SetDefault => "d",
            };
            let name = &names[&schemadiff_model::ObjectPath::ForeignKey(t.name.clone(), i)];
            expected.push((t.name.name.clone(), name.clone(), code.to_string()));
        }
    }
    expected.sort();
    let actual: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(actual, expected);

    // Every comment arrived.
    let comments: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_description d JOIN pg_class c ON c.oid = d.objoid WHERE d.classoid = 'pg_class'::regclass AND c.relnamespace = 'public'::regnamespace",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let declared = loaded
        .schema
        .tables
        .iter()
        .map(|t| {
            t.comment.iter().count() + t.columns.iter().filter(|c| c.comment.is_some()).count()
        })
        .sum::<usize>();
    assert_eq!(comments as usize, declared);
}
