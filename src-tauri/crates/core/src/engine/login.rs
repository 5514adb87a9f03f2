//! Starting and completing an OAuth login.
//!
//! Start: build state + PKCE, persist the pending login (verifier to the keyring), hand back
//! the URL for the system browser. Complete: parse the callback, take the pending login by its
//! state (refusing missing, unknown, expired, used and mismatching callbacks before any network
//! call), exchange the code once, store the tokens, and record the outcome for whoever waits.

use url::Url;

use super::Engine;
use crate::config::Profile;
use crate::error::{Error, Result};
use crate::events::{Event, EventKind};
use crate::oauth::authorize;
use crate::oauth::callback::{Callback, CallbackOutcome};
use crate::oauth::pending::{PendingLogin, PendingOutcome};
use crate::oauth::token::TokenSet;
use crate::secret::Secret;
use crate::tokens::{AuthKind, StatusView, TokenMeta};
use crate::vault::SecretKind;

/// A login waiting for its callback.
#[derive(Debug)]
pub struct LoginStart {
    /// The URL to open in the system browser. It carries `state`, so it's held as a secret:
    /// show it to the user, open it, but don't log it.
    pub authorize_url: Secret,
    pub pending_id: String,
    pub profile: String,
    pub redirect_uri: Url,
    pub expires_at: i64,
}

impl Engine {
    pub async fn login_start(&self, name: &str) -> Result<LoginStart> {
        let profile = self.profile(name)?;
        if profile.client_id.is_empty() {
            return Err(Error::ProfileIncomplete {
                profile: profile.name,
                what: "client id",
            });
        }
        let request = authorize::build(&profile);
        let pending = self
            .pending
            .create(&profile, &request.state, request.verifier, self.now())
            .await?;
        tracing::info!(profile = %profile.name, redirect = %redirect_for_log(&profile.redirect_uri), "login started");
        self.record(&profile.uid, Event::new(EventKind::LoginStarted))
            .await;
        Ok(LoginStart {
            authorize_url: Secret::new(request.url.to_string()),
            pending_id: pending.id,
            profile: profile.name,
            redirect_uri: profile.redirect_uri,
            expires_at: pending.expires_at,
        })
    }

    /// The pending login's record, to see whether another process finished it.
    pub fn pending_login(&self, id: &str) -> Option<PendingLogin> {
        self.pending.get(id)
    }

    /// The pending login a callback URL refers to, if any (no network, nothing consumed): lets
    /// the app say which profile a failed callback was for.
    pub fn pending_for_callback(&self, callback_url: &str) -> Option<PendingLogin> {
        let callback = Callback::parse(callback_url).ok()?;
        let id = crate::oauth::pending::PendingStore::id_for_state(callback.state.as_ref()?);
        self.pending.get(&id)
    }

    pub async fn login_cancel(&self, id: &str) -> Result<()> {
        // Only a login still waiting is cancelled; one that already ended keeps its outcome.
        let open = self
            .pending
            .get(id)
            .filter(|p| p.used_at.is_none() && p.outcome.is_none() && !p.cancelled);
        self.pending.cancel(id).await?;
        if let Some(p) = open {
            self.record(
                &p.profile_uid,
                Event::failed(EventKind::LoginFailed, &Error::LoginCancelled),
            )
            .await;
        }
        Ok(())
    }

    /// Finishes the login a callback belongs to, whichever process started it.
    pub async fn login_complete(&self, callback_url: &str) -> Result<StatusView> {
        let callback = Callback::parse(callback_url)?;
        tracing::info!(address = %redirect_for_log(&callback.address), "callback received");
        let address = callback.address.clone();
        let (login, verifier) = self
            .pending
            .take(callback.state.as_ref(), self.now(), move |login| {
                let redirect = Url::parse(&login.redirect_uri).map_err(|_| Error::StateUnknown)?;
                crate::oauth::callback::address_matches(&address, &redirect)
            })
            .await?;
        let result = self.finish_login(&login, &callback, &verifier).await;
        let outcome = match &result {
            Ok(_) => PendingOutcome {
                ok: true,
                code: None,
                message: None,
            },
            Err(e) => PendingOutcome {
                ok: false,
                code: Some(e.code().into()),
                message: Some(e.to_string()),
            },
        };
        self.pending.finish(&login.id, outcome);
        let event = match &result {
            Ok(_) => {
                tracing::info!(profile = %login.profile, "connected");
                Event::new(EventKind::LoginCompleted)
            }
            Err(e) => {
                tracing::warn!(profile = %login.profile, code = e.code(), "login failed");
                Event::failed(EventKind::LoginFailed, e)
            }
        };
        self.record(&login.profile_uid, event).await;
        result
    }

    async fn finish_login(
        &self,
        login: &PendingLogin,
        callback: &Callback,
        verifier: &Secret,
    ) -> Result<StatusView> {
        if let Some(e) = callback.error() {
            return Err(e);
        }
        let CallbackOutcome::Code(code) = &callback.outcome else {
            unreachable!("errors returned above")
        };
        let mut profile = self.profile(&login.profile)?;
        if profile.uid != login.profile_uid {
            // The profile was removed and re-created while the browser was open.
            return Err(Error::StateUnknown);
        }
        // RFC 6749 §4.1.3: the same redirect_uri string as at authorize time.
        profile.redirect_uri = Url::parse(&login.redirect_uri).map_err(|_| Error::StateUnknown)?;
        let client_secret = self
            .vault
            .get(Self::key(&profile, SecretKind::ClientSecret))
            .await?;
        let tokens = self
            .token_client
            .exchange_code(&profile, client_secret.as_ref(), code, verifier)
            .await?;
        let _guard = self.lock_tokens(&profile).await?;
        self.store_login_tokens(&profile, tokens).await?;
        drop(_guard);
        self.status_of(&profile).await
    }

    /// Stores a fresh login's tokens. The refresh token is written first; a login that brings
    /// no refresh token removes an older one (it belonged to the previous grant).
    async fn store_login_tokens(&self, profile: &Profile, tokens: TokenSet) -> Result<()> {
        let previous = self.meta.load(profile).ok().flatten();
        let has_refresh_token = tokens.refresh_token.is_some();
        match tokens.refresh_token {
            Some(rt) => {
                self.vault
                    .set(Self::key(profile, SecretKind::RefreshToken), rt)
                    .await?
            }
            None => {
                self.vault
                    .delete(Self::key(profile, SecretKind::RefreshToken))
                    .await?
            }
        }
        self.vault
            .set(
                Self::key(profile, SecretKind::AccessToken),
                tokens.access_token,
            )
            .await?;
        self.vault
            .delete(Self::key(profile, SecretKind::PersonalToken))
            .await?;
        let now = self.now();
        let meta = TokenMeta {
            auth: AuthKind::Oauth,
            generation: previous.map_or(1, |m| m.generation + 1),
            obtained_at: now,
            expires_at: tokens
                .expires_in
                .map(|s| now + s.min(i64::MAX as u64 / 2) as i64),
            token_type: tokens.token_type,
            scope: tokens.scope.or_else(|| profile.scope.clone()),
            has_refresh_token,
            needs_reconnect: false,
            last_refresh: None,
        };
        self.meta.save(profile, &meta)
    }
}

/// A redirect or callback address as it may be logged: scheme, host, port and path only.
fn redirect_for_log(u: &Url) -> String {
    let mut u = u.clone();
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}
