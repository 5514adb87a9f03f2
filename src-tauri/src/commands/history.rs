//! The request history (SQLite in the config home, masked and bounded by `thanks-history`).
//! Every call runs on the blocking pool.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use tauri::State;
use thanks_core::RequestSpec;
use thanks_core::curl::display_path;
use thanks_history::{Entry, EntrySummary, History, Query};

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

fn history(state: &AppState) -> IpcResult<Arc<History>> {
    state.history.clone().ok_or_else(|| {
        IpcError::new(
            "history.unavailable",
            state
                .history_notice
                .clone()
                .unwrap_or_else(|| "The request history is not available.".into()),
        )
    })
}

async fn blocking<T: Send + 'static>(
    h: Arc<History>,
    f: impl FnOnce(&History) -> Result<T, thanks_history::Error> + Send + 'static,
) -> IpcResult<T> {
    tauri::async_runtime::spawn_blocking(move || f(&h))
        .await
        .map_err(|_| IpcError::new("history.io", "The history task stopped."))?
        .map_err(|e| IpcError::new(e.code(), e.to_string()))
}

/// A line of the list, with its URL as the console shows paths.
#[derive(Debug, Serialize)]
pub struct HistoryItem {
    #[serde(flatten)]
    summary: EntrySummary,
    path: String,
}

#[tauri::command]
pub async fn history_list(state: State<'_, AppState>, query: Query) -> IpcResult<Vec<HistoryItem>> {
    let list = blocking(history(&state)?, move |h| h.list(&query)).await?;
    // A removed profile's entries keep their whole URL.
    let mut bases = HashMap::new();
    Ok(list
        .into_iter()
        .map(|summary| {
            let base = bases.entry(summary.profile.clone()).or_insert_with(|| {
                state
                    .engine
                    .profile(&summary.profile)
                    .ok()
                    .map(|p| p.api_base)
            });
            let path = match base {
                Some(base) => display_path(&summary.url, base),
                None => summary.url.clone(),
            };
            HistoryItem { summary, path }
        })
        .collect())
}

#[tauri::command]
pub async fn history_get(state: State<'_, AppState>, id: i64) -> IpcResult<Entry> {
    blocking(history(&state)?, move |h| h.get(id))
        .await?
        .ok_or_else(|| IpcError::new("history.not_found", "That history entry no longer exists."))
}

#[tauri::command]
pub async fn history_delete(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    blocking(history(&state)?, move |h| h.delete(id))
        .await
        .map(|_| ())
}

#[tauri::command]
pub async fn history_clear(state: State<'_, AppState>) -> IpcResult<()> {
    blocking(history(&state)?, |h| h.clear()).await.map(|_| ())
}

/// The request of a history entry, to fill the console with (resolved against the profile's API).
#[tauri::command]
pub async fn history_rerun(
    state: State<'_, AppState>,
    id: i64,
    profile: String,
) -> IpcResult<RequestSpec> {
    let api_base = state.engine.profile(&profile)?.api_base;
    let entry = history_get(state, id).await?;
    entry
        .to_spec(&api_base)
        .map_err(|e| IpcError::new(e.code(), e.to_string()))
}
