//! Alerts before a connection breaks: which profiles need attention, what the tray says about
//! all of them, and which desktop notifications are due.
//!
//! A notification goes out once per change of a profile's alert (it starts needing a
//! reconnect, its refresh starts failing), not once per failed retry: the last alert notified
//! for each profile is kept in `alerts.json` in the config home, so a restart doesn't repeat
//! it either, and a profile that recovers is armed again. Deciding is here; showing the
//! notification and drawing the tray are the app's job.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::config::ConfigHome;
use crate::engine::{AccountView, AccountsView};
use crate::tokens::TokenState;
use crate::util::write_atomic;

/// How bad things are, worst last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Nothing connected: nothing to watch.
    Idle,
    Ok,
    /// Still usable or recoverable on its own (expired with a refresh token, a refresh that
    /// failed on the network, the keyring unreachable right now).
    Warning,
    /// Someone has to act: reconnect, or a token thanks.io refuses.
    Error,
}

/// Why a profile needs someone's attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Alert {
    NeedsReconnect,
    RefreshFailed,
    /// thanks.io refuses the profile's personal access token.
    TokenRejected,
}

/// The tray's icon level and text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraySummary {
    pub level: Level,
    /// The state in a sentence, for the window ("needs attention: Acme (needs reconnect)").
    pub text: String,
    /// The same, named, for the tray ("Thanks Connect: needs attention: …").
    pub tooltip: String,
}

/// A notification to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub profile: String,
    pub alert: Alert,
    pub title: String,
    pub body: String,
}

pub fn alert_of(a: &AccountView) -> Option<Alert> {
    let s = &a.status;
    match s.state {
        TokenState::NeedsReconnect => Some(Alert::NeedsReconnect),
        TokenState::Rejected => Some(Alert::TokenRejected),
        TokenState::Disconnected => None,
        _ if s.last_refresh.as_ref().is_some_and(|r| !r.ok) => Some(Alert::RefreshFailed),
        _ => None,
    }
}

fn level_of(a: &AccountView) -> (Level, &'static str) {
    let s = &a.status;
    match (s.state, alert_of(a)) {
        (TokenState::Disconnected, _) => (Level::Idle, "disconnected"),
        (TokenState::NeedsReconnect, _) => (Level::Error, "needs reconnect"),
        (TokenState::Rejected, _) => (Level::Error, "token rejected"),
        (TokenState::Expired, _) if !s.has_refresh_token => (Level::Error, "expired"),
        (_, Some(Alert::RefreshFailed)) => (Level::Warning, "refresh failed"),
        (TokenState::Expired, _) => (Level::Warning, "expired"),
        _ if !s.keyring.ok => (Level::Warning, "keyring unavailable"),
        _ => (Level::Ok, "connected"),
    }
}

/// The worst state across profiles, in words for a tooltip.
pub fn summary(view: &AccountsView) -> TraySummary {
    let levels: Vec<(Level, &str, &str)> = view
        .accounts
        .iter()
        .map(|a| {
            let (level, words) = level_of(a);
            (level, a.status.profile.as_str(), words)
        })
        .collect();
    let worst = levels.iter().map(|l| l.0).max().unwrap_or(Level::Idle);
    let connected = levels.iter().filter(|l| l.0 != Level::Idle).count();
    let text = match worst {
        Level::Idle => "no account connected".to_string(),
        Level::Ok if connected == 1 => "1 account connected".to_string(),
        Level::Ok => format!("all {connected} accounts connected"),
        _ => {
            let bad: Vec<String> = levels
                .iter()
                .filter(|l| l.0 >= Level::Warning)
                .map(|(_, name, words)| format!("{name} ({words})"))
                .collect();
            format!("needs attention: {}", bad.join(", "))
        }
    };
    TraySummary {
        level: worst,
        tooltip: format!("Thanks Connect: {text}"),
        text,
    }
}

fn notice(a: &AccountView, alert: Alert) -> Notice {
    let name = &a.status.profile;
    let (title, body) = match alert {
        Alert::NeedsReconnect => (
            format!("{name} needs to be reconnected"),
            "thanks.io no longer accepts its refresh token. Click to open the profile and connect again.".to_string(),
        ),
        Alert::TokenRejected => (
            format!("thanks.io refused {name}'s personal access token"),
            "Click to open the profile and paste a new token.".to_string(),
        ),
        Alert::RefreshFailed => (
            format!("Refreshing {name}'s token failed"),
            a.status
                .last_refresh
                .as_ref()
                .and_then(|r| r.error.clone())
                .unwrap_or_else(|| "The token could not be refreshed.".into()),
        ),
    };
    Notice {
        profile: name.clone(),
        alert,
        title,
        body,
    }
}

/// The alerts already notified, by profile, in `alerts.json`.
#[derive(Debug)]
pub struct NotifiedStore {
    path: PathBuf,
}

impl NotifiedStore {
    pub fn new(home: &ConfigHome) -> Self {
        Self {
            path: home.root().join("alerts.json"),
        }
    }

    fn load(&self) -> BTreeMap<String, Alert> {
        std::fs::read(&self.path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// The notifications due now: profiles whose alert changed to a new one since the last
    /// call (in this process or an earlier one). Remembers the new state. Blocking file I/O.
    pub fn due(&self, view: &AccountsView) -> std::io::Result<Vec<Notice>> {
        let before = self.load();
        let mut after = BTreeMap::new();
        let mut due = Vec::new();
        for a in &view.accounts {
            let Some(alert) = alert_of(a) else { continue };
            after.insert(a.status.profile.clone(), alert);
            if before.get(&a.status.profile) != Some(&alert) {
                due.push(notice(a, alert));
            }
        }
        if after != before {
            let bytes = serde_json::to_vec_pretty(&after).expect("serializable");
            write_atomic(&self.path, &bytes)?;
        }
        Ok(due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::{KeyringView, LastRefresh, StatusView, TokenMeta};

    fn account(name: &str, state: TokenState, refresh_ok: Option<bool>, rt: bool) -> AccountView {
        let meta = TokenMeta {
            auth: crate::tokens::AuthKind::Oauth,
            generation: 1,
            obtained_at: 0,
            expires_at: Some(if state == TokenState::Expired {
                50
            } else {
                5000
            }),
            token_type: "Bearer".into(),
            scope: None,
            has_refresh_token: rt,
            needs_reconnect: state == TokenState::NeedsReconnect,
            rejected: false,
            last_refresh: refresh_ok.map(|ok| LastRefresh {
                at: 90,
                ok,
                code: (!ok).then(|| "net.timeout".into()),
                error: (!ok).then(|| "the token endpoint timed out".into()),
                by: None,
                trigger: None,
            }),
            binding: None,
        };
        let keyring = KeyringView {
            backend: "test".into(),
            ok: true,
            code: None,
            error: None,
        };
        let meta = (state != TokenState::Disconnected).then_some(&meta);
        AccountView {
            status: StatusView::build(name, meta, rt, keyring.clone(), 100),
            api_base: "https://api.thanks.io/api/v2".into(),
            last_call: None,
        }
    }

    fn view(accounts: Vec<AccountView>) -> AccountsView {
        AccountsView {
            keyring: accounts[0].status.keyring.clone(),
            accounts,
        }
    }

    #[test]
    fn the_tray_shows_the_worst_state() {
        let ok = account("A", TokenState::Connected, Some(true), true);
        let stale = account("B", TokenState::Expired, None, true);
        let broken = account("C", TokenState::NeedsReconnect, Some(false), true);
        let off = account("D", TokenState::Disconnected, None, false);
        let s = summary(&view(vec![ok.clone(), off.clone()]));
        assert_eq!(s.level, Level::Ok);
        assert_eq!(s.tooltip, "Thanks Connect: 1 account connected");
        let s = summary(&view(vec![ok.clone(), stale.clone()]));
        assert_eq!(s.level, Level::Warning);
        assert_eq!(s.tooltip, "Thanks Connect: needs attention: B (expired)");
        let s = summary(&view(vec![ok, stale, broken]));
        assert_eq!(s.level, Level::Error);
        assert_eq!(
            s.tooltip,
            "Thanks Connect: needs attention: B (expired), C (needs reconnect)"
        );
        assert_eq!(summary(&view(vec![off])).level, Level::Idle);
        let dead = account("E", TokenState::Expired, None, false);
        assert_eq!(summary(&view(vec![dead])).level, Level::Error);
    }

    /// A profile on a personal access token, which thanks.io refuses when `rejected`.
    fn personal(name: &str, rejected: bool) -> AccountView {
        let meta = TokenMeta {
            auth: crate::tokens::AuthKind::PersonalToken,
            generation: 1,
            obtained_at: 0,
            expires_at: None,
            token_type: "Bearer".into(),
            scope: None,
            has_refresh_token: false,
            needs_reconnect: false,
            rejected,
            last_refresh: None,
            binding: None,
        };
        let keyring = KeyringView {
            backend: "test".into(),
            ok: true,
            code: None,
            error: None,
        };
        AccountView {
            status: StatusView::build(name, Some(&meta), false, keyring, 100),
            api_base: "https://api.thanks.io/api/v2".into(),
            last_call: None,
        }
    }

    #[test]
    fn a_rejected_personal_token_is_said_once_and_a_new_one_rearms_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = NotifiedStore::new(&ConfigHome::at(dir.path()));
        assert!(
            store
                .due(&view(vec![personal("P", false)]))
                .unwrap()
                .is_empty()
        );
        let due = store.due(&view(vec![personal("P", true)])).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].alert, Alert::TokenRejected);
        assert_eq!(due[0].title, "thanks.io refused P's personal access token");
        assert!(due[0].body.contains("paste a new token"));
        let s = summary(&view(vec![personal("P", true)]));
        assert_eq!(
            (s.level, s.tooltip.as_str()),
            (
                Level::Error,
                "Thanks Connect: needs attention: P (token rejected)"
            )
        );
        assert!(
            store
                .due(&view(vec![personal("P", true)]))
                .unwrap()
                .is_empty(),
            "once per change"
        );
        // A new token thanks.io accepts, then refused again: a new alert.
        assert!(
            store
                .due(&view(vec![personal("P", false)]))
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store.due(&view(vec![personal("P", true)])).unwrap().len(),
            1
        );
    }

    #[test]
    fn one_notification_per_change_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let home = ConfigHome::at(dir.path());
        let failing = account("A", TokenState::Connected, Some(false), true);
        let fine = account("A", TokenState::Connected, Some(true), true);
        let broken = account("A", TokenState::NeedsReconnect, Some(false), true);

        let store = NotifiedStore::new(&home);
        let due = store.due(&view(vec![failing.clone()])).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].title, "Refreshing A's token failed");
        assert_eq!(due[0].body, "the token endpoint timed out");
        assert!(store.due(&view(vec![failing.clone()])).unwrap().is_empty());
        // A new process (the app restarted) remembers what it already said.
        let store = NotifiedStore::new(&home);
        assert!(store.due(&view(vec![failing.clone()])).unwrap().is_empty());
        let due = store.due(&view(vec![broken.clone()])).unwrap();
        assert_eq!(due[0].alert, Alert::NeedsReconnect);
        assert!(store.due(&view(vec![broken])).unwrap().is_empty());
        // Recovering re-arms it.
        assert!(store.due(&view(vec![fine])).unwrap().is_empty());
        assert_eq!(store.due(&view(vec![failing])).unwrap().len(), 1);
    }
}
