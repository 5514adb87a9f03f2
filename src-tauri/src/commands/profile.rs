//! Profile commands. The client secret comes in from the settings form and goes straight to
//! the keyring; it never goes back out (the view says only whether one is set).

use serde::Deserialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use thanks_core::config::ProfileUpdate;
use thanks_core::{ProfileView, Secret};

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct ProfileSettings {
    pub authorize_url: String,
    pub token_url: String,
    pub api_base: String,
    pub client_id: String,
    pub redirect_uri: String,
    #[serde(default)]
    pub scope: String,
}

/// The saved profiles. None yet means a first start: the window shows the ways in instead of
/// an implicit "default" (which only `thanksctl` keeps, so scripts that never created a
/// profile go on working).
#[tauri::command]
pub async fn profile_list(state: State<'_, AppState>) -> IpcResult<Vec<String>> {
    let config = state.engine.config()?;
    Ok(config.names().map(str::to_string).collect())
}

#[tauri::command]
pub async fn profile_get(state: State<'_, AppState>, name: String) -> IpcResult<ProfileView> {
    // Profiles without their own redirect URI show this build's (the engine knows it).
    Ok(state.engine.profile_view(&name).await?)
}

#[tauri::command]
pub async fn profile_save(
    state: State<'_, AppState>,
    name: String,
    settings: ProfileSettings,
    client_secret: Option<String>,
) -> IpcResult<ProfileView> {
    let update = ProfileUpdate {
        authorize_url: Some(settings.authorize_url),
        token_url: Some(settings.token_url),
        api_base: Some(settings.api_base),
        client_id: Some(settings.client_id),
        redirect_uri: Some(settings.redirect_uri),
        scope: Some(settings.scope),
        revocation_url: None,
    };
    let secret = client_secret.filter(|s| !s.is_empty()).map(Secret::new);
    Ok(state.engine.profile_set(&name, update, secret).await?)
}

/// Copies the profile's redirect URI, the one to register in thanks.io, to the clipboard.
#[tauri::command]
pub async fn profile_copy_redirect<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
) -> IpcResult<()> {
    let redirect = state.engine.profile(&name)?.redirect_uri;
    app.clipboard()
        .write_text(redirect.to_string())
        .map_err(|e| {
            IpcError::new(
                "clipboard.failed",
                format!("couldn't copy to the clipboard: {e}"),
            )
        })
}

#[tauri::command]
pub async fn profile_remove(state: State<'_, AppState>, name: String) -> IpcResult<()> {
    Ok(state.engine.profile_remove(&name).await?)
}
