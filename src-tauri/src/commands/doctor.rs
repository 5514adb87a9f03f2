//! *Check this computer*: the engine's checks with the real OS probes, and the one fix the app
//! can make itself (registering this build as the handler of its link scheme).

use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime, State};
use thanks_core::doctor::os::OsProbes;
use thanks_core::doctor::{DoctorInput, DoctorReport};

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

#[tauri::command]
pub async fn doctor_run(
    state: State<'_, AppState>,
    profile: Option<String>,
) -> IpcResult<DoctorReport> {
    run(&state, profile).await
}

/// Makes the fix a failed check offers (`action`), then checks again.
#[tauri::command]
pub async fn doctor_fix<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    action: String,
    profile: Option<String>,
) -> IpcResult<DoctorReport> {
    match action.as_str() {
        "register_link_handler" => register_link_handler(&app)?,
        _ => {
            return Err(IpcError::new(
                "doctor.unknown_fix",
                "The app can't make that fix itself.",
            ));
        }
    }
    run(&state, profile).await
}

async fn run(state: &AppState, profile: Option<String>) -> IpcResult<DoctorReport> {
    let config = state.engine.config()?;
    let input = DoctorInput {
        profile: profile.and_then(|p| config.get(&p).cloned()),
        scheme: state.scheme.clone(),
        timeout: Duration::from_secs(10),
    };
    Ok(state.engine.doctor(input, Arc::new(OsProbes)).await)
}

fn register_link_handler<R: Runtime>(app: &AppHandle<R>) -> IpcResult<()> {
    let Some(deep_link) = app.try_state::<tauri_plugin_deep_link::DeepLink<R>>() else {
        return Err(IpcError::new(
            "doctor.fix_failed",
            "Links can't be registered in this build.",
        ));
    };
    deep_link.register_all().map_err(|e| {
        IpcError::new(
            "doctor.fix_failed",
            format!("couldn't register the link handler: {e}; reinstall the app's package instead"),
        )
    })?;
    tracing::info!("link handler registered from Check this computer");
    Ok(())
}
