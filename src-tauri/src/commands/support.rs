//! The support desk in the window: every profile at once, the token timeline, and the
//! diagnostic report (previewed, copied or saved here in Rust; it holds no secret, but the
//! clipboard and files are this side's job anyway).

use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use thanks_core::EventView;
use thanks_core::report::{self, APP_IDENTIFIERS, Report, ReportContext};

use crate::commands::console::{Saved, save_with_dialog};
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::watcher::AccountsPanel;

#[tauri::command]
pub async fn accounts_list(state: State<'_, AppState>) -> IpcResult<AccountsPanel> {
    Ok(state.engine.accounts().await?.into())
}

/// One profile's timeline, or every profile's when `profile` is absent; oldest first.
#[tauri::command]
pub async fn events_list(
    state: State<'_, AppState>,
    profile: Option<String>,
) -> IpcResult<Vec<EventView>> {
    Ok(match profile {
        Some(p) => state.engine.events(&p).await?,
        None => state.engine.events_all().await?,
    })
}

async fn build<R: Runtime>(app: &AppHandle<R>, state: &AppState) -> IpcResult<Report> {
    let mut log_dirs: Vec<_> = app.path().app_log_dir().into_iter().collect();
    log_dirs.extend(report::system::app_log_dirs(&APP_IDENTIFIERS));
    let ctx = ReportContext {
        made_by: format!(
            "Thanks Connect {} ({}, {})",
            app.package_info().version,
            app.config().identifier,
            report::build_kind()
        ),
        schemes: vec![state.scheme.clone()],
        log_dirs,
    };
    Ok(state.engine.report(&ctx).await?)
}

#[tauri::command]
pub async fn report_get<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<Report> {
    build(&app, &state).await
}

#[tauri::command]
pub async fn report_copy<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<()> {
    let report = build(&app, &state).await?;
    app.clipboard().write_text(report.text).map_err(|e| {
        IpcError::new(
            "clipboard.failed",
            format!("couldn't copy to the clipboard: {e}"),
        )
    })
}

/// Asks where to save the report (the system's save dialog) and writes it there, 0600.
#[tauri::command]
pub async fn report_save<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<Saved> {
    let report = build(&app, &state).await?;
    save_with_dialog(
        &app,
        "Save the diagnostic report",
        &report.file_name,
        report.text.as_bytes(),
    )
    .await
}
