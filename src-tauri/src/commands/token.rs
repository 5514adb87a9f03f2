//! Token state, refresh, validation and "copy access token" (done here, after an explicit
//! click: the token itself never crosses IPC).

use std::time::Instant;

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use thanks_core::{RequestSpec, StatusView};

use crate::error::{IpcError, IpcResult};
use crate::events;
use crate::state::AppState;

#[tauri::command]
pub async fn token_status(state: State<'_, AppState>, profile: String) -> IpcResult<StatusView> {
    Ok(state.engine.status(&profile).await?)
}

#[tauri::command]
pub async fn token_refresh<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile: String,
) -> IpcResult<StatusView> {
    let result = state.engine.refresh(&profile).await;
    // The state changed either way (last refresh result, maybe needs_reconnect).
    if let Ok(status) = state.engine.status(&profile).await {
        events::token_changed(&app, &status);
    }
    Ok(result?)
}

#[derive(Debug, Serialize)]
pub struct ValidateView {
    pub endpoint: String,
    pub status: u16,
    pub ok: bool,
    pub ms: f64,
    pub message: String,
}

/// Asks thanks.io whether it accepts the token: `GET /ping` (what thanks.io's own n8n node
/// uses), falling back to `GET /sub-accounts/` (documented, cheap) where ping isn't answered.
#[tauri::command]
pub async fn token_validate<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile: String,
) -> IpcResult<ValidateView> {
    let started = Instant::now();
    let mut endpoint = "/ping";
    let get = |path: &str| RequestSpec {
        method: "GET".into(),
        path: path.into(),
        ..Default::default()
    };
    let mut view = state.engine.call(&profile, &get(endpoint)).await?;
    if view.status == 404 || view.status == 405 {
        endpoint = "/sub-accounts/";
        view = state.engine.call(&profile, &get(endpoint)).await?;
    }
    events::token_refreshed(&app, &state, &profile, view.refreshed).await;
    let ok = (200..300).contains(&view.status);
    let message = match view.status {
        s if ok => format!("thanks.io accepted the token (HTTP {s})."),
        s if thanks_core::auth_failure::means_expired_token(s, &view.body) => {
            format!("thanks.io refused the token (HTTP {s}); reconnect the profile.")
        }
        403 => "thanks.io accepted the token but refused this request (HTTP 403): the account may lack permission.".into(),
        429 => "thanks.io is rate-limiting this token (HTTP 429); try again in a minute.".into(),
        s => format!("thanks.io answered HTTP {s}."),
    };
    Ok(ValidateView {
        endpoint: endpoint.into(),
        status: view.status,
        ok,
        ms: started.elapsed().as_secs_f64() * 1000.0,
        message,
    })
}

#[tauri::command]
pub async fn token_copy<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile: String,
) -> IpcResult<()> {
    let token = state.engine.access_token(&profile).await?;
    app.clipboard()
        .write_text(token.expose().to_string())
        .map_err(|e| {
            IpcError::new(
                "clipboard.failed",
                format!("couldn't copy to the clipboard: {e}"),
            )
        })?;
    tracing::info!(profile = %profile, "access token copied to the clipboard at the user's request");
    Ok(())
}
