//! The OS keyring behind Thanks Connect's token vault.
//!
//! [`KeyringStore`] implements the core's [`SecretStore`] over `keyring-core` and one platform
//! store, the same one keyring 4's `v1` feature would pick: the macOS Keychain, the Windows
//! Credential Manager, or the Secret Service (GNOME Keyring, KWallet) on Linux and the BSDs.
//! One keyring entry per secret: service `thanks-connect`, account [`SecretKey::account`], the
//! value stored as raw UTF-8 bytes (the same entries keyring 4 reads and writes).
//!
//! The platform store (for the Secret Service: a D-Bus connection and an open session) is
//! made on first use and kept, but never for good: a call that finds it can no longer reach
//! the keyring (no bus, no Secret Service, the daemon restarted and the session is gone) drops
//! it and is retried once on a fresh one, and a failed setup isn't kept at all. So once the
//! user fixes the cause (starts or unlocks gnome-keyring, the daemon comes back), the next
//! call works, in the same process. keyring 4's `v1` feature can't do this: it sets its
//! default store up once per process and keeps the result, success or failure.
//!
//! What it deliberately doesn't do:
//! - fall back to a file or to memory when the keyring can't be used; it returns a
//!   [`StoreError`] whose message names the cause and the fix, and the caller shows it;
//! - run anything asynchronously: every call blocks (D-Bus round trips, maybe an unlock
//!   prompt), and the core's `Vault` runs it on tokio's blocking pool;
//! - retry in a loop: at most one retry per call, and only on a store made after the failure.

mod chunked;
mod errors;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, PoisonError};

use keyring_core::{CredentialStore, Entry};
use thanks_core::secret::Secret;
use thanks_core::vault::{SecretKey, SecretStore, StoreError};

use crate::chunked::Entries;
use crate::errors::{AfterFailure, Op, Platform};

/// The keyring service every Thanks Connect entry is filed under.
pub const SERVICE: &str = "thanks-connect";

/// Windows Credential Manager refuses a credential blob larger than this
/// (`CRED_MAX_CREDENTIAL_BLOB_SIZE`); longer secrets are split ([`chunked`]).
const WINDOWS_MAX_SECRET_BYTES: usize = 2560;

/// The most one entry holds here: a limit only on Windows. The Secret Service and the Keychain
/// take any size a secret may have, so there every secret stays one entry.
const PER_ENTRY_LIMIT: Option<usize> = if cfg!(windows) {
    Some(WINDOWS_MAX_SECRET_BYTES)
} else {
    None
};

/// Account names used by [`SecretStore::check`]: never a profile's, since owners are
/// random ids and this prefix is not one.
const CHECK_ACCOUNT_PREFIX: &str = "keyring-check";

/// A [`SecretStore`] over the operating system's keyring.
///
/// Clones share one platform store (one D-Bus connection on Linux).
#[derive(Clone)]
pub struct KeyringStore {
    service: String,
    connect: Connect,
    current: Arc<Mutex<Option<Arc<CredentialStore>>>>,
}

/// Makes a platform store.
type Connect = fn() -> keyring_core::Result<Arc<CredentialStore>>;

impl std::fmt::Debug for KeyringStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `try_lock`: the lock is held while a connection is being made, which may wait.
        let connected = match self.current.try_lock() {
            Ok(current) => Some(current.is_some()),
            Err(std::sync::TryLockError::Poisoned(current)) => Some(current.into_inner().is_some()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        };
        f.debug_struct("KeyringStore")
            .field("service", &self.service)
            .field("connected", &connected)
            .finish()
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new()
    }
}

impl KeyringStore {
    /// The product's store: entries under the service `thanks-connect`. Touches no keyring
    /// until the first call.
    pub fn new() -> Self {
        Self::with_service(SERVICE)
    }

    /// A store under another service name, so tests (or a dev build) never touch the
    /// product's entries.
    pub fn with_service(service: impl Into<String>) -> Self {
        Self::with_connect(service, platform_store)
    }

    fn with_connect(service: impl Into<String>, connect: Connect) -> Self {
        Self {
            service: service.into(),
            connect,
            current: Arc::default(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// A panic can't leave the slot half-written (it holds an `Option<Arc>`), so a poisoned
    /// lock is still good to use.
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<CredentialStore>>> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The platform store, made now if there is none. The flag is true when it was made by
    /// this call. Setting up under the lock means concurrent first calls share one connection
    /// (and one wait, if the bus has to start the Secret Service). A failed setup is not kept.
    fn platform(&self) -> keyring_core::Result<(Arc<CredentialStore>, bool)> {
        let mut current = self.lock();
        if let Some(store) = current.as_ref() {
            return Ok((Arc::clone(store), false));
        }
        let store = (self.connect)()?;
        *current = Some(Arc::clone(&store));
        Ok((store, true))
    }

    /// Forgets `store` so the next call makes a fresh one, unless another call already
    /// replaced it.
    fn discard(&self, store: &Arc<CredentialStore>) {
        let mut current = self.lock();
        if current.as_ref().is_some_and(|c| Arc::ptr_eq(c, store)) {
            *current = None;
        }
    }

    /// Runs `call` on the platform store. When it fails because the store can no longer reach
    /// the keyring, the store is dropped and, if it was an older one, `call` runs once more on
    /// a fresh one; never more. Every call here may be repeated safely (set the same value,
    /// read, delete what may already be gone).
    fn run<T>(
        &self,
        op: Op,
        account: &str,
        call: impl Fn(&Arc<CredentialStore>) -> Result<T, Failure>,
    ) -> Result<T, StoreError> {
        let (store, fresh) = self
            .platform()
            .map_err(|e| errors::store_error(&e, op, account))?;
        let failure = match self.attempt(&store, op, account, &call)? {
            Ok(value) => return Ok(value),
            Err(failure) => failure,
        };
        if fresh
            || errors::after_failure(Platform::CURRENT, &failure.error) != AfterFailure::Reconnect
        {
            return Err(failure.into_store_error(account));
        }
        tracing::info!(
            account,
            op = op.doing(),
            cause = %errors::detail(&failure.error),
            "the keyring connection was lost; retrying once on a new one"
        );
        let (store, _) = self
            .platform()
            .map_err(|e| errors::store_error(&e, op, account))?;
        self.attempt(&store, op, account, &call)?
            .map_err(|failure| failure.into_store_error(account))
    }

    /// One try of `call` on `store`, which is dropped if the failure (or a panic) says it
    /// shouldn't be used again. The outer error is final; the inner one may merit a retry.
    fn attempt<T>(
        &self,
        store: &Arc<CredentialStore>,
        op: Op,
        account: &str,
        call: &impl Fn(&Arc<CredentialStore>) -> Result<T, Failure>,
    ) -> Result<Result<T, Failure>, StoreError> {
        // A panic below us (say, in zbus) must not leave a broken connection behind that every
        // later call would trip over; drop it, so the next call starts afresh.
        let Ok(result) = catch_unwind(AssertUnwindSafe(|| call(store))) else {
            self.discard(store);
            return Err(errors::panicked(op, account));
        };
        if let Err(failure) = &result
            && errors::after_failure(Platform::CURRENT, &failure.error) != AfterFailure::Keep
        {
            self.discard(store);
        }
        Ok(result)
    }

    fn entry(&self, store: &Arc<CredentialStore>, account: &str, op: Op) -> Result<Entry, Failure> {
        Entry::new_in_store(store, &self.service, account).map_err(Failure::of(op))
    }
}

/// The plain, one-entry operations the split layout ([`chunked`]) is built on.
impl Entries for KeyringStore {
    fn write(&self, account: &str, bytes: &[u8]) -> Result<(), StoreError> {
        if cfg!(windows) && bytes.len() > WINDOWS_MAX_SECRET_BYTES {
            return Err(errors::too_large(
                bytes.len(),
                WINDOWS_MAX_SECRET_BYTES as u32,
            ));
        }
        self.run(Op::Write, account, |store| {
            let entry = self.entry(store, account, Op::Write)?;
            match entry.set_secret(bytes) {
                Ok(()) => Ok(()),
                // Several items match (another tool wrote one with the same attributes): keep
                // exactly one, ours.
                Err(keyring_core::Error::Ambiguous(duplicates)) => {
                    tracing::warn!(
                        account,
                        count = duplicates.len(),
                        "replacing duplicate keyring entries"
                    );
                    for duplicate in duplicates {
                        delete_ignoring_missing(duplicate.delete_credential())?;
                    }
                    entry.set_secret(bytes).map_err(Failure::of(Op::Write))
                }
                Err(e) => Err(Failure::of(Op::Write)(e)),
            }
        })
    }

    fn read(&self, account: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.run(Op::Read, account, |store| {
            match self.entry(store, account, Op::Read)?.get_secret() {
                Ok(bytes) => Ok(Some(bytes)),
                Err(keyring_core::Error::NoEntry) => Ok(None),
                Err(e) => Err(Failure::of(Op::Read)(e)),
            }
        })
    }

    fn remove(&self, account: &str) -> Result<(), StoreError> {
        self.run(Op::Delete, account, |store| {
            match self.entry(store, account, Op::Delete)?.delete_credential() {
                Err(keyring_core::Error::Ambiguous(duplicates)) => {
                    for duplicate in duplicates {
                        delete_ignoring_missing(duplicate.delete_credential())?;
                    }
                    Ok(())
                }
                result => delete_ignoring_missing(result),
            }
        })
    }

    /// Only Windows lists (Credential Manager enumerates the user's generic credentials): it is
    /// the only platform that splits secrets, so the only one where a crashed write can leave
    /// parts behind.
    fn accounts_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        if !cfg!(windows) {
            return Ok(Vec::new());
        }
        self.run(Op::Delete, prefix, |store| {
            let found = store
                .search(&std::collections::HashMap::new())
                .map_err(Failure::of(Op::Delete))?;
            Ok(found
                .iter()
                .filter_map(Entry::get_specifiers)
                .filter(|(service, user)| *service == self.service && user.starts_with(prefix))
                .map(|(_, user)| user)
                .collect())
        })
    }
}

/// A failed platform call and what we were doing when it failed.
struct Failure {
    error: keyring_core::Error,
    op: Op,
}

impl Failure {
    fn of(op: Op) -> impl Fn(keyring_core::Error) -> Self {
        move |error| Self { error, op }
    }

    fn into_store_error(self, account: &str) -> StoreError {
        errors::store_error(&self.error, self.op, account)
    }
}

fn delete_ignoring_missing(result: keyring_core::Result<()>) -> Result<(), Failure> {
    match result {
        Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
        Err(e) => Err(Failure::of(Op::Delete)(e)),
    }
}

/// The platform's store, exactly as keyring 4's `v1` feature sets it up.
#[cfg(target_os = "macos")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(windows)]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

/// Opens a D-Bus connection and a Secret Service session (which may D-Bus-activate the
/// daemon, and wait for it).
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(not(any(
    target_os = "macos",
    windows,
    all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    )
)))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::Invalid(
        "platform".to_string(),
        "must be macOS, Windows, or a non-iOS, non-Android *nix variant".to_string(),
    ))
}

impl SecretStore for KeyringStore {
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, StoreError> {
        let account = key.account();
        let Some(bytes) = chunked::read(self, &account)? else {
            return Ok(None);
        };
        // Secrets are text (tokens, client secrets); anything else was not written by us.
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(Secret::new(text))),
            Err(_) => Err(errors::not_text(&account)),
        }
    }

    fn set(&self, key: &SecretKey, value: &Secret) -> Result<(), StoreError> {
        chunked::write(
            self,
            PER_ENTRY_LIMIT,
            &key.account(),
            value.expose().as_bytes(),
        )
    }

    fn delete(&self, key: &SecretKey) -> Result<(), StoreError> {
        chunked::delete(self, PER_ENTRY_LIMIT, &key.account())
    }

    /// Writes, reads back and deletes a throwaway entry. Reading alone proves nothing: the
    /// Secret Service answers "no such entry" even when the login keyring is locked or doesn't
    /// exist; only a write makes it unlock (or prompt). The account is unique per call so two
    /// processes checking at once don't delete each other's probe.
    fn check(&self) -> Result<(), StoreError> {
        let account = format!(
            "{CHECK_ACCOUNT_PREFIX}/{}-{}",
            std::process::id(),
            unique_suffix()
        );
        let probe = b"thanks-connect keyring check";
        self.write(&account, probe)?;
        let read_back = self.read(&account);
        let removed = self.remove(&account);
        match read_back? {
            Some(bytes) if bytes == probe => removed,
            _ => {
                // Whatever garbled the data, the next try starts on a fresh connection.
                self.lock().take();
                Err(errors::check_mismatch())
            }
        }
    }

    fn backend_name(&self) -> String {
        errors::backend_name().to_string()
    }
}

/// Nanoseconds since the epoch: enough to tell two checks of one process apart.
fn unique_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// How [`KeyringStore`] keeps, drops and remakes its platform store, against a fake Secret
/// Service that can be stopped, restarted and locked. (The real one is in
/// `tests/secret_service.rs`.)
#[cfg(all(
    test,
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
mod tests {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use keyring_core::api::{Credential, CredentialApi, CredentialStoreApi};

    use super::*;

    /// The fake daemon. Thread-local, because `Connect` is a plain `fn` and the tests run in
    /// parallel; every call below happens on the test's own thread.
    #[derive(Default)]
    struct Daemon {
        down: bool,
        locked: bool,
        /// Bumped by a restart: stores connected before it have lost their session.
        generation: u32,
        /// Every call fails as if the session were gone, even on a new connection.
        always_no_session: bool,
        /// The next call fails with this D-Bus error name.
        fail_once: Option<&'static str>,
        panic_once: bool,
        entries: HashMap<String, Vec<u8>>,
        connects: u32,
        calls: u32,
    }

    thread_local! {
        static DAEMON: RefCell<Daemon> = RefCell::default();
    }

    fn daemon<T>(f: impl FnOnce(&mut Daemon) -> T) -> T {
        DAEMON.with_borrow_mut(f)
    }

    /// A D-Bus error as zbus words it.
    #[derive(Debug)]
    struct DbusError(&'static str);

    impl std::fmt::Display for DbusError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "zbus error: {}: fake", self.0)
        }
    }

    impl std::error::Error for DbusError {}

    fn dbus(name: &'static str) -> keyring_core::Error {
        keyring_core::Error::PlatformFailure(Box::new(DbusError(name)))
    }

    const SERVICE_UNKNOWN: &str = "org.freedesktop.DBus.Error.ServiceUnknown";
    const NO_SESSION: &str = "org.freedesktop.Secret.Error.NoSession";

    fn fake_connect() -> keyring_core::Result<Arc<CredentialStore>> {
        daemon(|d| {
            d.connects += 1;
            if d.down {
                return Err(dbus(SERVICE_UNKNOWN));
            }
            Ok(Arc::new(FakeStore {
                generation: d.generation,
            }) as Arc<CredentialStore>)
        })
    }

    #[derive(Debug)]
    struct FakeStore {
        generation: u32,
    }

    impl CredentialStoreApi for FakeStore {
        fn vendor(&self) -> String {
            "fake".into()
        }

        fn id(&self) -> String {
            self.generation.to_string()
        }

        fn build(
            &self,
            service: &str,
            user: &str,
            _: Option<&HashMap<&str, &str>>,
        ) -> keyring_core::Result<Entry> {
            Ok(Entry::new_with_credential(Arc::new(FakeCredential {
                generation: self.generation,
                name: format!("{service}/{user}"),
            })))
        }

        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    #[derive(Debug)]
    struct FakeCredential {
        generation: u32,
        name: String,
    }

    impl FakeCredential {
        /// What the daemon does with any call from this credential's connection.
        fn call<T>(
            &self,
            op: impl FnOnce(&mut Daemon) -> keyring_core::Result<T>,
        ) -> keyring_core::Result<T> {
            let panic = daemon(|d| {
                d.calls += 1;
                std::mem::take(&mut d.panic_once)
            });
            assert!(!panic, "fake panic below the store");
            daemon(|d| {
                if let Some(name) = d.fail_once.take() {
                    return Err(dbus(name));
                }
                if d.down {
                    return Err(dbus(SERVICE_UNKNOWN));
                }
                if d.always_no_session || self.generation != d.generation {
                    return Err(dbus(NO_SESSION));
                }
                if d.locked {
                    return Err(keyring_core::Error::NoStorageAccess(Box::new(DbusError(
                        "org.freedesktop.Secret.Error.IsLocked",
                    ))));
                }
                op(d)
            })
        }
    }

    impl CredentialApi for FakeCredential {
        fn set_secret(&self, secret: &[u8]) -> keyring_core::Result<()> {
            self.call(|d| {
                d.entries.insert(self.name.clone(), secret.to_vec());
                Ok(())
            })
        }

        fn get_secret(&self) -> keyring_core::Result<Vec<u8>> {
            self.call(|d| {
                d.entries
                    .get(&self.name)
                    .cloned()
                    .ok_or(keyring_core::Error::NoEntry)
            })
        }

        fn delete_credential(&self) -> keyring_core::Result<()> {
            self.call(|d| {
                d.entries
                    .remove(&self.name)
                    .map(|_| ())
                    .ok_or(keyring_core::Error::NoEntry)
            })
        }

        fn get_credential(&self) -> keyring_core::Result<Option<Arc<Credential>>> {
            Ok(None)
        }

        fn get_specifiers(&self) -> Option<(String, String)> {
            None
        }

        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    fn store() -> KeyringStore {
        KeyringStore::with_connect("svc", fake_connect)
    }

    fn key() -> SecretKey {
        SecretKey::new("p-1", thanks_core::vault::SecretKind::AccessToken)
    }

    fn value(store: &KeyringStore) -> Option<String> {
        store
            .get(&key())
            .expect("get")
            .map(|s| s.expose().to_owned())
    }

    fn counts() -> (u32, u32) {
        daemon(|d| (d.connects, d.calls))
    }

    #[test]
    fn nothing_connects_before_the_first_call() {
        let store = store();
        assert_eq!(counts(), (0, 0));
        assert!(format!("{store:?}").contains("connected: Some(false)"));
        store.set(&key(), &Secret::new("v")).expect("set");
        assert!(format!("{store:?}").contains("connected: Some(true)"));
        // Clones share the connection.
        assert_eq!(value(&store.clone()).as_deref(), Some("v"));
        assert_eq!(counts(), (1, 2));
    }

    #[test]
    fn a_session_lost_to_a_restart_is_retried_once_on_a_new_connection() {
        let store = store();
        store.set(&key(), &Secret::new("v")).expect("set");
        daemon(|d| d.generation += 1);

        assert_eq!(value(&store).as_deref(), Some("v"));
        // The stale call, a new connection, the retry.
        assert_eq!(counts(), (2, 3));
        // The new connection is kept.
        store.delete(&key()).expect("delete");
        assert_eq!(counts(), (2, 4));
    }

    #[test]
    fn a_failed_setup_is_not_kept_so_the_call_after_the_fix_works() {
        let store = store();
        daemon(|d| d.down = true);
        for _ in 0..2 {
            let err = store.check().expect_err("no Secret Service");
            assert!(
                matches!(&err, StoreError::Unavailable(m) if m.contains("No Secret Service") && !m.contains("restart")),
                "{err:?}"
            );
        }
        // Each call tried to connect (no stale failure kept), none reached an entry.
        assert_eq!(counts(), (2, 0));

        daemon(|d| d.down = false);
        store.check().expect("check once the daemon runs");
        store.set(&key(), &Secret::new("v")).expect("set");
        assert_eq!(value(&store).as_deref(), Some("v"));
        assert_eq!(counts().0, 3);
    }

    #[test]
    fn a_daemon_that_stopped_is_unavailable_until_it_is_back() {
        let store = store();
        store.set(&key(), &Secret::new("v")).expect("set");
        daemon(|d| d.down = true);
        let err = store.get(&key()).expect_err("daemon down");
        assert_eq!(err.code(), "vault.unavailable");
        // The stale call, then one new connection that failed: no loop.
        assert_eq!(counts(), (2, 2));

        daemon(|d| {
            d.down = false;
            d.generation += 1;
        });
        assert_eq!(value(&store).as_deref(), Some("v"));
        assert_eq!(counts(), (3, 3));
    }

    #[test]
    fn a_retry_happens_once_and_never_loops() {
        let store = store();
        store.set(&key(), &Secret::new("v")).expect("set");
        daemon(|d| d.always_no_session = true);
        let err = store.get(&key()).expect_err("session never works");
        assert!(
            matches!(&err, StoreError::Unavailable(m) if m.contains("restarted")),
            "{err:?}"
        );
        assert_eq!(counts(), (2, 3));
    }

    #[test]
    fn a_new_connection_that_fails_is_not_retried() {
        let store = store();
        daemon(|d| d.always_no_session = true);
        store.get(&key()).expect_err("session never works");
        assert_eq!(counts(), (1, 1));
        // It isn't kept either.
        store.get(&key()).expect_err("session never works");
        assert_eq!(counts(), (2, 2));
    }

    #[test]
    fn a_locked_keyring_keeps_the_connection() {
        let store = store();
        daemon(|d| d.locked = true);
        let err = store.set(&key(), &Secret::new("v")).expect_err("locked");
        assert_eq!(err.code(), "vault.locked");
        assert_eq!(counts(), (1, 1));

        daemon(|d| d.locked = false);
        store
            .set(&key(), &Secret::new("v"))
            .expect("set once unlocked");
        assert_eq!(counts(), (1, 2));
    }

    #[test]
    fn an_unknown_failure_drops_the_connection_without_a_retry() {
        let store = store();
        store.set(&key(), &Secret::new("v")).expect("set");
        daemon(|d| d.fail_once = Some("org.example.Weird"));
        let err = store.get(&key()).expect_err("weird");
        assert_eq!(err.code(), "vault.failed");
        assert_eq!(counts(), (1, 2));
        assert_eq!(value(&store).as_deref(), Some("v"));
        assert_eq!(counts(), (2, 3));
    }

    #[test]
    fn a_panic_below_drops_the_connection_and_the_next_call_works() {
        let store = store();
        store.set(&key(), &Secret::new("v")).expect("set");
        daemon(|d| d.panic_once = true);
        let err = store.get(&key()).expect_err("panicked");
        assert!(
            matches!(&err, StoreError::Failed(m) if m.contains("failed unexpectedly")),
            "{err:?}"
        );
        assert_eq!(value(&store).as_deref(), Some("v"));
        assert_eq!(counts(), (2, 3));
    }
}
