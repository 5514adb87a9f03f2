//! The request console: one API call with the profile's token, cancellable by request id,
//! guarded when it can print or charge, and recorded in the history. The last few response
//! bodies stay here for "copy body" and "save body to a file".

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use thanks_core::{RequestSpec, ResponseView};
use thanks_history::NewEntry;

use crate::error::{IpcError, IpcResult};
use crate::events;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct ConsoleResponse {
    #[serde(flatten)]
    pub view: ResponseView,
    /// The history entry of this request, when the history is available.
    pub history_id: Option<i64>,
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Sends a console request. The cost guard is enforced in the engine: a request that can print,
/// mail or charge goes out only with the one-time `confirmation` its `cost_check` gave (after
/// the user agreed in the window), or when it needs none (test mode).
#[tauri::command]
pub async fn console_send<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile: String,
    request_id: String,
    spec: RequestSpec,
    confirmation: Option<String>,
) -> IpcResult<ConsoleResponse> {
    let engine = state.engine.clone();
    let (p, s) = (profile.clone(), spec.clone());
    let task = tauri::async_runtime::spawn(async move {
        engine.call_confirmed(&p, &s, confirmation.as_deref()).await
    });
    state
        .requests
        .lock()
        .expect("poisoned")
        .insert(request_id.clone(), task.inner().abort_handle());
    let joined = task.await;
    state.requests.lock().expect("poisoned").remove(&request_id);
    let result = match joined {
        Ok(result) => result,
        Err(_) => {
            return Err(IpcError::new(
                "console.cancelled",
                "The request was cancelled.",
            ));
        }
    };
    let entry = match &result {
        Ok(view) => Some(NewEntry::from_response(
            &profile,
            spec.body.as_deref(),
            view,
            now(),
        )),
        // Held back by the cost guard: nothing went out, nothing to remember.
        Err(e) if e.code().starts_with("guard.") => None,
        Err(e) => state
            .engine
            .profile(&profile)
            .ok()
            .map(|p| NewEntry::from_failure(&profile, &spec, &p.api_base, e, now())),
    };
    let history_id = record(&state, entry).await;
    let view = result?;
    state.keep_response(&request_id, &view.body);
    events::token_refreshed(&app, &state, &profile, view.refreshed).await;
    Ok(ConsoleResponse { view, history_id })
}

/// Records a request in the history; a history problem never fails the request itself.
async fn record(state: &AppState, entry: Option<NewEntry>) -> Option<i64> {
    let (history, entry) = (state.history.clone()?, entry?);
    match tauri::async_runtime::spawn_blocking(move || history.record(&entry)).await {
        Ok(Ok(id)) => Some(id),
        Ok(Err(e)) => {
            tracing::warn!(
                code = e.code(),
                "couldn't record the request in the history"
            );
            None
        }
        Err(_) => None,
    }
}

/// Stops waiting for a request. A token refresh the request set off is not cut short: the
/// engine runs it in a task of its own, so a refresh token thanks.io already rotated is stored.
#[tauri::command]
pub async fn console_cancel(state: State<'_, AppState>, request_id: String) -> IpcResult<()> {
    if let Some(task) = state.requests.lock().expect("poisoned").remove(&request_id) {
        task.abort();
    }
    Ok(())
}

pub(crate) fn kept(state: &AppState, request_id: &str) -> IpcResult<Vec<u8>> {
    state.kept_response(request_id).ok_or_else(|| {
        IpcError::new(
            "console.response_gone",
            "That response is no longer kept; send the request again.",
        )
    })
}

#[tauri::command]
pub async fn response_copy<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request_id: String,
) -> IpcResult<()> {
    let body = kept(&state, &request_id)?;
    crate::clipboard::copy(&app, String::from_utf8_lossy(&body).into_owned())
}

#[derive(Debug, Serialize)]
pub struct Saved {
    pub saved: bool,
    pub path: Option<String>,
}

/// Asks where to save the body (the system's save dialog) and writes it there.
#[tauri::command]
pub async fn response_save<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request_id: String,
) -> IpcResult<Saved> {
    let body = kept(&state, &request_id)?;
    save_with_dialog(&app, "Save the response body", "response.json", &body).await
}

/// The system's save dialog, then the bytes written there atomically (0600). `saved` is false
/// when the user cancelled.
pub(crate) async fn save_with_dialog<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    file_name: &str,
    bytes: &[u8],
) -> IpcResult<Saved> {
    let dialog = app
        .dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name);
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|_| IpcError::new("dialog.failed", "The save dialog stopped."))?;
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else {
        return Ok(Saved {
            saved: false,
            path: None,
        });
    };
    thanks_core::util::write_atomic(&path, bytes).map_err(|e| {
        IpcError::new(
            "file.write",
            format!("couldn't write {}: {e}", path.display()),
        )
    })?;
    Ok(Saved {
        saved: true,
        path: Some(path.display().to_string()),
    })
}
