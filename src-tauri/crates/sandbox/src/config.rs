//! What a sandbox is started with, and the knobs tests turn while it runs.
//!
//! [`Faults`] and [`Stats`] are serde types because the same control is offered over HTTP
//! (`/__sandbox/*`) to tests that are not written in Rust.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::SandboxError;
use crate::random;

/// How to start a [`crate::Sandbox`]. Build it with `..Default::default()` so new fields don't
/// break callers.
#[derive(Clone)]
pub struct SandboxConfig {
    /// 0 picks a free port. The sandbox always binds 127.0.0.1 only.
    pub port: u16,
    /// The one registered OAuth client.
    pub client_id: String,
    /// Its secret; the default is fresh per `Default::default()` so no test can depend on a
    /// well-known value.
    pub client_secret: String,
    /// The built-in client's redirect URIs, matched exactly (plus RFC 8252 loopback port
    /// leniency).
    pub redirect_uris: Vec<String>,
    /// thanks.io's registration rule for the built-in client: `redirect_uris` must pass
    /// Passport's check (a refused one stops the start), may be empty (register them later over
    /// `/__sandbox/clients/{id}`), and nothing else is accepted. Off by default, when the
    /// built-in client also takes the single-slash forms thanks.io would refuse.
    pub strict_registration: bool,
    /// Lifetime of newly issued access tokens (`expires_in`).
    pub access_token_ttl: Duration,
    /// Requests per access token per fixed 60-second window.
    pub rate_limit_per_minute: u32,
    /// Shown on the consent page.
    pub account_name: String,
    /// thanks.io's "API Test Mode": real sends are accepted, then cancelled.
    pub test_mode: bool,
    /// How a missing, bad or expired token is answered.
    pub auth_failures: AuthFailures,
}

/// How `/api/v2` answers a request whose token is missing, unknown or expired.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthFailures {
    /// As thanks.io's spec documents each endpoint: 403 `{"message":"Unauthorized"}` on most,
    /// 401 `{"message":"Unauthorized"}` on estimates, 401
    /// `{"status":"failed","errors":["Unauthorized"]}` on order items and gift-card
    /// invalidation.
    #[default]
    Documented,
    /// Passport's own default everywhere: 401 `{"message":"Unauthenticated."}` (what the live
    /// server may send instead; unverified).
    #[serde(alias = "401")]
    Always401,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            port: 0,
            client_id: "thanks-connect-sandbox".to_owned(),
            client_secret: format!("sbx_cs_{}", random::b64url(24)),
            // The app's defaults (release and debug builds), the RFC 8252 single-slash forms
            // older profiles use, and the loopback redirect on any port.
            redirect_uris: vec![
                "dev.thanksconnect.app://oauth/callback".to_owned(),
                "dev.thanksconnect.app.debug://oauth/callback".to_owned(),
                "dev.thanksconnect.app:/oauth/callback".to_owned(),
                "dev.thanksconnect.app.debug:/oauth/callback".to_owned(),
                "http://127.0.0.1/callback".to_owned(),
            ],
            strict_registration: false,
            access_token_ttl: Duration::from_secs(3600),
            rate_limit_per_minute: 60,
            account_name: "Sandbox Printing Co.".to_owned(),
            test_mode: true,
            auth_failures: AuthFailures::Documented,
        }
    }
}

impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("port", &self.port)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("redirect_uris", &self.redirect_uris)
            .field("strict_registration", &self.strict_registration)
            .field("access_token_ttl", &self.access_token_ttl)
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("account_name", &self.account_name)
            .field("test_mode", &self.test_mode)
            .field("auth_failures", &self.auth_failures)
            .finish()
    }
}

impl SandboxConfig {
    /// Refuses configurations that would make the sandbox behave in surprising ways rather than
    /// failing later inside a request.
    pub(crate) fn validate(&self) -> Result<(), SandboxError> {
        let bad = |why: &str| Err(SandboxError::InvalidConfig(why.to_owned()));
        if self.client_id.is_empty() || self.client_id.contains(':') {
            // HTTP Basic splits on the first ':', so such an id could never authenticate.
            return bad("client_id must be non-empty and contain no ':'");
        }
        if self.client_secret.is_empty() {
            return bad("client_secret must be non-empty");
        }
        if self.strict_registration {
            if let Some(refused) = self
                .redirect_uris
                .iter()
                .find(|u| crate::oauth::validate_redirects(u).is_err())
            {
                return Err(SandboxError::InvalidConfig(format!(
                    "thanks.io would refuse to register {refused}: {} It needs a scheme and a host, e.g. dev.thanksconnect.app://oauth/callback",
                    crate::oauth::validate_redirects(refused).unwrap_err()
                )));
            }
        } else if self.redirect_uris.is_empty() {
            return bad("at least one redirect URI must be registered");
        }
        if self
            .redirect_uris
            .iter()
            .any(|u| u.is_empty() || u.contains('#'))
        {
            // RFC 6749 §3.1.2: redirection endpoints must not include a fragment.
            return bad("redirect URIs must be non-empty and have no #fragment");
        }
        if self.rate_limit_per_minute == 0 {
            return bad("rate_limit_per_minute must be at least 1");
        }
        Ok(())
    }
}

/// Failures injected on purpose, so clients can be tested against a misbehaving thanks.io.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Delay every `/oauth/token` response by this many milliseconds.
    pub token_delay_ms: u64,
    /// Delay every `/api/v2` response by this many milliseconds.
    pub api_delay_ms: u64,
    /// While set, every `/oauth/token` response fails this way (before the grant is processed,
    /// so no code or refresh token is consumed).
    pub token_failure: Option<Failure>,
    /// While set, every `/api/v2` response fails this way (before authentication, as an upstream
    /// proxy would).
    pub api_failure: Option<Failure>,
    /// One-shot: the next `refresh_token` grant from an authenticated client answers
    /// `invalid_grant`, then the flag clears itself. The refresh token itself stays live.
    pub invalid_grant_next_refresh: bool,
}

/// The ways a response can be broken.
///
/// Serialized as serde's snake_case (`html500`, `html502`, `malformed_json`, `error_in200`, `forbidden403`);
/// the spellings people tend to type in scripts (`html_500`, `html_502`, `error_in_200`) are
/// accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// 500 with an HTML page, as a crashed PHP backend would answer.
    #[serde(alias = "html_500")]
    Html500,
    /// 502 with an HTML page, as Cloudflare answers when the origin is down.
    #[serde(alias = "html_502")]
    Html502,
    /// 200, `content-type: application/json`, and a truncated body.
    MalformedJson,
    /// 200 whose JSON body is an error (`{"error":"server_error",…}`).
    #[serde(alias = "error_in_200")]
    ErrorIn200,
    /// 403 `{"message":"This action is unauthorized."}`: a permission error, not a bad token.
    #[serde(alias = "forbidden_403")]
    Forbidden403,
}

/// Counters for assertions such as "exactly one refresh happened".
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Every request to `/oauth/token`, whatever its outcome.
    pub token_requests: u64,
    /// Token requests with `grant_type=authorization_code`, whatever their outcome.
    pub authorization_code_grants: u64,
    /// Token requests with `grant_type=refresh_token`, whatever their outcome.
    pub refresh_token_grants: u64,
    /// Refresh grants that issued a new token pair.
    pub successful_refreshes: u64,
    /// Every request under `/api/v2` (including 401/404/429 and faulted ones).
    pub api_requests: u64,
}
