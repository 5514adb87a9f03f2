//! The token lifecycle: handing out a usable access token, refreshing when needed.
//!
//! A refresh takes the profile's in-process mutex (single flight inside this process) and then
//! its lock file (serialized across processes: the app and `thanksctl` share a keyring and a
//! rotating refresh token). After taking both it re-reads the metadata: if the generation moved
//! while we waited, someone else refreshed and we use their token instead of spending the
//! refresh token again. The rotated refresh token is written before the new access token; if
//! none comes back, the old one is kept (RFC 6749 §6). `invalid_grant` marks the profile
//! `needs_reconnect`; its tokens stay for inspection but are not used.
//!
//! A refresh runs in a task of its own: once the refresh token has been sent, the caller going
//! away (a cancelled console request, a dropped future) must not drop thanks.io's answer, or a
//! rotated refresh token would be lost. The caller only stops waiting. Tokens are used only with
//! the endpoints and client they were issued for (`crate::binding`).

use super::Engine;
use crate::binding::Binding;
use crate::config::Profile;
use crate::crashpoint;
use crate::error::{Error, Result};
use crate::events::{Event, EventKind, Trigger};
use crate::secret::Secret;
use crate::tokens::{AuthKind, LastRefresh, StatusView, TokenMeta};
use crate::vault::SecretKind;

/// An access token ready to send, and the generation it belongs to.
#[derive(Debug)]
pub(crate) struct UsableToken {
    pub token: Secret,
    pub generation: u64,
    pub auth: AuthKind,
}

impl Engine {
    /// Forces a refresh now (the "Refresh now" button, `thanksctl refresh`). Concurrent callers
    /// coalesce: if another refresh lands while this one waits, that one counts.
    pub async fn refresh(&self, name: &str) -> Result<StatusView> {
        let profile = self.profile(name)?;
        let meta = self.bound_meta(&profile).await?;
        if meta.auth == AuthKind::PersonalToken {
            return Err(Error::InvalidInput {
                field: "refresh".into(),
                problem:
                    "this profile uses a personal access token, which thanks.io doesn't refresh"
                        .into(),
            });
        }
        self.refresh_if_current(&profile, meta.generation, Trigger::Manual)
            .await?;
        self.status_of(&profile).await
    }

    /// The app's background refresher: refreshes only when the token is within the refresh
    /// margin, and says whether the tokens changed (by this refresh or by another process's).
    /// Personal tokens and disconnected profiles are skipped.
    pub async fn refresh_if_due(&self, name: &str) -> Result<bool> {
        let profile = self.profile(name)?;
        let meta = match self.bound_meta(&profile).await {
            Ok(meta) => meta,
            // Disconnected, or its endpoints changed since: nothing to refresh here.
            Err(Error::NotConnected(_) | Error::EndpointsChanged { .. }) => return Ok(false),
            Err(e) => return Err(e),
        };
        if meta.needs_reconnect || !meta.should_refresh(self.now()) {
            return Ok(false);
        }
        let usable = self
            .refresh_if_current(&profile, meta.generation, Trigger::Background)
            .await?;
        Ok(usable.generation != meta.generation)
    }

    /// The access token to use now (refreshed first if it is about to expire).
    pub async fn access_token(&self, name: &str) -> Result<Secret> {
        let profile = self.profile(name)?;
        Ok(self.usable_token(&profile).await?.token)
    }

    pub(crate) async fn usable_token(&self, profile: &Profile) -> Result<UsableToken> {
        let meta = self.bound_meta(profile).await?;
        if meta.auth == AuthKind::PersonalToken {
            return self.current_access(profile, &meta).await;
        }
        if meta.needs_reconnect {
            return Err(Error::NeedsReconnect(profile.name.clone()));
        }
        if meta.should_refresh(self.now()) {
            return self
                .refresh_if_current(profile, meta.generation, Trigger::Proactive)
                .await;
        }
        match self.stored_token(profile, &meta).await? {
            Some(token) => Ok(UsableToken {
                token,
                generation: meta.generation,
                auth: meta.auth,
            }),
            // Removed from the keyring behind our back: the refresh token gets a new one, as
            // it would for an expired one.
            None => {
                self.refresh_if_current(profile, meta.generation, Trigger::MissingAccessToken)
                    .await
            }
        }
    }

    /// The profile's token metadata, refused when the profile's endpoints or client changed
    /// since the tokens were issued. Metadata written before bindings were recorded (0.1) is
    /// bound to the profile's current values here, once, under the tokens lock: 0.1 refused such
    /// edits nowhere, so its current values are the best record there is.
    pub(crate) async fn bound_meta(&self, profile: &Profile) -> Result<TokenMeta> {
        let load = || {
            self.meta
                .load(profile)?
                .ok_or_else(|| Error::NotConnected(profile.name.clone()))
        };
        let mut meta = load()?;
        if meta.binding.is_none() {
            let _guard = self.lock_tokens(profile).await?;
            meta = load()?;
            if meta.binding.is_none() {
                meta.binding = Some(Binding::of(profile));
                self.meta.save(profile, &meta)?;
                tracing::info!(profile = %profile.name, "tokens from an earlier version bound to the profile's endpoints");
            }
        }
        match meta.rebound(profile) {
            Some(what) => Err(Error::EndpointsChanged {
                profile: profile.name.clone(),
                what,
            }),
            None => Ok(meta),
        }
    }

    /// Refreshes unless the tokens changed since `observed` (someone else refreshed) or, when
    /// not forced (manual and after-401 refreshes are), unless they no longer need it. Runs in
    /// its own task (see the module docs).
    pub(crate) async fn refresh_if_current(
        &self,
        profile: &Profile,
        observed: u64,
        trigger: Trigger,
    ) -> Result<UsableToken> {
        let (this, profile) = (self.clone(), profile.clone());
        tokio::spawn(async move { this.refresh_locked(&profile, observed, trigger).await })
            .await
            .unwrap_or_else(|_| {
                Err(Error::Network {
                    what: "thanks.io's token endpoint",
                    detail: "the refresh stopped unexpectedly".into(),
                })
            })
    }

    async fn refresh_locked(
        &self,
        profile: &Profile,
        observed: u64,
        trigger: Trigger,
    ) -> Result<UsableToken> {
        let force = matches!(
            trigger,
            Trigger::Manual | Trigger::After401 | Trigger::MissingAccessToken
        );
        let flight = self.lock_flight(profile).await;
        // In a storm, every call but one queued on the mutex behind the refresh. Once it is
        // done, each finds the new token in memory, as long as the metadata on disk is still
        // the one the refresh wrote, and goes without the file lock and a metadata read: one
        // after another, those took ~100 µs apiece, 22 ms for 200 calls (docs/BENCHMARKS.md).
        if let Some(usable) = self.refreshed_since(profile, observed) {
            return Ok(usable);
        }
        let _guard = self.lock_file(profile, flight).await?;
        let mut meta = self
            .meta
            .load(profile)?
            .ok_or_else(|| Error::NotConnected(profile.name.clone()))?;
        if let Some(what) = meta.rebound(profile) {
            return Err(Error::EndpointsChanged {
                profile: profile.name.clone(),
                what,
            });
        }
        if meta.needs_reconnect {
            return Err(Error::NeedsReconnect(profile.name.clone()));
        }
        if meta.generation != observed || (!force && !meta.should_refresh(self.now())) {
            tracing::debug!(profile = %profile.name, "tokens already refreshed elsewhere");
            return self.current_access(profile, &meta).await;
        }
        crashpoint::reached("refresh.locked").await;
        let key = Self::key(profile, SecretKind::RefreshToken);
        let Some(refresh_token) = self.vault.get(key).await? else {
            let key = Self::key(profile, SecretKind::AccessToken);
            let missing = match self.vault.get(key).await? {
                Some(_) => Error::NoRefreshToken(profile.name.clone()),
                None => Error::TokensMissing(profile.name.clone()),
            };
            return Err(self.gone(missing).await);
        };
        let client_secret = self
            .vault
            .get(Self::key(profile, SecretKind::ClientSecret))
            .await?;
        let result = self
            .token_client
            .refresh(profile, client_secret.as_ref(), &refresh_token)
            .await;
        let now = self.now();
        match result {
            Ok(tokens) => {
                crashpoint::reached("refresh.tokens_received").await;
                if let Some(rt) = tokens.refresh_token {
                    self.vault
                        .set(Self::key(profile, SecretKind::RefreshToken), rt)
                        .await?;
                    crashpoint::reached("refresh.refresh_token_stored").await;
                }
                self.vault
                    .set(
                        Self::key(profile, SecretKind::AccessToken),
                        tokens.access_token.clone(),
                    )
                    .await?;
                crashpoint::reached("refresh.access_token_stored").await;
                meta.generation += 1;
                meta.obtained_at = now;
                meta.expires_at = tokens
                    .expires_in
                    .map(|s| now + s.min(i64::MAX as u64 / 2) as i64);
                meta.token_type = tokens.token_type;
                if tokens.scope.is_some() {
                    meta.scope = tokens.scope;
                }
                meta.last_refresh = Some(LastRefresh {
                    at: now,
                    ok: true,
                    code: None,
                    error: None,
                    by: Some(self.actor().clone()),
                    trigger: Some(trigger),
                });
                self.meta.save(profile, &meta)?;
                crashpoint::reached("refresh.metadata_written").await;
                // Those waiting behind this refresh (a storm) take the new token from memory.
                if let Some(stamp) = self.meta.stamp(profile) {
                    let token = tokens.access_token.clone();
                    let (uid, generation) = (&profile.uid, meta.generation);
                    self.memo
                        .put(uid, stamp, generation, AuthKind::Oauth, token);
                }
                tracing::info!(profile = %profile.name, generation = meta.generation, "tokens refreshed");
                self.record(
                    &profile.uid,
                    Event::new(EventKind::Refreshed).trigger(trigger),
                )
                .await;
                Ok(UsableToken {
                    token: tokens.access_token,
                    generation: meta.generation,
                    auth: AuthKind::Oauth,
                })
            }
            Err(e) => {
                let invalid_grant = e.code() == "token.invalid_grant";
                meta.last_refresh = Some(LastRefresh {
                    at: now,
                    ok: false,
                    code: Some(e.code().into()),
                    error: Some(e.to_string()),
                    by: Some(self.actor().clone()),
                    trigger: Some(trigger),
                });
                meta.needs_reconnect |= invalid_grant;
                self.meta.save(profile, &meta)?;
                tracing::warn!(profile = %profile.name, code = e.code(), "refresh failed; stored tokens kept");
                self.record(
                    &profile.uid,
                    Event::failed(EventKind::RefreshFailed, &e).trigger(trigger),
                )
                .await;
                if invalid_grant {
                    let reconnect = Error::NeedsReconnect(profile.name.clone());
                    self.record(
                        &profile.uid,
                        Event::failed(EventKind::NeedsReconnect, &reconnect),
                    )
                    .await;
                }
                Err(if invalid_grant {
                    Error::NeedsReconnect(profile.name.clone())
                } else {
                    e
                })
            }
        }
    }

    /// The token kept in memory when the metadata on disk is the version it was kept for and
    /// that version is newer than `observed`. The same answer as the locked path below would
    /// give (tokens changed since observed: use the current ones), without its I/O. The
    /// binding and reconnect checks passed when that version was written, and a refresh
    /// doesn't change the binding.
    fn refreshed_since(&self, profile: &Profile, observed: u64) -> Option<UsableToken> {
        let stamp = self.meta.stamp(profile)?;
        let (token, generation, auth) = self.memo.newer(&profile.uid, &stamp, observed)?;
        tracing::debug!(profile = %profile.name, "tokens just refreshed here; taken from memory");
        Some(UsableToken {
            token,
            generation,
            auth,
        })
    }

    /// The stored token `meta` stands for (the access token, or the personal token), or the
    /// plain error when the keyring no longer has it.
    async fn current_access(&self, profile: &Profile, meta: &TokenMeta) -> Result<UsableToken> {
        let Some(token) = self.stored_token(profile, meta).await? else {
            return Err(self.gone(Error::TokensMissing(profile.name.clone())).await);
        };
        Ok(UsableToken {
            token,
            generation: meta.generation,
            auth: meta.auth,
        })
    }

    /// The stored token `meta` stands for, `None` when the keyring doesn't have it. From memory
    /// while the metadata is unchanged since it was last read or refreshed here (`reuse.rs`).
    /// The stamp is taken before the keyring read: every writer writes the keyring before the
    /// metadata, so the token read is at least as new as the stamp it is kept with.
    async fn stored_token(&self, profile: &Profile, meta: &TokenMeta) -> Result<Option<Secret>> {
        let kind = match meta.auth {
            AuthKind::Oauth => SecretKind::AccessToken,
            AuthKind::PersonalToken => SecretKind::PersonalToken,
        };
        let stamp = self.meta.stamp(profile);
        if let Some(token) = stamp
            .as_ref()
            .and_then(|s| self.memo.get(&profile.uid, s, meta.generation))
        {
            return Ok(Some(token));
        }
        let token = self.vault.get(Self::key(profile, kind)).await?;
        if let (Some(stamp), Some(token)) = (stamp, token.as_ref()) {
            self.memo.put(
                &profile.uid,
                stamp,
                meta.generation,
                meta.auth,
                token.clone(),
            );
        }
        Ok(token)
    }

    /// The error for a secret the metadata promises and the keyring doesn't have. A keyring
    /// that can't be used may read as empty, so its own error (locked, unavailable) wins;
    /// otherwise the entry was removed behind our back and `missing` says so.
    async fn gone(&self, missing: Error) -> Error {
        match self.vault.check().await {
            Err(e) => e.into(),
            Ok(()) => missing,
        }
    }
}
