//! Events from Rust to the UI. Payloads are status views and plain-word messages: never a token.

use serde::Serialize;
use tauri::{Emitter, Runtime};
use thanks_core::StatusView;

pub const AUTH_CHANGED: &str = "auth:changed";
pub const TOKEN_CHANGED: &str = "token:changed";

#[derive(Debug, Clone, Serialize)]
pub struct AuthChanged {
    pub profile: String,
    pub pending_id: Option<String>,
    pub ok: bool,
    pub code: Option<String>,
    pub message: Option<String>,
    pub status: Option<StatusView>,
}

pub fn auth_changed<R: Runtime>(app: &tauri::AppHandle<R>, payload: AuthChanged) {
    use tauri::Manager;
    if let Some(state) = app.try_state::<crate::state::AppState>() {
        *state.last_auth.lock().expect("poisoned") = Some(payload.clone());
    }
    if let Err(e) = app.emit(AUTH_CHANGED, payload) {
        tracing::warn!(error = %e, "couldn't tell the UI about the login");
    }
}

pub fn token_changed<R: Runtime>(app: &tauri::AppHandle<R>, status: &StatusView) {
    if let Err(e) = app.emit(TOKEN_CHANGED, status) {
        tracing::warn!(error = %e, "couldn't tell the UI about the token state");
    }
}

/// Tells the UI about a token refresh that happened on the way (a console call, a validation).
pub async fn token_refreshed<R: Runtime>(
    app: &tauri::AppHandle<R>,
    state: &crate::state::AppState,
    profile: &str,
    refreshed: bool,
) {
    if let (true, Ok(status)) = (refreshed, state.engine.status(profile).await) {
        token_changed(app, &status);
    }
}
