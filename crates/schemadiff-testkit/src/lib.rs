//! Test support: one throwaway PostgreSQL cluster per test binary, each test
//! its own fresh database.
//!
//! ```no_run
//! # async fn example() {
//! let db = schemadiff_testkit::fresh_database().await;
//! let client = db.client().await;
//! client.batch_execute("CREATE TABLE t (id int)").await.unwrap();
//! # }
//! ```
//!
//! * If `SCHEMADIFF_TEST_DATABASE_URL` is set (a `postgres://` URL or a libpq
//!   `key=value` string, no TLS), databases are created on that server; the
//!   role needs `CREATEDB`. They are not dropped afterwards.
//! * Otherwise the first call starts a local [`Cluster`] (see
//!   [`schemadiff_catalog::cluster`]), shared by every test of the binary even
//!   though each `#[tokio::test]` has its own runtime. It is stopped and its
//!   directory removed by an `atexit` handler when the test binary exits; if the
//!   binary is killed, the server dies with it (parent-death signal).
//! * There is no silent skipping: without PostgreSQL, tests panic with the
//!   discovery error, which says how to install it or point to a server.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use schemadiff_catalog::cluster::{Cluster, PgBinaries, quote_conninfo_value};
use tokio_postgres::NoTls;

pub use schemadiff_catalog::cluster;
pub use schemadiff_catalog::conninfo::with_dbname;

/// Environment variable naming an existing server to use instead of a local
/// throwaway cluster.
pub const DATABASE_URL_ENV: &str = "SCHEMADIFF_TEST_DATABASE_URL";

/// A freshly created, empty database (created from `template0`).
#[derive(Debug, Clone)]
pub struct TestDatabase {
    name: String,
    conninfo: String,
}

impl TestDatabase {
    /// The database name, `sd_test_<pid>_<counter>`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Connection string for this database (libpq `key=value` form for the
    /// local cluster; for `SCHEMADIFF_TEST_DATABASE_URL`, the same form as the
    /// variable with the database replaced).
    pub fn conninfo(&self) -> &str {
        &self.conninfo
    }

    /// Connects to the database; the connection task is spawned on the
    /// current tokio runtime. Panics on failure.
    pub async fn client(&self) -> tokio_postgres::Client {
        connect(&self.conninfo).await
    }
}

/// Information about the local throwaway cluster of this process.
#[derive(Debug, Clone)]
pub struct LocalClusterInfo {
    /// The temporary directory holding the cluster (removed at exit).
    pub base_dir: PathBuf,
    /// The data directory.
    pub data_dir: PathBuf,
    /// Process id of the postmaster.
    pub postmaster_pid: u32,
    /// Server major version.
    pub version_major: u32,
}

struct Local {
    cluster: Mutex<Option<Cluster>>,
    info: LocalClusterInfo,
    /// `conninfo` without `dbname`.
    conninfo_base: String,
}

static LOCAL: OnceLock<Result<Local, String>> = OnceLock::new();
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Whether `SCHEMADIFF_TEST_DATABASE_URL` is set (so no local cluster is used).
pub fn using_external_server() -> bool {
    external_url().is_some()
}

fn external_url() -> Option<String> {
    std::env::var(DATABASE_URL_ENV)
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// The local cluster of this process, if one has been started.
pub fn local_cluster() -> Option<LocalClusterInfo> {
    match LOCAL.get() {
        Some(Ok(local)) => Some(local.info.clone()),
        _ => None,
    }
}

/// Creates a new empty database and returns how to reach it. Starts the local
/// cluster on first use (unless `SCHEMADIFF_TEST_DATABASE_URL` is set). Panics
/// with a descriptive message on failure.
pub async fn fresh_database() -> TestDatabase {
    let server = match external_url() {
        Some(url) => Server::External(url),
        None => Server::Local(local_or_start().await.conninfo_base.clone()),
    };
    let admin = server.admin_conninfo();
    let client = connect(&admin).await;
    let pid = std::process::id();
    for _ in 0..100 {
        let name = format!("sd_test_{pid}_{}", COUNTER.fetch_add(1, Ordering::Relaxed));
        match client
            .batch_execute(&format!("CREATE DATABASE \"{name}\" TEMPLATE template0"))
            .await
        {
            Ok(()) => {
                let conninfo = server.conninfo(&name);
                return TestDatabase { name, conninfo };
            }
            // Left over on an external server by an earlier run: next number.
            Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::DUPLICATE_DATABASE) => {
                continue;
            }
            Err(e) => panic!(
                "schemadiff-testkit: CREATE DATABASE {name} failed: {}",
                describe(&e)
            ),
        }
    }
    panic!("schemadiff-testkit: could not find a free database name");
}

/// Where test databases are created.
enum Server {
    /// `SCHEMADIFF_TEST_DATABASE_URL`.
    External(String),
    /// The local cluster's conninfo without `dbname`.
    Local(String),
}

impl Server {
    fn admin_conninfo(&self) -> String {
        match self {
            Server::External(url) => url.clone(),
            Server::Local(base) => format!("{base} dbname=postgres"),
        }
    }

    fn conninfo(&self, dbname: &str) -> String {
        match self {
            Server::External(url) => with_dbname(url, dbname),
            Server::Local(base) => format!("{base} dbname={}", quote_conninfo_value(dbname)),
        }
    }
}

async fn local_or_start() -> &'static Local {
    let result = match LOCAL.get() {
        Some(r) => r,
        // initdb + startup block for a second or two.
        None => tokio::task::spawn_blocking(|| LOCAL.get_or_init(start_local))
            .await
            .unwrap_or_else(|e| panic!("schemadiff-testkit: starting the cluster panicked: {e}")),
    };
    match result {
        Ok(local) => local,
        Err(msg) => {
            panic!("schemadiff-testkit: cannot start a throwaway PostgreSQL cluster.\n{msg}")
        }
    }
}

fn start_local() -> Result<Local, String> {
    let binaries = PgBinaries::discover().map_err(|e| e.to_string())?;
    let cluster = Cluster::start(&binaries).map_err(|e| e.to_string())?;
    let info = LocalClusterInfo {
        base_dir: cluster.base_dir().to_path_buf(),
        data_dir: cluster.data_dir().to_path_buf(),
        postmaster_pid: cluster.pid(),
        version_major: cluster.version_major(),
    };
    let conninfo_base = format!(
        "host={} port={} user={}",
        quote_conninfo_value(&cluster.socket_dir().to_string_lossy()),
        cluster.port(),
        cluster::SUPERUSER
    );
    // SAFETY: registering a plain `extern "C" fn` with atexit is sound.
    if unsafe { libc::atexit(stop_local_at_exit) } != 0 {
        eprintln!(
            "schemadiff-testkit: atexit registration failed; {} may be left behind",
            info.base_dir.display()
        );
    }
    Ok(Local {
        cluster: Mutex::new(Some(cluster)),
        info,
        conninfo_base,
    })
}

/// Runs at process exit (the test harness returns from main or calls exit()).
extern "C" fn stop_local_at_exit() {
    // Never unwind out of an extern "C" fn.
    let _ = std::panic::catch_unwind(|| {
        if let Some(Ok(local)) = LOCAL.get() {
            let taken = match local.cluster.lock() {
                Ok(mut guard) => guard.take(),
                Err(poisoned) => poisoned.into_inner().take(),
            };
            if let Some(mut cluster) = taken {
                if let Err(e) = cluster.stop() {
                    eprintln!("schemadiff-testkit: stopping the test cluster: {e}");
                }
            }
        }
    });
}

async fn connect(conninfo: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(conninfo, NoTls)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "schemadiff-testkit: cannot connect ({}): {}",
                redact(conninfo),
                describe(&e)
            )
        });
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("schemadiff-testkit: connection error: {e}");
        }
    });
    client
}

/// Error text including the server's message, if any.
fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {} ({})", db.severity(), db.message(), db.code().code()),
        None => {
            let mut s = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(inner) = source {
                s.push_str(&format!(": {inner}"));
                source = inner.source();
            }
            s
        }
    }
}

/// Hides a password in a URL or key=value string for error messages.
fn redact(conninfo: &str) -> String {
    if let Some((scheme, rest)) = schemadiff_catalog::conninfo::split_url(conninfo) {
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        if let Some((userinfo, host)) = authority.rsplit_once('@') {
            if let Some((user, _)) = userinfo.split_once(':') {
                return format!("{scheme}{user}:***@{host}{tail}");
            }
        }
        return conninfo.to_string();
    }
    conninfo
        .split_whitespace()
        .map(|kv| {
            if kv.starts_with("password=") {
                "password=***"
            } else {
                kv
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The repository's root directory (where `tests/`, `snapshots/` and `schema.toml` are).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Like [`snapshot`], for output that may differ on one PostgreSQL major: `<stem>.pg<major>.<ext>` when that file
/// exists (e.g. `dump/03_defaults.pg13.toml`), else `name`.
pub fn snapshot_for_major(name: &str, major: u32, actual: &str) -> Result<(), String> {
    let per_major = match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.pg{major}.{ext}"),
        None => format!("{name}.pg{major}"),
    };
    if repo_root().join("snapshots").join(&per_major).exists() {
        return snapshot(&per_major, actual);
    }
    snapshot(name, actual)
}

/// The server's major version (`server_version_num / 10000`).
pub async fn server_major(client: &tokio_postgres::Client) -> u32 {
    client
        .query_one(
            "SELECT current_setting('server_version_num')::int / 10000",
            &[],
        )
        .await
        .unwrap_or_else(|e| panic!("schemadiff-testkit: {}", describe(&e)))
        .get::<_, i32>(0) as u32
}

/// Compare `actual` with `snapshots/<name>`: `Ok` when equal, else an error with a unified diff. With
/// `SCHEMADIFF_UPDATE_SNAPSHOTS` set, the snapshot is (re)written instead; review the change with `git diff`.
pub fn snapshot(name: &str, actual: &str) -> Result<(), String> {
    let path = repo_root().join("snapshots").join(name);
    if std::env::var_os("SCHEMADIFF_UPDATE_SNAPSHOTS").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("snapshots/{name}: {e}"))?;
        }
        return std::fs::write(&path, actual).map_err(|e| format!("snapshots/{name}: {e}"));
    }
    let expected = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "snapshots/{name}: {e} (SCHEMADIFF_UPDATE_SNAPSHOTS=1 creates it)\nactual:\n{actual}"
        )
    })?;
    if expected == actual {
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
        .unified_diff()
        .header("snapshot", "actual")
        .to_string();
    Err(format!(
        "snapshots/{name} differs (SCHEMADIFF_UPDATE_SNAPSHOTS=1 rewrites it):\n{diff}"
    ))
}

/// Environment variable listing extensions (comma-separated, e.g. `postgis`) that tests may find missing on the
/// test server: the version matrix sets it for majors without PostGIS. Unset, a missing extension fails the
/// test that needs it, as on the full suite.
pub const ALLOW_MISSING_ENV: &str = "SCHEMADIFF_TEST_ALLOW_MISSING_EXTENSIONS";

/// Environment variable naming a file each skip is appended to (one line each), so that a CI log can list what
/// a run skipped (test output is only shown for failures).
pub const SKIP_LOG_ENV: &str = "SCHEMADIFF_TEST_SKIP_LOG";

/// Whether `extension` can be created on the server of `client`. When it cannot and `SCHEMADIFF_TEST_ALLOW_
/// MISSING_EXTENSIONS` lists it, says that `what` is skipped (on stderr and in `SCHEMADIFF_TEST_SKIP_LOG`) and
/// returns false; when it cannot and the variable does not list it, panics: nothing is skipped silently.
pub async fn extension_available(
    client: &tokio_postgres::Client,
    extension: &str,
    what: &str,
) -> bool {
    let row = client
        .query_one(
            "SELECT EXISTS (SELECT FROM pg_available_extensions WHERE name = $1), \
             current_setting('server_version')",
            &[&extension],
        )
        .await
        .unwrap_or_else(|e| panic!("schemadiff-testkit: {}", describe(&e)));
    let (available, version): (bool, String) = (row.get(0), row.get(1));
    if available {
        return true;
    }
    let allowed = std::env::var(ALLOW_MISSING_ENV).unwrap_or_default();
    if !allowed.split(',').any(|a| a.trim() == extension) {
        panic!(
            "{what} needs the {extension} extension, which this PostgreSQL {version} server does not have \
             (install it, e.g. with scripts/setup; set {ALLOW_MISSING_ENV}={extension} to skip instead)"
        );
    }
    note_skip(&format!(
        "SKIPPED on PostgreSQL {version}: {what} (needs {extension}, not installed for this server)"
    ));
    false
}

/// Says on stderr, and in the file named by `SCHEMADIFF_TEST_SKIP_LOG` when set, that something was skipped.
pub fn note_skip(line: &str) {
    eprintln!("{line}");
    if let Some(path) = std::env::var_os(SKIP_LOG_ENV).filter(|p| !p.is_empty()) {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(f, "{line}");
        }
    }
}

/// A `pg_dump` that can dump a server of major version `major`: the same major's when there is one, else the
/// oldest newer one (pg_dump reads older servers, never newer ones). Looked for beside every server found by
/// [`PgBinaries::discover_all`], in `/usr/lib/postgresql/*/bin`, in `$SCHEMADIFF_PG_ROOT/*/bin` (where
/// `scripts/setup --versions` puts a recent pg_dump, as `client-<major>`), and on `PATH`.
pub fn pg_dump_for(major: u32) -> Result<PathBuf, String> {
    let mut dirs: Vec<PathBuf> = PgBinaries::discover_all()
        .map(|all| all.iter().map(|b| b.bindir().to_path_buf()).collect())
        .unwrap_or_default();
    for parent in [
        PathBuf::from("/usr/lib/postgresql"),
        schemadiff_catalog::cluster::install_root(),
    ] {
        if let Ok(entries) = std::fs::read_dir(&parent) {
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .collect();
            found.sort();
            dirs.extend(found);
        }
    }
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let mut best: Option<(u32, PathBuf)> = None;
    let mut seen = Vec::new();
    for dir in dirs {
        let exe = dir.join("pg_dump");
        if !exe.is_file() {
            continue;
        }
        let Some(v) = std::process::Command::new(&exe)
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| {
                let text = String::from_utf8_lossy(&o.stdout).to_string();
                let token = text
                    .split(')')
                    .nth(1)?
                    .split_whitespace()
                    .next()?
                    .to_string();
                token
                    .chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect::<String>()
                    .parse::<u32>()
                    .ok()
            })
        else {
            continue;
        };
        seen.push(format!("{} ({v})", exe.display()));
        if v >= major && best.as_ref().is_none_or(|(b, _)| v < *b) {
            best = Some((v, exe));
        }
    }
    best.map(|(_, p)| p).ok_or_else(|| {
        format!(
            "no pg_dump of PostgreSQL {major} or later found (seen: {}); `scripts/setup --versions {major}` \
             installs one",
            if seen.is_empty() { "none".to_string() } else { seen.join(", ") }
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_dbname_in_urls() {
        assert_eq!(
            with_dbname("postgres://u:p@h:5433/orig?sslmode=disable", "x"),
            "postgres://u:p@h:5433/x?sslmode=disable"
        );
        assert_eq!(with_dbname("postgresql://h", "x"), "postgresql://h/x");
        assert_eq!(with_dbname("postgres://h/", "x"), "postgres://h/x");
        assert_eq!(
            with_dbname("postgres://h/a?dbname=b&user=u", "x"),
            "postgres://h/x?user=u"
        );
        assert_eq!(
            with_dbname("host=/tmp user=me dbname=orig", "x"),
            "host=/tmp user=me dbname=orig dbname=x"
        );
        let config: tokio_postgres::Config =
            with_dbname("host=/tmp dbname=orig", "x").parse().unwrap();
        assert_eq!(config.get_dbname(), Some("x"));
        let config: tokio_postgres::Config =
            with_dbname("postgres://u@%2Ftmp%2Fsock:5433/orig?sslmode=disable", "x")
                .parse()
                .unwrap();
        assert_eq!(config.get_dbname(), Some("x"));
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("host=h password=secret"), "host=h password=***");
    }
}
