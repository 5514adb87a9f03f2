//! Everything one running sandbox shares between its handlers.
//!
//! Plain `std` mutexes: every critical section is short and synchronous, and no lock is held
//! across an `.await` (delays from [`Faults`] happen before any lock is taken).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::api::World;
use crate::config::{AuthFailures, Faults, SandboxConfig, Stats};
use crate::oauth::{Clients, OAuthStore};
use crate::ratelimit::RateLimiter;

pub(crate) type AppState = Arc<Shared>;

pub(crate) struct Shared {
    /// `http://127.0.0.1:PORT`, used to build absolute pagination and preview URLs.
    pub base_url: String,
    /// The built-in client's id and secret (what `Sandbox::client_id`/`client_secret` return).
    pub client_id: String,
    client_secret: String,
    /// Every client, the built-in one included, with its redirect URIs.
    pub clients: Mutex<Clients>,
    /// Redirect URIs only as registered through Passport's rule (see `oauth::clients`).
    pub strict_registration: bool,
    pub account_name: String,
    pub settings: Mutex<Settings>,
    pub faults: Mutex<Faults>,
    pub counters: Counters,
    pub oauth: Mutex<OAuthStore>,
    pub limiter: Mutex<RateLimiter>,
    pub world: Mutex<World>,
}

impl Shared {
    pub(crate) fn new(config: SandboxConfig, base_url: String) -> Self {
        let world = crate::api::seed::world(crate::clock::now_unix(), &base_url);
        Self {
            base_url,
            clients: Mutex::new(Clients::new(
                &config.client_id,
                &config.client_secret,
                config.redirect_uris,
            )),
            client_id: config.client_id,
            client_secret: config.client_secret,
            strict_registration: config.strict_registration,
            account_name: config.account_name,
            settings: Mutex::new(Settings {
                access_token_ttl: config.access_token_ttl,
                rate_limit_per_minute: config.rate_limit_per_minute,
                test_mode: config.test_mode,
                auth_failures: config.auth_failures,
            }),
            faults: Mutex::new(Faults::default()),
            counters: Counters::default(),
            oauth: Mutex::new(OAuthStore::default()),
            limiter: Mutex::new(RateLimiter::default()),
            world: Mutex::new(world),
        }
    }

    pub(crate) fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    pub(crate) fn faults(&self) -> Faults {
        lock(&self.faults).clone()
    }

    pub(crate) fn client_secret(&self) -> &str {
        &self.client_secret
    }
}

/// Settings that may change while the sandbox runs.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub access_token_ttl: Duration,
    pub rate_limit_per_minute: u32,
    pub test_mode: bool,
    pub auth_failures: AuthFailures,
}

#[derive(Default)]
pub(crate) struct Counters {
    pub token_requests: Counter,
    pub authorization_code_grants: Counter,
    pub refresh_token_grants: Counter,
    pub successful_refreshes: Counter,
    pub api_requests: Counter,
}

impl Counters {
    pub(crate) fn snapshot(&self) -> Stats {
        Stats {
            token_requests: self.token_requests.get(),
            authorization_code_grants: self.authorization_code_grants.get(),
            refresh_token_grants: self.refresh_token_grants.get(),
            successful_refreshes: self.successful_refreshes.get(),
            api_requests: self.api_requests.get(),
        }
    }
}

#[derive(Default)]
pub(crate) struct Counter(AtomicU64);

impl Counter {
    pub(crate) fn bump(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Locks, shrugging off poisoning: a panicked handler must not take the whole sandbox down with
/// it, and every critical section leaves the data consistent before it can panic.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
