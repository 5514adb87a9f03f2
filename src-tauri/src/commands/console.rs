//! The request console: one API call with the profile's token, cancellable by request id,
//! guarded when it can print or charge, and recorded in the history. The last few response
//! bodies stay here: the window fetches the body as raw bytes (`response_body`), and "copy
//! body" and "save body to a file" read it here.

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use thanks_core::api::Timings;
use thanks_core::{RequestSpec, ResponseView};
use thanks_history::NewEntry;

use crate::error::{IpcError, IpcResult};
use crate::events;
use crate::state::AppState;

/// What `console_send` answers: the response without its body. A body can be megabytes, and
/// as a string inside this JSON the page would decode it in one long task (186 ms for 10 MB in
/// WebKitGTK); the page asks `response_body` for the bytes instead and decodes them in slices.
#[derive(Debug, Serialize)]
pub struct ConsoleResponse {
    pub method: String,
    pub url: String,
    /// As sent, credentials masked (the engine's redaction, unchanged).
    pub request_headers: Vec<(String, String)>,
    pub status: u16,
    pub reason: String,
    /// Credentials (e.g. Set-Cookie) masked.
    pub headers: Vec<(String, String)>,
    /// The body's length in bytes.
    pub size: usize,
    pub timings: Timings,
    pub refreshed: bool,
    /// The history entry of this request, when the history is available.
    pub history_id: Option<i64>,
}

impl ConsoleResponse {
    /// Splits a response into what is answered and its body. Every field is named (no `..`),
    /// so a field added to `ResponseView` must be placed here, on purpose, before it crosses.
    fn split(view: ResponseView, history_id: Option<i64>) -> (Self, Vec<u8>) {
        let ResponseView {
            method,
            url,
            request_headers,
            status,
            reason,
            headers,
            body,
            size,
            timings,
            refreshed,
        } = view;
        let head = Self {
            method,
            url,
            request_headers,
            status,
            reason,
            headers,
            size,
            timings,
            refreshed,
            history_id,
        };
        (head, body)
    }
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
    let (head, body) = ConsoleResponse::split(result?, history_id);
    state.keep_response(&request_id, body);
    events::token_refreshed(&app, &state, &profile, head.refreshed).await;
    Ok(head)
}

/// The body of a response `console_send` answered, as raw bytes: Tauri hands a
/// `tauri::ipc::Response` to the page as an ArrayBuffer, with no JSON on the way.
#[tauri::command]
pub async fn response_body(
    state: State<'_, AppState>,
    request_id: String,
) -> IpcResult<tauri::ipc::Response> {
    Ok(tauri::ipc::Response::new(kept(&state, &request_id)?))
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
