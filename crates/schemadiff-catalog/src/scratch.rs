//! The scratch server: where the desired schema is normalized, the current one replayed, and plans verified.
//!
//! Either an ephemeral local cluster (started from the local server binaries, removed when dropped, dying
//! with this process), or an existing server given by `--dev-url`, where each scratch database is created
//! from `template0` and dropped again by [`ScratchServer::cleanup`].

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::cluster::{Cluster, ClusterError, PgBinaries};
use crate::connect::{ConnectError, ConnectOptions, connect};
use crate::introspect::server_message;

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

/// A throwaway database on the scratch server.
#[derive(Debug, Clone)]
pub struct ScratchDatabase {
    pub name: String,
    options: ConnectOptions,
}

impl ScratchDatabase {
    pub async fn connect(&self) -> Result<tokio_postgres::Client, ScratchError> {
        open(&self.options, &self.name).await
    }
}

pub struct ScratchServer {
    /// How to reach the server's maintenance database.
    admin: ConnectOptions,
    /// Shown in messages, without secrets.
    label: String,
    /// The local cluster, stopped and removed when the server is dropped.
    cluster: Option<Cluster>,
    created: Mutex<Vec<String>>,
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
    /// Start an ephemeral local cluster from the server binaries found on this machine.
    pub fn start_local() -> Result<ScratchServer, ScratchError> {
        let binaries = PgBinaries::discover()?;
        let cluster = Cluster::start(&binaries)?;
        let admin =
            ConnectOptions::resolve(Some(&cluster.conninfo("postgres"))).map_err(|source| {
                ScratchError::Connect {
                    target: "the local scratch cluster".into(),
                    source,
                }
            })?;
        Ok(ScratchServer {
            admin,
            label: format!(
                "local PostgreSQL {} scratch cluster",
                cluster.version_major()
            ),
            cluster: Some(cluster),
            created: Mutex::new(Vec::new()),
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
            admin,
            label: label.to_string(),
            cluster: None,
            created: Mutex::new(Vec::new()),
        })
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    /// A new empty database (from `template0`).
    pub async fn create_database(&self) -> Result<ScratchDatabase, ScratchError> {
        let admin = open(&self.admin, &self.label).await?;
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let name = format!("schemadiff_scratch_{}_{n}", std::process::id());
            match admin
                .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE template0"))
                .await
            {
                Ok(()) => {
                    self.created
                        .lock()
                        .expect("not poisoned")
                        .push(name.clone());
                    let mut options = self.admin.clone();
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

    /// Drop a scratch database (with any sessions still in it).
    pub async fn drop_database(&self, db: &ScratchDatabase) -> Result<(), ScratchError> {
        let admin = open(&self.admin, &self.label).await?;
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", db.name))
            .await
            .map_err(|e| ScratchError::Drop {
                name: db.name.clone(),
                message: server_message(&e),
            })?;
        self.created
            .lock()
            .expect("not poisoned")
            .retain(|n| *n != db.name);
        Ok(())
    }

    /// Drop every scratch database still there; stop and remove the local cluster. Call it on every way out
    /// (a local cluster is also removed when dropped, and dies with the process).
    pub async fn cleanup(mut self) -> Result<(), ScratchError> {
        let mut result = Ok(());
        if self.cluster.is_none() {
            let names: Vec<String> = self.created.lock().expect("not poisoned").clone();
            for name in names {
                let db = ScratchDatabase {
                    options: self.admin.clone(),
                    name,
                };
                if let Err(e) = self.drop_database(&db).await {
                    result = Err(e);
                }
            }
        }
        if let Some(mut c) = self.cluster.take() {
            let _ = c.stop();
        }
        result
    }
}
