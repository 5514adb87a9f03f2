//! Personal access tokens: checked with thanks.io before they are stored, and marked
//! *rejected* when thanks.io refuses one later.
//!
//! A personal token has no refresh token and no expiry, so nothing can renew it: a token that
//! thanks.io doesn't accept is useless, and storing it would show a connection that isn't there.
//! So the check (`GET /ping`, falling back to `GET /sub-accounts/` like Validate) runs before
//! anything is written; a refused token, or one that couldn't be checked, leaves the profile's
//! previous tokens exactly as they were. Later, an answer that says the token is no good
//! (`auth_failure`: any 401, thanks.io's "Unauthorized" 403s) marks the stored token rejected, which is what the state shows
//! instead of "needs reconnect" (there is nothing to reconnect); the next accepted call clears
//! the mark.

use std::future::Future;

use super::Engine;
use crate::api::{RequestSpec, ResponseView, resolve_url};
use crate::auth_failure::means_expired_token;
use crate::binding::Binding;
use crate::config::Profile;
use crate::error::{Error, Result};
use crate::events::{Event, EventKind};
use crate::secret::Secret;
use crate::tokens::{AuthKind, StatusView, TokenMeta};
use crate::vault::SecretKind;

/// Where a token is checked: `/ping` first (thanks.io's own integrations use it); where it
/// isn't answered (404/405), `/sub-accounts/` (documented and cheap).
pub(crate) const CHECK_PATHS: [&str; 2] = ["/ping", "/sub-accounts/"];

impl Engine {
    /// Runs the token check with `send` (one request per path tried) and returns the path that
    /// answered and its response.
    pub(crate) async fn check_token<F, Fut>(
        &self,
        mut send: F,
    ) -> Result<(&'static str, ResponseView)>
    where
        F: FnMut(RequestSpec) -> Fut,
        Fut: Future<Output = Result<ResponseView>>,
    {
        let get = |path: &str| RequestSpec {
            method: "GET".into(),
            path: path.into(),
            ..Default::default()
        };
        let [first, fallback] = CHECK_PATHS;
        let view = send(get(first)).await?;
        if view.status == 404 || view.status == 405 {
            return Ok((fallback, send(get(fallback)).await?));
        }
        Ok((first, view))
    }

    /// Stores a thanks.io personal access token for the profile (no refresh, no expiry), after
    /// thanks.io accepted it. Refused or unchecked, nothing is stored and nothing is removed.
    pub async fn login_with_token(&self, name: &str, token: Secret) -> Result<StatusView> {
        let t = token.expose();
        if t.is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::InvalidInput {
                field: "personal access token".into(),
                problem:
                    "is empty or contains spaces; paste the token exactly as thanks.io shows it"
                        .into(),
            });
        }
        // The keyring first: no point asking thanks.io about a token that can't be kept.
        self.require_keyring().await?;
        let profile = self.persist_profile(name).await?;
        self.accepts_personal_token(&profile, &token).await?;
        let _guard = self.lock_tokens(&profile).await?;
        let previous = self.meta.load(&profile).ok().flatten();
        self.vault
            .set(Self::key(&profile, SecretKind::PersonalToken), token)
            .await?;
        self.vault
            .delete(Self::key(&profile, SecretKind::AccessToken))
            .await?;
        self.vault
            .delete(Self::key(&profile, SecretKind::RefreshToken))
            .await?;
        let meta = TokenMeta {
            auth: AuthKind::PersonalToken,
            generation: previous.map_or(1, |m| m.generation + 1),
            obtained_at: self.now(),
            expires_at: None,
            token_type: "Bearer".into(),
            scope: None,
            has_refresh_token: false,
            needs_reconnect: false,
            rejected: false,
            last_refresh: None,
            binding: Some(Binding::of(&profile)),
        };
        self.meta.save(&profile, &meta)?;
        tracing::info!(profile = %profile.name, "personal access token checked and stored");
        self.record(&profile.uid, Event::new(EventKind::PersonalTokenSaved))
            .await;
        drop(_guard);
        self.status_of(&profile).await
    }

    /// Asks thanks.io whether it accepts `token`, without storing or using any other token.
    async fn accepts_personal_token(&self, profile: &Profile, token: &Secret) -> Result<()> {
        let result = self
            .check_token(|spec| async move {
                let url = resolve_url(&profile.api_base, &spec.path, &[])?;
                self.send_once(&reqwest::Method::GET, &url, &spec, token.expose())
                    .await
            })
            .await;
        let unchecked = |why: String| Error::PersonalTokenUnchecked { why };
        match result {
            Ok((_, v)) if (200..300).contains(&v.status) => Ok(()),
            Ok((_, v)) if means_expired_token(v.status, &v.body) => {
                tracing::info!(profile = %profile.name, status = v.status, "personal access token refused by thanks.io; nothing stored");
                Err(Error::PersonalTokenRefused { status: v.status })
            }
            Ok((_, v)) if v.status == 429 => Err(unchecked(
                "thanks.io is rate-limiting requests right now".into(),
            )),
            Ok((path, v)) => Err(unchecked(format!(
                "thanks.io answered HTTP {} to {path}",
                v.status
            ))),
            Err(e @ (Error::Timeout { .. } | Error::Network { .. })) => {
                Err(unchecked(e.to_string()))
            }
            Err(e) => Err(e),
        }
    }

    /// After a call made with a personal token: a refusal marks the token rejected, an accepted
    /// call clears the mark. Only for the token the call used (`generation`): one stored
    /// meanwhile is not touched.
    pub(crate) async fn note_personal_answer(
        &self,
        profile: &Profile,
        generation: u64,
        view: &ResponseView,
    ) {
        let refused = means_expired_token(view.status, &view.body);
        let accepted = (200..300).contains(&view.status);
        if !refused && !accepted {
            return;
        }
        let Ok(Some(meta)) = self.meta.load(profile) else {
            return;
        };
        if meta.auth != AuthKind::PersonalToken
            || meta.generation != generation
            || meta.rejected == refused
        {
            return;
        }
        let Ok(_guard) = self.lock_tokens(profile).await else {
            return;
        };
        let Ok(Some(mut meta)) = self.meta.load(profile) else {
            return;
        };
        if meta.generation != generation || meta.rejected == refused {
            return;
        }
        meta.rejected = refused;
        if let Err(e) = self.meta.save(profile, &meta) {
            tracing::warn!(
                code = e.code(),
                "couldn't record the personal token's state"
            );
            return;
        }
        if refused {
            tracing::warn!(profile = %profile.name, status = view.status, "thanks.io no longer accepts the personal access token");
            let event = Event {
                ok: false,
                status: Some(view.status),
                ..Event::new(EventKind::TokenRejected)
            };
            self.record(&profile.uid, event).await;
        } else {
            tracing::info!(profile = %profile.name, "thanks.io accepts the personal access token again");
        }
    }
}
