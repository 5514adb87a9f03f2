//! A local, in-memory stand-in for thanks.io: the OAuth consent page and token endpoint
//! (behaving like Laravel Passport) and `/api/v2` with seeded, believable account data.
//!
//! Thanks Connect's demo and every test run against it offline. It listens on 127.0.0.1 only
//! and keeps everything in memory, so each [`Sandbox`] starts from the same seed data and
//! forgets everything when dropped. Tests can inject faults (delays, HTML error pages,
//! malformed JSON, a one-shot `invalid_grant`), expire tokens and read request counters, from
//! Rust or over HTTP (`/__sandbox/*`).
//!
//! What it deliberately is not: a faithful price list (its prices are made up), a multi-account
//! server (every token belongs to one account), or a place to learn thanks.io's exact error
//! strings where the docs don't state them. Where thanks.io's behaviour is unknown, the module
//! docs say which choice the sandbox made.

mod api;
mod clock;
mod config;
mod control;
mod error;
mod faults;
mod oauth;
mod png;
mod random;
mod ratelimit;
mod server;
mod state;

use std::fmt;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{AuthFailures, Failure, Faults, SandboxConfig, Stats};
pub use error::SandboxError;

use state::{Shared, lock};

/// A running sandbox. Dropping it stops the server (in the background); [`Sandbox::shutdown`]
/// stops it and waits.
pub struct Sandbox {
    shared: Arc<Shared>,
    port: u16,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds 127.0.0.1:`config.port` (0 = any free port) and starts serving on the current
    /// Tokio runtime.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        config.validate()?;
        let requested = config.port;
        let bind_error = |source| SandboxError::Bind {
            port: requested,
            source,
        };
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, requested))
            .await
            .map_err(bind_error)?;
        let port = listener.local_addr().map_err(bind_error)?.port();
        let shared = Arc::new(Shared::new(config, format!("http://127.0.0.1:{port}")));
        let app = server::router(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serving = axum::serve(listener, app).with_graceful_shutdown(async {
                // A dropped sender also means stop.
                let _ = stopped.await;
            });
            if let Err(err) = serving.await {
                tracing::warn!(error = %err, "the sandbox server stopped with an error");
            }
        });
        tracing::info!(port, "thanks.io sandbox listening on 127.0.0.1");
        Ok(Sandbox {
            shared,
            port,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    pub fn authorize_url(&self) -> String {
        format!("{}/oauth/authorize", self.shared.base_url)
    }

    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.shared.base_url)
    }

    /// The equivalent of `https://api.thanks.io/api/v2`.
    pub fn api_base(&self) -> String {
        format!("{}/api/v2", self.shared.base_url)
    }

    /// The built-in client's id.
    pub fn client_id(&self) -> &str {
        &self.shared.client_id
    }

    pub fn client_secret(&self) -> &str {
        self.shared.client_secret()
    }

    /// The built-in client's redirect URIs as registered now.
    pub fn redirect_uris(&self) -> Vec<String> {
        let clients = lock(&self.shared.clients);
        clients
            .get(&self.shared.client_id)
            .map(|c| c.redirect_uris.clone())
            .unwrap_or_default()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn stats(&self) -> Stats {
        self.shared.counters.snapshot()
    }

    pub fn faults(&self) -> Faults {
        self.shared.faults()
    }

    /// Replaces the current faults.
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.shared.faults) = faults;
    }

    /// Lifetime of access tokens issued from now on; existing tokens keep theirs.
    pub fn set_access_token_ttl(&self, ttl: Duration) {
        lock(&self.shared.settings).access_token_ttl = ttl;
    }

    /// Takes effect immediately, including for windows already open. 0 is treated as 1.
    pub fn set_rate_limit_per_minute(&self, limit: u32) {
        lock(&self.shared.settings).rate_limit_per_minute = limit.max(1);
    }

    pub fn set_test_mode(&self, on: bool) {
        lock(&self.shared.settings).test_mode = on;
    }

    /// How bad or expired tokens are answered from now on.
    pub fn set_auth_failures(&self, style: AuthFailures) {
        lock(&self.shared.settings).auth_failures = style;
    }

    /// Makes every access token issued so far expired (refresh tokens stay valid), so a client's
    /// "401 → refresh → retry" path can be exercised without waiting.
    pub fn expire_access_tokens(&self) {
        lock(&self.shared.oauth).expire_access_tokens(Instant::now());
    }

    /// Stops accepting connections, lets in-flight requests finish (up to 5 s), and returns.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.shared.base_url)
            .field("client_id", &self.shared.client_id)
            .field("client_secret", &"[redacted]")
            .finish()
    }
}
