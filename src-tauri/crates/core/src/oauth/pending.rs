//! Logins in progress, persisted so that a login started by one process can be finished by
//! another: the desktop app the OS launches for a deep link (cold start), or
//! `thanksctl complete`.
//!
//! Each pending login is a small JSON file in `<home>/pending/`, named by a hash of its `state`
//! (so the state itself is not on disk), holding the profile, the redirect URI and the times.
//! The PKCE verifier is a secret and goes to the keyring. Taking a login (marking it used) is
//! done under a file lock, so two processes handed the same callback can't both spend it. Used
//! logins stay as tombstones until they expire, so a replayed callback is told apart from an
//! unknown one (and a duplicate deep-link delivery can be ignored quietly).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{ConfigHome, Profile};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::util::{FileLock, UnixTime, sha256_b64url, write_atomic};
use crate::vault::{SecretKey, SecretKind, Vault};

/// How long a login may wait for its callback.
pub const PENDING_TTL_SECS: i64 = 600;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PendingLogin {
    pub id: String,
    pub profile: String,
    pub profile_uid: String,
    pub redirect_uri: String,
    pub created_at: UnixTime,
    pub expires_at: UnixTime,
    #[serde(default)]
    pub used_at: Option<UnixTime>,
    #[serde(default)]
    pub cancelled: bool,
    /// How the login ended, for the process that started it and is waiting.
    #[serde(default)]
    pub outcome: Option<PendingOutcome>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PendingOutcome {
    pub ok: bool,
    pub code: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PendingStore {
    dir: PathBuf,
    lock: PathBuf,
    vault: Vault,
}

impl PendingStore {
    pub fn new(home: &ConfigHome, vault: Vault) -> Self {
        Self {
            dir: home.pending_dir(),
            lock: home.locks_dir().join("pending.lock"),
            vault,
        }
    }

    pub fn id_for_state(state: &Secret) -> String {
        sha256_b64url(&format!("thanks-connect/pending/{}", state.expose()))[..32].to_string()
    }

    fn verifier_key(id: &str) -> SecretKey {
        SecretKey::new(format!("login-{id}"), SecretKind::PkceVerifier)
    }

    fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    /// Records a new login. The verifier goes to the keyring first: if the keyring is
    /// unavailable nothing is written at all.
    pub async fn create(
        &self,
        profile: &Profile,
        state: &Secret,
        verifier: Secret,
        now: UnixTime,
    ) -> Result<PendingLogin> {
        let id = Self::id_for_state(state);
        self.vault.set(Self::verifier_key(&id), verifier).await?;
        let login = PendingLogin {
            id: id.clone(),
            profile: profile.name.clone(),
            profile_uid: profile.uid.clone(),
            redirect_uri: profile.redirect_uri.to_string(),
            created_at: now,
            expires_at: now + PENDING_TTL_SECS,
            used_at: None,
            cancelled: false,
            outcome: None,
        };
        let path = self.path(&id);
        let bytes = serde_json::to_vec_pretty(&login).expect("serializable");
        write_atomic(&path, &bytes).map_err(|e| Error::io("write", &path, e))?;
        self.sweep(now).await;
        Ok(login)
    }

    pub fn get(&self, id: &str) -> Option<PendingLogin> {
        read(&self.path(id))
    }

    /// Marks the login for `state` used and hands back its verifier, after `check` (which
    /// compares the callback with the login's redirect URI) passes. Refuses missing, unknown,
    /// expired, cancelled and already-used states. No network call happens before this.
    pub async fn take(
        &self,
        state: Option<&Secret>,
        now: UnixTime,
        check: impl FnOnce(&PendingLogin) -> Result<()> + Send + 'static,
    ) -> Result<(PendingLogin, Secret)> {
        let state = state.ok_or(Error::StateMissing)?;
        let id = Self::id_for_state(state);
        let (path, lock) = (self.path(&id), self.lock.clone());
        let login = tokio::task::spawn_blocking(move || -> Result<PendingLogin> {
            let _guard = FileLock::acquire(&lock).map_err(|e| Error::io("lock", &lock, e))?;
            let mut login = read(&path).ok_or(Error::StateUnknown)?;
            if login.used_at.is_some() {
                return Err(Error::StateUsed);
            }
            if login.cancelled {
                return Err(Error::LoginCancelled);
            }
            if now >= login.expires_at {
                return Err(Error::StateExpired);
            }
            check(&login)?;
            login.used_at = Some(now);
            let bytes = serde_json::to_vec_pretty(&login).expect("serializable");
            write_atomic(&path, &bytes).map_err(|e| Error::io("write", &path, e))?;
            Ok(login)
        })
        .await
        .map_err(|_| Error::LoginCancelled)??;
        let key = Self::verifier_key(&login.id);
        let verifier = self
            .vault
            .get(key.clone())
            .await?
            .ok_or(Error::StateUnknown)?;
        self.vault.delete(key).await?;
        Ok((login, verifier))
    }

    /// Records how a taken login ended, for a process waiting on it.
    pub fn finish(&self, id: &str, outcome: PendingOutcome) {
        let path = self.path(id);
        if let Some(mut login) = read(&path) {
            login.outcome = Some(outcome);
            let bytes = serde_json::to_vec_pretty(&login).expect("serializable");
            if let Err(e) = write_atomic(&path, &bytes) {
                tracing::warn!(error = %e, "couldn't record the login's outcome");
            }
        }
    }

    /// Cancels a login: its callback will be refused, its verifier is deleted.
    pub async fn cancel(&self, id: &str) -> Result<()> {
        let path = self.path(id);
        if let Some(mut login) = read(&path)
            && login.used_at.is_none()
        {
            login.cancelled = true;
            let bytes = serde_json::to_vec_pretty(&login).expect("serializable");
            write_atomic(&path, &bytes).map_err(|e| Error::io("write", &path, e))?;
        }
        self.vault.delete(Self::verifier_key(id)).await?;
        Ok(())
    }

    /// Forgets logins that expired a while ago (keeping recent tombstones for replay checks).
    async fn sweep(&self, now: UnixTime) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let Some(login) = read(&p) else { continue };
            if now >= login.expires_at + PENDING_TTL_SECS {
                let _ = std::fs::remove_file(&p);
                if login.used_at.is_none() {
                    let _ = self.vault.delete(Self::verifier_key(&login.id)).await;
                }
            }
        }
    }
}

fn read(path: &Path) -> Option<PendingLogin> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::MemoryStore;
    use std::sync::Arc;

    fn setup() -> (tempfile::TempDir, PendingStore, Arc<MemoryStore>, Profile) {
        let d = tempfile::tempdir().unwrap();
        let mem = Arc::new(MemoryStore::default());
        let store = PendingStore::new(&ConfigHome::at(d.path()), Vault::new(mem.clone()));
        (d, store, mem, Profile::defaults("default"))
    }

    #[tokio::test]
    async fn take_once_then_used() {
        let (_d, store, mem, p) = setup();
        let state = Secret::random(32);
        store
            .create(&p, &state, Secret::new("verifier"), 1000)
            .await
            .unwrap();
        assert_eq!(mem.len(), 1);
        let (login, v) = store.take(Some(&state), 1001, |_| Ok(())).await.unwrap();
        assert_eq!(v.expose(), "verifier");
        assert_eq!(login.profile, "default");
        assert_eq!(mem.len(), 0, "verifier deleted once used");
        assert!(matches!(
            store.take(Some(&state), 1002, |_| Ok(())).await,
            Err(Error::StateUsed)
        ));
        let file = std::fs::read_to_string(store.path(&login.id)).unwrap();
        assert!(
            !file.contains(state.expose()) && !file.contains("verifier\""),
            "no secrets on disk"
        );
    }

    #[tokio::test]
    async fn refuses_missing_unknown_expired_cancelled_and_mismatched() {
        let (_d, store, _mem, p) = setup();
        let state = Secret::random(32);
        store
            .create(&p, &state, Secret::new("v"), 1000)
            .await
            .unwrap();
        assert!(matches!(
            store.take(None, 1001, |_| Ok(())).await,
            Err(Error::StateMissing)
        ));
        let other = Secret::random(32);
        assert!(matches!(
            store.take(Some(&other), 1001, |_| Ok(())).await,
            Err(Error::StateUnknown)
        ));
        let mismatch = store
            .take(Some(&state), 1001, |_| {
                Err(Error::CallbackMismatch("the path"))
            })
            .await;
        assert!(matches!(mismatch, Err(Error::CallbackMismatch(_))));
        // A mismatching callback doesn't burn the login.
        assert!(matches!(
            store
                .take(Some(&state), 1000 + PENDING_TTL_SECS, |_| Ok(()))
                .await,
            Err(Error::StateExpired)
        ));

        let s2 = Secret::random(32);
        let l2 = store.create(&p, &s2, Secret::new("v"), 1000).await.unwrap();
        store.cancel(&l2.id).await.unwrap();
        assert!(matches!(
            store.take(Some(&s2), 1001, |_| Ok(())).await,
            Err(Error::LoginCancelled)
        ));
    }

    #[tokio::test]
    async fn nothing_written_when_keyring_fails() {
        let (d, store, mem, p) = setup();
        *mem.fail_with.lock().unwrap() =
            Some(crate::vault::StoreError::Unavailable("no keyring".into()));
        let e = store
            .create(&p, &Secret::random(32), Secret::new("v"), 1)
            .await
            .unwrap_err();
        assert_eq!(e.code(), "vault.unavailable");
        assert!(!d.path().join("pending").exists());
    }
}
