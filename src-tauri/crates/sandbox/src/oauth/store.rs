//! Server-side OAuth records: pending consent requests, authorization codes, and the token
//! families ("grants") they start.
//!
//! Every code exchange starts a grant; refreshes stay in it. Revoking a grant kills every token
//! in the family, which is how reuse of a code revokes the tokens issued from it (RFC 6749
//! §4.1.2). Like league, a refresh revokes the previous access token as well as the refresh
//! token it spent.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::error::OAuthError;
use super::jwt;
use super::pkce::{self, Challenge};
use crate::random;

/// Passport's `PT10M` for codes; the consent page gets the same budget.
const AUTH_REQUEST_TTL: Duration = Duration::from_secs(600);
const CODE_TTL: Duration = Duration::from_secs(600);
const REFRESH_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

/// A consent page that was shown and not yet answered.
#[derive(Debug, Clone)]
pub(crate) struct PendingAuthorization {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub challenge: Option<Challenge>,
}

struct Dated<T> {
    at: Instant,
    value: T,
}

struct CodeRecord {
    client_id: String,
    redirect_uri: String,
    challenge: Option<Challenge>,
    issued: Instant,
    /// Set by the successful exchange; a second exchange revokes this grant.
    grant: Option<u64>,
}

struct AccessRecord {
    grant: u64,
    expires_at: Instant,
    revoked: bool,
}

struct RefreshRecord {
    grant: u64,
    client_id: String,
    access_token: String,
    expires_at: Instant,
    spent: bool,
}

/// What the token endpoint returns on success.
pub(crate) struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u64,
}

impl std::fmt::Debug for IssuedTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedTokens")
            .field("access_token", &"[redacted]")
            .field("refresh_token", &"[redacted]")
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// The parameters of an `authorization_code` grant, after client authentication.
pub(crate) struct CodeExchange<'a> {
    pub client_id: &'a str,
    pub code: &'a str,
    pub redirect_uri: Option<&'a str>,
    pub verifier: Option<&'a str>,
}

#[derive(Default)]
pub(crate) struct OAuthStore {
    pending: HashMap<String, Dated<PendingAuthorization>>,
    codes: HashMap<String, CodeRecord>,
    revoked_grants: std::collections::HashSet<u64>,
    access: HashMap<String, AccessRecord>,
    refresh: HashMap<String, RefreshRecord>,
    next_grant: u64,
}

impl OAuthStore {
    /// Remembers a consent request; returns the id the consent form posts back.
    pub(crate) fn begin(&mut self, pending: PendingAuthorization, now: Instant) -> String {
        self.pending
            .retain(|_, p| now.duration_since(p.at) < AUTH_REQUEST_TTL);
        let id = random::token("sbx_ar_");
        self.pending.insert(
            id.clone(),
            Dated {
                at: now,
                value: pending,
            },
        );
        id
    }

    /// Takes a pending request out (each can be answered once); `None` if unknown or expired.
    pub(crate) fn take_pending(&mut self, id: &str, now: Instant) -> Option<PendingAuthorization> {
        let pending = self.pending.remove(id)?;
        (now.duration_since(pending.at) < AUTH_REQUEST_TTL).then_some(pending.value)
    }

    pub(crate) fn issue_code(&mut self, pending: PendingAuthorization, now: Instant) -> String {
        self.codes
            .retain(|_, c| c.grant.is_some() || now.duration_since(c.issued) < CODE_TTL);
        let code = jwt::authorization_code();
        let record = CodeRecord {
            client_id: pending.client_id,
            redirect_uri: pending.redirect_uri,
            challenge: pending.challenge,
            issued: now,
            grant: None,
        };
        self.codes.insert(code.clone(), record);
        code
    }

    /// The `authorization_code` grant. A failed check leaves the code usable (as league does);
    /// only a successful exchange spends it.
    pub(crate) fn exchange_code(
        &mut self,
        req: &CodeExchange<'_>,
        ttl: Duration,
        now: Instant,
    ) -> Result<IssuedTokens, OAuthError> {
        let Some(record) = self.codes.get(req.code) else {
            return Err(OAuthError::invalid_grant(
                "Authorization code is not known to this server",
            ));
        };
        if let Some(grant) = record.grant {
            self.revoked_grants.insert(grant);
            return Err(OAuthError::invalid_grant(
                "Authorization code has already been used; the tokens issued from it are now revoked",
            ));
        }
        if now.duration_since(record.issued) >= CODE_TTL {
            return Err(OAuthError::invalid_grant("Authorization code has expired"));
        }
        if record.client_id != req.client_id {
            return Err(OAuthError::invalid_grant(
                "Authorization code was not issued to this client",
            ));
        }
        match req.redirect_uri {
            None => {
                return Err(OAuthError::invalid_request(
                    "Check the `redirect_uri` parameter: send the value used at /oauth/authorize",
                ));
            }
            Some(uri) if uri != record.redirect_uri => {
                return Err(OAuthError::invalid_grant(
                    "redirect_uri does not match the one used at /oauth/authorize",
                ));
            }
            Some(_) => {}
        }
        if let Some(challenge) = &record.challenge {
            pkce::verify(challenge, req.verifier)?;
        }
        let grant = self.next_grant;
        self.next_grant += 1;
        if let Some(record) = self.codes.get_mut(req.code) {
            record.grant = Some(grant);
        }
        Ok(self.issue_pair(grant, req.client_id, ttl, now))
    }

    /// The `refresh_token` grant: rotates both tokens; the presented refresh token is spent.
    pub(crate) fn refresh(
        &mut self,
        refresh_token: &str,
        client_id: &str,
        ttl: Duration,
        now: Instant,
    ) -> Result<IssuedTokens, OAuthError> {
        let Some(record) = self.refresh.get_mut(refresh_token) else {
            return Err(OAuthError::invalid_grant(
                "Cannot decrypt the refresh token",
            ));
        };
        if record.spent || self.revoked_grants.contains(&record.grant) {
            return Err(OAuthError::invalid_grant("Token has been revoked"));
        }
        if now >= record.expires_at {
            return Err(OAuthError::invalid_grant("Token has expired"));
        }
        if record.client_id != client_id {
            return Err(OAuthError::invalid_grant("Token is not linked to client"));
        }
        record.spent = true;
        let (grant, old_access) = (record.grant, record.access_token.clone());
        if let Some(access) = self.access.get_mut(&old_access) {
            access.revoked = true;
        }
        Ok(self.issue_pair(grant, client_id, ttl, now))
    }

    /// Whether an access token may be used right now.
    pub(crate) fn access_is_live(&self, token: &str, now: Instant) -> bool {
        self.access.get(token).is_some_and(|a| {
            !a.revoked && now < a.expires_at && !self.revoked_grants.contains(&a.grant)
        })
    }

    /// Makes every access token issued so far expired; returns how many were still live.
    pub(crate) fn expire_access_tokens(&mut self, now: Instant) -> usize {
        let mut live = 0;
        for access in self.access.values_mut() {
            if now < access.expires_at {
                live += 1;
                access.expires_at = now;
            }
        }
        live
    }

    fn issue_pair(
        &mut self,
        grant: u64,
        client_id: &str,
        ttl: Duration,
        now: Instant,
    ) -> IssuedTokens {
        let issued_at = crate::clock::now_unix_precise();
        let access_token = jwt::access_token(client_id, issued_at, ttl.as_secs());
        let refresh_token = jwt::refresh_token();
        self.access.insert(
            access_token.clone(),
            AccessRecord {
                grant,
                expires_at: now + ttl,
                revoked: false,
            },
        );
        self.refresh.insert(
            refresh_token.clone(),
            RefreshRecord {
                grant,
                client_id: client_id.to_owned(),
                access_token: access_token.clone(),
                expires_at: now + REFRESH_TTL,
                spent: false,
            },
        );
        IssuedTokens {
            access_token,
            refresh_token,
            expires_in: ttl.as_secs(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending() -> PendingAuthorization {
        PendingAuthorization {
            client_id: "c".into(),
            redirect_uri: "http://127.0.0.1/cb".into(),
            state: None,
            challenge: None,
        }
    }

    fn exchange<'a>(code: &'a str) -> CodeExchange<'a> {
        CodeExchange {
            client_id: "c",
            code,
            redirect_uri: Some("http://127.0.0.1/cb"),
            verifier: None,
        }
    }

    const TTL: Duration = Duration::from_secs(60);

    #[test]
    fn pending_requests_are_single_use_and_expire() {
        let mut store = OAuthStore::default();
        let now = Instant::now();
        let id = store.begin(pending(), now);
        assert!(store.take_pending(&id, now).is_some());
        assert!(store.take_pending(&id, now).is_none());
        let id = store.begin(pending(), now);
        assert!(store.take_pending(&id, now + AUTH_REQUEST_TTL).is_none());
    }

    #[test]
    fn code_reuse_revokes_the_family() {
        let mut store = OAuthStore::default();
        let now = Instant::now();
        let code = store.issue_code(pending(), now);
        let first = store.exchange_code(&exchange(&code), TTL, now).unwrap();
        let rotated = store.refresh(&first.refresh_token, "c", TTL, now).unwrap();
        assert!(
            !store.access_is_live(&first.access_token, now),
            "refresh revokes the old access token"
        );
        assert!(store.access_is_live(&rotated.access_token, now));
        let err = store.exchange_code(&exchange(&code), TTL, now).unwrap_err();
        assert_eq!(err.code, "invalid_grant");
        assert!(!store.access_is_live(&rotated.access_token, now));
        assert!(
            store
                .refresh(&rotated.refresh_token, "c", TTL, now)
                .is_err()
        );
    }

    #[test]
    fn codes_expire_and_access_tokens_can_be_expired() {
        let mut store = OAuthStore::default();
        let now = Instant::now();
        let code = store.issue_code(pending(), now);
        assert!(
            store
                .exchange_code(&exchange(&code), TTL, now + CODE_TTL)
                .is_err()
        );
        let tokens = store.exchange_code(&exchange(&code), TTL, now).unwrap();
        assert!(!store.access_is_live(&tokens.access_token, now + TTL));
        assert_eq!(store.expire_access_tokens(now), 1);
        assert!(!store.access_is_live(&tokens.access_token, now));
    }
}
