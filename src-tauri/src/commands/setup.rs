//! Setup commands: confirm an offered setup, pick a setup file, export a profile's setup or
//! link. Parsing, checks and the import itself are the engine's (`thanks_core::setup`); the
//! passphrase and client secret come in from the confirmation and go straight to the engine.

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_dialog::DialogExt;
use thanks_core::setup::EXTENSION;
use thanks_core::{ProfileView, Secret, SetupAnswers};

use crate::error::{IpcError, IpcResult};
use crate::offers::{SetupOffer, offer_file};
use crate::state::AppState;

/// The offer that arrived before the window listened (cold start by link or file), once.
#[tauri::command]
pub fn setup_pending(state: State<'_, AppState>) -> Option<SetupOffer> {
    state.setups.take_unseen()
}

/// *Import setup…*: a file dialog, then the same offer as a double-click. `None`: cancelled.
#[tauri::command]
pub async fn setup_pick<R: Runtime>(app: AppHandle<R>) -> IpcResult<Option<SetupOffer>> {
    let dialog = app
        .dialog()
        .file()
        .set_title("Open a setup from your team")
        .add_filter("Thanks Connect setup", &[EXTENSION]);
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_file())
        .await
        .map_err(|_| IpcError::new("dialog.failed", "The file dialog stopped."))?;
    Ok(chosen
        .and_then(|p| p.into_path().ok())
        .map(|path| offer_file(&app, &path)))
}

/// Creates the offered profile. On an error (wrong passphrase…) the offer stays, so the person
/// can try again.
#[tauri::command]
pub async fn setup_import(
    state: State<'_, AppState>,
    id: String,
    passphrase: Option<String>,
    client_secret: Option<String>,
    replace: bool,
) -> IpcResult<ProfileView> {
    let setup = state.setups.get(&id).ok_or_else(|| {
        IpcError::new(
            "setup.gone",
            "This setup is no longer open here; open the file or link again.",
        )
    })?;
    let answers = SetupAnswers {
        passphrase: passphrase.filter(|p| !p.is_empty()).map(Secret::new),
        client_secret: client_secret.filter(|s| !s.is_empty()).map(Secret::new),
        replace,
    };
    let view = state.engine.setup_import(&setup, answers).await?;
    state.setups.remove(&id);
    Ok(view)
}

#[tauri::command]
pub fn setup_dismiss(state: State<'_, AppState>, id: String) {
    state.setups.remove(&id);
}

#[derive(Debug, Serialize)]
pub struct Exported {
    pub saved: bool,
    pub path: Option<String>,
}

/// *Export setup…*: the profile's setup file, with its client secret encrypted when a
/// passphrase is given; Rust asks where to save it.
#[tauri::command]
pub async fn setup_export<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile: String,
    passphrase: Option<String>,
) -> IpcResult<Exported> {
    let passphrase = passphrase.filter(|p| !p.is_empty()).map(Secret::new);
    let setup = state.engine.setup_export(&profile, passphrase).await?;
    let dialog = app
        .dialog()
        .file()
        .set_title("Save the setup for your team")
        .set_file_name(format!("{profile}.{EXTENSION}"))
        .add_filter("Thanks Connect setup", &[EXTENSION]);
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|_| IpcError::new("dialog.failed", "The save dialog stopped."))?;
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else {
        return Ok(Exported {
            saved: false,
            path: None,
        });
    };
    thanks_core::util::write_atomic(&path, setup.to_file_json().as_bytes()).map_err(|e| {
        IpcError::new(
            "file.write",
            format!("couldn't write {}: {e}", path.display()),
        )
    })?;
    Ok(Exported {
        saved: true,
        path: Some(path.display().to_string()),
    })
}

/// *Copy setup link*: the link for this build's scheme, copied; it never carries a secret, so
/// the window may show it too.
#[tauri::command]
pub async fn setup_link_copy<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile: String,
) -> IpcResult<String> {
    let link = state
        .engine
        .setup_export(&profile, None)
        .await?
        .to_link(&state.scheme);
    app.clipboard()
        .write_text(link.clone())
        .map_err(|e| IpcError::new("clipboard.failed", format!("couldn't copy the link: {e}")))?;
    Ok(link)
}
