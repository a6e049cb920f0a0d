//! Every kind of the registry (`schemadiff_model::Kind::ALL`) goes through every stage: schema.toml is
//! decoded and created on a server (model), read back (catalog), planned from an empty database and from
//! itself (diff), applied, dumped and loaded again (dump), written as a migration (`write`), and `check` finds
//! the applied database in sync and an empty one drifted. A kind that misses a stage fails here; a kind without a sample does not compile.

mod common;

use schemadiff::pipeline;
use schemadiff_catalog::conninfo::with_dbname;
use schemadiff_catalog::introspect::{IntrospectOptions, introspect};
use schemadiff_catalog::normalize::canonicalize;
use schemadiff_catalog::scratch::ScratchServer;
use schemadiff_model::{Kind, Schema};

/// A schema.toml with one object of `kind` (and what it needs), named `sample` where the kind has names of
/// its own.
fn sample(kind: Kind) -> &'static str {
    match kind {
        Kind::Extension => "[extensions]\nhstore = {}\n",
        Kind::Schema => "[schemas.sample]\ncomment = \"a schema\"\n",
        Kind::Enum => "[enums.sample]\nvalues = [\"a\", \"b\"]\n",
        Kind::Domain => {
            "[domains.sample]\ntype = \"integer\"\nnot_null = true\nchecks = [{ name = \"positive\", expression = \"VALUE > 0\" }]\n\n[tables.base.columns]\nv = \"sample\"\n"
        }
        Kind::CompositeType => {
            "[domains.code]\ntype = \"text\"\n\n[composite_types.sample.attributes]\nstreet = \"text\"\nzip = { type = \"code\", collation = \"C\" }\n\n[tables.base.columns]\naddress = \"sample\"\n"
        }
        Kind::RangeType => {
            "[range_types.sample]\nsubtype = \"float8\"\nsubtype_diff = \"float8mi\"\n\n[tables.base.columns]\nspan = \"sample\"\n"
        }
        Kind::Sequence => "[sequences.sample]\nstart = 10\n",
        Kind::Table => "[tables.sample.columns]\nid = \"integer\"\n",
        Kind::View => {
            "[tables.base.columns]\nid = \"integer\"\n\n[views.sample]\nquery = \"SELECT id FROM base\"\n"
        }
        Kind::MaterializedView => {
            "[tables.base.columns]\nid = \"integer\"\n\n[materialized_views.sample]\nquery = \"SELECT id FROM base\"\n\n[[materialized_views.sample.indexes]]\ncolumns = [\"id\"]\n"
        }
        Kind::Function => {
            "[functions.\"sample(a integer)\"]\nreturns = \"integer\"\nlanguage = \"plpgsql\"\nbody = '''\nBEGIN\n  RETURN a + 1;\nEND;\n'''\n"
        }
        Kind::Procedure => {
            "[tables.base.columns]\nid = \"integer\"\n\n[procedures.\"sample(p integer)\"]\nlanguage = \"sql\"\nbody = \"BEGIN ATOMIC INSERT INTO base VALUES (p); END\"\n"
        }
        Kind::Trigger => {
            "[tables.base.columns]\nid = \"integer\"\n\n[[tables.base.triggers]]\nname = \"sample\"\ntiming = \"before\"\nevents = [\"insert\"]\nfor_each = \"row\"\nfunction = \"touch\"\n\n[functions.\"touch()\"]\nreturns = \"trigger\"\nlanguage = \"plpgsql\"\nbody = \"BEGIN RETURN NEW; END\"\n"
        }
        Kind::Policy => {
            "[tables.base]\nrow_level_security = true\n\n[tables.base.columns]\nid = \"integer\"\n\n[[tables.base.policies]]\nname = \"sample\"\ncommand = \"select\"\nusing = \"id > 0\"\n"
        }
    }
}

fn expected_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Extension => "hstore",
        Kind::Schema => "sample",
        Kind::Function | Kind::Procedure => "sample(integer)",
        Kind::Trigger | Kind::Policy => "base.sample",
        // Names in `public` are written bare.
        _ => "sample",
    }
}

async fn read(db: &schemadiff_testkit::TestDatabase, scratch: &ScratchServer) -> Schema {
    let client = db.client().await;
    let live = introspect(&client, &IntrospectOptions::default())
        .await
        .unwrap()
        .schema;
    canonicalize(live, scratch).await.unwrap()
}

#[tokio::test]
async fn every_registered_kind_round_trips_through_every_stage() {
    let (_keep, dev) = common::dev_url().await;
    for kind in Kind::ALL {
        let label = kind.label();
        let toml = sample(kind);
        let loaded = schemadiff_model::load_str("schema.toml", toml)
            .unwrap_or_else(|d| panic!("{label}: the sample does not load:\n{d}"));
        let db = schemadiff_testkit::fresh_database().await;
        let scratch =
            ScratchServer::existing(&with_dbname(db.conninfo(), "postgres"), "test").unwrap();

        // Model and catalog: created on a server and read back.
        let desired = pipeline::desired(&loaded, &scratch).await.unwrap();
        assert_eq!(
            kind.names(&desired),
            vec![expected_name(kind).to_string()],
            "{label}: not read back after creation"
        );

        // Diff: planned from an empty database, applied, read back equal; planned again: nothing.
        let empty = read(&db, &scratch).await;
        let planned = pipeline::plan(&empty, &desired, &Default::default(), &scratch)
            .await
            .unwrap();
        assert!(
            planned
                .plan
                .changes
                .iter()
                .any(|c| c.object.contains("sample") || c.object.contains("hstore")),
            "{label}: the plan from an empty database does not create it"
        );
        let client = db.client().await;
        for sql in planned.plan.statements() {
            client.batch_execute(sql).await.unwrap();
        }
        let applied = read(&db, &scratch).await;
        assert_eq!(
            pipeline::comparable(&applied, &desired),
            pipeline::comparable(&desired, &desired),
            "{label}: the applied plan differs"
        );
        let again = pipeline::plan(&applied, &desired, &Default::default(), &scratch)
            .await
            .unwrap();
        assert!(
            again.plan.changes.is_empty(),
            "{label}: a second plan is not empty"
        );

        // Dump: written, loaded and created again, it is the same schema.
        let dumped = schemadiff_model::to_toml(&applied);
        assert!(
            dumped.contains(&format!("[{}", kind.section())),
            "{label}: the dump has no `[{}]`:\n{dumped}",
            kind.section()
        );
        let reloaded = schemadiff_model::load_str("dump", &dumped)
            .unwrap_or_else(|d| panic!("{label}: the dump does not load:\n{d}"));
        let recreated = pipeline::desired(&reloaded, &scratch).await.unwrap();
        assert_eq!(
            pipeline::comparable(&recreated, &applied),
            pipeline::comparable(&applied, &applied),
            "{label}: the dump does not round-trip"
        );

        // Check: in sync with the applied database, drift against an empty one.
        let dir = common::project("kinds", kind.label(), toml, &[]);
        // The migrations directory gets the object through `write`, so both sides of `check` can be in sync.
        let write = common::schemadiff(&dir, &["write", "--dev-url", &dev, "--name", "init"], &[]);
        assert!(
            write.status.success(),
            "{label}: write: {}",
            String::from_utf8_lossy(&write.stderr)
        );
        let empty_db = schemadiff_testkit::fresh_database().await;
        for (url, code) in [(db.conninfo(), 0), (empty_db.conninfo(), 1)] {
            let out = common::schemadiff(
                &dir,
                &["check", "--dev-url", &dev, "--database-url", url],
                &[],
            );
            assert_eq!(
                out.status.code(),
                Some(code),
                "{label}: check: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
        scratch.cleanup().await.unwrap();
    }
}
