//! The scratch server for a command: started (or reached) once, cleaned up on every way out: an error, Ctrl-C
//! (SIGINT) or SIGTERM (what CI cancellation and `docker stop` send), at any stage, starting included. What
//! SIGKILL leaves behind, the next run removes (see `schemadiff_catalog::cluster::sweep_orphans` and the
//! advisory locks of `schemadiff_catalog::scratch`).

use schemadiff_catalog::scratch::ScratchServer;

use crate::ScratchArgs;

/// The server a scratch server should match: its major version, and where that was read.
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub major: Option<u32>,
    pub from: String,
    /// The extensions the schema declares: without a major, a local installation that has them is preferred.
    pub extensions: Vec<String>,
    /// The roles schema.toml declares (`[roles]`): scratch databases find them on the server.
    pub roles: Vec<String>,
}

impl Target {
    /// The live database's major version when connected; else `postgres_version` of schema.toml; else none
    /// (the newest local binaries that have the schema's extensions).
    pub async fn of(
        client: Option<&tokio_postgres::Client>,
        schema: &schemadiff_model::Schema,
    ) -> Result<Target, String> {
        if let Some(client) = client {
            return Ok(Target::live(live_major(client).await?, schema));
        }
        let extensions: Vec<String> = schema.extensions.iter().map(|e| e.name.clone()).collect();
        Ok(match schema.postgres_version {
            Some(v) => Target {
                major: Some(v),
                from: "`postgres_version` in schema.toml".into(),
                extensions,
                roles: schema.roles.clone(),
            },
            None => Target {
                extensions,
                roles: schema.roles.clone(),
                ..Target::default()
            },
        })
    }
}

fn warn(message: &str) {
    if !crate::quiet() {
        schemadiff::progress::clear();
        eprintln!("warning: {message}");
    }
}

impl Target {
    /// The live database's major version (see [`live_major`]).
    pub fn live(major: u32, schema: &schemadiff_model::Schema) -> Target {
        Target {
            major: Some(major),
            from: "the live database".into(),
            extensions: schema.extensions.iter().map(|e| e.name.clone()).collect(),
            roles: schema.roles.clone(),
        }
    }
}

/// The major version of the live database `client` is connected to.
pub async fn live_major(client: &tokio_postgres::Client) -> Result<u32, String> {
    let num: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .await
        .map_err(|e| {
            format!(
                "error: cannot read the live database's version: {}",
                schemadiff_catalog::introspect::server_message(&e)
            )
        })?
        .get(0);
    Ok(num as u32 / 10000)
}

/// Start the scratch server `args` asks for, of the major version of `target` when it can.
pub async fn start(args: &ScratchArgs, target: &Target) -> Result<ScratchServer, String> {
    let _stage = schemadiff::progress::stage(match &args.dev_url {
        Some(_) => "using the --dev-url server for scratch databases",
        None => "finding PostgreSQL server binaries for a scratch cluster",
    });
    let server = match &args.dev_url {
        Some(url) => {
            let server = ScratchServer::existing(url, "the --dev-url server")
                .map_err(|e| format!("error: {e}"))?;
            if let Some(want) = target.major {
                let got = server.major().await.map_err(|e| format!("error: {e}"))?;
                if got != want {
                    warn(&format!(
                        "the target server ({}) is PostgreSQL {want}, but the --dev-url server is PostgreSQL \
                         {got}: normalizing and verifying there may accept, reject or print some definitions \
                         differently. Pass --dev-url to a PostgreSQL {want} server, or leave it out to use local \
                         PostgreSQL {want} server binaries (set {} to their bin directory).",
                        target.from,
                        schemadiff_catalog::cluster::BINDIR_ENV
                    ));
                }
            }
            server
        }
        // The local cluster starts on first use (see `ScratchServer::start_local`): a run that needs none
        // starts none.
        None => {
            let (major, extensions) = (target.major, target.extensions.clone());
            tokio::task::spawn_blocking(move || ScratchServer::start_local(major, &extensions))
                .await
                .map_err(|e| format!("error: starting the scratch cluster failed: {e}"))?
                .map_err(|e| format!("error: {e}"))?
        }
    };
    server.declare_roles(&target.roles);
    if let Some(w) = server.warning() {
        warn(&format!(
            "{w} (the target's version is that of {})",
            target.from
        ));
    }
    Ok(server)
}

/// Resolves when the process is asked to stop (SIGINT or SIGTERM), with the signal's name. Creating it
/// replaces the default action of both (ending the process on the spot), so create it before the work starts.
pub fn stop_signal() -> Result<impl Future<Output = &'static str>, String> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut int = signal(SignalKind::interrupt()).map_err(|e| format!("error: {e}"))?;
    let mut term = signal(SignalKind::terminate()).map_err(|e| format!("error: {e}"))?;
    Ok(async move {
        tokio::select! {
            _ = int.recv() => "interrupted",
            _ = term.recv() => "terminated",
        }
    })
}

/// Run `work` with a scratch server, then clean it up, also when the work fails or a signal ends it.
pub async fn with_scratch<T>(
    args: &ScratchArgs,
    target: &Target,
    work: impl AsyncFnOnce(&ScratchServer) -> Result<T, String>,
) -> Result<T, String> {
    let stop = stop_signal()?;
    tokio::pin!(stop);
    // A signal while the cluster starts: let the start finish (initdb cannot be cut short cleanly), then
    // stop and remove it.
    let starting = start(args, target);
    tokio::pin!(starting);
    let (scratch, stopped) = tokio::select! {
        s = &mut starting => (s?, None),
        why = &mut stop => match starting.await {
            Ok(s) => (s, Some(why)),
            // The start failed (initdb is interrupted by the same Ctrl-C): it removed what it made.
            Err(_) => return Err(format!("{why}: nothing written, nothing left behind")),
        },
    };
    let outcome = match stopped {
        Some(why) => Err(why),
        None => tokio::select! {
            r = work(&scratch) => Ok(r),
            why = &mut stop => Err(why),
        },
    };
    let cleaned = {
        let _stage = schemadiff::progress::stage("removing the scratch databases");
        scratch.cleanup().await
    };
    schemadiff::progress::clear();
    match outcome {
        Ok(value) => {
            let value = value?;
            cleaned.map_err(|e| format!("error: {e}"))?;
            Ok(value)
        }
        Err(why) => Err(match cleaned {
            Ok(()) => format!("{why}: nothing written, scratch databases removed"),
            Err(e) => format!("{why}: nothing written; cleaning up failed: {e}"),
        }),
    }
}
