//! Logins in progress, persisted so that a login started by one process can be finished by
//! another: the desktop app the OS launches for a deep link (cold start), or
//! `thanksctl complete`.
//!
//! Each pending login is a small JSON file in `<home>/pending/`, named by a hash of its `state`
//! (so the state itself is not on disk), holding the profile, the redirect URI, the endpoints
//! the login was started for, and the times. The PKCE verifier is a secret and goes to the
//! keyring. Every write happens under one file lock, so two processes handed the same callback
//! can't both spend it, and a cancel or an outcome can't overwrite a take. Taking reads the
//! verifier before marking the login used: a keyring error leaves the login open (and says why
//! to whoever waits). Used logins stay as tombstones until they expire, so a replayed callback is
//! told apart from an unknown one; a verifier left behind by a crash between "used" and
//! "deleted" is removed by the next sweep. Pending ids come from outside (IPC, files) and are
//! checked for their shape before they become part of a path.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::binding::Binding;
use crate::config::{ConfigHome, Profile};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::util::{FileLock, UnixTime, sha256_b64url, write_atomic};
use crate::vault::{SecretKey, SecretKind, Vault};

/// How long a login may wait for its callback.
pub const PENDING_TTL_SECS: i64 = 600;

/// Length of a pending id (base64url of a hash, cut).
const ID_LEN: usize = 32;

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
    /// The endpoints and client the login was started with; completing it is refused if the
    /// profile changed since (the code, verifier and secret would go to the new token URL).
    #[serde(default)]
    pub binding: Option<Binding>,
    /// The sign-in page's origin: the issuer an RFC 9207 `iss` in the callback must name.
    #[serde(default)]
    pub issuer: Option<String>,
    /// A callback that arrived but couldn't be finished yet (the keyring was locked), for a
    /// waiting process to show; the login stays open.
    #[serde(default)]
    pub notice: Option<PendingOutcome>,
    /// The verifier is gone from the keyring (used, cancelled or expired, and cleaned up).
    #[serde(default)]
    pub verifier_deleted: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PendingOutcome {
    pub ok: bool,
    pub code: Option<String>,
    pub message: Option<String>,
}

impl PendingOutcome {
    pub fn of<T>(result: &Result<T>) -> Self {
        match result {
            Ok(_) => Self {
                ok: true,
                code: None,
                message: None,
            },
            Err(e) => Self {
                ok: false,
                code: Some(e.code().into()),
                message: Some(e.to_string()),
            },
        }
    }
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
        sha256_b64url(&format!("thanks-connect/pending/{}", state.expose()))[..ID_LEN].to_string()
    }

    /// A pending id as [`Self::id_for_state`] makes them; anything else never touches a path.
    pub fn is_valid_id(id: &str) -> bool {
        id.len() == ID_LEN
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }

    fn checked_id(id: &str) -> Result<&str> {
        if Self::is_valid_id(id) {
            Ok(id)
        } else {
            Err(Error::InvalidInput {
                field: "pending login id".into(),
                problem: "is not one this app made; start Connect again".into(),
            })
        }
    }

    fn verifier_key(id: &str) -> SecretKey {
        SecretKey::new(format!("login-{id}"), SecretKind::PkceVerifier)
    }

    /// Only for ids checked by [`Self::is_valid_id`] (or made by [`Self::id_for_state`]).
    fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    /// Runs `change` on the login's record under the pending lock and writes it back if it
    /// returns true. Blocking work runs off the async runtime.
    async fn update<T: Send + 'static>(
        &self,
        id: &str,
        change: impl FnOnce(Option<&mut PendingLogin>) -> Result<(T, bool)> + Send + 'static,
    ) -> Result<T> {
        let (path, lock) = (self.path(id), self.lock.clone());
        tokio::task::spawn_blocking(move || -> Result<T> {
            let _guard = FileLock::acquire(&lock).map_err(|e| Error::io("lock", &lock, e))?;
            let mut login = read(&path);
            let (value, write) = change(login.as_mut())?;
            if let (true, Some(login)) = (write, login) {
                save(&path, &login)?;
            }
            Ok(value)
        })
        .await
        .map_err(|_| Error::LoginCancelled)?
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
            binding: Some(Binding::of(profile)),
            issuer: Some(profile.authorize_url.origin().ascii_serialization()),
            notice: None,
            verifier_deleted: false,
        };
        let (record, path) = (login.clone(), self.path(&id));
        self.update(&id, move |_| save(&path, &record).map(|()| ((), false)))
            .await?;
        self.sweep(now).await;
        Ok(login)
    }

    pub fn get(&self, id: &str) -> Option<PendingLogin> {
        Self::is_valid_id(id)
            .then(|| read(&self.path(id)))
            .flatten()
    }

    /// Marks the login for `state` used and hands back its verifier, after `check` (which
    /// compares the callback with the login) passes. Refuses missing, unknown, expired,
    /// cancelled and already-used states. No network call happens before this.
    ///
    /// The verifier is read before the login is marked used, so a keyring that fails here leaves
    /// the login open for the same callback to be tried again, with a notice for a waiting process.
    pub async fn take(
        &self,
        state: Option<&Secret>,
        now: UnixTime,
        check: impl FnOnce(&PendingLogin) -> Result<()> + Send + 'static,
    ) -> Result<(PendingLogin, Secret)> {
        let state = state.ok_or(Error::StateMissing)?;
        let id = Self::id_for_state(state);
        self.update(&id, move |login| {
            let login = login.ok_or(Error::StateUnknown)?;
            open_at(login, now)?;
            check(login)?;
            Ok(((), false))
        })
        .await?;
        let key = Self::verifier_key(&id);
        let verifier = match self.vault.get(key.clone()).await {
            Ok(Some(v)) => v,
            Ok(None) => return Err(Error::StateUnknown),
            Err(e) => {
                let e = Error::from(e);
                let notice = PendingOutcome {
                    ok: false,
                    code: Some(e.code().into()),
                    message: Some(e.to_string()),
                };
                let _ = self
                    .update(&id, move |login| {
                        Ok(((), login.map(|l| l.notice = Some(notice)).is_some()))
                    })
                    .await;
                return Err(e);
            }
        };
        // Marked used under the lock, re-checked: of two processes that got this far with the
        // same callback, one wins.
        let login = self
            .update(&id, move |login| {
                let login = login.ok_or(Error::StateUnknown)?;
                open_at(login, now)?;
                login.used_at = Some(now);
                login.notice = None;
                Ok((login.clone(), true))
            })
            .await?;
        self.forget_verifier(&id).await;
        Ok((login, verifier))
    }

    /// Deletes the verifier and records that it's gone; a failure is left for the next sweep.
    async fn forget_verifier(&self, id: &str) {
        match self.vault.delete(Self::verifier_key(id)).await {
            Ok(()) => {
                let _ = self
                    .update(id, |login| {
                        Ok(((), login.map(|l| l.verifier_deleted = true).is_some()))
                    })
                    .await;
            }
            Err(e) => {
                tracing::warn!(
                    code = e.code(),
                    "couldn't delete a used login's verifier yet"
                )
            }
        }
    }

    /// Records how a taken login ended, for a process waiting on it.
    pub async fn finish(&self, id: &str, outcome: PendingOutcome) {
        if Self::checked_id(id).is_err() {
            return;
        }
        let result = self
            .update(id, move |login| {
                Ok(((), login.map(|l| l.outcome = Some(outcome)).is_some()))
            })
            .await;
        if let Err(e) = result {
            tracing::warn!(code = e.code(), "couldn't record the login's outcome");
        }
    }

    /// Cancels a login: its callback will be refused, its verifier is deleted.
    pub async fn cancel(&self, id: &str) -> Result<()> {
        Self::checked_id(id)?;
        self.update(id, |login| match login {
            Some(l) if l.used_at.is_none() => {
                l.cancelled = true;
                Ok(((), true))
            }
            _ => Ok(((), false)),
        })
        .await?;
        self.vault.delete(Self::verifier_key(id)).await?;
        self.update(id, |login| {
            Ok(((), login.map(|l| l.verifier_deleted = true).is_some()))
        })
        .await
    }

    /// Cleans up: deletes the verifiers of logins that can no longer be completed (used,
    /// cancelled, expired) and are still in the keyring — a crash can leave one there — and
    /// forgets logins that expired a while ago (recent tombstones stay for replay checks).
    pub async fn sweep(&self, now: UnixTime) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            let Some(login) = p
                .extension()
                .is_some_and(|e| e == "json")
                .then(|| read(&p))
                .flatten()
            else {
                continue;
            };
            if !Self::is_valid_id(&login.id) || p != self.path(&login.id) {
                continue;
            }
            let closed = login.used_at.is_some() || login.cancelled || now >= login.expires_at;
            if closed && !login.verifier_deleted {
                self.forget_verifier(&login.id).await;
            }
            if now >= login.expires_at + PENDING_TTL_SECS {
                let id = login.id.clone();
                let _ = self
                    .update(&id, move |l| {
                        if l.is_some() {
                            let _ = std::fs::remove_file(&p);
                        }
                        Ok(((), false))
                    })
                    .await;
            }
        }
    }
}

/// Refuses a login that can't be taken at `now`.
fn open_at(login: &PendingLogin, now: UnixTime) -> Result<()> {
    if login.used_at.is_some() {
        return Err(Error::StateUsed);
    }
    if login.cancelled {
        return Err(Error::LoginCancelled);
    }
    if now >= login.expires_at {
        return Err(Error::StateExpired);
    }
    Ok(())
}

fn read(path: &Path) -> Option<PendingLogin> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn save(path: &Path, login: &PendingLogin) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(login).expect("serializable");
    write_atomic(path, &bytes).map_err(|e| Error::io("write", path, e))
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

    #[tokio::test]
    async fn cancel_and_finish_wait_for_the_pending_lock() {
        let (_d, store, _mem, p) = setup();
        let login = store
            .create(&p, &Secret::random(32), Secret::new("v"), 1000)
            .await
            .unwrap();
        // Another process holds the pending lock (it is taking a login).
        let held = FileLock::acquire(&store.lock).unwrap();
        let (s1, id1) = (store.clone(), login.id.clone());
        let cancel = tokio::spawn(async move { s1.cancel(&id1).await });
        let (s2, id2) = (store.clone(), login.id.clone());
        let finish = tokio::spawn(async move {
            s2.finish(
                &id2,
                PendingOutcome {
                    ok: false,
                    code: Some("x".into()),
                    message: None,
                },
            )
            .await
        });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!cancel.is_finished(), "cancel wrote without the lock");
        assert!(!finish.is_finished(), "finish wrote without the lock");
        assert!(!store.get(&login.id).unwrap().cancelled);
        drop(held);
        cancel.await.unwrap().unwrap();
        finish.await.unwrap();
        let after = store.get(&login.id).unwrap();
        assert!(after.cancelled && after.outcome.is_some());
    }

    #[tokio::test]
    async fn a_keyring_error_while_taking_leaves_the_login_retryable() {
        let (_d, store, mem, p) = setup();
        let state = Secret::random(32);
        store
            .create(&p, &state, Secret::new("verifier"), 1000)
            .await
            .unwrap();
        *mem.fail_with.lock().unwrap() = Some(crate::vault::StoreError::Locked(
            "the keyring is locked".into(),
        ));
        let e = store
            .take(Some(&state), 1001, |_| Ok(()))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "vault.locked");
        let login = store.get(&PendingStore::id_for_state(&state)).unwrap();
        assert!(
            login.used_at.is_none(),
            "the login was burned by a keyring error"
        );
        assert_eq!(
            login.notice.as_ref().and_then(|n| n.code.as_deref()),
            Some("vault.locked"),
            "a waiting process is told why the callback didn't finish"
        );
        *mem.fail_with.lock().unwrap() = None;
        let (_, v) = store.take(Some(&state), 1002, |_| Ok(())).await.unwrap();
        assert_eq!(v.expose(), "verifier");
    }

    #[tokio::test]
    async fn a_crash_between_used_and_deleted_is_swept() {
        let (_d, store, mem, p) = setup();
        let state = Secret::random(32);
        let login = store
            .create(&p, &state, Secret::new("v1"), 1000)
            .await
            .unwrap();
        // The process marked the login used and died before deleting the verifier.
        let mut used = login.clone();
        used.used_at = Some(1001);
        write_atomic(&store.path(&login.id), &serde_json::to_vec(&used).unwrap()).unwrap();
        assert_eq!(mem.len(), 1);
        store
            .create(&p, &Secret::random(32), Secret::new("v2"), 1002)
            .await
            .unwrap();
        assert_eq!(
            mem.len(),
            1,
            "the used login's verifier is still in the keyring"
        );
        assert!(
            store.get(&login.id).unwrap().used_at.is_some(),
            "the tombstone stays for replay checks"
        );
    }

    #[tokio::test]
    async fn pending_ids_are_checked_before_they_touch_a_path() {
        let (d, store, _mem, p) = setup();
        let login = store
            .create(&p, &Secret::random(32), Secret::new("v"), 1000)
            .await
            .unwrap();
        let outside = d.path().join("evil.json");
        let bytes = serde_json::to_vec(&login).unwrap();
        std::fs::write(&outside, &bytes).unwrap();
        for id in ["../evil", "..", "", "a/b", &"x".repeat(33), "../pending/x"] {
            assert!(store.get(id).is_none(), "{id}");
            let e = store.cancel(id).await.unwrap_err();
            assert_eq!(e.code(), "input.invalid", "{id}");
        }
        assert_eq!(
            std::fs::read(&outside).unwrap(),
            bytes,
            "a file outside pending/ was rewritten"
        );
    }
}
