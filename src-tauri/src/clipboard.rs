//! Copies that carry a secret — the access token, a cURL command with the token in it, the
//! sign-in address (it holds `state`) — go to the clipboard marked as secret (clipboard managers
//! that honour the hint keep them out of their history) and are cleared after
//! [`CLEAR_AFTER_SECS`], if the clipboard still holds the same text: something the user copied
//! since is left alone. `THANKS_CONNECT_CLIPBOARD_CLEAR_SECS` shortens the delay for tests.

use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;
use thanks_core::Secret;

use crate::error::{IpcError, IpcResult};

pub const CLEAR_AFTER_SECS: u64 = 45;

/// What the window tells after a secret copy ("cleared from the clipboard in 45 s").
#[derive(Debug, Clone, Serialize)]
pub struct Copied {
    pub clears_in_secs: u64,
}

fn clear_after() -> u64 {
    std::env::var("THANKS_CONNECT_CLIPBOARD_CLEAR_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CLEAR_AFTER_SECS)
}

/// Copies plain text (a response body: nothing secret, never cleared).
pub fn copy<R: Runtime>(app: &AppHandle<R>, text: String) -> IpcResult<()> {
    app.clipboard().write_text(text).map_err(failed)
}

/// Copies a secret and clears it later if it is still there.
pub fn copy_secret<R: Runtime>(app: &AppHandle<R>, text: Secret) -> IpcResult<Copied> {
    app.clipboard()
        .write_secret(text.expose())
        .map_err(failed)?;
    let secs = clear_after();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(Duration::from_secs(secs)).await;
        // Reading the clipboard must not happen on the main thread (it can deadlock on Linux).
        let cleared = tauri::async_runtime::spawn_blocking(move || {
            let still_ours = app
                .clipboard()
                .read_text()
                .is_ok_and(|now| now == text.expose());
            still_ours && app.clipboard().clear().is_ok()
        })
        .await
        .unwrap_or(false);
        tracing::info!(cleared, "clipboard checked after a secret copy");
    });
    Ok(Copied {
        clears_in_secs: secs,
    })
}

fn failed(e: tauri_plugin_clipboard_manager::Error) -> IpcError {
    IpcError::new(
        "clipboard.failed",
        format!("couldn't copy to the clipboard: {e}"),
    )
}
