//! The scratch server: where the desired schema is normalized, the current one replayed, and plans verified.
//!
//! Either an ephemeral local cluster (started from the local server binaries on first use, so that a run that
//! needs no scratch database starts none; removed when dropped, dying with this process), or an existing server given by `--dev-url`, where each scratch database is created
//! from `template0` and dropped again by [`ScratchServer::cleanup`].
//!
//! On an existing server, a run that is killed cannot drop its databases. So every run names its databases
//! `schemadiff_scratch_<run>_<n>` and, for as long as it lives, holds a session advisory lock on `<run>` on a
//! connection of its own; the server releases the lock when that session ends, whatever ended the process.
//! Before its first database, a run drops the scratch databases whose lock it can take: those of runs that
//! are gone, never those of a run still going (on this machine or another).

use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::cluster::{Cluster, ClusterError, PgBinaries};
use crate::connect::{ConnectError, ConnectOptions, connect};
use crate::introspect::server_message;
use schemadiff_model::Schema;

#[derive(Debug, thiserror::Error)]
pub enum ScratchError {
    #[error(
        "schemadiff needs a scratch PostgreSQL server to normalize and verify schemas, and could not start one.\n{0}"
    )]
    Start(#[from] ClusterError),
    #[error("cannot use the scratch server ({target}): {source}")]
    Connect {
        target: String,
        source: ConnectError,
    },
    #[error("cannot create a scratch database on {target}: {message}{hint}")]
    Create {
        target: String,
        message: String,
        hint: &'static str,
    },
    #[error("cannot drop scratch database {name}: {message}")]
    Drop { name: String, message: String },
}

/// Run one statement that schemadiff rendered, through the extended protocol: the server parses it as exactly
/// one command and refuses text that holds more ("cannot insert multiple commands into a prepared
/// statement"), so no SQL fragment from schema.toml can add a statement, whatever passed validation. One round
/// trip, like the simple protocol.
pub async fn run_statement(
    client: &tokio_postgres::Client,
    sql: &str,
) -> Result<(), tokio_postgres::Error> {
    tracing::debug!("scratch: {sql}");
    SENT.fetch_add(1, Ordering::Relaxed);
    client.execute_typed(sql, &[]).await.map(|_| ())
}

/// Statements sent by [`run_statement`] and [`run_batch`] in this process (the rendered DDL that builds
/// schemas on scratch databases, and the plans verified there).
static SENT: AtomicU64 = AtomicU64::new(0);

/// How many statements [`run_statement`] and [`run_batch`] have sent in this process so far: what a test
/// measures the cost of normalization by.
pub fn statements_sent() -> u64 {
    SENT.load(Ordering::Relaxed)
}

/// Scratch databases created in this process (empty or copies).
static CREATED: AtomicU64 = AtomicU64::new(0);

/// How many scratch databases this process has created so far: what a test counts the rounds of
/// normalization by.
pub fn databases_created() -> u64 {
    CREATED.load(Ordering::Relaxed)
}

/// How many statements [`run_batch`] sends at once: few enough that the locks one transaction takes (a few
/// per created table, index or constraint) fit in the shared lock table of any server.
pub const BATCH: usize = 64;

/// Run `statements`, in order, as one transaction, pipelined: `BEGIN`, the statements and `COMMIT` are sent
/// together and their results read afterwards, so the batch costs one round trip instead of one per
/// statement. Each statement still goes through the extended protocol on its own (one command each, as
/// [`run_statement`]). When one fails, the server rolls the whole batch back (the statements after it fail as
/// "current transaction is aborted" and `COMMIT` ends as a rollback): the result is the index of the first
/// that failed and its error, and nothing of the batch is left. Not for statements that cannot run in a
/// transaction block (`CREATE INDEX CONCURRENTLY`): only for rendered CREATE scripts.
pub async fn run_batch(
    client: &tokio_postgres::Client,
    statements: &[&str],
) -> Result<(), (usize, tokio_postgres::Error)> {
    use futures_util::future::join_all;
    if statements.is_empty() {
        return Ok(());
    }
    for sql in statements {
        tracing::debug!("scratch: {sql}");
    }
    SENT.fetch_add(statements.len() as u64, Ordering::Relaxed);
    // Each future sends its messages on its first poll, which join_all does in order.
    let all = std::iter::once("BEGIN")
        .chain(statements.iter().copied())
        .chain(std::iter::once("COMMIT"));
    let mut results = join_all(all.map(|sql| client.execute_typed(sql, &[]))).await;
    let committed = results.pop().expect("COMMIT was sent");
    let begun = results.remove(0);
    if let Err(e) = begun {
        return Err((0, e));
    }
    if let Some((i, e)) = results
        .into_iter()
        .enumerate()
        .find_map(|(i, r)| r.err().map(|e| (i, e)))
    {
        return Err((i, e));
    }
    committed.map(|_| ()).map_err(|e| (statements.len() - 1, e))
}

/// Run a rendered CREATE script in batches of [`BATCH`] ([`run_batch`]), stopping at the first statement that
/// fails: its index in `statements`, and the error. The batches before it are committed, its own is not.
pub async fn run_script(
    client: &tokio_postgres::Client,
    statements: &[&str],
) -> Result<(), (usize, tokio_postgres::Error)> {
    for (n, chunk) in statements.chunks(BATCH).enumerate() {
        run_batch(client, chunk)
            .await
            .map_err(|(i, e)| (n * BATCH + i, e))?;
    }
    Ok(())
}

/// A throwaway database on the scratch server.
#[derive(Debug, Clone)]
pub struct ScratchDatabase {
    pub name: String,
    options: ConnectOptions,
}

impl ScratchDatabase {
    /// A session on the database. Function bodies are not checked when created (`check_function_bodies =
    /// off`, as pg_dump restores): a body may name what is created after it, and plans write the same
    /// setting before such a function.
    pub async fn connect(&self) -> Result<tokio_postgres::Client, ScratchError> {
        let client = open(&self.options, &self.name).await?;
        let _ = client
            .batch_execute("SET check_function_bodies = off")
            .await;
        Ok(client)
    }
}

pub struct ScratchServer {
    /// How to reach the server's maintenance database: given for an existing server, set when the local
    /// cluster has started (see [`ScratchServer::admin`]).
    admin: tokio::sync::OnceCell<ConnectOptions>,
    /// Shown in messages, without secrets.
    label: String,
    /// The binaries of the local cluster, which starts on first use: a run that needs no scratch database (a
    /// plan of nothing) starts none. None for an existing server.
    local: Option<PgBinaries>,
    /// The local cluster once started, stopped and removed when the server is dropped.
    cluster: Mutex<Option<Cluster>>,
    /// The local cluster's start while it runs (on a thread of its own): kept here, so that [`ScratchServer::cleanup`]
    /// waits for a start that a signal interrupted the waiting for, and removes what it made.
    starting: tokio::sync::Mutex<Option<tokio::task::JoinHandle<Result<Cluster, ClusterError>>>>,
    /// The local cluster's major version (an existing server's is asked with [`ScratchServer::major`]).
    major: Option<u32>,
    /// Why this server may not be the right one for the target (another major version).
    warning: Option<String>,
    created: Mutex<Vec<String>>,
    /// This run's tag in scratch database names (random, 64 bits).
    run: u64,
    /// On an existing server: the session that holds this run's advisory lock, opened with the first database.
    keeper: tokio::sync::Mutex<Option<tokio_postgres::Client>>,
    /// Scratch databases kept as they were built, with the canonical schema each holds (at most
    /// [`TEMPLATES`], the newest last): a copy of one (`CREATE DATABASE ... TEMPLATE`) holds that schema
    /// without building it again.
    templates: Mutex<Vec<(Schema, String)>>,
    /// Whether [`ScratchServer::keep_as_template`] keeps databases (not for a command that builds each schema
    /// only once, like `dump`).
    keep_templates: std::sync::atomic::AtomicBool,
    /// The roles schema.toml declares (`[roles]`) and those the schemas made here refer to: each new
    /// database finds them on the server (`crate::policy::ensure_roles`).
    roles: Mutex<Vec<String>>,
}

/// How many template databases a run keeps.
const TEMPLATES: usize = 2;

/// The prefix of scratch database names; the rest is `<run as 16 hex digits>_<n>`.
const DB_PREFIX: &str = "schemadiff_scratch_";

/// The advisory lock keys of a run: its tag split in two.
fn lock_keys(run: u64) -> (i32, i32) {
    ((run >> 32) as u32 as i32, run as u32 as i32)
}

/// The run that owns a scratch database, from its name.
fn database_run(name: &str) -> Option<u64> {
    let rest = name.strip_prefix(DB_PREFIX)?;
    let (run, n) = rest.split_once('_')?;
    (run.len() == 16 && n.parse::<u32>().is_ok())
        .then(|| u64::from_str_radix(run, 16).ok())
        .flatten()
}

fn new_run_tag() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

/// Scratch database numbers, shared by every scratch server of the process so that names never collide.
static COUNTER: AtomicU32 = AtomicU32::new(0);

async fn open(
    options: &ConnectOptions,
    label: &str,
) -> Result<tokio_postgres::Client, ScratchError> {
    let (client, _task) = connect(options)
        .await
        .map_err(|source| ScratchError::Connect {
            target: label.to_string(),
            source,
        })?;
    Ok(client)
}

impl ScratchServer {
    /// An ephemeral local cluster, started on first use, from the server binaries found on this machine: of major version
    /// `target` when there are such (see [`PgBinaries::choose`]), else the nearest, with a warning
    /// ([`ScratchServer::warning`]); without a target, the newest that offers `extensions` (the schema's).
    pub fn start_local(
        target: Option<u32>,
        extensions: &[String],
    ) -> Result<ScratchServer, ScratchError> {
        let found = PgBinaries::discover_all()?;
        let (binaries, warning) = PgBinaries::choose(&found, target, extensions)
            .expect("discover_all finds at least one");
        tracing::info!(
            "scratch server: PostgreSQL {} from {} ({})",
            binaries.version_major(),
            binaries.bindir().display(),
            binaries.found_via()
        );
        Ok(ScratchServer {
            admin: tokio::sync::OnceCell::new(),
            label: format!(
                "local PostgreSQL {} scratch cluster",
                binaries.version_major()
            ),
            major: Some(binaries.version_major()),
            local: Some(binaries),
            cluster: Mutex::new(None),
            starting: tokio::sync::Mutex::new(None),
            warning,
            created: Mutex::new(Vec::new()),
            run: new_run_tag(),
            keeper: tokio::sync::Mutex::new(None),
            templates: Mutex::new(Vec::new()),
            keep_templates: std::sync::atomic::AtomicBool::new(true),
            roles: Mutex::new(Vec::new()),
        })
    }

    /// Use an existing server (`--dev-url`, a URL or conninfo read as libpq does): scratch databases are
    /// created there, so its role needs CREATEDB.
    pub fn existing(conninfo: &str, label: &str) -> Result<ScratchServer, ScratchError> {
        let admin =
            ConnectOptions::resolve(Some(conninfo)).map_err(|source| ScratchError::Connect {
                target: label.to_string(),
                source,
            })?;
        Ok(ScratchServer {
            admin: tokio::sync::OnceCell::new_with(Some(admin)),
            label: label.to_string(),
            local: None,
            cluster: Mutex::new(None),
            starting: tokio::sync::Mutex::new(None),
            major: None,
            warning: None,
            created: Mutex::new(Vec::new()),
            run: new_run_tag(),
            keeper: tokio::sync::Mutex::new(None),
            templates: Mutex::new(Vec::new()),
            keep_templates: std::sync::atomic::AtomicBool::new(true),
            roles: Mutex::new(Vec::new()),
        })
    }

    /// Roles every scratch database made from now on finds on the server (created NOLOGIN when missing:
    /// roles belong to the cluster, not to a database).
    pub fn declare_roles(&self, roles: &[String]) {
        let mut known = self.roles.lock().expect("not poisoned");
        for r in roles {
            if !known.contains(r) {
                known.push(r.clone());
            }
        }
    }

    /// How to reach the maintenance database; the local cluster is started here, the first time.
    async fn admin(&self) -> Result<&ConnectOptions, ScratchError> {
        self.admin
            .get_or_try_init(|| async {
                let binaries = self
                    .local
                    .clone()
                    .expect("an existing server's options are set when it is made");
                // Started on a thread of its own: initdb and the start wait for processes. Should this future
                // be dropped (a signal), the start stays in `starting` for `cleanup`.
                let mut starting = self.starting.lock().await;
                let start = starting.get_or_insert_with(|| {
                    tokio::task::spawn_blocking(move || Cluster::start(&binaries))
                });
                let started = start.await;
                *starting = None;
                let cluster = started.map_err(|e| ScratchError::Create {
                    target: self.label.clone(),
                    message: e.to_string(),
                    hint: "",
                })??;
                let admin = ConnectOptions::resolve(Some(&cluster.conninfo("postgres"))).map_err(
                    |source| ScratchError::Connect {
                        target: "the local scratch cluster".into(),
                        source,
                    },
                )?;
                *self.cluster.lock().expect("not poisoned") = Some(cluster);
                Ok(admin)
            })
            .await
    }

    /// Start the local cluster now, in the background, instead of on first use: for a run that will most
    /// likely need it, so that the start overlaps other work (reading the live database). The first use waits
    /// for this start; [`ScratchServer::cleanup`] waits for it and removes the cluster when nothing used it.
    /// Nothing for an existing server or a cluster already started.
    pub async fn prestart(&self) {
        let Some(binaries) = self.local.clone() else {
            return;
        };
        if self.admin.initialized() {
            return;
        }
        let mut starting = self.starting.lock().await;
        if starting.is_none() && !self.admin.initialized() {
            tracing::debug!("scratch: starting the local cluster in the background");
            *starting = Some(tokio::task::spawn_blocking(move || {
                Cluster::start(&binaries)
            }));
        }
    }

    /// Whether the local cluster has been started (an existing server: whether it was reached).
    pub fn started(&self) -> bool {
        self.admin.initialized()
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    /// Set when the local cluster is of another major version than the target (see
    /// [`ScratchServer::start_local`]): the warning to show.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    /// The server's major version: the local cluster's, or an existing server's (asked).
    pub async fn major(&self) -> Result<u32, ScratchError> {
        if let Some(m) = self.major {
            return Ok(m);
        }
        let client = open(self.admin().await?, &self.label).await?;
        let num: i32 = client
            .query_one("SELECT current_setting('server_version_num')::int", &[])
            .await
            .map_err(|e| ScratchError::Create {
                target: self.label.clone(),
                message: server_message(&e),
                hint: "",
            })?
            .get(0);
        Ok(num as u32 / 10000)
    }

    /// On an existing server, once per run: take this run's advisory lock (held until the run ends), then drop
    /// the scratch databases of runs that are gone. Returns the names dropped.
    async fn claim(&self) -> Result<Vec<String>, ScratchError> {
        if self.local.is_some() {
            return Ok(Vec::new());
        }
        let mut keeper = self.keeper.lock().await;
        if keeper.is_some() {
            return Ok(Vec::new());
        }
        let client = open(self.admin().await?, &self.label).await?;
        let failed = |e: tokio_postgres::Error| ScratchError::Create {
            target: self.label.clone(),
            message: server_message(&e),
            hint: "",
        };
        let (k1, k2) = lock_keys(self.run);
        client
            .execute("SELECT pg_advisory_lock($1, $2)", &[&k1, &k2])
            .await
            .map_err(failed)?;
        let names: Vec<String> = client
            .query(
                "SELECT datname::text FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1",
                &[&DB_PREFIX],
            )
            .await
            .map_err(failed)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut dropped = Vec::new();
        for name in names {
            let Some(run) = database_run(&name).filter(|r| *r != self.run) else {
                continue;
            };
            let (a, b) = lock_keys(run);
            let free: bool = client
                .query_one("SELECT pg_try_advisory_lock($1, $2)", &[&a, &b])
                .await
                .map_err(failed)?
                .get(0);
            if !free {
                continue; // its run is still going
            }
            let gone = client
                .batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    schemadiff_model::quote_ident(&name)
                ))
                .await;
            client
                .execute("SELECT pg_advisory_unlock($1, $2)", &[&a, &b])
                .await
                .map_err(failed)?;
            if gone.is_ok() {
                dropped.push(name);
            }
        }
        *keeper = Some(client);
        Ok(dropped)
    }

    /// A new empty database (from `template0`).
    pub async fn create_database(&self) -> Result<ScratchDatabase, ScratchError> {
        self.create_database_from(None).await
    }

    /// A new database: a copy of `template` (one of this run's), else empty (from `template0`).
    async fn create_database_from(
        &self,
        template: Option<&str>,
    ) -> Result<ScratchDatabase, ScratchError> {
        self.claim().await?;
        let options = self.admin().await?;
        let admin = open(options, &self.label).await?;
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let name = format!("{DB_PREFIX}{:016x}_{n}", self.run);
            match admin
                .batch_execute(&format!(
                    "CREATE DATABASE {name} TEMPLATE {}",
                    template.unwrap_or("template0")
                ))
                .await
            {
                Ok(()) => {
                    CREATED.fetch_add(1, Ordering::Relaxed);
                    self.created
                        .lock()
                        .expect("not poisoned")
                        .push(name.clone());
                    let roles = self.roles.lock().expect("not poisoned").clone();
                    crate::policy::ensure_roles(&admin, &roles)
                        .await
                        .map_err(|e| ScratchError::Create {
                            target: self.label.clone(),
                            message: server_message(&e),
                            hint: "; the --dev-url role needs the CREATEROLE privilege for the roles schema.toml declares",
                        })?;
                    let mut options = options.clone();
                    options.set_dbname(name.clone());
                    return Ok(ScratchDatabase { name, options });
                }
                // Taken (by another process on a shared --dev-url server, say): try the next number. Two
                // creations of one name at the same moment fail as a unique violation instead.
                Err(e)
                    if e.code() == Some(&tokio_postgres::error::SqlState::DUPLICATE_DATABASE)
                        || e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) =>
                {
                    continue;
                }
                Err(e) => {
                    let hint = if e.code()
                        == Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
                    {
                        "; the --dev-url role needs the CREATEDB privilege"
                    } else {
                        ""
                    };
                    return Err(ScratchError::Create {
                        target: self.label.clone(),
                        message: server_message(&e),
                        hint,
                    });
                }
            }
        }
    }

    /// Keep no template databases (see [`ScratchServer::keep_as_template`]): for a command that builds each
    /// schema once.
    pub fn without_templates(&self) {
        self.keep_templates.store(false, Ordering::Relaxed);
    }

    /// Keep `db`, which holds exactly `schema` (read back from it), as it is, to copy it for a later
    /// [`ScratchServer::copy_of`] `schema`; no one may connect to it any more. Returns whether it was kept (else
    /// the caller drops it). The oldest template beyond the last [`TEMPLATES`] is dropped.
    pub async fn keep_as_template(&self, db: &ScratchDatabase, schema: &Schema) -> bool {
        if !self.keep_templates.load(Ordering::Relaxed) {
            return false;
        }
        let evicted = {
            let mut templates = self.templates.lock().expect("not poisoned");
            templates.push((schema.clone(), db.name.clone()));
            (templates.len() > TEMPLATES).then(|| templates.remove(0).1)
        };
        if let (Some(name), Ok(options)) = (evicted, self.admin().await) {
            let old = ScratchDatabase {
                options: options.clone(),
                name,
            };
            let _ = self.drop_database(&old).await;
        }
        true
    }

    /// Whether a template database holds `schema`: built from it, it read back as it is (so `schema` is its
    /// own canonical form).
    pub fn holds(&self, schema: &Schema) -> bool {
        self.templates
            .lock()
            .expect("not poisoned")
            .iter()
            .any(|(s, _)| s == schema)
    }

    /// A new database holding `schema`, copied from a template database that holds it (see
    /// [`ScratchServer::keep_as_template`]); None when there is none (or the copy failed: build it instead).
    pub async fn copy_of(&self, schema: &Schema) -> Option<ScratchDatabase> {
        let template = self
            .templates
            .lock()
            .expect("not poisoned")
            .iter()
            .rev()
            .find(|(s, _)| s == schema)
            .map(|(_, name)| name.clone())?;
        match self.create_database_from(Some(&template)).await {
            Ok(db) => Some(db),
            Err(e) => {
                tracing::debug!("scratch: copying {template} failed ({e}); building instead");
                None
            }
        }
    }

    /// The template database that holds `schema` itself, no longer kept as a template: for its last use,
    /// where a copy would cost a `CREATE DATABASE ... TEMPLATE` of it for nothing (the caller changes it and
    /// drops it). None when no template holds `schema`.
    pub fn take_template(&self, schema: &Schema) -> Option<ScratchDatabase> {
        let mut options = self.admin.get()?.clone();
        let mut templates = self.templates.lock().expect("not poisoned");
        let at = templates.iter().rposition(|(s, _)| s == schema)?;
        let (_, name) = templates.remove(at);
        options.set_dbname(name.clone());
        Some(ScratchDatabase { options, name })
    }

    /// Drop a scratch database (with any sessions still in it).
    pub async fn drop_database(&self, db: &ScratchDatabase) -> Result<(), ScratchError> {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", db.name);
        let options = self.admin().await?;
        if self.local.is_some() {
            // The local cluster is removed whole at the end, so nothing waits for the drop (seconds for a
            // freshly built large schema): it runs meanwhile, to keep the disk in use bounded.
            let admin = options.clone();
            tokio::spawn(async move {
                if let Ok((client, _task)) = connect(&admin).await {
                    let _ = client.batch_execute(&sql).await;
                }
            });
        } else {
            let admin = open(options, &self.label).await?;
            admin
                .batch_execute(&sql)
                .await
                .map_err(|e| ScratchError::Drop {
                    name: db.name.clone(),
                    message: server_message(&e),
                })?;
        }
        self.created
            .lock()
            .expect("not poisoned")
            .retain(|n| *n != db.name);
        self.templates
            .lock()
            .expect("not poisoned")
            .retain(|(_, n)| *n != db.name);
        Ok(())
    }

    /// Drop every scratch database still there; stop and remove the local cluster. Call it on every way out
    /// (a local cluster is also removed when dropped, and dies with the process).
    pub async fn cleanup(mut self) -> Result<(), ScratchError> {
        let mut result = Ok(());
        if let (None, Some(options)) = (&self.local, self.admin.get()) {
            let names: Vec<String> = self.created.lock().expect("not poisoned").clone();
            for name in names {
                let db = ScratchDatabase {
                    options: options.clone(),
                    name,
                };
                if let Err(e) = self.drop_database(&db).await {
                    result = Err(e);
                }
            }
        }
        // A start that was under way when the work stopped: let it finish, and stop what it started.
        if let Some(start) = self.starting.get_mut().take() {
            if let Ok(Ok(mut c)) = start.await {
                let _ = c.stop();
            }
        }
        // The lock goes with its session, once every database of the run is gone.
        *self.keeper.get_mut() = None;
        if let Some(mut c) = self.cluster.get_mut().expect("not poisoned").take() {
            let _ = c.stop();
        }
        result
    }
}
