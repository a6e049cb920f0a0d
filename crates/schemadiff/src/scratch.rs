//! The scratch server for a command: started (or reached) once, cleaned up on every way out, Ctrl-C included.

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

/// Run `work` with a scratch server, then clean it up, also when the work fails or Ctrl-C interrupts it.
pub async fn with_scratch<T>(
    args: &ScratchArgs,
    work: impl AsyncFnOnce(&ScratchServer) -> Result<T, String>,
) -> Result<T, String> {
    let scratch = start(args).await?;
    let outcome = tokio::select! {
        r = work(&scratch) => r,
        _ = tokio::signal::ctrl_c() => Err("interrupted: scratch databases removed, nothing written".to_string()),
    };
    let cleaned = scratch.cleanup().await;
    let value = outcome?;
    cleaned.map_err(|e| format!("error: {e}"))?;
    Ok(value)
}
