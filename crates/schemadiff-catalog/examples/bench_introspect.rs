//! Benchmark: schemadiff introspection against `pg_dump --schema-only`.
//!
//! ```text
//! cargo run --release -p schemadiff-catalog --example bench_introspect [-- --tables 1000,10000] [--runs 3]
//! ```
//!
//! Starts one throwaway cluster, creates one database per size with a generated
//! schema of N tables (calendar-app style: uuid keys, timestamptz defaults,
//! jsonb, numeric, CHECK, UNIQUE, foreign keys, DESC and partial indexes,
//! comments), then measures for each database, best of `--runs`:
//!
//! * schemadiff introspection: a child process (this binary, hidden mode
//!   `--measure-introspect <conninfo>`) connects, introspects and exits;
//! * `pg_dump --schema-only -f /dev/null` from the cluster's bin directory.
//!
//! Both children are started through a small wrapper process (hidden mode
//! `--rusage-wrap <program> [args]`) that times the child from spawn to exit
//! and reads its peak RSS with `wait4`. The wrapper is needed because Linux
//! carries the parent's high-water RSS over `exec` into the child's
//! `ru_maxrss`; the freshly started wrapper is small, the benchmark process
//! (which generated the schema) is not.
//!
//! See docs/benchmarks.md.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use schemadiff_catalog::cluster::{Cluster, ClusterOptions, PgBinaries};
use schemadiff_catalog::introspect::{IntrospectOptions, introspect};
use tokio_postgres::{Client, NoTls};

const DEFAULT_SIZES: &[usize] = &[1000, 10_000];
const DEFAULT_RUNS: usize = 3;
/// Tables created per `batch_execute` call (one implicit transaction each).
const TABLES_PER_BATCH: usize = 250;
/// The size the targets are about.
const TARGET_TABLES: usize = 10_000;
/// Peak-memory target of the introspection, in bytes.
const TARGET_RSS_BYTES: u64 = 200 * 1000 * 1000;

type Error = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("--measure-introspect") => measure_introspect(&args[1..]),
        Some("--rusage-wrap") => return rusage_wrap(&args[1..]),
        Some("--print-schema") => print_schema(&args[1..]),
        _ => bench(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_introspect: {e}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------
// Hidden child modes
// ---------------------------------------------------------------------------

/// `--measure-introspect <conninfo>`: connect, introspect, print one
/// `INTROSPECT key=value ...` line and exit.
fn measure_introspect(args: &[String]) -> Result<(), Error> {
    let [conninfo] = args else {
        return Err("usage: --measure-introspect <conninfo>".into());
    };
    let started = Instant::now();
    let rt = runtime()?;
    let line = rt.block_on(async {
        let client = connect(conninfo).await?;
        let connected = started.elapsed();
        let t = Instant::now();
        let result = introspect(&client, &IntrospectOptions::default()).await?;
        let introspected = t.elapsed();
        let counts = Counts::of(&result.schema);
        Ok::<_, Error>(format!(
            "INTROSPECT connect_ns={} introspect_ns={} statements={} {} vmhwm_kib={}",
            connected.as_nanos(),
            introspected.as_nanos(),
            result.statements,
            counts.to_kv(),
            vm_hwm_kib().unwrap_or(0)
        ))
    })?;
    println!("{line}");
    Ok(())
}

/// `--rusage-wrap <program> [args...]`: run the program (stdout and stderr
/// inherited), then print `RUSAGE wall_ns=.. maxrss_kib=.. wrapper_hwm_kib=..`
/// and exit with the program's status.
fn rusage_wrap(args: &[String]) -> ExitCode {
    let Some((program, rest)) = args.split_first() else {
        eprintln!("usage: --rusage-wrap <program> [args...]");
        return ExitCode::FAILURE;
    };
    let wrapper_hwm = vm_hwm_kib().unwrap_or(0);
    let started = Instant::now();
    let child = match Command::new(program)
        .args(rest)
        .stdin(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("cannot run {program}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (status, rusage) = match wait4(child.id()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("wait4 failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    let wall = started.elapsed();
    println!(
        "RUSAGE wall_ns={} maxrss_kib={} wrapper_hwm_kib={wrapper_hwm} status={status}",
        wall.as_nanos(),
        rusage.ru_maxrss
    );
    if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Waits for child `pid` (retrying on EINTR) and returns its wait status and
/// resource usage. `std::process::Child` does not wait on drop, so reaping it
/// here is fine.
fn wait4(pid: u32) -> std::io::Result<(i32, libc::rusage)> {
    let mut status = 0;
    // SAFETY: rusage is plain old data; all-zero is a valid value.
    let mut rusage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid pointers to locals; pid is our own child.
        let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut rusage) };
        if r == pid as libc::pid_t {
            return Ok((status, rusage));
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// `VmHWM` (peak resident set size of this process) from /proc/self/status, in KiB.
fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

// ---------------------------------------------------------------------------
// Counting what was read
// ---------------------------------------------------------------------------

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    tables: usize,
    columns: usize,
    indexes: usize,
    foreign_keys: usize,
    checks: usize,
    uniques: usize,
    comments: usize,
}

impl Counts {
    fn of(schema: &schemadiff_model::Schema) -> Counts {
        let mut c = Counts {
            tables: schema.tables.len(),
            ..Counts::default()
        };
        for t in &schema.tables {
            c.columns += t.columns.len();
            c.indexes += t.indexes.len();
            c.foreign_keys += t.foreign_keys.len();
            c.checks += t.checks.len();
            c.uniques += t.uniques.len();
            c.comments += usize::from(t.comment.is_some())
                + t.columns.iter().filter(|c| c.comment.is_some()).count();
        }
        c
    }

    fn to_kv(self) -> String {
        format!(
            "tables={} columns={} indexes={} foreign_keys={} checks={} uniques={} comments={}",
            self.tables,
            self.columns,
            self.indexes,
            self.foreign_keys,
            self.checks,
            self.uniques,
            self.comments
        )
    }

    fn from_kv(kv: &BTreeMap<String, String>) -> Result<Counts, Error> {
        let get = |k: &str| -> Result<usize, Error> {
            kv.get(k)
                .ok_or_else(|| format!("child output lacks {k}"))?
                .parse()
                .map_err(|e| format!("bad {k}: {e}").into())
        };
        Ok(Counts {
            tables: get("tables")?,
            columns: get("columns")?,
            indexes: get("indexes")?,
            foreign_keys: get("foreign_keys")?,
            checks: get("checks")?,
            uniques: get("uniques")?,
            comments: get("comments")?,
        })
    }

    fn describe(self) -> String {
        format!(
            "{} tables, {} columns, {} indexes, {} foreign keys, {} checks, {} uniques, {} comments",
            self.tables,
            self.columns,
            self.indexes,
            self.foreign_keys,
            self.checks,
            self.uniques,
            self.comments
        )
    }
}

// ---------------------------------------------------------------------------
// Schema generation
// ---------------------------------------------------------------------------

const KINDS: &[&str] = &[
    "calendar",
    "event",
    "attendee",
    "reminder",
    "invitation",
    "room",
    "resource",
    "recurrence",
];

fn table_name(i: usize) -> String {
    format!("{}_{i:05}", KINDS[i % KINDS.len()])
}

/// Appends the DDL of table `i` (0-based; foreign keys only point to earlier
/// tables) to `sql` and counts what it creates.
///
/// Every table has 8 to 12 columns: a uuid primary key with
/// `gen_random_uuid()`, two timestamptz with `now()`, varchar, bigint, boolean,
/// jsonb, a uuid reference to an earlier table (ON DELETE CASCADE, SET NULL or
/// RESTRICT), and 0 to 4 of `starts_at`, `ends_at`, `price numeric(10,2)`,
/// `slug varchar(64)`; 1 in 10 tables has a second reference. 2 in 5 have a
/// CHECK, 1 in 5 a UNIQUE; each has 1 to 3 indexes (a DESC one, one on the
/// reference, a partial one on half of them); a comment on every table and on
/// one or two columns.
fn table_sql(i: usize, sql: &mut String, counts: &mut Counts) {
    let t = table_name(i);
    let extras = i % 5;
    let mut cols: Vec<String> = vec![
        "id uuid DEFAULT gen_random_uuid() PRIMARY KEY".into(),
        "created_at timestamptz NOT NULL DEFAULT now()".into(),
        "updated_at timestamptz NOT NULL DEFAULT now()".into(),
        "name varchar(200) NOT NULL".into(),
        "owner_id bigint NOT NULL".into(),
        "is_archived boolean NOT NULL DEFAULT false".into(),
        "metadata jsonb NOT NULL DEFAULT '{}'::jsonb".into(),
    ];
    if i == 0 {
        cols.push("external_ref varchar(100)".into());
    } else {
        // An earlier table, at most 100 back.
        let window = i.min(100);
        let parent = i - 1 - (i.wrapping_mul(7919) % window);
        let action = ["CASCADE", "SET NULL", "RESTRICT"][i % 3];
        cols.push(format!(
            "parent_id uuid REFERENCES {} ON DELETE {action}",
            table_name(parent)
        ));
        counts.foreign_keys += 1;
    }
    let optional = [
        "starts_at timestamptz NOT NULL DEFAULT now()",
        "ends_at timestamptz",
        "price numeric(10,2) NOT NULL DEFAULT 0",
        "slug varchar(64) NOT NULL",
    ];
    cols.extend(optional[..extras].iter().map(|c| c.to_string()));
    if i % 10 == 3 {
        cols.push(format!(
            "related_id uuid REFERENCES {} ON DELETE SET NULL",
            table_name(i / 2)
        ));
        counts.foreign_keys += 1;
    }
    counts.columns += cols.len();
    if extras >= 2 {
        cols.push(format!(
            "CONSTRAINT {t}_period_check CHECK (ends_at IS NULL OR ends_at > starts_at)"
        ));
        counts.checks += 1;
    }
    if extras == 4 {
        cols.push(format!(
            "CONSTRAINT {t}_owner_slug_key UNIQUE (owner_id, slug)"
        ));
        counts.uniques += 1;
    }
    counts.tables += 1;
    let _ = writeln!(sql, "CREATE TABLE {t} (\n  {}\n);", cols.join(",\n  "));

    let _ = writeln!(
        sql,
        "CREATE INDEX {t}_created_at_idx ON {t} (created_at DESC);"
    );
    counts.indexes += 1;
    if i > 0 {
        let _ = writeln!(sql, "CREATE INDEX {t}_parent_id_idx ON {t} (parent_id);");
        counts.indexes += 1;
    }
    if i % 2 == 0 {
        let _ = writeln!(
            sql,
            "CREATE INDEX {t}_owner_active_idx ON {t} (owner_id, updated_at DESC) WHERE NOT is_archived;"
        );
        counts.indexes += 1;
    }

    let kind = KINDS[i % KINDS.len()];
    let _ = writeln!(
        sql,
        "COMMENT ON TABLE {t} IS 'The {kind}s of shard {i}: one row per {kind}, owned by an account.';"
    );
    let _ = writeln!(
        sql,
        "COMMENT ON COLUMN {t}.name IS 'Display name of the {kind}, as typed by its owner.';"
    );
    counts.comments += 2;
    if i % 3 == 0 {
        let _ = writeln!(
            sql,
            "COMMENT ON COLUMN {t}.metadata IS 'Free-form client settings (JSON object).';"
        );
        counts.comments += 1;
    }
}

/// `--print-schema <n>`: writes the generated DDL of `n` tables to stdout
/// (e.g. to load it with psql and look at query plans).
fn print_schema(args: &[String]) -> Result<(), Error> {
    let [n] = args else {
        return Err("usage: --print-schema <tables>".into());
    };
    let n: usize = n.parse().map_err(|e| format!("--print-schema: {e}"))?;
    let mut sql = String::new();
    let mut counts = Counts::default();
    for i in 0..n {
        table_sql(i, &mut sql, &mut counts);
    }
    print!("{sql}");
    Ok(())
}

/// Creates `n` tables in batches and returns what was created.
async fn generate(client: &Client, n: usize) -> Result<Counts, Error> {
    let mut counts = Counts::default();
    let mut sql = String::new();
    let mut i = 0;
    while i < n {
        sql.clear();
        let end = (i + TABLES_PER_BATCH).min(n);
        for k in i..end {
            table_sql(k, &mut sql, &mut counts);
        }
        // One implicit transaction per batch (simple query protocol).
        client
            .batch_execute(&sql)
            .await
            .map_err(|e| format!("creating tables {i}..{end}: {}", pg_error(&e)))?;
        i = end;
    }
    Ok(counts)
}

// ---------------------------------------------------------------------------
// The benchmark
// ---------------------------------------------------------------------------

struct Config {
    sizes: Vec<usize>,
    runs: usize,
}

fn parse_args(args: &[String]) -> Result<Option<Config>, Error> {
    let mut config = Config {
        sizes: DEFAULT_SIZES.to_vec(),
        runs: DEFAULT_RUNS,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (key, inline) = match arg.split_once('=') {
            Some((k, v)) => (k, Some(v.to_string())),
            None => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, Error> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{name} needs a value").into())
        };
        match key {
            "--tables" => {
                config.sizes = value("--tables")?
                    .split(',')
                    .map(|s| s.trim().replace('_', "").parse::<usize>())
                    .collect::<Result<_, _>>()
                    .map_err(|e| format!("--tables: {e}"))?;
                if config.sizes.is_empty() || config.sizes.contains(&0) {
                    return Err("--tables: give positive sizes, e.g. 1000,10000".into());
                }
            }
            "--runs" => {
                config.runs = value("--runs")?
                    .parse()
                    .map_err(|e| format!("--runs: {e}"))?;
                if config.runs == 0 {
                    return Err("--runs must be at least 1".into());
                }
            }
            "-h" | "--help" => {
                println!(
                    "usage: bench_introspect [--tables 1000,10000] [--runs 3]\n       \
                     bench_introspect --print-schema <tables>   (the generated DDL, to stdout)\n\n\
                     Compares schemadiff introspection with pg_dump --schema-only on generated\n\
                     schemas of the given sizes (wall time best of --runs, peak RSS). See\n\
                     docs/benchmarks.md."
                );
                return Ok(None);
            }
            other => return Err(format!("unknown argument {other:?} (try --help)").into()),
        }
    }
    Ok(Some(config))
}

/// One measured run of a child process.
#[derive(Debug, Clone, Copy)]
struct Run {
    wall: Duration,
    maxrss_kib: u64,
    wrapper_hwm_kib: u64,
}

/// Results for one database size.
struct SizeResult {
    tables: usize,
    generate_time: Duration,
    expected: Counts,
    read: Counts,
    statements: usize,
    introspect: Vec<Run>,
    /// In-child times: (connect, introspect()) per run.
    introspect_inner: Vec<(Duration, Duration)>,
    /// VmHWM reported by the introspection child itself, per run.
    introspect_vmhwm_kib: Vec<u64>,
    /// Diagnostic runs with `jit = off`.
    introspect_jit_off: Vec<Run>,
    pg_dump: Vec<Run>,
    /// Server-side time per introspection statement (one extra, logged run).
    statement_times: Vec<(String, Duration)>,
    logged_total: Duration,
}

fn bench(args: &[String]) -> Result<(), Error> {
    let Some(config) = parse_args(args)? else {
        return Ok(());
    };
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let binaries = PgBinaries::discover()?;
    let pg_dump = binaries.bindir().join("pg_dump");
    if !pg_dump.exists() {
        return Err(format!("{} not found", pg_dump.display()).into());
    }
    let pg_dump_version = command_output(&pg_dump, &["--version"])?;

    // pg_dump locks every table it dumps in one transaction: the shared lock
    // table (max_locks_per_transaction x ~(max_connections + workers)) must
    // hold them all.
    let max_tables = config.sizes.iter().copied().max().unwrap_or(0);
    let locks = (max_tables / 10 + 256).max(64);
    eprintln!(
        "starting a throwaway cluster ({}, max_locks_per_transaction={locks}) ...",
        binaries.version_string()
    );
    let cluster = Cluster::start_with(
        &binaries,
        &ClusterOptions::new()
            .setting("max_connections", "20")
            .setting("max_locks_per_transaction", locks.to_string()),
    )?;

    let rt = runtime()?;
    let admin = rt.block_on(connect(&cluster.conninfo("postgres")))?;
    let server_version: String = rt
        .block_on(admin.query_one("SELECT version()", &[]))
        .map_err(|e| pg_error(&e))?
        .get(0);

    let mut results = Vec::new();
    for &n in &config.sizes {
        let db = format!("bench_{n}");
        rt.block_on(admin.batch_execute(&format!("CREATE DATABASE {db}")))
            .map_err(|e| pg_error(&e))?;
        let conninfo = cluster.conninfo(&db);

        eprintln!("[{n} tables] generating the schema ...");
        let t = Instant::now();
        let expected = rt.block_on(async {
            let client = connect(&conninfo).await?;
            let counts = generate(&client, n).await?;
            // Steady state: autovacuum would have vacuumed and analyzed the
            // catalogs a real schema lives in.
            client
                .batch_execute(
                    "VACUUM (ANALYZE) pg_catalog.pg_class, pg_catalog.pg_attribute, \
                     pg_catalog.pg_attrdef, pg_catalog.pg_constraint, pg_catalog.pg_index, \
                     pg_catalog.pg_depend, pg_catalog.pg_description, pg_catalog.pg_type, \
                     pg_catalog.pg_namespace",
                )
                .await
                .map_err(|e| format!("VACUUM: {}", pg_error(&e)))?;
            Ok::<_, Error>(counts)
        })?;
        let generate_time = t.elapsed();
        eprintln!(
            "[{n} tables] generated in {:.1} s: {}",
            generate_time.as_secs_f64(),
            expected.describe()
        );

        let mut result = SizeResult {
            tables: n,
            generate_time,
            expected,
            read: Counts::default(),
            statements: 0,
            introspect: Vec::new(),
            introspect_inner: Vec::new(),
            introspect_vmhwm_kib: Vec::new(),
            introspect_jit_off: Vec::new(),
            pg_dump: Vec::new(),
            statement_times: Vec::new(),
            logged_total: Duration::ZERO,
        };

        for run in 1..=config.runs {
            eprintln!(
                "[{n} tables] schemadiff introspection, run {run}/{} ...",
                config.runs
            );
            let (m, out) = run_wrapped(
                &exe,
                &[
                    OsString::from("--measure-introspect"),
                    OsString::from(&conninfo),
                ],
            )?;
            let kv = parse_line(&out, "INTROSPECT")
                .ok_or_else(|| format!("the introspection child printed no result:\n{out}"))?;
            result.read = Counts::from_kv(&kv)?;
            result.statements = kv_num(&kv, "statements")? as usize;
            result.introspect_inner.push((
                Duration::from_nanos(kv_num(&kv, "connect_ns")?),
                Duration::from_nanos(kv_num(&kv, "introspect_ns")?),
            ));
            result.introspect_vmhwm_kib.push(kv_num(&kv, "vmhwm_kib")?);
            result.introspect.push(m);
        }
        // Diagnostic: the same with JIT compilation off for the session (the
        // big catalog queries cross the planner's JIT cost thresholds).
        for run in 1..=config.runs {
            eprintln!(
                "[{n} tables] schemadiff introspection with jit = off, run {run}/{} ...",
                config.runs
            );
            let (m, _) = run_wrapped(
                &exe,
                &[
                    OsString::from("--measure-introspect"),
                    OsString::from(format!("{conninfo} options='-c jit=off'")),
                ],
            )?;
            result.introspect_jit_off.push(m);
        }
        for run in 1..=config.runs {
            eprintln!(
                "[{n} tables] pg_dump --schema-only, run {run}/{} ...",
                config.runs
            );
            let args: Vec<OsString> = [
                "--schema-only",
                "-h",
                &cluster.socket_dir().to_string_lossy(),
                "-p",
                &cluster.port().to_string(),
                "-U",
                "postgres",
                "-d",
                &db,
                "-f",
                "/dev/null",
            ]
            .iter()
            .map(OsString::from)
            .collect();
            let (m, _) = run_wrapped(&pg_dump, &args)?;
            result.pg_dump.push(m);
        }

        eprintln!("[{n} tables] one more introspection with log_min_duration_statement = 0 ...");
        let (times, total) = rt.block_on(statement_times(&conninfo, cluster.log_path()))?;
        result.statement_times = times;
        result.logged_total = total;

        results.push(result);
    }
    drop(admin);
    drop(cluster);

    print_report(&config, &results, &server_version, &pg_dump_version);
    Ok(())
}

/// Runs `program args` under `--rusage-wrap`; returns the measurement and the
/// program's stdout (which includes the wrapper's RUSAGE line).
fn run_wrapped(program: &Path, args: &[OsString]) -> Result<(Run, String), Error> {
    let exe = std::env::current_exe()?;
    let out = Command::new(&exe)
        .arg("--rusage-wrap")
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!(
            "{} failed ({}):\n{stdout}{}",
            program.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let kv = parse_line(&stdout, "RUSAGE").ok_or("the wrapper printed no RUSAGE line")?;
    Ok((
        Run {
            wall: Duration::from_nanos(kv_num(&kv, "wall_ns")?),
            maxrss_kib: kv_num(&kv, "maxrss_kib")?,
            wrapper_hwm_kib: kv_num(&kv, "wrapper_hwm_kib")?,
        },
        stdout,
    ))
}

/// Introspects once more in this process with every statement logged, and
/// returns the server-side duration of each statement (parse + bind + execute)
/// labelled by what it reads, plus the client-side wall time of the call.
async fn statement_times(
    conninfo: &str,
    log_path: &Path,
) -> Result<(Vec<(String, Duration)>, Duration), Error> {
    let client = connect(conninfo).await?;
    let pid: i32 = client
        .query_one("SELECT pg_backend_pid()", &[])
        .await?
        .get(0);
    client
        .batch_execute("SET log_min_duration_statement = 0")
        .await?;
    let t = Instant::now();
    introspect(&client, &IntrospectOptions::default()).await?;
    let total = t.elapsed();
    client
        .batch_execute("RESET log_min_duration_statement")
        .await?;
    drop(client);
    // Give the logger a moment.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let log = std::fs::read_to_string(log_path)
        .map_err(|e| format!("cannot read {}: {e}", log_path.display()))?;
    let marker = format!("[{pid}] LOG:  duration: ");
    let mut times: Vec<(String, Duration)> = Vec::new();
    for line in log.lines() {
        let Some(rest) = line.split_once(&marker).map(|(_, r)| r) else {
            continue;
        };
        let Some((ms, text)) = rest.split_once(" ms") else {
            continue;
        };
        let Ok(ms) = ms.trim().parse::<f64>() else {
            continue;
        };
        let Some(label) = statement_label(text) else {
            continue;
        };
        let d = Duration::from_secs_f64(ms / 1000.0);
        match times.iter_mut().find(|(l, _)| l == label) {
            Some((_, sum)) => *sum += d,
            None => times.push((label.to_string(), d)),
        }
    }
    Ok((times, total))
}

/// Names an introspection statement from its text (`None` for our own SETs).
fn statement_label(text: &str) -> Option<&'static str> {
    let labels: &[(&str, &str)] = &[
        ("log_min_duration_statement", ""),
        ("BEGIN ISOLATION LEVEL", "begin (read-only transaction)"),
        ("ROLLBACK", "rollback"),
        ("server_version_num", "server version"),
        ("FROM pg_catalog.pg_index i JOIN", "indexes"),
        ("FROM pg_catalog.pg_constraint co JOIN", "constraints"),
        ("FROM pg_catalog.pg_attribute a JOIN", "columns"),
        ("pg_catalog.pg_sequence q", "sequences"),
        ("t.typtype = 'e'", "enum types"),
        ("FROM pg_catalog.pg_extension e", "extensions"),
        ("c.relkind = 'r'", "tables"),
        ("FROM pg_catalog.pg_namespace n", "schemas"),
    ];
    labels
        .iter()
        .find(|(needle, _)| text.contains(needle))
        .map_or(Some("other"), |(_, label)| {
            (!label.is_empty()).then_some(*label)
        })
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

fn best(runs: &[Run]) -> Duration {
    runs.iter().map(|r| r.wall).min().unwrap_or_default()
}

fn peak_kib(runs: &[Run]) -> u64 {
    runs.iter().map(|r| r.maxrss_kib).max().unwrap_or(0)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn print_report(config: &Config, results: &[SizeResult], server: &str, pg_dump_version: &str) {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU", |(_, m)| m.trim());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);

    println!();
    println!("schemadiff introspection vs pg_dump --schema-only");
    println!("server:   {server}");
    println!("pg_dump:  {pg_dump_version}");
    println!("machine:  {cpus} CPUs (nproc), {model}, {mem_gib:.1} GiB RAM");
    println!(
        "method:   wall time = best of {} runs (child process, spawn to exit); \
         peak RSS = largest ru_maxrss of the child over the runs",
        config.runs
    );
    println!();
    println!("tables   schemadiff introspection          pg_dump --schema-only");
    println!("         time      peak RSS    statements  time      peak RSS");
    for r in results {
        println!(
            "{:<8} {:<9} {:<11} {:<11} {:<9} {}",
            r.tables,
            secs(best(&r.introspect)),
            mib(peak_kib(&r.introspect)),
            r.statements,
            secs(best(&r.pg_dump)),
            mib(peak_kib(&r.pg_dump)),
        );
    }
    println!();
    for r in results {
        let inner_best = r
            .introspect_inner
            .iter()
            .min_by_key(|(_, i)| *i)
            .copied()
            .unwrap_or_default();
        let all = |runs: &[Run]| {
            runs.iter()
                .map(|x| format!("{:.2}", x.wall.as_secs_f64()))
                .collect::<Vec<_>>()
                .join(" / ")
        };
        println!(
            "{} tables (generated in {:.1} s):",
            r.tables,
            r.generate_time.as_secs_f64()
        );
        println!("  read:      {}", r.read.describe());
        if r.read != r.expected {
            println!("  MISMATCH, created: {}", r.expected.describe());
        }
        println!(
            "  schemadiff runs: {} s; best run: connect {:.3} s + introspect() {:.3} s; \
             child VmHWM {} (wrapper floor {})",
            all(&r.introspect),
            inner_best.0.as_secs_f64(),
            inner_best.1.as_secs_f64(),
            mib(r.introspect_vmhwm_kib.iter().copied().max().unwrap_or(0)),
            mib(r
                .introspect
                .iter()
                .map(|x| x.wrapper_hwm_kib)
                .max()
                .unwrap_or(0)),
        );
        println!(
            "  schemadiff with jit = off (diagnostic): {} s",
            all(&r.introspect_jit_off)
        );
        println!("  pg_dump runs:    {} s", all(&r.pg_dump));
        let server_total: Duration = r.statement_times.iter().map(|(_, d)| *d).sum();
        let mut by_time = r.statement_times.clone();
        by_time.sort_by_key(|x| std::cmp::Reverse(x.1));
        println!(
            "  server time per introspection statement (extra logged run, introspect() took {:.3} s, \
             server {:.3} s):",
            r.logged_total.as_secs_f64(),
            server_total.as_secs_f64()
        );
        let line = by_time
            .iter()
            .map(|(l, d)| format!("{l} {:.3} s", d.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ");
        println!("    {line}");
    }
    println!();

    let target = results
        .iter()
        .find(|r| r.tables == TARGET_TABLES)
        .or_else(|| results.iter().max_by_key(|r| r.tables));
    let Some(r) = target else {
        return;
    };
    let note = if r.tables == TARGET_TABLES {
        String::new()
    } else {
        format!(
            " (no {TARGET_TABLES}-table run; checked at {} tables)",
            r.tables
        )
    };
    let met = |ok: bool| if ok { "MET" } else { "NOT MET" };
    let (ti, tp) = (best(&r.introspect), best(&r.pg_dump));
    let rss = peak_kib(&r.introspect);
    println!("targets at {TARGET_TABLES} tables{note}:");
    println!(
        "  introspection faster than pg_dump --schema-only: {} vs {} ({:.1}x) -> {}",
        secs(ti),
        secs(tp),
        tp.as_secs_f64() / ti.as_secs_f64().max(1e-9),
        met(ti < tp)
    );
    println!(
        "  introspection peak RSS under 200 MB: {} ({:.1} MB) -> {}",
        mib(rss),
        rss as f64 * 1024.0 / 1e6,
        met(rss * 1024 < TARGET_RSS_BYTES)
    );
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

async fn connect(conninfo: &str) -> Result<Client, Error> {
    let (client, connection) = tokio_postgres::connect(conninfo, NoTls)
        .await
        .map_err(|e| format!("cannot connect: {}", pg_error(&e)))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("connection error: {e}");
        }
    });
    Ok(client)
}

fn pg_error(e: &tokio_postgres::Error) -> String {
    schemadiff_catalog::introspect::server_message(e)
}

fn command_output(program: &PathBuf, args: &[&str]) -> Result<String, Error> {
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Finds the line starting with `tag` and splits its `key=value` words.
fn parse_line(output: &str, tag: &str) -> Option<BTreeMap<String, String>> {
    let line = output
        .lines()
        .find_map(|l| l.strip_prefix(tag).filter(|r| r.starts_with(' ')))?;
    Some(
        line.split_whitespace()
            .filter_map(|w| w.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

fn kv_num(kv: &BTreeMap<String, String>, key: &str) -> Result<u64, Error> {
    kv.get(key)
        .ok_or_else(|| format!("missing {key}"))?
        .parse()
        .map_err(|e| format!("bad {key}: {e}").into())
}
