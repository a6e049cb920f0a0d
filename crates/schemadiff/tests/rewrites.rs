//! The rewrite hazard is true: for each change, the table is built with rows, the plan made and applied, and
//! whether the table was rewritten (its file node changed) must be whether the plan says `rewrites_table`.
//! Changes PostgreSQL made cheap (a varchar made longer, a numeric given more digits, a new column with a
//! non-volatile default) must not say it; the others (a narrower varchar, a new scale, a volatile default) must.

use schemadiff::pipeline;
use schemadiff_catalog::conninfo::with_dbname;
use schemadiff_catalog::introspect::{IntrospectOptions, introspect};
use schemadiff_catalog::normalize::canonicalize;
use schemadiff_catalog::scratch::ScratchServer;
use schemadiff_diff::Hazard;

const BEFORE: &str = "CREATE TABLE t (id bigint PRIMARY KEY, name varchar(50) NOT NULL, price numeric(10,2) NOT NULL, note text);
INSERT INTO t SELECT i, 'n' || i, i, 'x' FROM generate_series(1, 200) i;";

/// (what, the statement that makes the desired schema from BEFORE).
const CHANGES: &[(&str, &str)] = &[
    (
        "varchar made longer",
        "ALTER TABLE t ALTER COLUMN name TYPE varchar(100)",
    ),
    (
        "varchar made unbounded",
        "ALTER TABLE t ALTER COLUMN name TYPE varchar",
    ),
    (
        "varchar to text",
        "ALTER TABLE t ALTER COLUMN name TYPE text",
    ),
    (
        "numeric given more digits",
        "ALTER TABLE t ALTER COLUMN price TYPE numeric(14,2)",
    ),
    (
        "varchar made shorter",
        "ALTER TABLE t ALTER COLUMN name TYPE varchar(40)",
    ),
    (
        "numeric given a new scale",
        "ALTER TABLE t ALTER COLUMN price TYPE numeric(12,3)",
    ),
    (
        "text to a bounded varchar",
        "ALTER TABLE t ALTER COLUMN note TYPE varchar(10)",
    ),
    (
        "column with a constant default",
        "ALTER TABLE t ADD COLUMN flag boolean NOT NULL DEFAULT false",
    ),
    (
        "column with a stable default",
        "ALTER TABLE t ADD COLUMN seen timestamptz DEFAULT now()",
    ),
    (
        "column with a volatile default",
        "ALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid()",
    ),
    (
        "column with a volatile default",
        "ALTER TABLE t ADD COLUMN r double precision DEFAULT random()",
    ),
];

async fn filenode(c: &tokio_postgres::Client) -> u32 {
    c.query_one("SELECT pg_relation_filenode('t')::oid", &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn the_rewrite_hazard_says_what_postgresql_does() {
    let mut wrong = Vec::new();
    for (what, statement) in CHANGES {
        let live = schemadiff_testkit::fresh_database().await;
        let target = schemadiff_testkit::fresh_database().await;
        let scratch = ScratchServer::existing(
            &with_dbname(live.conninfo(), "postgres"),
            "the test cluster",
        )
        .unwrap();
        let (l, d) = (live.client().await, target.client().await);
        l.batch_execute(BEFORE).await.unwrap();
        d.batch_execute(BEFORE).await.unwrap();
        d.batch_execute(statement).await.unwrap();
        let read = async |c: &tokio_postgres::Client| {
            let s = introspect(c, &IntrospectOptions::default())
                .await
                .unwrap()
                .schema;
            canonicalize(s, &scratch).await.unwrap()
        };
        let (current, desired) = (read(&l).await, read(&d).await);
        let planned = pipeline::plan(&current, &desired, &Default::default(), &scratch)
            .await
            .unwrap();
        let says = planned
            .plan
            .changes
            .iter()
            .any(|c| c.hazards.contains(&Hazard::RewritesTable));
        let node = filenode(&l).await;
        for sql in planned.plan.statements() {
            l.batch_execute(sql).await.unwrap();
        }
        let rewrote = filenode(&l).await != node;
        if says != rewrote {
            wrong.push(format!(
                "{what} ({statement}): the plan says rewrites_table = {says}, PostgreSQL rewrote = {rewrote}"
            ));
        }
        scratch.cleanup().await.unwrap();
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
