//! Importing and exporting setups (see [`crate::setup`] for the format).
//!
//! Import checks everything before it changes anything: the passphrase opens the secret (on a
//! blocking thread: scrypt takes about a second), the profile validates, an existing profile of
//! that name is replaced only when asked, the keyring answers. Then the secret goes to the
//! keyring and the profile to config.toml, the same order `profile_set` uses. Replacing a
//! profile with different endpoints or client disconnects it: its tokens belong to the old ones.
//!
//! Export never writes a token; the client secret leaves the keyring only encrypted.

use super::{Engine, ProfileView};
use crate::config::Profile;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::setup::{Setup, SetupPreview, SetupSecret, SetupSource, company, crypto};
use crate::vault::SecretKind;

/// What the person importing a setup answered on its confirmation.
#[derive(Debug, Default)]
pub struct SetupAnswers {
    /// Opens the setup's encrypted client secret.
    pub passphrase: Option<Secret>,
    /// The client secret, for a setup that needs one but doesn't carry it.
    pub client_secret: Option<Secret>,
    /// Replace a profile of the same name (the confirmation asked first).
    pub replace: bool,
}

impl Engine {
    /// The confirmation's content for a setup.
    pub fn setup_preview(&self, setup: &Setup) -> Result<SetupPreview> {
        let exists = self.config()?.get(&setup.profile.name).is_some();
        Ok(setup.preview(exists))
    }

    /// Creates (or, when `answers.replace`, replaces) the profile a setup describes.
    pub async fn setup_import(&self, setup: &Setup, answers: SetupAnswers) -> Result<ProfileView> {
        let name = setup.profile.name.clone();
        let secret = match &setup.secret {
            SetupSecret::None => None,
            SetupSecret::Plain(s) => Some(s.clone()),
            SetupSecret::Ask => Some(
                answers
                    .client_secret
                    .filter(|s| !s.expose().trim().is_empty())
                    .ok_or(Error::SetupNeedsSecret)?,
            ),
            SetupSecret::Encrypted(armored) => {
                let passphrase = answers
                    .passphrase
                    .filter(|p| !p.is_empty())
                    .ok_or(Error::SetupNeedsPassphrase)?;
                let armored = armored.clone();
                Some(
                    tokio::task::spawn_blocking(move || crypto::decrypt(&armored, &passphrase))
                        .await
                        .map_err(|_| Error::SetupWrongPassphrase)??,
                )
            }
        };
        if let Some(s) = &secret {
            super::check_client_secret(s)?;
        }
        self.vault.check().await?;

        let _lock = self.config_lock().await?;
        let mut config = self.config()?;
        let old = config.get(&name).cloned();
        if old.is_some() && !answers.replace {
            return Err(Error::ProfileExists(name));
        }
        let profile = config.apply(&name, setup.update())?;
        let key = Self::key(&profile, SecretKind::ClientSecret);
        match secret {
            Some(s) => self.vault.set(key, s).await?,
            None => self.vault.delete(key).await?,
        }
        if let Some(old) = old.filter(|old| connection_changed(old, &profile)) {
            // Its tokens were issued by the old endpoints for the old client.
            self.logout(&old.name).await?;
        }
        config.save(&self.home)?;
        drop(_lock);
        tracing::info!(profile = %name, source = ?setup.source, "setup imported");
        self.profile_view(&name).await
    }

    /// The setup of a saved profile. With a passphrase, the client secret goes in encrypted;
    /// without, the setup only says that the client needs one.
    pub async fn setup_export(&self, name: &str, passphrase: Option<Secret>) -> Result<Setup> {
        let profile = self
            .config()?
            .get(name)
            .cloned()
            .ok_or_else(|| Error::ProfileNotFound(name.to_string()))?;
        if profile.client_id.is_empty() {
            return Err(Error::ProfileIncomplete {
                profile: profile.name,
                what: "client id",
            });
        }
        let stored = self
            .vault
            .get(Self::key(&profile, SecretKind::ClientSecret))
            .await?;
        let secret = match (passphrase, stored) {
            (Some(passphrase), Some(secret)) => {
                crypto::check_passphrase(&passphrase)?;
                let armored = tokio::task::spawn_blocking(move || {
                    crypto::encrypt(&secret, &passphrase, crypto::WORK_FACTOR)
                })
                .await
                .map_err(|_| Error::SetupDamaged("the encryption stopped".into()))??;
                SetupSecret::Encrypted(armored)
            }
            (Some(_), None) => {
                return Err(Error::InvalidInput {
                    field: "client secret".into(),
                    problem: format!(
                        "profile \"{name}\" has no client secret to include; export it without one"
                    ),
                });
            }
            (None, Some(_)) => SetupSecret::Ask,
            (None, None) => SetupSecret::None,
        };
        Ok(Setup {
            profile,
            secret,
            source: SetupSource::File,
        })
    }

    /// A company build's first start: with no profile at all yet, creates the baked-in one.
    /// Returns its name when it did. Ordinary builds do nothing.
    pub async fn apply_company_setup(&self) -> Result<Option<String>> {
        match company::baked() {
            Some(setup) => self.apply_first_start_setup(&setup?).await,
            None => Ok(None),
        }
    }

    /// Creates `setup`'s profile (secret included) only when there is no profile at all, so
    /// a person's own profiles are never touched; returns its name when it did.
    pub async fn apply_first_start_setup(&self, setup: &Setup) -> Result<Option<String>> {
        if self.config()?.names().next().is_some() {
            return Ok(None);
        }
        self.setup_import(setup, SetupAnswers::default()).await?;
        Ok(Some(setup.profile.name.clone()))
    }
}

/// Tokens belong to the endpoints and client that issued them.
fn connection_changed(old: &Profile, new: &Profile) -> bool {
    old.authorize_url != new.authorize_url
        || old.token_url != new.token_url
        || old.api_base != new.api_base
        || old.client_id != new.client_id
}
