//! The scratch server for a command: started (or reached) once, cleaned up on every way out: an error, Ctrl-C
//! (SIGINT) or SIGTERM (what CI cancellation and `docker stop` send), at any stage, starting included. What
//! SIGKILL leaves behind, the next run removes (see `schemadiff_catalog::cluster::sweep_orphans` and the
//! advisory locks of `schemadiff_catalog::scratch`).

use schemadiff_catalog::scratch::ScratchServer;

use crate::ScratchArgs;

/// Start the scratch server `args` asks for.
pub async fn start(args: &ScratchArgs) -> Result<ScratchServer, String> {
    match &args.dev_url {
        Some(url) => {
            ScratchServer::existing(url, "the --dev-url server").map_err(|e| format!("error: {e}"))
        }
        None => tokio::task::spawn_blocking(ScratchServer::start_local)
            .await
            .map_err(|e| format!("error: starting the scratch cluster failed: {e}"))?
            .map_err(|e| format!("error: {e}")),
    }
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
    work: impl AsyncFnOnce(&ScratchServer) -> Result<T, String>,
) -> Result<T, String> {
    let stop = stop_signal()?;
    tokio::pin!(stop);
    // A signal while the cluster starts: let the start finish (initdb cannot be cut short cleanly), then
    // stop and remove it.
    let starting = start(args);
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
    let cleaned = scratch.cleanup().await;
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
