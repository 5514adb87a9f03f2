//! The mailer test kit: ready-made mailers, request inspection (spelling, cost guard, catalog
//! entry), the cost check, and cURL in and out. "Include token" copies happen here, to the
//! clipboard: the token never crosses IPC.

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use thanks_core::catalog::{self, Endpoint};
use thanks_core::costguard::{self, CostCheck, Guard};
use thanks_core::curl::{self, TokenInCurl};
use thanks_core::mailers::{self, Mailer, Spelling};
use thanks_core::{RequestSpec, Secret};

use crate::clipboard;
use crate::error::IpcResult;
use crate::state::AppState;

#[tauri::command]
pub fn mailers_list() -> Vec<Mailer> {
    mailers::mailers().to_vec()
}

#[derive(Debug, Serialize)]
pub struct Inspection {
    /// Which parameter names (old or current) the body uses; `None` when it isn't JSON.
    pub spelling: Option<Spelling>,
    pub guard: Guard,
    /// The catalog entry for this method and path, if any.
    pub endpoint: Option<Endpoint>,
}

/// What the console knows about a request before sending it; no network.
#[tauri::command]
pub fn console_inspect(spec: RequestSpec) -> Inspection {
    let spelling = spec
        .body
        .as_deref()
        .and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok())
        .map(|v| mailers::spelling(&v));
    Inspection {
        spelling,
        guard: costguard::assess(&spec),
        endpoint: catalog::find(&spec.method, &spec.path).cloned(),
    }
}

/// Runs the matching estimate for a request that can print or charge, and says whether to ask.
#[tauri::command]
pub async fn cost_check(
    state: State<'_, AppState>,
    profile: String,
    spec: RequestSpec,
) -> IpcResult<CostCheck> {
    Ok(state.engine.cost_check(&profile, &spec).await?)
}

#[derive(Debug, Serialize)]
pub struct CurlCopied {
    /// The command as shown: the token always as `$THANKS_TOKEN`.
    pub preview: String,
    /// When the copy holds the token: it is cleared from the clipboard after this many seconds.
    pub clears_in_secs: Option<u64>,
}

#[tauri::command]
pub async fn curl_copy<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile: String,
    spec: RequestSpec,
    include_token: bool,
) -> IpcResult<CurlCopied> {
    let api_base = state.engine.profile(&profile)?.api_base;
    let preview = curl::to_curl(&spec, &api_base, TokenInCurl::Placeholder)?;
    let clears_in_secs = if include_token {
        // Handing the token out is recorded in the timeline, and the copy leaves the
        // clipboard after a while.
        let token = state
            .engine
            .hand_out_token(&profile, thanks_core::TokenDestination::CurlClipboard)
            .await?;
        let text = curl::to_curl(&spec, &api_base, TokenInCurl::Include(&token))?;
        Some(clipboard::copy_secret(&app, Secret::new(text))?.clears_in_secs)
    } else {
        clipboard::copy(&app, preview.clone())?;
        None
    };
    Ok(CurlCopied {
        preview,
        clears_in_secs,
    })
}

#[tauri::command]
pub async fn curl_import(
    state: State<'_, AppState>,
    profile: String,
    text: String,
) -> IpcResult<curl::CurlImport> {
    let api_base = state.engine.profile(&profile)?.api_base;
    Ok(curl::parse_curl(&text)?.import(&api_base))
}
