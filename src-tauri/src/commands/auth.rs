//! Connecting and disconnecting. The browser is opened here, in Rust (never an embedded web
//! view); the authorize URL stays on this side of IPC (it carries `state`) and can be copied to
//! the clipboard on request when no browser could be opened.

use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use thanks_core::oauth::loopback::LoopbackListener;
use thanks_core::{Secret, StatusView};

use crate::callback;
use crate::clipboard::{self, Copied};
use crate::error::{IpcError, IpcResult};
use crate::events;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct LoginView {
    pub pending_id: String,
    pub profile: String,
    pub expires_at: i64,
    pub browser_opened: bool,
    pub browser_error: Option<String>,
}

#[tauri::command]
pub async fn auth_start<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile: String,
) -> IpcResult<LoginView> {
    let start = state.engine.login_start(&profile).await?;
    if start.redirect_uri.scheme() == "http" {
        match LoopbackListener::bind(&start.redirect_uri).await {
            Ok(listener) => callback::spawn_loopback(&app, start.pending_id.clone(), listener),
            Err(e) => {
                let _ = state.engine.login_cancel(&start.pending_id).await;
                return Err(e.into());
            }
        }
    }
    state
        .urls
        .lock()
        .expect("poisoned")
        .insert(start.pending_id.clone(), start.authorize_url.clone());
    let browser_error = open_browser(&app, &start.authorize_url).await;
    Ok(LoginView {
        pending_id: start.pending_id,
        profile: start.profile,
        expires_at: start.expires_at,
        browser_opened: browser_error.is_none(),
        browser_error,
    })
}

/// Opens the system browser. A failure that shows within a few seconds (no browser installed,
/// xdg-open exit status 3) is reported; a browser that keeps running is a success.
async fn open_browser<R: Runtime>(app: &AppHandle<R>, url: &Secret) -> Option<String> {
    let (app, url) = (app.clone(), url.expose().to_string());
    let opening =
        tauri::async_runtime::spawn_blocking(move || app.opener().open_url(url, None::<&str>));
    match tokio::time::timeout(Duration::from_secs(3), opening).await {
        Ok(Ok(Ok(()))) | Err(_) => None,
        Ok(Ok(Err(e))) => {
            // The kind only: the error's text includes the launcher's arguments, i.e. the
            // authorize URL with its `state` and PKCE challenge.
            tracing::warn!(kind = opener_failure_kind(&e), "couldn't open the browser");
            Some("No web browser could be opened on this computer. Copy the sign-in address and open it in a browser yourself.".into())
        }
        Ok(Err(_)) => Some("Opening the browser failed. Copy the sign-in address and open it in a browser yourself.".into()),
    }
}

/// What went wrong opening the browser, in a word that can't carry the URL.
fn opener_failure_kind(e: &tauri_plugin_opener::Error) -> &'static str {
    use tauri_plugin_opener::Error as E;
    match e {
        E::Io(io) if io.kind() == std::io::ErrorKind::NotFound => "no launcher found",
        E::Io(_) => "the launcher failed",
        E::ForbiddenUrl { .. } | E::ForbiddenPath { .. } => "refused by the opener's scope",
        E::UnsupportedPlatform => "not supported here",
        _ => "other",
    }
}

/// Copies the sign-in address (it holds `state`), cleared from the clipboard after 45 s.
#[tauri::command]
pub async fn auth_copy_url<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    pending_id: String,
) -> IpcResult<Copied> {
    let url = state
        .urls
        .lock()
        .expect("poisoned")
        .get(&pending_id)
        .cloned();
    let url = url.ok_or_else(|| {
        IpcError::new(
            "login.unknown",
            "This sign-in is no longer in progress; click Connect again.",
        )
    })?;
    clipboard::copy_secret(&app, url)
}

#[tauri::command]
pub async fn auth_cancel(state: State<'_, AppState>, pending_id: String) -> IpcResult<()> {
    if let Some(task) = state.logins.lock().expect("poisoned").remove(&pending_id) {
        task.abort();
    }
    state.urls.lock().expect("poisoned").remove(&pending_id);
    Ok(state.engine.login_cancel(&pending_id).await?)
}

/// The last resort: the user pastes the address the browser landed on. Unlike a deep link or
/// the loopback port, a pasted address is the user's own doing, so every failure is shown.
#[tauri::command]
pub async fn auth_paste<R: Runtime>(app: AppHandle<R>, url: String) -> IpcResult<StatusView> {
    Ok(callback::complete(&app, &url, callback::Source::Pasted).await?)
}

#[tauri::command]
pub async fn auth_with_token<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile: String,
    token: String,
) -> IpcResult<StatusView> {
    let status = state
        .engine
        .login_with_token(&profile, Secret::new(token.trim()))
        .await?;
    events::token_changed(&app, &status);
    Ok(status)
}

#[tauri::command]
pub async fn auth_logout<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile: String,
) -> IpcResult<StatusView> {
    let status = state.engine.logout(&profile).await?;
    events::token_changed(&app, &status);
    Ok(status)
}
