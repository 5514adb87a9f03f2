//! Keeps the window, the tray and the alerts in step with the config home, whoever changes it:
//! this app, `thanksctl`, or another program on the engine.
//!
//! Every [`POLL`] it takes a snapshot of the config home (sizes and times of a few files, see
//! `thanks_core::watch`). When something changed it reads every profile's state once (one
//! keyring check for all of them), sends `accounts:changed` with it and `token:changed` for
//! each profile whose tokens changed, redraws the tray and shows the notifications that are
//! due. Every [`RECHECK`] it does the same without a change, because time alone turns a token
//! from connected to expired.

use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use thanks_core::AccountsView;
use thanks_core::alerts::{self, NotifiedStore, TraySummary};
use thanks_core::watch::Snapshot;

use crate::state::AppState;

pub const ACCOUNTS_CHANGED: &str = "accounts:changed";
const POLL: Duration = Duration::from_millis(1500);
const RECHECK: Duration = Duration::from_secs(30);

/// Every profile's state and the tray's summary of it: the Accounts view's model.
#[derive(Debug, Clone, Serialize)]
pub struct AccountsPanel {
    #[serde(flatten)]
    pub view: AccountsView,
    pub summary: TraySummary,
}

impl From<AccountsView> for AccountsPanel {
    fn from(view: AccountsView) -> Self {
        let summary = alerts::summary(&view);
        Self { view, summary }
    }
}

pub fn spawn<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        // The first pass (every profile's state, the tray, due alerts) after the window's first
        // paint, which needs the keyring and the CPU for its own status read.
        crate::startup::after_paint().await;
        let mut last = Snapshot::default();
        let mut since_check = RECHECK;
        loop {
            let home = app.state::<AppState>().engine.home().clone();
            let now = tauri::async_runtime::spawn_blocking(move || Snapshot::take(&home))
                .await
                .unwrap_or_default();
            let changes = now.changes_since(&last);
            last = now;
            if changes.any || since_check >= RECHECK {
                since_check = Duration::ZERO;
                update(&app, changes.any, &changes.token_uids).await;
            }
            tokio::time::sleep(POLL).await;
            since_check += POLL;
        }
    });
}

async fn update<R: Runtime>(app: &AppHandle<R>, changed: bool, token_uids: &[String]) {
    let state = app.state::<AppState>();
    let engine = &state.engine;
    let view = match engine.accounts().await {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(code = e.code(), "couldn't read the profiles' state");
            return;
        }
    };
    let panel = AccountsPanel::from(view);
    crate::tray::show(app, &panel.summary);
    if changed {
        if let Ok(config) = engine.config() {
            let changed_names: Vec<&str> = config
                .names()
                .filter(|n| config.get(n).is_some_and(|p| token_uids.contains(&p.uid)))
                .collect();
            for account in &panel.view.accounts {
                if changed_names.contains(&account.status.profile.as_str()) {
                    crate::events::token_changed(app, &account.status);
                }
            }
        }
        if let Err(e) = app.emit(ACCOUNTS_CHANGED, &panel) {
            tracing::warn!(error = %e, "couldn't tell the window about the accounts");
        }
    }
    let store = NotifiedStore::new(engine.home());
    let view = panel.view;
    let due = tauri::async_runtime::spawn_blocking(move || store.due(&view)).await;
    match due {
        Ok(Ok(notices)) => {
            for notice in notices {
                crate::notices::show(app, notice);
            }
        }
        _ => tracing::warn!("couldn't keep track of the notifications shown"),
    }
}
