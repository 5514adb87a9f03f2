//! Preview thumbnails: the images a kept console answer returned, fetched by Rust (no token
//! goes along) and handed to the window as `data:` URLs, and Open for one of them. The window
//! names an answer and an index, never a URL, so nothing else can be fetched or opened.

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use thanks_core::previews;

use crate::commands::console::kept;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct PreviewImage {
    pub url: String,
    pub data_url: Option<String>,
    /// Why this one couldn't be shown, in words.
    pub problem: Option<String>,
}

#[tauri::command]
pub async fn preview_images(
    state: State<'_, AppState>,
    request_id: String,
) -> IpcResult<Vec<PreviewImage>> {
    let urls = previews::preview_urls(&kept(&state, &request_id)?);
    // Fetched side by side: a slow image doesn't hold up the others.
    let tasks: Vec<_> = urls
        .into_iter()
        .map(|url| {
            tauri::async_runtime::spawn(async move {
                let fetched = previews::fetch_image(&url).await;
                (url, fetched)
            })
        })
        .collect();
    let mut images = Vec::with_capacity(tasks.len());
    for task in tasks {
        let (url, fetched) = task
            .await
            .map_err(|_| IpcError::new("preview.image", "Fetching a preview image stopped."))?;
        let (data_url, problem) = match fetched {
            Ok(data) => (Some(data), None),
            Err(e) => (None, Some(e.to_string())),
        };
        images.push(PreviewImage {
            url: url.to_string(),
            data_url,
            problem,
        });
    }
    Ok(images)
}

#[tauri::command]
pub async fn preview_open<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request_id: String,
    index: usize,
) -> IpcResult<()> {
    let url = previews::preview_urls(&kept(&state, &request_id)?)
        .into_iter()
        .nth(index)
        .ok_or_else(|| {
            IpcError::new(
                "preview.not_found",
                "That answer has no such preview image.",
            )
        })?;
    tauri::async_runtime::spawn_blocking(move || app.opener().open_url(url.as_str(), None::<&str>))
        .await
        .map_err(|_| IpcError::new("preview.open_failed", "Opening the browser stopped."))?
        .map_err(|_| {
            IpcError::new(
                "preview.open_failed",
                "No web browser could be opened on this computer.",
            )
        })
}
