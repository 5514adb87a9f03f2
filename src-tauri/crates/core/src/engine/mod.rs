//! The engine: one object the app and the CLI hold, with every operation on profiles, logins
//! and tokens. It reads config and metadata from disk on each call (so the app and `thanksctl`
//! see each other's changes at once) and keeps secrets in the [`Vault`].
//!
//! - `mod.rs`: construction, profiles, status, logout, personal tokens.
//! - [`keyring`]: whether the keyring works, checked once and kept for status views.
//! - [`login`]: starting and completing OAuth logins.
//! - [`refresh`]: the token lifecycle, single-flight in a process and serialized across processes;
//!   [`reuse`]: the token last used, kept in memory while the stored tokens are unchanged.
//! - [`timeline`]: recording and reading the per-profile event log; [`accounts`]: every
//!   profile at once, validation, handing out a token.
//! - `crate::api`: requests to thanks.io's API with the token attached.

mod accounts;
mod keyring;
mod login;
mod refresh;
mod reuse;
mod setup;
mod timeline;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

pub use accounts::{AccountView, AccountsView, LastCallView, TokenDestination, ValidateView};
pub use login::LoginStart;
pub use setup::SetupAnswers;
pub use timeline::EventView;

use crate::clock::{Clock, SystemClock};
use crate::config::{Config, ConfigHome, Profile, ProfileUpdate};
use crate::error::{Error, Result};
use crate::events::{Actor, Event, EventKind, EventLog};
use crate::oauth::pending::PendingStore;
use crate::oauth::redirect_form::{self, RedirectForm};
use crate::oauth::token::TokenClient;
use crate::secret::Secret;
use crate::tokens::{AuthKind, KeyringView, MetaStore, StatusView, TokenMeta};
use crate::util::FileLock;
use crate::vault::{SecretKey, SecretKind, Vault};

/// How long a keyring check stands for status reads, in seconds (see [`keyring`]).
pub const KEYRING_RECHECK_SECS: i64 = 300;

/// Timeouts; tests shorten them.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    pub token_timeout: Duration,
    pub api_timeout: Duration,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            token_timeout: Duration::from_secs(30),
            api_timeout: Duration::from_secs(60),
        }
    }
}

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

pub struct Engine {
    home: ConfigHome,
    vault: Vault,
    clock: Arc<dyn Clock>,
    meta: MetaStore,
    pending: PendingStore,
    token_client: TokenClient,
    api_http: reqwest::Client,
    /// The redirect URI of profiles that don't name one: this build's deep-link scheme.
    default_redirect: url::Url,
    /// One async mutex per profile uid: single-flight refresh inside this process.
    flights: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    events: EventLog,
    /// This process, as named in the timeline.
    actor: Actor,
    /// The last keyring check, for status views.
    health: keyring::KeyringHealth,
    /// The token each profile last used, while its metadata is unchanged.
    memo: reuse::TokenMemo,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("home", &self.home)
            .field("vault", &self.vault)
            .finish_non_exhaustive()
    }
}

impl Engine {
    pub fn new(home: ConfigHome, vault: Vault) -> Self {
        Self::with(home, vault, Arc::new(SystemClock), EngineOptions::default())
    }

    pub fn with(
        home: ConfigHome,
        vault: Vault,
        clock: Arc<dyn Clock>,
        options: EngineOptions,
    ) -> Self {
        let api_http = reqwest::Client::builder()
            // Never follow redirects with a bearer token attached; show the 3xx instead.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.api_timeout.min(Duration::from_secs(10)))
            .timeout(options.api_timeout)
            .user_agent(concat!("ThanksConnect/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client can be built");
        Self {
            meta: MetaStore::new(&home),
            pending: PendingStore::new(&home, vault.clone()),
            events: EventLog::new(&home),
            actor: Actor::from_executable(),
            token_client: TokenClient::new(options.token_timeout),
            home,
            vault,
            clock,
            api_http,
            default_redirect: Config::default().default_redirect().clone(),
            flights: Mutex::new(HashMap::new()),
            health: keyring::KeyringHealth::default(),
            memo: reuse::TokenMemo::default(),
        }
    }

    /// Profiles without their own redirect URI use `uri` (the app passes its build's scheme:
    /// see [`crate::config::default_redirect_uri`]).
    pub fn with_default_redirect(mut self, uri: url::Url) -> Self {
        self.default_redirect = uri;
        self
    }

    pub fn home(&self) -> &ConfigHome {
        &self.home
    }

    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now()
    }

    pub(crate) fn api_http(&self) -> &reqwest::Client {
        &self.api_http
    }

    pub fn config(&self) -> Result<Config> {
        Config::load_with(&self.home, &self.default_redirect)
    }

    pub fn profile(&self, name: &str) -> Result<Profile> {
        self.config()?.profile(name)
    }

    /// The metadata generation now (0 when disconnected), to tell whether a call refreshed.
    pub(crate) fn meta_generation(&self, profile: &Profile) -> u64 {
        self.meta
            .load(profile)
            .ok()
            .flatten()
            .map_or(0, |m| m.generation)
    }

    pub(crate) fn key(profile: &Profile, kind: SecretKind) -> SecretKey {
        SecretKey::new(profile.uid.clone(), kind)
    }

    /// Takes the config lock: profile edits from the app and the CLI don't overwrite each other.
    async fn config_lock(&self) -> Result<FileLock> {
        let path = self.home.locks_dir().join("config.lock");
        let p = path.clone();
        tokio::task::spawn_blocking(move || FileLock::acquire(&p))
            .await
            .map_err(|_| Error::LoginCancelled)?
            .map_err(|e| Error::io("lock", &path, e))
    }

    /// Makes sure the profile (and so its uid) is on disk before secrets are keyed by it.
    async fn persist_profile(&self, name: &str) -> Result<Profile> {
        let _lock = self.config_lock().await?;
        let mut config = self.config()?;
        if let Some(p) = config.get(name) {
            return Ok(p.clone());
        }
        let p = config.apply(name, ProfileUpdate::default())?;
        config.save(&self.home)?;
        Ok(p)
    }

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
    /// keyring before the config is written, so a keyring failure leaves nothing half-done.
    pub async fn profile_set(
        &self,
        name: &str,
        update: ProfileUpdate,
        client_secret: Option<Secret>,
    ) -> Result<ProfileView> {
        let _lock = self.config_lock().await?;
        let mut config = self.config()?;
        let profile = config.apply(name, update)?;
        if let Some(secret) = client_secret {
            check_client_secret(&secret)?;
            self.vault
                .set(Self::key(&profile, SecretKind::ClientSecret), secret)
                .await?;
        }
        config.save(&self.home)?;
        drop(_lock);
        self.profile_view(name).await
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

    /// Token state at a glance. Reads metadata and the keyring's last known state (checking it
    /// when that is old, see [`keyring`]); never returns a token.
    pub async fn status(&self, name: &str) -> Result<StatusView> {
        let profile = self.profile(name)?;
        self.status_of(&profile).await
    }

    pub(crate) async fn status_of(&self, profile: &Profile) -> Result<StatusView> {
        let keyring = self.keyring_health().await;
        self.status_with(profile, keyring).await
    }

    /// The status given the keyring's state (one check serves a whole list).
    pub(crate) async fn status_with(
        &self,
        profile: &Profile,
        keyring: KeyringView,
    ) -> Result<StatusView> {
        let meta = self.meta.load(profile)?;
        let mut has_refresh = meta.as_ref().is_some_and(|m| m.has_refresh_token);
        if keyring.ok && has_refresh {
            let read = self
                .vault
                .get(Self::key(profile, SecretKind::RefreshToken))
                .await;
            if read.is_err() {
                // The keyring stopped working since its last check: check again next time.
                self.health.forget();
            }
            has_refresh = read?.is_some();
        }
        Ok(StatusView::build(
            &profile.name,
            meta.as_ref(),
            has_refresh,
            keyring,
            self.now(),
        ))
    }

    /// Stores a thanks.io personal access token for the profile (no refresh, no expiry).
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
        self.require_keyring().await?;
        let profile = self.persist_profile(name).await?;
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
            last_refresh: None,
        };
        self.meta.save(&profile, &meta)?;
        tracing::info!(profile = %profile.name, "personal access token stored");
        self.record(&profile.uid, Event::new(EventKind::PersonalTokenSaved))
            .await;
        self.status_of(&profile).await
    }

    /// Removes the profile's tokens from the keyring (after revoking them if the profile has a
    /// revocation endpoint). The client secret stays: it belongs to the profile, not the session.
    pub async fn logout(&self, name: &str) -> Result<StatusView> {
        let profile = self.profile(name)?;
        self.require_keyring().await?;
        let _guard = self.lock_tokens(&profile).await?;
        if profile.revocation_url.is_some() {
            let secret = self
                .vault
                .get(Self::key(&profile, SecretKind::ClientSecret))
                .await?;
            for (kind, hint) in [
                (SecretKind::RefreshToken, "refresh_token"),
                (SecretKind::AccessToken, "access_token"),
            ] {
                if let Some(t) = self.vault.get(Self::key(&profile, kind)).await?
                    && let Err(e) = self
                        .token_client
                        .revoke(&profile, secret.as_ref(), &t, hint)
                        .await
                {
                    tracing::warn!(
                        code = e.code(),
                        "revocation failed; removing the tokens anyway"
                    );
                }
            }
        }
        for kind in [
            SecretKind::AccessToken,
            SecretKind::RefreshToken,
            SecretKind::PersonalToken,
        ] {
            self.vault.delete(Self::key(&profile, kind)).await?;
        }
        self.memo.forget(&profile.uid);
        let was_connected = self.meta.load(&profile).ok().flatten().is_some();
        self.meta.remove(&profile)?;
        tracing::info!(profile = %profile.name, "disconnected");
        if was_connected {
            self.record(&profile.uid, Event::new(EventKind::Disconnected))
                .await;
        }
        drop(_guard);
        self.status_of(&profile).await
    }

    /// The in-process and cross-process locks for one profile's tokens, in that order.
    pub(crate) async fn lock_tokens(&self, profile: &Profile) -> Result<TokensGuard> {
        let flight = {
            let mut map = self.flights.lock().expect("poisoned");
            Arc::clone(map.entry(profile.uid.clone()).or_default())
        };
        let inproc = flight.lock_owned().await;
        let path = self.home.locks_dir().join(format!("{}.lock", profile.uid));
        let p = path.clone();
        let file = tokio::task::spawn_blocking(move || FileLock::acquire(&p))
            .await
            .map_err(|_| Error::LoginCancelled)?
            .map_err(|e| Error::io("lock", &path, e))?;
        Ok(TokensGuard {
            _file: file,
            _inproc: inproc,
        })
    }
}

pub(crate) fn check_client_secret(secret: &Secret) -> Result<()> {
    if secret.is_empty() || secret.expose().chars().any(char::is_control) {
        return Err(Error::InvalidInput {
            field: "client secret".into(),
            problem: "is empty or has control characters".into(),
        });
    }
    Ok(())
}

/// Held while a profile's tokens are read-modified-written. Drop order: file lock, then mutex.
pub(crate) struct TokensGuard {
    _file: FileLock,
    _inproc: tokio::sync::OwnedMutexGuard<()>,
}
