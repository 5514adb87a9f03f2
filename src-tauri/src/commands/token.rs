//! Token state, refresh, validation and "copy access token" (done here, after an explicit
//! click: the token itself never crosses IPC).

use tauri::{AppHandle, Runtime, State};
use thanks_core::engine::ValidateView;
use thanks_core::{StatusView, TokenDestination};

use crate::clipboard::{self, Copied};
use crate::error::IpcResult;
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

/// Asks thanks.io whether it accepts the token (the engine notes the result on the timeline);
/// the state may have changed on the way (refreshed, or a personal token marked rejected), so
/// the window hears it.
#[tauri::command]
pub async fn token_validate<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile: String,
) -> IpcResult<ValidateView> {
    let result = state.engine.validate(&profile).await;
    if let Ok(status) = state.engine.status(&profile).await {
        events::token_changed(&app, &status);
    }
    let view = result?;
    events::token_refreshed(&app, &state, &profile, view.refreshed).await;
    Ok(view)
}

/// Copies the access token (after an explicit click); it is cleared from the clipboard after
/// 45 s if still there (`crate::clipboard`).
#[tauri::command]
pub async fn token_copy<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile: String,
) -> IpcResult<Copied> {
    let token = state
        .engine
        .hand_out_token(&profile, TokenDestination::Clipboard)
        .await?;
    let copied = clipboard::copy_secret(&app, token)?;
    tracing::info!(profile = %profile, "access token copied to the clipboard at the user's request");
    Ok(copied)
}
