//! The token lifecycle: handing out a usable access token, refreshing when needed.
//!
//! A refresh takes the profile's in-process mutex (single flight inside this process) and then
//! its lock file (serialized across processes: the app and `thanksctl` share a keyring and a
//! rotating refresh token). After taking both it re-reads the metadata: if the generation moved
//! while we waited, someone else refreshed and we use their token instead of spending the
//! refresh token again. The rotated refresh token is written before the new access token; if
//! none comes back, the old one is kept (RFC 6749 §6). `invalid_grant` marks the profile
//! `needs_reconnect`; its tokens stay for inspection but are not used.

use super::Engine;
use crate::config::Profile;
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
        let meta = self
            .meta
            .load(&profile)?
            .ok_or_else(|| Error::NotConnected(profile.name.clone()))?;
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
        let Some(meta) = self.meta.load(&profile)? else {
            return Ok(false);
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
        let meta = self
            .meta
            .load(profile)?
            .ok_or_else(|| Error::NotConnected(profile.name.clone()))?;
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
        self.current_access(profile, &meta).await
    }

    /// Refreshes unless the tokens changed since `observed` (someone else refreshed) or, when
    /// not forced (manual and after-401 refreshes are), unless they no longer need it.
    pub(crate) async fn refresh_if_current(
        &self,
        profile: &Profile,
        observed: u64,
        trigger: Trigger,
    ) -> Result<UsableToken> {
        let force = matches!(trigger, Trigger::Manual | Trigger::After401);
        let _guard = self.lock_tokens(profile).await?;
        let mut meta = self
            .meta
            .load(profile)?
            .ok_or_else(|| Error::NotConnected(profile.name.clone()))?;
        if meta.needs_reconnect {
            return Err(Error::NeedsReconnect(profile.name.clone()));
        }
        if meta.generation != observed || (!force && !meta.should_refresh(self.now())) {
            tracing::debug!(profile = %profile.name, "tokens already refreshed elsewhere");
            return self.current_access(profile, &meta).await;
        }
        let refresh_token = self
            .vault
            .get(Self::key(profile, SecretKind::RefreshToken))
            .await?
            .ok_or_else(|| Error::NoRefreshToken(profile.name.clone()))?;
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
                if let Some(rt) = tokens.refresh_token {
                    self.vault
                        .set(Self::key(profile, SecretKind::RefreshToken), rt)
                        .await?;
                }
                self.vault
                    .set(
                        Self::key(profile, SecretKind::AccessToken),
                        tokens.access_token.clone(),
                    )
                    .await?;
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
                // Those waiting behind this refresh (a storm) take the new token from memory.
                if let Some(stamp) = self.meta.stamp(profile) {
                    let token = tokens.access_token.clone();
                    self.memo.put(&profile.uid, stamp, meta.generation, token);
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

    /// The stored token `meta` stands for: the access token, or the personal token. From memory
    /// while the metadata is unchanged since it was last read or refreshed here (`reuse.rs`).
    /// The stamp is taken before the keyring read: every writer writes the keyring before the
    /// metadata, so the token read is at least as new as the stamp it is kept with.
    async fn current_access(&self, profile: &Profile, meta: &TokenMeta) -> Result<UsableToken> {
        let kind = match meta.auth {
            AuthKind::Oauth => SecretKind::AccessToken,
            AuthKind::PersonalToken => SecretKind::PersonalToken,
        };
        let stamp = self.meta.stamp(profile);
        let kept = stamp
            .as_ref()
            .and_then(|s| self.memo.get(&profile.uid, s, meta.generation));
        let token = match kept {
            Some(token) => token,
            None => {
                let token = self
                    .vault
                    .get(Self::key(profile, kind))
                    .await?
                    .ok_or_else(|| Error::NotConnected(profile.name.clone()))?;
                if let Some(stamp) = stamp {
                    self.memo
                        .put(&profile.uid, stamp, meta.generation, token.clone());
                }
                token
            }
        };
        Ok(UsableToken {
            token,
            generation: meta.generation,
            auth: meta.auth,
        })
    }
}
