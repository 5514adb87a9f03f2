//! Per-access-token request limit in fixed 60-second windows, like Laravel's `throttle:60,1`.
//!
//! Fixed windows (not sliding) keep the numbers predictable for tests: the first request opens
//! a window, and the counter resets 60 s later.

use std::collections::HashMap;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

#[derive(Default)]
pub(crate) struct RateLimiter {
    windows: HashMap<String, Window>,
}

struct Window {
    opened: Instant,
    used: u32,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Allowed { limit: u32, remaining: u32 },
    Limited { limit: u32, retry_after_secs: u64 },
}

impl RateLimiter {
    /// Counts one request for `key` and says whether it may proceed.
    pub(crate) fn check(&mut self, key: &str, limit: u32, now: Instant) -> Verdict {
        if self.windows.len() > 10_000 {
            self.windows
                .retain(|_, w| now.duration_since(w.opened) < WINDOW);
        }
        let window = self.windows.entry(key.to_owned()).or_insert(Window {
            opened: now,
            used: 0,
        });
        if now.duration_since(window.opened) >= WINDOW {
            *window = Window {
                opened: now,
                used: 0,
            };
        }
        if window.used >= limit {
            let left = WINDOW.saturating_sub(now.duration_since(window.opened));
            // Round up so a client that waits exactly Retry-After seconds gets through.
            let retry_after_secs = (left.as_millis().div_ceil(1000) as u64).max(1);
            return Verdict::Limited {
                limit,
                retry_after_secs,
            };
        }
        window.used += 1;
        Verdict::Allowed {
            limit,
            remaining: limit - window.used,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_then_limits_then_resets() {
        let mut rl = RateLimiter::default();
        let t0 = Instant::now();
        assert_eq!(
            rl.check("a", 2, t0),
            Verdict::Allowed {
                limit: 2,
                remaining: 1
            }
        );
        assert_eq!(
            rl.check("a", 2, t0),
            Verdict::Allowed {
                limit: 2,
                remaining: 0
            }
        );
        let later = t0 + Duration::from_secs(15);
        assert_eq!(
            rl.check("a", 2, later),
            Verdict::Limited {
                limit: 2,
                retry_after_secs: 45
            }
        );
        // Other tokens have their own window.
        assert_eq!(
            rl.check("b", 2, later),
            Verdict::Allowed {
                limit: 2,
                remaining: 1
            }
        );
        let next = t0 + WINDOW;
        assert_eq!(
            rl.check("a", 2, next),
            Verdict::Allowed {
                limit: 2,
                remaining: 1
            }
        );
    }
}
