//! The background refresh while the app runs: a task that ticks the engine's [`KeepAlive`]
//! (which renews OAuth tokens shortly before they expire, backs off after failures and leaves
//! `needs reconnect` alone) and tells the window about every profile whose state changed, so
//! a token that renews itself is never shown as expired. The decisions are in
//! `thanks_core::engine::keepalive`; this only schedules and reports.

use tauri::{AppHandle, Manager, Runtime};
use thanks_core::engine::{KEEPALIVE_TICK, KeepAlive};

use crate::events;
use crate::state::AppState;

/// Starts the task; it lives as long as the app.
pub fn spawn<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        // The first round after the window's first paint: a token it renews is announced to a
        // page that listens by then, and the round doesn't compete with the page's own reads.
        crate::startup::after_paint().await;
        let mut keep = KeepAlive::new();
        loop {
            if let Some(state) = app.try_state::<AppState>() {
                let round = state.engine.keep_alive(&mut keep).await;
                let changed = round
                    .renewed
                    .iter()
                    .chain(round.failed.iter().map(|(name, _)| name));
                for name in changed {
                    if let Ok(status) = state.engine.status(name).await {
                        events::token_changed(&app, &status);
                    }
                }
            }
            tokio::time::sleep(KEEPALIVE_TICK).await;
        }
    });
}
