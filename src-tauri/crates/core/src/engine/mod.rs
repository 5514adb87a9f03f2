//! The engine: one object the app and the CLI hold, with every operation on profiles, logins
//! and tokens. It reads config and metadata from disk on each call (so the app and `thanksctl`
//! see each other's changes at once) and keeps secrets in the [`Vault`].
//!
//! - `mod.rs`: construction, status, logout.
//! - [`profiles`]: the profile settings, and what editing a connected profile does.
//! - [`personal`]: personal access tokens, checked before they are stored, and rejected ones.
//! - [`keepalive`]: the app's background refresh.
//! - [`keyring`]: whether the keyring works, checked once and kept for status views.
//! - [`login`]: starting and completing OAuth logins.
//! - [`refresh`]: the token lifecycle, single-flight in a process and serialized across processes;
//!   [`reuse`]: the token last used, kept in memory while the stored tokens are unchanged.
//! - [`timeline`]: recording and reading the per-profile event log; [`accounts`]: every
//!   profile at once, validation, handing out a token.
//! - `crate::api`: requests to thanks.io's API with the token attached.

mod accounts;
mod keepalive;
mod keyring;
mod login;
mod personal;
mod profiles;
mod refresh;
mod reuse;
mod setup;
mod timeline;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use accounts::{AccountView, AccountsView, LastCallView, TokenDestination, ValidateView};
pub use keepalive::{KeepAlive, KeepAliveRound, TICK as KEEPALIVE_TICK};
pub use login::LoginStart;
pub use profiles::ProfileView;
pub use setup::SetupAnswers;
pub use timeline::EventView;

use crate::binding::Binding;
use crate::clock::{Clock, SystemClock};
use crate::config::{Config, ConfigHome, Profile, ProfileUpdate};
use crate::costguard::Confirmations;
use crate::error::{Error, Result};
use crate::events::{Actor, Event, EventKind, EventLog};
use crate::net::HttpClient;
use crate::oauth::pending::PendingStore;
use crate::oauth::token::TokenClient;
use crate::secret::Secret;
use crate::tokens::{AuthKind, KeyringView, MetaStore, StatusView};
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

/// Cheap to clone: every clone shares the same locks, clients and confirmations (work that must
/// outlive its caller, such as a refresh, runs on a clone in a task of its own).
#[derive(Clone)]
pub struct Engine {
    home: ConfigHome,
    vault: Vault,
    clock: Arc<dyn Clock>,
    meta: MetaStore,
    pending: PendingStore,
    token_client: TokenClient,
    api_http: HttpClient,
    /// The redirect URI of profiles that don't name one: this build's deep-link scheme.
    default_redirect: url::Url,
    /// One async mutex per profile uid: single-flight refresh inside this process.
    flights: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
    /// One-time confirmations of guarded requests handed out by `cost_check`.
    confirmations: Confirmations,
    events: EventLog,
    /// This process, as named in the timeline.
    actor: Actor,
    /// The last keyring check, for status views (shared by clones, like `flights`).
    health: Arc<keyring::KeyringHealth>,
    /// The token each profile last used, while its metadata is unchanged (shared by clones).
    memo: Arc<reuse::TokenMemo>,
    /// Last-call notes waiting for their write, so concurrent calls share one (see [`timeline`]).
    call_notes: Arc<timeline::CallNotes>,
    /// Whether a call returns before its last-call note is on disk (the app), or after (the
    /// default: `thanksctl call` exits right after its call).
    notes_in_background: bool,
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
        let api_timeout = options.api_timeout;
        let api_http = HttpClient::build(move |b| {
            // Never follow redirects with a bearer token attached; show the 3xx instead.
            b.redirect(reqwest::redirect::Policy::none())
                .connect_timeout(api_timeout.min(Duration::from_secs(10)))
                .timeout(api_timeout)
                .user_agent(concat!("ThanksConnect/", env!("CARGO_PKG_VERSION")))
        });
        home.tighten();
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
            flights: Arc::default(),
            confirmations: Confirmations::default(),
            health: Arc::default(),
            memo: Arc::default(),
            call_notes: Arc::default(),
            notes_in_background: false,
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

    pub(crate) fn api_http(&self) -> &HttpClient {
        &self.api_http
    }

    pub(crate) fn confirmations(&self) -> &Confirmations {
        &self.confirmations
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
        // Whatever the metadata says, a profile whose tokens were removed from the keyring
        // (behind our back) has nothing to call with and nothing to refresh with.
        let mut gone = false;
        if let Some(m) = meta
            .as_ref()
            .filter(|m| keyring.ok && !has_refresh && !m.needs_reconnect)
        {
            let kind = match m.auth {
                AuthKind::PersonalToken => SecretKind::PersonalToken,
                AuthKind::Oauth => SecretKind::AccessToken,
            };
            gone = self.vault.get(Self::key(profile, kind)).await?.is_none();
        }
        let mut view = StatusView::build(
            &profile.name,
            meta.as_ref(),
            has_refresh,
            keyring,
            self.now(),
        )
        .rebound(meta.as_ref().and_then(|m| m.rebound(profile)));
        if gone {
            view.state = crate::tokens::TokenState::NeedsReconnect;
        }
        Ok(view)
    }

    /// Removes the profile's tokens from the keyring (after revoking them if the profile has a
    /// revocation endpoint). The client secret stays: it belongs to the profile, not the session.
    pub async fn logout(&self, name: &str) -> Result<StatusView> {
        let profile = self.profile(name)?;
        self.require_keyring().await?;
        let _guard = self.lock_tokens(&profile).await?;
        // Revoked only where the tokens were issued: after an edit, a revocation request would
        // hand them to the new address.
        let bound_here = self
            .meta
            .load(&profile)?
            .and_then(|m| m.binding)
            .is_none_or(|b| b == Binding::of(&profile));
        if profile.revocation_url.is_some() && !bound_here {
            tracing::info!(profile = %profile.name, "not revoking: the profile's endpoints changed since it was connected");
        }
        if profile.revocation_url.is_some() && bound_here {
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
        let was_connected = self.meta.load(&profile).ok().flatten().is_some();
        self.forget_tokens_locked(&profile).await?;
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
        let inproc = self.lock_flight(profile).await;
        self.lock_file(profile, inproc).await
    }

    /// The in-process lock alone (a refresh looks at what the one before it left, first).
    pub(crate) async fn lock_flight(&self, profile: &Profile) -> tokio::sync::OwnedMutexGuard<()> {
        let flight = {
            let mut map = self.flights.lock().expect("poisoned");
            Arc::clone(map.entry(profile.uid.clone()).or_default())
        };
        flight.lock_owned().await
    }

    /// The cross-process lock, taken while holding the in-process one.
    pub(crate) async fn lock_file(
        &self,
        profile: &Profile,
        inproc: tokio::sync::OwnedMutexGuard<()>,
    ) -> Result<TokensGuard> {
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
