//! Online mode keeps writes going: while the online plan runs on a table with rows (a primary key, a foreign
//! key, a CHECK and an index added), a second connection keeps inserting, and every insert's wait is measured.
//! No insert may wait longer than the plan's lock_timeout plus a margin, and inserts must complete while the
//! concurrent index builds run. The same change planned plainly is the control: there, an insert waits for
//! most of the index build (so the measurement does see blocking).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use schemadiff::pipeline;
use schemadiff_catalog::conninfo::with_dbname;
use schemadiff_catalog::introspect::{IntrospectOptions, introspect};
use schemadiff_catalog::normalize::canonicalize;
use schemadiff_catalog::scratch::ScratchServer;
use schemadiff_diff::online::{self, Timeouts};

const BEFORE: &str = "
CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO customers SELECT i, 'c' || i FROM generate_series(1, 100) i;
CREATE TABLE items (id bigint, customer_id bigint NOT NULL, code text NOT NULL, qty integer NOT NULL);
INSERT INTO items SELECT i, 1 + i % 100, md5(i::text), i % 1000 FROM generate_series(1, 400000) i;
ANALYZE items;";

const AFTER: &str = "
ALTER TABLE items ADD PRIMARY KEY (id);
ALTER TABLE items ADD FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE items ADD CONSTRAINT items_qty_check CHECK (qty >= 0);
CREATE INDEX items_code_idx ON items (code, qty);";

const LOCK_TIMEOUT_MS: u64 = 1000;

/// What one run measured: the longest index build, the longest insert wait, and how many inserts completed
/// while the longest build ran.
struct Run {
    build: Duration,
    max_wait: Duration,
    during_build: usize,
}

async fn run(online_mode: bool) -> Run {
    let live = schemadiff_testkit::fresh_database().await;
    let target = schemadiff_testkit::fresh_database().await;
    let scratch = ScratchServer::existing(
        &with_dbname(live.conninfo(), "postgres"),
        "the test cluster",
    )
    .unwrap();
    let (a, d) = (live.client().await, target.client().await);
    a.batch_execute(BEFORE).await.unwrap();
    d.batch_execute("CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL); CREATE TABLE items (id bigint, customer_id bigint NOT NULL, code text NOT NULL, qty integer NOT NULL);").await.unwrap();
    d.batch_execute(AFTER).await.unwrap();
    let read = async |c: &tokio_postgres::Client| {
        let s = introspect(c, &IntrospectOptions::default())
            .await
            .unwrap()
            .schema;
        canonicalize(s, &scratch).await.unwrap()
    };
    let current = read(&a).await;
    let desired = read(&d).await;
    let mut config = schemadiff_model::MigrationsConfig {
        online: online_mode,
        lock_timeout: Some(format!("{LOCK_TIMEOUT_MS}ms")),
        ..Default::default()
    };
    config.statement_timeout = Some("5min".into());
    let mut directives = schemadiff_model::Directives::default();
    directives.migrations = Some(config.clone());
    let planned = pipeline::plan(&current, &desired, &directives, &scratch)
        .await
        .unwrap();
    scratch.cleanup().await.unwrap();
    let statements = if online_mode {
        online::statements(&planned.plan.changes, &Timeouts::of(&config), true)
    } else {
        planned.plan.statements().map(str::to_string).collect()
    };
    assert!(
        statements.iter().any(|s| s.contains("INDEX")),
        "no index build in {statements:?}"
    );

    // The writer: one insert at a time, each timed, until the plan is done.
    let writer = live.client().await;
    let done = Arc::new(AtomicBool::new(false));
    let stop = done.clone();
    let inserts = tokio::spawn(async move {
        let mut finished: Vec<(Instant, Duration)> = Vec::new();
        let mut id = 1_000_000i64;
        while !stop.load(Ordering::SeqCst) {
            id += 1;
            let start = Instant::now();
            writer
                .execute(
                    "INSERT INTO items VALUES ($1::bigint, 1 + $1::bigint % 100, md5($1::bigint::text), 1)",
                    &[&id],
                )
                .await
                .unwrap();
            finished.push((Instant::now(), start.elapsed()));
        }
        finished
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut builds: Vec<(Instant, Instant)> = Vec::new();
    for sql in &statements {
        let start = Instant::now();
        a.batch_execute(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        if sql.contains(" INDEX ") && sql.starts_with("CREATE") || sql.contains("PRIMARY KEY (") {
            builds.push((start, Instant::now()));
        }
    }
    done.store(true, Ordering::SeqCst);
    let finished = inserts.await.unwrap();
    let (b0, b1) = builds
        .iter()
        .max_by_key(|(s, e)| *e - *s)
        .copied()
        .expect("an index build");
    Run {
        build: b1 - b0,
        max_wait: finished.iter().map(|(_, w)| *w).max().unwrap_or_default(),
        during_build: finished
            .iter()
            .filter(|(at, w)| *at > b0 && *at - *w >= b0 && *at < b1)
            .count(),
    }
}

#[tokio::test]
async fn writes_go_on_while_the_online_plan_runs() {
    let online = run(true).await;
    let margin = Duration::from_millis(LOCK_TIMEOUT_MS + 1500);
    assert!(
        online.max_wait <= margin,
        "online: an insert waited {:?} (lock_timeout {LOCK_TIMEOUT_MS}ms; the longest build took {:?})",
        online.max_wait,
        online.build
    );
    assert!(
        online.during_build > 0,
        "online: no insert started and completed during the longest index build ({:?})",
        online.build
    );

    // The control: planned plainly, the index build blocks the inserts.
    let plain = run(false).await;
    assert!(
        plain.max_wait * 2 >= plain.build,
        "plain: the longest insert wait {:?} is not most of the index build {:?}: the measurement does not see blocking",
        plain.max_wait,
        plain.build
    );
    eprintln!(
        "online: build {:?}, max insert wait {:?}, {} inserts during it; plain: build {:?}, max wait {:?}",
        online.build, online.max_wait, online.during_build, plain.build, plain.max_wait
    );
}
