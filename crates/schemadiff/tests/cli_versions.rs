//! The scratch server matches the target's PostgreSQL major version: the live database's, else
//! `postgres_version` in schema.toml. Needs PostgreSQL 17's server binaries besides another major
//! (`scripts/setup` installs 17 into /opt/schemadiff/pg/17).

mod common;

use schemadiff_testkit::cluster::{Cluster, PgBinaries};

const SCHEMA: &str = "[tables.items.columns]\nid = { type = \"bigint\" }\n";

/// PostgreSQL 17's binaries, and another major's (15 preferred), from every installation found.
fn seventeen_and_other() -> (PgBinaries, PgBinaries) {
    let all = PgBinaries::discover_all().unwrap_or_else(|e| panic!("{e}"));
    let pick = |want: &dyn Fn(u32) -> bool| all.iter().find(|b| want(b.version_major())).cloned();
    let seventeen = pick(&|m| m == 17).unwrap_or_else(|| {
        panic!(
            "this test needs PostgreSQL 17's server binaries (run scripts/setup, which installs them into \
             /opt/schemadiff/pg/17); found: {:?}",
            all.iter().map(|b| b.bindir()).collect::<Vec<_>>()
        )
    });
    let other = pick(&|m| m == 15)
        .or_else(|| pick(&|m| m != 17))
        .expect("a major other than 17");
    (seventeen, other)
}

fn bindirs(list: &[&PgBinaries]) -> String {
    let dirs: Vec<String> = list
        .iter()
        .map(|b| b.bindir().display().to_string())
        .collect();
    dirs.join(":")
}

#[test]
fn the_scratch_server_is_of_the_live_databases_major_version() {
    let (seventeen, other) = seventeen_and_other();
    let mut live = Cluster::start(&seventeen).unwrap_or_else(|e| panic!("{e}"));
    let url = live.conninfo("postgres");
    let dir = common::project("cli-versions", "live", SCHEMA, &[]);

    // Both majors there: the scratch server is 17, without a warning.
    let both = bindirs(&[&other, &seventeen]);
    let out = common::schemadiff(
        &dir,
        &["-v", "plan", "--database-url", &url],
        &[("SCHEMADIFF_PG_BINDIR", &both)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("scratch server: PostgreSQL 17 from"),
        "the scratch server should be PostgreSQL 17:\n{stderr}"
    );
    assert!(!stderr.contains("warning:"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("CREATE TABLE public.items"));

    // Only the other major there: it is used, with a warning naming both versions and the way out.
    let only = bindirs(&[&other]);
    let out = common::schemadiff(
        &dir,
        &["plan", "--database-url", &url],
        &[("SCHEMADIFF_PG_BINDIR", &only)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let n = other.version_major();
    for needle in [
        "warning: the target server is PostgreSQL 17, but no PostgreSQL 17 server binaries were found here"
            .to_string(),
        format!("normalizing and verifying on PostgreSQL {n}"),
        "SCHEMADIFF_PG_BINDIR".to_string(),
        "--dev-url".to_string(),
        "the live database".to_string(),
    ] {
        assert!(stderr.contains(&needle), "{needle:?} missing from:\n{stderr}");
    }

    // --dev-url to a server of another major: the same warning's kind.
    let mut dev = Cluster::start(&other).unwrap_or_else(|e| panic!("{e}"));
    let out = common::schemadiff(
        &dir,
        &[
            "plan",
            "--database-url",
            &url,
            "--dev-url",
            &dev.conninfo("postgres"),
        ],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "warning: the target server (the live database) is PostgreSQL 17, but the --dev-url server is PostgreSQL {n}"
        )),
        "{stderr}"
    );
    dev.stop().unwrap();
    live.stop().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn without_a_live_database_postgres_version_decides() {
    let (seventeen, other) = seventeen_and_other();
    let both = bindirs(&[&other, &seventeen]);
    let schema = format!("postgres_version = 17\n\n{SCHEMA}");
    let dir = common::project("cli-versions", "setting", &schema, &[]);
    let out = common::schemadiff(&dir, &["-v", "plan"], &[("SCHEMADIFF_PG_BINDIR", &both)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("scratch server: PostgreSQL 17 from"),
        "{stderr}"
    );
    assert!(!stderr.contains("warning:"), "{stderr}");

    let _ = std::fs::remove_dir_all(&dir);
}
