//! The diagnostic report: one plain-text page a user pastes into a support ticket.
//!
//! It says which build made it and on what system, the keyring's state, the link handler,
//! every profile's settings and token state, each profile's last 50 timeline events, the error
//! codes seen recently and the app's newest log lines. Everything in it comes from views that
//! hold no secret (profile views say only whether a client secret is set; status views and
//! events never carry a token), and log lines are scrubbed again on the way in. The same text
//! comes out of `thanksctl report` and the window's *Copy diagnostic report* / *Save…*.

pub mod system;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use crate::engine::{AccountView, Engine, EventView};
use crate::error::Result;
use crate::tokens::{AuthKind, KeyringView, TokenState};
use crate::util::{human_duration, rfc3339};

/// The desktop app's identifiers, release and debug; each is also its link scheme.
pub const APP_IDENTIFIERS: [&str; 2] = ["dev.thanksconnect.app", "dev.thanksconnect.app.debug"];

/// Timeline events per profile in a report.
pub const REPORT_EVENTS: usize = 50;
/// App log lines in a report.
pub const REPORT_LOG_LINES: usize = 40;

/// What only the caller knows: who is making the report and where to look.
#[derive(Debug, Clone)]
pub struct ReportContext {
    /// E.g. "thanksctl 0.1.0 (debug build)".
    pub made_by: String,
    /// Link schemes whose handler registration to report.
    pub schemes: Vec<String>,
    /// Folders that may hold the app's log files.
    pub log_dirs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub text: String,
    /// A name for *Save…*, e.g. `thanks-connect-report-2026-12-01T10-00-00Z.txt`.
    pub file_name: String,
}

/// "debug build" or "release build", as compiled.
pub fn build_kind() -> &'static str {
    if cfg!(debug_assertions) {
        "debug build"
    } else {
        "release build"
    }
}

impl Engine {
    pub async fn report(&self, ctx: &ReportContext) -> Result<Report> {
        let now = rfc3339(self.now());
        let accounts = self.accounts().await?;
        let schemes = ctx.schemes.clone();
        let logs = ctx.log_dirs.clone();
        let (handlers, log) = tokio::task::spawn_blocking(move || {
            let handlers: Vec<(String, String)> = schemes
                .iter()
                .map(|s| (s.clone(), system::scheme_handler(s)))
                .collect();
            (handlers, system::recent_log_lines(&logs, REPORT_LOG_LINES))
        })
        .await
        .unwrap_or_default();

        let mut out = String::new();
        let w = &mut out;
        heading(w, "Thanks Connect diagnostic report");
        line(w, "Made by", &ctx.made_by);
        line(w, "Made at", &now);
        line(w, "System", &system::os_description());
        line(w, "Config home", &self.home().root().display().to_string());
        line(w, "Keyring", &keyring_words(&accounts.keyring));
        for (scheme, handler) in &handlers {
            line(w, &format!("Links {scheme}:"), handler);
        }

        let mut failures: Vec<EventView> = Vec::new();
        heading(w, &format!("Profiles ({})", accounts.accounts.len()));
        for account in &accounts.accounts {
            let name = &account.status.profile;
            let profile = self.profile_view(name).await?;
            let _ = writeln!(w, "\n[{name}]");
            line(w, "Authorize URL", &profile.authorize_url);
            line(w, "Token URL", &profile.token_url);
            line(w, "API base", &profile.api_base);
            line(w, "Client id", or_dash(&profile.client_id));
            let secret = if profile.has_client_secret {
                "set (in the keyring)"
            } else {
                "not set"
            };
            line(w, "Client secret", secret);
            line(w, "Redirect URI", &profile.redirect_uri);
            line(w, "Scope", profile.scope.as_deref().unwrap_or("—"));
            account_lines(w, account);
            let events = self.events(name).await.unwrap_or_default();
            failures.extend(events.iter().filter(|e| !e.event.ok).cloned());
            let shown = &events[events.len().saturating_sub(REPORT_EVENTS)..];
            let _ = writeln!(
                w,
                "  Timeline (last {} of {} events):",
                shown.len(),
                events.len()
            );
            for e in shown {
                let _ = writeln!(w, "    {}", event_line(e, false));
            }
        }

        heading(w, "Recent error codes");
        let mut codes: BTreeMap<&str, (usize, &str, &str)> = BTreeMap::new();
        for e in &failures {
            let code = e.event.code.as_deref().unwrap_or("(no code)");
            let slot = codes.entry(code).or_insert((0, "", ""));
            slot.0 += 1;
            if e.time.as_str() >= slot.1 {
                (slot.1, slot.2) = (&e.time, &e.profile);
            }
        }
        if codes.is_empty() {
            let _ = writeln!(w, "none");
        }
        for (code, (n, last, profile)) in codes {
            let _ = writeln!(w, "{code}: {n}×, last at {last} ({profile})");
        }

        match &log {
            Some((path, lines)) => {
                heading(w, &format!("Recent log lines ({})", path.display()));
                for l in lines {
                    let _ = writeln!(w, "{l}");
                }
            }
            None => {
                heading(w, "Recent log lines");
                let _ = writeln!(w, "no log file of the desktop app was found");
            }
        }
        Ok(Report {
            text: out,
            file_name: format!("thanks-connect-report-{}.txt", now.replace(':', "-")),
        })
    }
}

fn heading(w: &mut String, title: &str) {
    if !w.is_empty() {
        w.push('\n');
    }
    let _ = writeln!(w, "{title}\n{}", "=".repeat(title.chars().count()));
}

fn line(w: &mut String, label: &str, value: &str) {
    let _ = writeln!(w, "  {label:<15} {value}");
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { "—" } else { s }
}

fn keyring_words(k: &KeyringView) -> String {
    match (&k.ok, &k.code, &k.error) {
        (true, _, _) => format!("{}: available", k.backend),
        (false, code, error) => format!(
            "{}: {} [{}]",
            k.backend,
            error.as_deref().unwrap_or("unavailable"),
            code.as_deref().unwrap_or("vault.failed")
        ),
    }
}

fn account_lines(w: &mut String, a: &AccountView) {
    let s = &a.status;
    let state = match s.state {
        TokenState::Connected => "connected",
        TokenState::Expired => "expired",
        TokenState::NeedsReconnect => "needs reconnect",
        TokenState::Disconnected => "disconnected",
    };
    line(w, "State", state);
    let auth = match s.auth {
        Some(AuthKind::Oauth) => "OAuth",
        Some(AuthKind::PersonalToken) => "personal access token",
        None => "—",
    };
    line(w, "Auth", auth);
    let expiry = match (&s.expires_at, s.expires_in_secs) {
        (Some(at), Some(left)) if left > 0 => format!("{at} (in {})", human_duration(left)),
        (Some(at), Some(left)) => format!("{at} ({} ago)", human_duration(left)),
        _ => "—".into(),
    };
    line(w, "Expires", &expiry);
    let rt = if s.has_refresh_token {
        "present"
    } else {
        "none"
    };
    line(w, "Refresh token", rt);
    let last = match &s.last_refresh {
        None => "never".to_string(),
        Some(r) => {
            let by =
                r.by.as_ref()
                    .map(|b| format!(" by {b}"))
                    .unwrap_or_default();
            let how = r
                .trigger
                .map(|t| format!(" ({})", trigger_words(t)))
                .unwrap_or_default();
            if r.ok {
                format!("{} ok{how}{by}", r.at)
            } else {
                format!(
                    "{} failed [{}]{how}{by}: {}",
                    r.at,
                    r.code.as_deref().unwrap_or("?"),
                    r.error.as_deref().unwrap_or("")
                )
            }
        }
    };
    line(w, "Last refresh", &last);
    let call = match &a.last_call {
        None => "none".to_string(),
        Some(c) => {
            let result = match (c.status, &c.code) {
                (Some(st), _) => format!("HTTP {st}"),
                (None, Some(code)) => format!("failed [{code}]"),
                (None, None) => "no answer".into(),
            };
            format!("{} {result} by {}", c.at, c.actor)
        }
    };
    line(w, "Last API call", &call);
}

pub fn trigger_words(t: crate::events::Trigger) -> &'static str {
    use crate::events::Trigger;
    match t {
        Trigger::Proactive => "proactive",
        Trigger::After401 => "after a 401",
        Trigger::Manual => "manual",
        Trigger::Background => "background",
    }
}

/// One event on one line: time, (profile,) what, how it went, who.
pub fn event_line(e: &EventView, with_profile: bool) -> String {
    let ev = &e.event;
    let mut s = e.time.clone();
    if with_profile {
        let _ = write!(s, "  [{}]", e.profile);
    }
    let _ = write!(s, "  {}", ev.kind.words());
    if let Some(t) = ev.trigger {
        let _ = write!(s, " ({})", trigger_words(t));
    }
    if let Some(st) = ev.status {
        let _ = write!(s, " HTTP {st}");
    }
    if !ev.ok {
        let _ = write!(s, " failed [{}]", ev.code.as_deref().unwrap_or("?"));
    }
    let _ = write!(s, " by {}", ev.actor);
    if let Some(m) = &ev.message {
        let _ = write!(s, ": {m}");
    }
    s
}
