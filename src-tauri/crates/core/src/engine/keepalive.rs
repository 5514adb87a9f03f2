//! The app's background refresh: while the app runs, every OAuth profile's access token is
//! renewed shortly before it expires, so a connection that can renew itself never shows as
//! expired and the next request doesn't wait for a refresh.
//!
//! One [`KeepAlive`] per app, ticked every [`TICK`]: each profile whose token is within the
//! refresh margin is refreshed through [`Engine::refresh_if_due`], i.e. through the same
//! single-flight mutex and cross-process lock as every other refresh (a `thanksctl` refreshing
//! at the same moment spends the refresh token once). A failure backs that profile off
//! (30 s, 1 min, 2 min … at most 10 min), so a broken token endpoint never sees a storm;
//! `needs reconnect` stops it altogether (`refresh_if_due` skips those). It deliberately does
//! no API call: renewing needs only the token endpoint.

use std::collections::HashMap;
use std::time::Duration;

use super::Engine;
use crate::error::Error;

/// How often the app looks at its profiles.
pub const TICK: Duration = Duration::from_secs(5);
/// The first wait after a failed background refresh; doubled per failure up to [`MAX_BACKOFF_SECS`].
pub const FIRST_BACKOFF_SECS: i64 = 30;
pub const MAX_BACKOFF_SECS: i64 = 600;

/// What one round did, for the app to tell the window.
#[derive(Debug, Default)]
pub struct KeepAliveRound {
    /// Profiles whose tokens were renewed (here or by another process).
    pub renewed: Vec<String>,
    /// Profiles whose background refresh failed, with why.
    pub failed: Vec<(String, Error)>,
}

/// Per-profile backoff between rounds; lives as long as the app.
#[derive(Debug, Default)]
pub struct KeepAlive {
    backoff: HashMap<String, Backoff>,
}

#[derive(Debug, Clone, Copy)]
struct Backoff {
    failures: u32,
    until: i64,
}

impl Backoff {
    fn after(failures: u32, now: i64) -> Self {
        let wait = FIRST_BACKOFF_SECS
            .saturating_mul(1 << failures.saturating_sub(1).min(10))
            .min(MAX_BACKOFF_SECS);
        Self {
            failures,
            until: now + wait,
        }
    }
}

impl KeepAlive {
    pub fn new() -> Self {
        Self::default()
    }

    /// Seconds until `profile` is tried again, when it is backing off.
    pub fn backing_off(&self, profile: &str, now: i64) -> Option<i64> {
        self.backoff
            .get(profile)
            .map(|b| b.until - now)
            .filter(|left| *left > 0)
    }
}

impl Engine {
    /// One round over every saved profile.
    pub async fn keep_alive(&self, state: &mut KeepAlive) -> KeepAliveRound {
        let mut round = KeepAliveRound::default();
        let Ok(config) = self.config() else {
            return round;
        };
        let names: Vec<String> = config.names().map(str::to_string).collect();
        state.backoff.retain(|name, _| names.contains(name));
        for name in names {
            let now = self.now();
            if state.backing_off(&name, now).is_some() {
                continue;
            }
            match self.refresh_if_due(&name).await {
                Ok(renewed) => {
                    state.backoff.remove(&name);
                    if renewed {
                        round.renewed.push(name);
                    }
                }
                Err(e) => {
                    let failures = state.backoff.get(&name).map_or(0, |b| b.failures) + 1;
                    let next = Backoff::after(failures, self.now());
                    tracing::warn!(profile = %name, code = e.code(), retry_in = next.until - self.now(), "background refresh failed");
                    state.backoff.insert(name.clone(), next);
                    round.failed.push((name, e));
                }
            }
        }
        round
    }
}
