//! The cost guard: before a request that prints, mails, charges or can't be undone goes out,
//! say so in plain words, price it with thanks.io's free estimate when there is one, and tell
//! the caller whether to ask the user first.
//!
//! - [`rules`]: which requests are guarded, judged on the resolved URL (pure).
//! - [`estimate`]: reading thanks.io's estimate answer.
//! - [`confirm`]: the one-time confirmation a guarded send must carry.
//!
//! [`Engine::cost_check`] adds the estimate and the decision. The rule: a guarded request needs
//! confirmation unless thanks.io's estimate says API Test Mode is on (orders are then accepted
//! and cancelled, §3.4) and the request does nothing test mode leaves billable (email→address
//! lookups, `append_data`, radius purchases, replays, gift-card invalidation, §3.4/§6) — or
//! unless the estimate refused the body with a 422: thanks.io refuses a send exactly where it
//! refuses its estimate (§3.1), so nothing would be printed or charged and the caller may as
//! well show thanks.io's own answer. Any other failed estimate still asks. Talking to the local
//! sandbox doesn't waive the prompt: `local_server` is reported so the UI can show a badge, and
//! the sandbox's own test mode switch decides, exactly as on thanks.io — so the prompt can be
//! tried against it.
//!
//! The asking is the app's and `thanksctl`'s; the enforcement is here: [`Engine::call_confirmed`]
//! sends a guarded request only with its confirmation. Bodies aren't validated beyond the few
//! fields that change the answer.

pub mod confirm;
pub mod estimate;
pub mod rules;

use serde::{Deserialize, Serialize};

pub use confirm::Confirmations;
pub use estimate::{EstimateView, dollars};
pub use rules::{Guard, assess, assess_at, method_override, route_paths};

use crate::api::{RequestSpec, ResponseView, resolve_url};
use crate::config::Profile;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::net::is_loopback;
use estimate::{parse_estimate, refused};

/// Everything the app or `thanksctl` needs to decide whether to ask, and what to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostCheck {
    pub guarded: bool,
    pub reason: Option<String>,
    pub estimate_path: Option<String>,
    pub estimate: Option<EstimateView>,
    /// The estimate was tried and failed, in words.
    pub estimate_error: Option<String>,
    /// The estimate's HTTP status, when it answered.
    pub estimate_status: Option<u16>,
    /// Decision input: the estimate refused the body (422), so the send will be refused the same
    /// way and nothing can be printed or charged.
    pub send_would_be_refused: bool,
    /// Decision input: the estimate's `test_mode` (`None` when there was no estimate).
    pub test_mode: Option<bool>,
    /// Decision input: confirm even in test mode (see [`Guard::even_in_test_mode`]; also when
    /// the estimate counts paid email lookups).
    pub even_in_test_mode: bool,
    /// The profile's API is on this machine (127.0.0.1, [::1], localhost): the sandbox, where
    /// nothing is mailed. A badge for the UI; it doesn't change `needs_confirmation`.
    pub local_server: bool,
    /// `guarded && !send_would_be_refused && (even_in_test_mode || test_mode != Some(true))`.
    pub needs_confirmation: bool,
    /// When `needs_confirmation`: the one-time id that lets this very request be sent once the
    /// user agreed (see [`confirm`]).
    pub confirmation: Option<String>,
}

impl Engine {
    /// Assesses `spec` and, when it is guarded and has an estimate, asks thanks.io's estimate
    /// with the same body (and query and headers). An estimate that fails is reported in
    /// `estimate_error`; only errors that would stop the request itself (profile, session,
    /// keyring, a foreign origin, a path outside the API, a method override) are returned as
    /// `Err`. A request that needs confirmation comes back with a one-time confirmation id.
    pub async fn cost_check(&self, profile: &str, spec: &RequestSpec) -> Result<CostCheck> {
        let profile = self.profile(profile)?;
        let mut check = self.check_cost(&profile, spec).await?;
        if check.needs_confirmation {
            let url = resolve_url(&profile.api_base, &spec.path, &spec.query)?;
            let cents = check.estimate.as_ref().map(|e| e.total_cost_in_cents);
            check.confirmation = Some(self.confirmations().issue(
                confirm::request_digest(&profile, &url, spec),
                cents,
                self.now(),
            ));
        }
        Ok(check)
    }

    /// Sends `spec` unless the cost guard stops it: a guarded request goes out only with the
    /// confirmation id `cost_check` gave for it, or when it needs no confirmation (test mode).
    /// The app's console and `thanksctl call` both send through here.
    pub async fn call_confirmed(
        &self,
        profile: &str,
        spec: &RequestSpec,
        confirmation: Option<&str>,
    ) -> Result<ResponseView> {
        let profile = self.profile(profile)?;
        if assess_at(&profile.api_base, spec)?.guarded {
            match confirmation {
                Some(id) => {
                    let url = resolve_url(&profile.api_base, &spec.path, &spec.query)?;
                    let digest = confirm::request_digest(&profile, &url, spec);
                    self.confirmations().redeem(id, &digest, self.now())?;
                }
                None => {
                    if self.check_cost(&profile, spec).await?.needs_confirmation {
                        return Err(Error::NeedsConfirmation);
                    }
                }
            }
        }
        self.call_profile(&profile, spec).await
    }

    async fn check_cost(&self, profile: &Profile, spec: &RequestSpec) -> Result<CostCheck> {
        let guard = assess_at(&profile.api_base, spec)?;
        let mut check = CostCheck {
            guarded: guard.guarded,
            reason: guard.reason,
            estimate_path: guard.estimate_path.clone(),
            estimate: None,
            estimate_error: None,
            estimate_status: None,
            send_would_be_refused: false,
            test_mode: None,
            even_in_test_mode: guard.even_in_test_mode,
            local_server: is_loopback(&profile.api_base),
            needs_confirmation: false,
            confirmation: None,
        };
        if !guard.guarded {
            return Ok(check);
        }
        if let Some(path) = &guard.estimate_path {
            let estimate = RequestSpec {
                method: "POST".into(),
                path: path.clone(),
                query: spec.query.clone(),
                headers: spec.headers.clone(),
                body: spec.body.clone(),
            };
            match self.call_profile(profile, &estimate).await {
                Ok(view) if (200..300).contains(&view.status) => {
                    check.estimate_status = Some(view.status);
                    match parse_estimate(&view.body) {
                        Ok(e) => check.estimate = Some(e),
                        Err(why) => check.estimate_error = Some(why),
                    }
                }
                Ok(view) => {
                    check.estimate_status = Some(view.status);
                    check.send_would_be_refused = view.status == 422;
                    check.estimate_error = Some(refused(view.status, &view.body));
                }
                Err(e @ (Error::Timeout { .. } | Error::Network { .. })) => {
                    check.estimate_error = Some(format!("the estimate failed: {e}"));
                }
                Err(e) => return Err(e),
            }
        }
        check.test_mode = check.estimate.as_ref().and_then(|e| e.test_mode);
        if check
            .estimate
            .as_ref()
            .and_then(|e| e.pending_email_lookups)
            .is_some_and(|n| n > 0)
        {
            check.even_in_test_mode = true;
        }
        check.needs_confirmation = check.guarded
            && !check.send_would_be_refused
            && (check.even_in_test_mode || check.test_mode != Some(true));
        tracing::info!(
            guarded = check.guarded,
            test_mode = ?check.test_mode,
            local_server = check.local_server,
            needs_confirmation = check.needs_confirmation,
            estimate_failed = check.estimate_error.is_some(),
            "cost check"
        );
        Ok(check)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_in_snake_case() {
        let c = CostCheck {
            guarded: true,
            reason: Some("r".into()),
            estimate_path: Some("/estimate/postcard".into()),
            estimate: None,
            estimate_error: None,
            estimate_status: Some(200),
            send_would_be_refused: false,
            test_mode: Some(false),
            even_in_test_mode: false,
            local_server: true,
            needs_confirmation: true,
            confirmation: Some("id".into()),
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["needs_confirmation"], true);
        assert_eq!(v["local_server"], true);
        assert!(v.get("estimate_error").is_some());
    }
}
