//! The ways a login comes back into the app: a deep link (warm start through single-instance,
//! or the URL the OS launched us with), the loopback listener, or an address pasted by the user.
//! All of them end in `Engine::login_complete`, which checks `state` before any network call.

use tauri::{AppHandle, Manager, Runtime};
use thanks_core::oauth::loopback::LoopbackListener;

use crate::events::{self, AuthChanged};
use crate::state::AppState;

/// Completes a login from a callback URL and tells the UI. Duplicate deliveries of a callback
/// that was already handled (the OS may deliver a link twice) are ignored quietly.
pub async fn complete<R: Runtime>(
    app: &AppHandle<R>,
    url: &str,
) -> Result<thanks_core::StatusView, thanks_core::Error> {
    let state = app.state::<AppState>();
    let pending = state.engine.pending_for_callback(url);
    let result = state.engine.login_complete(url).await;
    match &result {
        Ok(status) => {
            events::auth_changed(
                app,
                AuthChanged {
                    profile: status.profile.clone(),
                    pending_id: pending.map(|p| p.id),
                    ok: true,
                    code: None,
                    message: Some(format!(
                        "Connected profile “{}” to thanks.io.",
                        status.profile
                    )),
                    status: Some(status.clone()),
                },
            );
            events::token_changed(app, status);
            focus_main_window(app);
        }
        Err(e) if e.is_duplicate_callback() => {
            tracing::debug!("ignoring a callback that was already handled")
        }
        Err(e) => {
            events::auth_changed(
                app,
                AuthChanged {
                    profile: pending
                        .as_ref()
                        .map(|p| p.profile.clone())
                        .unwrap_or_default(),
                    pending_id: pending.map(|p| p.id),
                    ok: false,
                    code: Some(e.code().into()),
                    message: Some(e.to_string()),
                    status: None,
                },
            );
            focus_main_window(app);
        }
    }
    result
}

/// Deep links handed to us by the OS. Only our scheme is considered; the rest is ignored.
pub fn handle_deep_links<R: Runtime>(app: &AppHandle<R>, urls: Vec<url::Url>) {
    let scheme = app.state::<AppState>().scheme.clone();
    for url in urls {
        if url.scheme() != scheme {
            tracing::warn!(scheme = url.scheme(), "ignoring a link for another scheme");
            continue;
        }
        if thanks_core::setup::link::is_setup_link(&url) {
            crate::offers::offer_link(app, &url);
            continue;
        }
        tracing::info!(path = url.path(), "deep link received");
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            let _ = complete(&app, url.as_str()).await;
        });
    }
}

/// Waits for the browser on the profile's loopback redirect (RFC 8252 §7.3) until the login
/// completes, fails, or is cancelled (the task is aborted).
pub fn spawn_loopback<R: Runtime>(
    app: &AppHandle<R>,
    pending_id: String,
    listener: LoopbackListener,
) {
    let app2 = app.clone();
    let id = pending_id.clone();
    let task = tauri::async_runtime::spawn(async move {
        let wait = async {
            loop {
                let Ok((url, reply)) = listener.next_callback().await else {
                    return;
                };
                match complete(&app2, &url).await {
                    Ok(s) => {
                        reply
                            .send(true, &format!("Profile “{}” is connected.", s.profile))
                            .await;
                        return;
                    }
                    Err(e) => {
                        reply.send(false, &e.to_string()).await;
                        let ours = app2
                            .state::<AppState>()
                            .engine
                            .pending_login(&id)
                            .is_some_and(|p| p.used_at.is_some());
                        if ours {
                            return;
                        }
                    }
                }
            }
        };
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(thanks_core::oauth::pending::PENDING_TTL_SECS as u64),
            wait,
        )
        .await;
        app2.state::<AppState>()
            .logins
            .lock()
            .expect("poisoned")
            .remove(&id);
    });
    app.state::<AppState>()
        .logins
        .lock()
        .expect("poisoned")
        .insert(pending_id, task.inner().abort_handle());
}

pub fn focus_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}
