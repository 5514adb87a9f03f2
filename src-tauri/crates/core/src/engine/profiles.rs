//! Profiles: the settings view, creating and editing (the client secret to the keyring first),
//! removing, and what an edit does to a connected profile: a change of the token URL, API base
//! or client id its tokens were issued for disconnects it (`crate::binding`).

use serde::Serialize;

use super::Engine;
use crate::binding::Binding;
use crate::config::{Config, Profile, ProfileUpdate, SANDBOX_PROFILE};
use crate::error::Result;
use crate::oauth::redirect_form::{self, RedirectForm};
use crate::secret::Secret;
use crate::tokens::AuthKind;
use crate::vault::SecretKind;

/// A profile as shown in settings: no secret, only whether the client secret is set.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileView {
    pub name: String,
    pub authorize_url: String,
    pub token_url: String,
    pub api_base: String,
    pub client_id: String,
    pub redirect_uri: String,
    /// False when the profile follows this build's default redirect URI.
    pub redirect_uri_custom: bool,
    pub default_redirect_uri: String,
    /// Whether thanks.io will register `redirect_uri`: `{kind, accepted, advice}`.
    pub redirect_form: RedirectForm,
    pub scope: Option<String>,
    pub revocation_url: Option<String>,
    pub has_client_secret: bool,
    /// False for the implicit "default" profile that has never been saved.
    pub saved: bool,
}

impl Engine {
    pub async fn profile_view(&self, name: &str) -> Result<ProfileView> {
        let config = self.config()?;
        let p = config.profile(name)?;
        let has_client_secret = self
            .vault
            .get(Self::key(&p, SecretKind::ClientSecret))
            .await?
            .is_some();
        Ok(ProfileView {
            name: p.name.clone(),
            authorize_url: p.authorize_url.to_string(),
            token_url: p.token_url.to_string(),
            api_base: p.api_base.to_string().trim_end_matches('/').to_string(),
            client_id: p.client_id.clone(),
            redirect_uri: p.redirect_uri.to_string(),
            redirect_uri_custom: p.redirect_uri_custom,
            default_redirect_uri: self.default_redirect.to_string(),
            redirect_form: redirect_form::classify(p.redirect_uri.as_str()),
            scope: p.scope.clone(),
            revocation_url: p.revocation_url.as_ref().map(ToString::to_string),
            has_client_secret,
            saved: config.get(name).is_some(),
        })
    }

    /// Creates or edits a profile. Everything is validated first; the client secret goes to the
    /// keyring before the config is written, so a keyring failure leaves nothing half-done. A
    /// change of the endpoints or client a connected profile's tokens were issued for
    /// disconnects it (see [`Self::profile_change_disconnects`]): its tokens are removed here,
    /// never sent to the new address, not even to revoke them.
    pub async fn profile_set(
        &self,
        name: &str,
        update: ProfileUpdate,
        client_secret: Option<Secret>,
    ) -> Result<ProfileView> {
        self.save_profile(name, update, client_secret, Config::apply)
            .await
    }

    /// Creates or updates the local sandbox's own profile, [`SANDBOX_PROFILE`], a name people
    /// can't give a profile of their own.
    pub async fn sandbox_profile_set(
        &self,
        update: ProfileUpdate,
        client_secret: Secret,
    ) -> Result<ProfileView> {
        self.save_profile(SANDBOX_PROFILE, update, Some(client_secret), |c, _, u| {
            c.apply_sandbox(u)
        })
        .await
    }

    async fn save_profile(
        &self,
        name: &str,
        update: ProfileUpdate,
        client_secret: Option<Secret>,
        apply: impl FnOnce(&mut Config, &str, ProfileUpdate) -> Result<Profile>,
    ) -> Result<ProfileView> {
        let _lock = self.config_lock().await?;
        let mut config = self.config()?;
        let before = config.get(name).cloned();
        let profile = apply(&mut config, name, update)?;
        if let Some(secret) = client_secret {
            super::check_client_secret(&secret)?;
            self.vault
                .set(Self::key(&profile, SecretKind::ClientSecret), secret)
                .await?;
        }
        config.save(&self.home)?;
        drop(_lock);
        if let Some(before) = before
            && let Some(what) = self.rebinding(&before, &profile)?
        {
            self.forget_tokens(&profile).await?;
            tracing::info!(profile = %profile.name, %what, "endpoints changed: disconnected");
        }
        self.profile_view(name).await
    }

    /// Whether `update` would disconnect the profile, and why: it is connected and the change
    /// touches the token URL, API base or client id its tokens were issued for. The window asks
    /// before such a save; `thanksctl profile set` says so after it.
    pub fn profile_change_disconnects(
        &self,
        name: &str,
        update: &ProfileUpdate,
    ) -> Result<Option<String>> {
        let mut config = self.config()?;
        let Some(before) = config.get(name).cloned() else {
            return Ok(None);
        };
        let after = config.apply(name, update.clone())?;
        self.rebinding(&before, &after)
    }

    /// What of the tokens' binding differs in `after`, if the profile has tokens.
    fn rebinding(&self, before: &Profile, after: &Profile) -> Result<Option<String>> {
        let Some(meta) = self.meta.load(before)? else {
            return Ok(None);
        };
        let binding = meta.binding.unwrap_or_else(|| Binding::of(before));
        let changes = binding.changes(after, meta.auth == AuthKind::PersonalToken);
        Ok((!changes.is_empty()).then(|| crate::binding::in_words(&changes)))
    }

    /// Removes the profile's tokens and their metadata here, without revoking them anywhere.
    pub(super) async fn forget_tokens(&self, profile: &Profile) -> Result<()> {
        let _guard = self.lock_tokens(profile).await?;
        self.forget_tokens_locked(profile).await
    }

    /// [`Self::forget_tokens`] for a caller that holds the tokens lock.
    pub(super) async fn forget_tokens_locked(&self, profile: &Profile) -> Result<()> {
        for kind in [
            SecretKind::AccessToken,
            SecretKind::RefreshToken,
            SecretKind::PersonalToken,
        ] {
            self.vault.delete(Self::key(profile, kind)).await?;
        }
        self.memo.forget(&profile.uid);
        self.meta.remove(profile)
    }

    /// Disconnects, forgets the client secret and removes the profile.
    pub async fn profile_remove(&self, name: &str) -> Result<()> {
        self.logout(name).await?;
        let _lock = self.config_lock().await?;
        let mut config = self.config()?;
        if let Some(p) = config.remove(name) {
            self.vault
                .delete(Self::key(&p, SecretKind::ClientSecret))
                .await?;
            config.save(&self.home)?;
            let (log, uid) = (self.events.clone(), p.uid.clone());
            let _ = tokio::task::spawn_blocking(move || log.remove(&uid)).await;
        }
        Ok(())
    }
}
