//! The request console: one API call with the profile's token, cancellable by request id.

use tauri::{AppHandle, Runtime, State};
use thanks_core::{RequestSpec, ResponseView};

use crate::error::{IpcError, IpcResult};
use crate::events;
use crate::state::AppState;

#[tauri::command]
pub async fn console_send<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile: String,
    request_id: String,
    spec: RequestSpec,
) -> IpcResult<ResponseView> {
    let engine = state.engine.clone();
    let p = profile.clone();
    let task = tauri::async_runtime::spawn(async move { engine.call(&p, &spec).await });
    state
        .requests
        .lock()
        .expect("poisoned")
        .insert(request_id.clone(), task.inner().abort_handle());
    let joined = task.await;
    state.requests.lock().expect("poisoned").remove(&request_id);
    let view = match joined {
        Ok(result) => result?,
        Err(_) => {
            return Err(IpcError::new(
                "console.cancelled",
                "The request was cancelled.",
            ));
        }
    };
    events::token_refreshed(&app, &state, &profile, view.refreshed).await;
    Ok(view)
}

#[tauri::command]
pub async fn console_cancel(state: State<'_, AppState>, request_id: String) -> IpcResult<()> {
    if let Some(task) = state.requests.lock().expect("poisoned").remove(&request_id) {
        task.abort();
    }
    Ok(())
}
