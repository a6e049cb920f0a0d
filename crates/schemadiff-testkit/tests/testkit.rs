//! Tests of the test kit itself: fresh databases, privilege dropping, and that
//! the throwaway cluster goes away with the test process.
//!
//! The process-lifetime tests re-run this very test binary as a child (selecting
//! one of the `child_*` helpers through `CHILD_MODE_ENV`); without that variable
//! the helpers do nothing.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use schemadiff_testkit::{fresh_database, local_cluster, using_external_server};

const CHILD_MODE_ENV: &str = "SCHEMADIFF_TESTKIT_CHILD_MODE";

#[tokio::test]
async fn two_fresh_databases_are_distinct() {
    let a = fresh_database().await;
    let b = fresh_database().await;
    assert_ne!(a.name(), b.name());
    assert_ne!(a.conninfo(), b.conninfo());
    for db in [&a, &b] {
        let client = db.client().await;
        let row = client
            .query_one("SELECT 1::int4, current_database()::text", &[])
            .await
            .unwrap();
        assert_eq!(row.get::<_, i32>(0), 1);
        assert_eq!(row.get::<_, String>(1), db.name());
    }
    // Fresh means empty: nothing created in one shows up in the other.
    a.client()
        .await
        .batch_execute("CREATE TABLE only_in_a (id int)")
        .await
        .unwrap();
    let n: i64 = b
        .client()
        .await
        .query_one(
            "SELECT count(*) FROM pg_class WHERE relname = 'only_in_a'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
}

fn proc_status_field(pid: u32, field: &str) -> Option<String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        line.strip_prefix(field)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(|v| v.trim().to_string())
    })
}

/// Real uid of a process.
fn proc_uid(pid: u32) -> u32 {
    let uid = proc_status_field(pid, "Uid").unwrap_or_else(|| panic!("no /proc/{pid}/status"));
    uid.split_whitespace().next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn server_runs_unprivileged_and_belongs_to_us() {
    if using_external_server() {
        eprintln!("SCHEMADIFF_TEST_DATABASE_URL is set: no local cluster to inspect");
        return;
    }
    let db = fresh_database().await;
    let info = local_cluster().expect("local cluster started by fresh_database");
    let client = db.client().await;
    let row = client
        .query_one(
            "SELECT pg_backend_pid(), current_setting('data_directory')",
            &[],
        )
        .await
        .unwrap();
    let backend_pid = row.get::<_, i32>(0) as u32;
    let data_directory = PathBuf::from(row.get::<_, String>(1));
    assert_eq!(
        std::fs::canonicalize(&data_directory).unwrap(),
        std::fs::canonicalize(&info.data_dir).unwrap()
    );

    // The postmaster is our child and the backend is the postmaster's child.
    let ppid = |pid: u32| -> u32 { proc_status_field(pid, "PPid").unwrap().parse().unwrap() };
    assert_eq!(ppid(info.postmaster_pid), std::process::id());
    assert_eq!(ppid(backend_pid), info.postmaster_pid);

    // SAFETY: geteuid cannot fail.
    let euid = unsafe { libc::geteuid() };
    let server_uid = proc_uid(info.postmaster_pid);
    assert_eq!(proc_uid(backend_pid), server_uid);
    let data_owner = std::fs::metadata(&info.data_dir).unwrap().uid();
    assert_eq!(
        data_owner, server_uid,
        "data directory owned by the server user"
    );
    if euid == 0 {
        assert_ne!(server_uid, 0, "postgres must not run as root");
    } else {
        assert_eq!(server_uid, euid, "postgres runs as the current user");
    }
    let mode = std::fs::metadata(&info.base_dir).unwrap().mode() & 0o777;
    assert_eq!(mode, 0o700, "the cluster directory is private");
}

/// Whether `pid` is a live (non-zombie) postgres process.
fn postgres_alive(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // "<pid> (<comm>) <state> ..."
    let Some(close) = stat.rfind(')') else {
        return false;
    };
    let comm = &stat[stat.find('(').unwrap_or(0) + 1..close];
    let state = stat[close + 1..].trim_start().chars().next().unwrap_or('X');
    comm.starts_with("postgres") && !matches!(state, 'Z' | 'X' | 'x')
}

fn wait_until(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The child processes always start a local cluster; that needs local binaries
/// even when the rest of the suite uses SCHEMADIFF_TEST_DATABASE_URL.
fn skip_child_tests() -> bool {
    if !using_external_server() {
        return false;
    }
    match schemadiff_testkit::cluster::PgBinaries::discover() {
        Ok(_) => false,
        Err(e) => {
            eprintln!("SCHEMADIFF_TEST_DATABASE_URL is set and no local binaries: skipping ({e})");
            true
        }
    }
}

struct ChildCluster {
    child: std::process::Child,
    postmaster_pid: u32,
    base_dir: PathBuf,
}

/// Runs helper test `name` of this binary in a child process and waits until
/// it reports its cluster.
fn spawn_child(name: &str, mode: &str) -> ChildCluster {
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_MODE_ENV, mode)
        .env_remove("SCHEMADIFF_TEST_DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut transcript = String::new();
    loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let line = line.trim_end();
        transcript.push_str(line);
        transcript.push('\n');
        // libtest may have printed "test <name> ... " on the same line.
        if let Some(rest) = line.split_once("SD_CLUSTER pid=").map(|(_, r)| r) {
            let (pid, dir) = rest.split_once(" dir=").unwrap();
            // Keep draining the pipe so that the child's harness can still print.
            std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
            return ChildCluster {
                child,
                postmaster_pid: pid.parse().unwrap(),
                base_dir: PathBuf::from(dir),
            };
        }
    }
    let status = child.wait().unwrap();
    panic!("child exited ({status}) without reporting a cluster; its output:\n{transcript}");
}

async fn report_cluster() {
    let db = fresh_database().await;
    db.client().await.batch_execute("SELECT 1").await.unwrap();
    let info = local_cluster().unwrap();
    assert!(postgres_alive(info.postmaster_pid));
    println!(
        "SD_CLUSTER pid={} dir={}",
        info.postmaster_pid,
        info.base_dir.display()
    );
}

#[tokio::test]
async fn child_exits_normally() {
    if std::env::var(CHILD_MODE_ENV).as_deref() != Ok("exit") {
        return;
    }
    report_cluster().await;
    // Returning lets the harness exit; the atexit handler stops the cluster.
}

#[tokio::test]
async fn child_waits_to_be_killed() {
    if std::env::var(CHILD_MODE_ENV).as_deref() != Ok("kill") {
        return;
    }
    report_cluster().await;
    std::thread::sleep(Duration::from_secs(120));
}

#[test]
fn cluster_is_removed_when_the_test_process_exits() {
    if skip_child_tests() {
        return;
    }
    let mut c = spawn_child("child_exits_normally", "exit");
    assert!(c.base_dir.join("data").is_dir());
    let status = c.child.wait().unwrap();
    assert!(status.success(), "child failed: {status}");
    // The atexit handler ran before the child exited: everything is gone already.
    assert!(
        !postgres_alive(c.postmaster_pid),
        "postmaster {} still running",
        c.postmaster_pid
    );
    assert!(
        !c.base_dir.exists(),
        "{} was not removed",
        c.base_dir.display()
    );
}

#[test]
fn postmaster_dies_when_the_test_process_is_killed() {
    if skip_child_tests() {
        return;
    }
    let mut c = spawn_child("child_waits_to_be_killed", "kill");
    assert!(postgres_alive(c.postmaster_pid));
    c.child.kill().unwrap(); // SIGKILL: no atexit, only PR_SET_PDEATHSIG
    c.child.wait().unwrap();
    let gone = wait_until(Duration::from_secs(15), || {
        !postgres_alive(c.postmaster_pid)
    });
    // A killed process cannot clean up its directory; do it for it.
    let _ = std::fs::remove_dir_all(&c.base_dir);
    assert!(gone, "postmaster {} survived its parent", c.postmaster_pid);
    assert!(!Path::new(&c.base_dir).exists());
}
