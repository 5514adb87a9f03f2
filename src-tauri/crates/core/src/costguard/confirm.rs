//! One-time confirmations of guarded requests.
//!
//! `cost_check` hands out an id when a request needs the user's go-ahead; sending accepts only
//! that id, once, within five minutes, for the very request that was priced: the same profile,
//! method, resolved URL, headers and body (hashed together). A window that says "confirmed"
//! proves nothing; an id it could only have got from a cost check it showed the user does.
//! Ids live in this process's memory only.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use url::Url;

use crate::api::RequestSpec;
use crate::config::Profile;
use crate::error::{Error, Result};
use crate::util::{UnixTime, random_b64url, sha256_b64url};

/// How long a confirmation can wait for its send.
pub const CONFIRMATION_TTL_SECS: i64 = 300;

/// Unused confirmations kept at most (the oldest go first).
const MAX_KEPT: usize = 64;

#[derive(Debug)]
struct Issued {
    request: String,
    expires_at: UnixTime,
    /// What the user was shown, kept with the id for the log.
    estimate_cents: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct Confirmations(Arc<Mutex<HashMap<String, Issued>>>);

impl Confirmations {
    /// A new id for `request` (a [`request_digest`]).
    pub fn issue(&self, request: String, estimate_cents: Option<i64>, now: UnixTime) -> String {
        let id = random_b64url(16);
        let mut issued = self.0.lock().expect("poisoned");
        issued.retain(|_, i| i.expires_at > now);
        if issued.len() >= MAX_KEPT
            && let Some(oldest) = issued
                .iter()
                .min_by_key(|(_, i)| i.expires_at)
                .map(|(k, _)| k.clone())
        {
            issued.remove(&oldest);
        }
        issued.insert(
            id.clone(),
            Issued {
                request,
                expires_at: now + CONFIRMATION_TTL_SECS,
                estimate_cents,
            },
        );
        id
    }

    /// Spends `id` on `request`. The id is gone afterwards, whether or not it matched.
    pub fn redeem(&self, id: &str, request: &str, now: UnixTime) -> Result<()> {
        let issued = self
            .0
            .lock()
            .expect("poisoned")
            .remove(id)
            .ok_or(Error::ConfirmationInvalid)?;
        if issued.expires_at <= now || issued.request != request {
            return Err(Error::ConfirmationInvalid);
        }
        tracing::info!(estimate_cents = ?issued.estimate_cents, "confirmed request");
        Ok(())
    }
}

/// What a confirmation is bound to: profile, method, resolved URL, headers and body.
pub fn request_digest(profile: &Profile, url: &Url, spec: &RequestSpec) -> String {
    let mut text = format!(
        "{}\n{}\n{url}\n",
        profile.uid,
        spec.method.trim().to_ascii_uppercase()
    );
    for (k, v) in &spec.headers {
        text.push_str(&format!("{}:{v}\n", k.to_ascii_lowercase()));
    }
    text.push('\n');
    text.push_str(spec.body.as_deref().unwrap_or(""));
    sha256_b64url(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_for_that_request_before_it_expires() {
        let c = Confirmations::default();
        let id = c.issue("a".into(), Some(99), 1000);
        assert_eq!(
            c.redeem(&id, "b", 1001).unwrap_err().code(),
            "guard.confirmation_invalid"
        );
        assert!(c.redeem(&id, "a", 1001).is_err(), "spent by the mismatch");
        let id = c.issue("a".into(), None, 1000);
        c.redeem(&id, "a", 1001).unwrap();
        assert!(c.redeem(&id, "a", 1002).is_err(), "used once");
        let id = c.issue("a".into(), None, 1000);
        assert!(
            c.redeem(&id, "a", 1000 + CONFIRMATION_TTL_SECS).is_err(),
            "expired"
        );
        assert!(c.redeem("made-up", "a", 1000).is_err());
        for i in 0..200 {
            c.issue(format!("r{i}"), None, 1000);
        }
        assert!(c.0.lock().unwrap().len() <= MAX_KEPT);
    }

    #[test]
    fn the_digest_covers_what_is_sent() {
        let p = Profile::defaults("p");
        let url = Url::parse("https://api.thanks.io/api/v2/send/postcard").unwrap();
        let spec = RequestSpec {
            method: "POST".into(),
            path: "send/postcard".into(),
            body: Some("{}".into()),
            ..Default::default()
        };
        let d = request_digest(&p, &url, &spec);
        assert_eq!(
            d,
            request_digest(
                &p,
                &url,
                &RequestSpec {
                    method: "post".into(),
                    ..spec.clone()
                }
            )
        );
        let other_body = RequestSpec {
            body: Some("{\"a\":1}".into()),
            ..spec.clone()
        };
        let other_header = RequestSpec {
            headers: vec![("X-A".into(), "1".into())],
            ..spec.clone()
        };
        let other_url = Url::parse("https://api.thanks.io/api/v2/send/letter").unwrap();
        assert_ne!(d, request_digest(&p, &url, &other_body));
        assert_ne!(d, request_digest(&p, &url, &other_header));
        assert_ne!(d, request_digest(&p, &other_url, &spec));
        assert_ne!(d, request_digest(&Profile::defaults("q"), &url, &spec));
    }
}
