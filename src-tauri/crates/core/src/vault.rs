//! The token vault: where secrets live.
//!
//! The core never talks to a keyring itself. It sees a [`SecretStore`] (blocking, one entry per
//! secret) and wraps every call in `spawn_blocking` through [`Vault`], because a real keyring is
//! D-Bus or an OS API that may block on an unlock prompt. The product passes the OS keyring
//! (crate `thanks-keyring`); unit tests pass [`MemoryStore`], which exists only for tests and is
//! never a fallback.

use std::sync::Arc;

use crate::secret::Secret;

/// Which secret of a profile (or of a pending login) an entry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    AccessToken,
    RefreshToken,
    ClientSecret,
    PersonalToken,
    PkceVerifier,
}

impl SecretKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccessToken => "access-token",
            Self::RefreshToken => "refresh-token",
            Self::ClientSecret => "client-secret",
            Self::PersonalToken => "personal-token",
            Self::PkceVerifier => "pkce-verifier",
        }
    }
}

/// Names one keyring entry. `owner` is a random id (a profile's `uid`, or a pending login's id),
/// so entries never collide across profiles, renamed profiles or separate config homes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretKey {
    pub owner: String,
    pub kind: SecretKind,
}

impl SecretKey {
    pub fn new(owner: impl Into<String>, kind: SecretKind) -> Self {
        Self {
            owner: owner.into(),
            kind,
        }
    }

    /// The entry's account name in the OS keyring, e.g. `p-3f9c…/refresh-token`.
    pub fn account(&self) -> String {
        format!("{}/{}", self.owner, self.kind.as_str())
    }
}

/// Why the secret store could not do what was asked. Messages name the cause and the fix and
/// never contain a secret.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum StoreError {
    /// No keyring service reachable (no Secret Service on the bus, no D-Bus session, …).
    #[error("{0}")]
    Unavailable(String),
    /// The keyring exists but is locked, or the user refused to unlock it.
    #[error("{0}")]
    Locked(String),
    /// The platform refuses a value this large (Windows caps a credential at 2,560 bytes).
    #[error("{0}")]
    TooLarge(String),
    /// Anything else the platform reported.
    #[error("{0}")]
    Failed(String),
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unavailable(_) => "vault.unavailable",
            Self::Locked(_) => "vault.locked",
            Self::TooLarge(_) => "vault.too_large",
            Self::Failed(_) => "vault.failed",
        }
    }
}

/// A blocking secret store with one entry per secret.
pub trait SecretStore: Send + Sync + 'static {
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, StoreError>;
    fn set(&self, key: &SecretKey, value: &Secret) -> Result<(), StoreError>;
    /// Removes the entry; an entry that is already gone is not an error.
    fn delete(&self, key: &SecretKey) -> Result<(), StoreError>;
    /// Checks that the store can be used now (reachable, unlocked) without touching any entry
    /// the user cares about.
    fn check(&self) -> Result<(), StoreError>;
    /// A short name for status views, e.g. "Secret Service".
    fn backend_name(&self) -> String;
}

/// Async face of a [`SecretStore`]: every call runs on tokio's blocking pool.
#[derive(Clone)]
pub struct Vault {
    store: Arc<dyn SecretStore>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("backend", &self.store.backend_name())
            .finish()
    }
}

impl Vault {
    pub fn new(store: Arc<dyn SecretStore>) -> Self {
        Self { store }
    }

    pub fn backend_name(&self) -> String {
        self.store.backend_name()
    }

    async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn SecretStore) -> Result<T, StoreError> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || f(store.as_ref()))
            .await
            .unwrap_or_else(|e| Err(StoreError::Failed(format!("the keyring task stopped: {e}"))))
    }

    pub async fn get(&self, key: SecretKey) -> Result<Option<Secret>, StoreError> {
        self.run(move |s| s.get(&key)).await
    }

    pub async fn set(&self, key: SecretKey, value: Secret) -> Result<(), StoreError> {
        self.run(move |s| s.set(&key, &value)).await
    }

    pub async fn delete(&self, key: SecretKey) -> Result<(), StoreError> {
        self.run(move |s| s.delete(&key)).await
    }

    pub async fn check(&self) -> Result<(), StoreError> {
        self.run(|s| s.check()).await
    }
}

/// An in-memory store for unit tests of the core and of crates built on it.
#[cfg(any(test, feature = "test-util"))]
#[derive(Debug, Default)]
pub struct MemoryStore {
    entries: std::sync::Mutex<std::collections::HashMap<SecretKey, Secret>>,
    /// When set, every call fails with this error (to test the "keyring unavailable" paths).
    pub fail_with: std::sync::Mutex<Option<StoreError>>,
}

#[cfg(any(test, feature = "test-util"))]
impl MemoryStore {
    fn guard(&self) -> Result<(), StoreError> {
        match self.fail_with.lock().expect("poisoned").clone() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.lock().expect("poisoned").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(any(test, feature = "test-util"))]
impl SecretStore for MemoryStore {
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, StoreError> {
        self.guard()?;
        Ok(self.entries.lock().expect("poisoned").get(key).cloned())
    }
    fn set(&self, key: &SecretKey, value: &Secret) -> Result<(), StoreError> {
        self.guard()?;
        self.entries
            .lock()
            .expect("poisoned")
            .insert(key.clone(), value.clone());
        Ok(())
    }
    fn delete(&self, key: &SecretKey) -> Result<(), StoreError> {
        self.guard()?;
        self.entries.lock().expect("poisoned").remove(key);
        Ok(())
    }
    fn check(&self) -> Result<(), StoreError> {
        self.guard()
    }
    fn backend_name(&self) -> String {
        "in-memory (tests only)".into()
    }
}
