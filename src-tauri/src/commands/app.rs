//! App-level commands: info for the UI, UI preferences, the endpoint list, the sandbox demo.

use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};

use thanks_core::Secret;
use thanks_core::config::ProfileUpdate;

use crate::error::{IpcError, IpcResult};
use crate::prefs;
use crate::state::AppState;

/// The profile the demo creates and connects: a reserved name no profile of the user's can
/// have, so "Try it with the sandbox" never overwrites one.
pub use thanks_core::config::SANDBOX_PROFILE;

#[derive(Debug, Serialize)]
pub struct AppInfo {
    pub version: String,
    pub scheme: String,
    pub default_redirect_uri: String,
    /// After how many seconds a waiting sign-in explains what usually holds it up (60;
    /// `THANKS_CONNECT_LOGIN_HINT_SECS` changes it, so window tests needn't wait a minute).
    pub login_hint_after_secs: u64,
    pub config_home: String,
    pub log_dir: String,
    pub sandbox_base_url: Option<String>,
    pub last_profile: Option<String>,
    pub last_panel: Option<String>,
    pub theme: Option<String>,
    pub console_split: Option<f64>,
    /// The last login outcome, if one happened before the window could listen (cold start).
    pub last_auth: Option<crate::events::AuthChanged>,
    /// The request history was damaged and moved aside, or can't be opened.
    pub history_notice: Option<String>,
    /// Closing the window keeps the app in the tray.
    pub close_to_tray: bool,
    /// This process, to tell "this window" from other processes in the timeline.
    pub pid: u32,
}

#[tauri::command]
pub async fn app_info<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<AppInfo> {
    // The page asks for app_info first thing: the moment the window is usable.
    static LOADED: std::sync::Once = std::sync::Once::new();
    LOADED.call_once(|| {
        crate::startup::mark("window loaded");
        tracing::info!(ms = crate::startup::elapsed_ms() as u64, "window loaded");
    });
    let prefs = prefs::load(state.engine.home());
    let sandbox_base_url = state.sandbox.lock().await.as_ref().map(|s| s.base_url());
    Ok(AppInfo {
        version: app.package_info().version.to_string(),
        scheme: state.scheme.clone(),
        default_redirect_uri: state.redirect_uri(),
        login_hint_after_secs: std::env::var("THANKS_CONNECT_LOGIN_HINT_SECS")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(60),
        config_home: state.engine.home().root().display().to_string(),
        log_dir: app
            .path()
            .app_log_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default(),
        sandbox_base_url,
        last_profile: prefs.last_profile,
        last_panel: prefs.last_panel,
        theme: prefs.theme,
        console_split: prefs.console_split,
        close_to_tray: prefs.close_to_tray,
        pid: std::process::id(),
        last_auth: state.last_auth.lock().expect("poisoned").clone(),
        history_notice: state.history_notice.clone(),
    })
}

/// The window has painted its first meaningful content (the profile and its token state) at
/// `at_unix_ms`, the page's wall clock. Logged once per run, next to "window loaded", so a
/// support log shows how long start-up took; the start-up benchmark reads the same line.
/// `timeline`, the page's own marks, goes into the start-up timeline (`startup.rs`).
#[tauri::command]
pub fn app_painted(at_unix_ms: f64, timeline: Option<crate::startup::PageTimeline>) {
    static PAINTED: std::sync::Once = std::sync::Once::new();
    PAINTED.call_once(|| {
        let ms = crate::startup::elapsed_ms() as u64;
        tracing::info!(ms, unix_ms = at_unix_ms as u64, "first meaningful paint");
        crate::startup::painted();
        crate::startup::log(at_unix_ms, &timeline.unwrap_or_default());
    });
}

/// Changes the preferences given; absent ones are kept.
#[tauri::command]
pub async fn ui_prefs_set(
    state: State<'_, AppState>,
    last_profile: Option<String>,
    last_panel: Option<String>,
    theme: Option<String>,
    console_split: Option<f64>,
    close_to_tray: Option<bool>,
) -> IpcResult<()> {
    if theme
        .as_ref()
        .is_some_and(|t| !prefs::THEMES.contains(&t.as_str()))
    {
        return Err(IpcError::new(
            "ui.bad_theme",
            "the theme must be system, light or dark",
        ));
    }
    if console_split.is_some_and(|s| !s.is_finite()) {
        return Err(IpcError::new(
            "ui.bad_split",
            "the console split must be a number between 0 and 1",
        ));
    }
    prefs::update(state.engine.home(), |p| {
        if last_profile.is_some() {
            p.last_profile = last_profile;
        }
        if last_panel.is_some() {
            p.last_panel = last_panel;
        }
        if theme.is_some() {
            p.theme = theme;
        }
        if let Some(split) = console_split {
            p.console_split =
                Some(split.clamp(*prefs::SPLIT_RANGE.start(), *prefs::SPLIT_RANGE.end()));
        }
        if let Some(on) = close_to_tray {
            p.close_to_tray = on;
        }
    })
    .map_err(|e| {
        IpcError::new(
            "config.io",
            format!("couldn't save the window settings: {e}"),
        )
    })
}

/// The whole catalog: every endpoint with its parameters, costs, and a body template.
#[tauri::command]
pub fn endpoints_list() -> Vec<thanks_core::catalog::Endpoint> {
    thanks_core::catalog::endpoints().to_vec()
}

#[derive(Debug, Serialize)]
pub struct SandboxView {
    pub base_url: String,
    pub profile: String,
}

/// Starts the local thanks.io stand-in (once) and points its own profile at it, so
/// someone without a thanks.io OAuth client can run the whole flow.
#[tauri::command]
pub async fn sandbox_start(state: State<'_, AppState>) -> IpcResult<SandboxView> {
    start_sandbox(&state).await
}

/// The demo's start: the sandbox running and its profile selected before the window loads
/// (`THANKS_CONNECT_DEMO=1`, used by scripts/demo.sh).
pub async fn start_demo(state: &AppState) -> IpcResult<SandboxView> {
    let view = start_sandbox(state).await?;
    prefs::update(state.engine.home(), |p| {
        p.last_profile = Some(view.profile.clone());
        p.last_panel = Some("account".into());
    })
    .map_err(|e| {
        IpcError::new(
            "config.io",
            format!("couldn't save the window settings: {e}"),
        )
    })?;
    Ok(view)
}

async fn start_sandbox(state: &AppState) -> IpcResult<SandboxView> {
    let mut slot = state.sandbox.lock().await;
    if slot.is_none() {
        let config = thanks_sandbox::SandboxConfig {
            port: 0,
            ..Default::default()
        };
        let sandbox = thanks_sandbox::Sandbox::start(config).await.map_err(|e| {
            IpcError::new("sandbox.start", format!("the sandbox couldn't start: {e}"))
        })?;
        // Tokens from an earlier sandbox are meaningless to this one.
        if state.engine.config()?.get(SANDBOX_PROFILE).is_some() {
            state.engine.logout(SANDBOX_PROFILE).await?;
        }
        let update = ProfileUpdate {
            authorize_url: Some(sandbox.authorize_url()),
            token_url: Some(sandbox.token_url()),
            api_base: Some(sandbox.api_base()),
            client_id: Some(sandbox.client_id().to_string()),
            redirect_uri: Some(state.redirect_uri()),
            scope: Some(String::new()),
            revocation_url: Some(String::new()),
        };
        state
            .engine
            .sandbox_profile_set(update, Secret::new(sandbox.client_secret()))
            .await?;
        tracing::info!(base = %sandbox.base_url(), "sandbox started");
        *slot = Some(sandbox);
    }
    let base_url = slot.as_ref().map(|s| s.base_url()).unwrap_or_default();
    Ok(SandboxView {
        base_url,
        profile: SANDBOX_PROFILE.into(),
    })
}
