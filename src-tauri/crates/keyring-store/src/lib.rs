//! The OS keyring behind Thanks Connect's token vault.
//!
//! [`KeyringStore`] implements the core's [`SecretStore`] over the `keyring` crate (4.x, `v1`
//! feature): the macOS Keychain, the Windows Credential Manager, or the Secret Service (GNOME
//! Keyring, KWallet) on Linux and the BSDs. One keyring entry per secret: service
//! `thanks-connect`, account [`SecretKey::account`], the value stored as raw UTF-8 bytes.
//!
//! What it deliberately doesn't do:
//! - fall back to a file or to memory when the keyring can't be used; it returns a
//!   [`StoreError`] whose message names the cause and the fix, and the caller shows it;
//! - run anything asynchronously: every call blocks (D-Bus round trips, maybe an unlock
//!   prompt), and the core's `Vault` runs it on tokio's blocking pool;
//! - keep its own connection: `keyring` sets its platform store up once per process, on first
//!   use (see [`keyring::Entry::store_status`]). A failure at that moment (no D-Bus session, no
//!   Secret Service yet) therefore lasts until the process restarts, and the messages say so.

mod errors;

use keyring::Entry;
use thanks_core::secret::Secret;
use thanks_core::vault::{SecretKey, SecretStore, StoreError};

use crate::errors::Op;

/// The keyring service every Thanks Connect entry is filed under.
pub const SERVICE: &str = "thanks-connect";

/// Windows Credential Manager refuses a credential blob larger than this
/// (`CRED_MAX_CREDENTIAL_BLOB_SIZE`); checked before calling so the message can say how large
/// the value was.
const WINDOWS_MAX_SECRET_BYTES: usize = 2560;

/// Account names used by [`SecretStore::check`]: never a profile's, since owners are
/// random ids and this prefix is not one.
const CHECK_ACCOUNT_PREFIX: &str = "keyring-check";

/// A [`SecretStore`] over the operating system's keyring.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new()
    }
}

impl KeyringStore {
    /// The product's store: entries under the service `thanks-connect`.
    pub fn new() -> Self {
        Self::with_service(SERVICE)
    }

    /// A store under another service name, so tests (or a dev build) never touch the
    /// product's entries.
    pub fn with_service(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Opens the entry for `account`. `keyring` reports a failed store setup only as
    /// `NoDefaultStore`, so the setup result is read first to name the real cause.
    fn entry(&self, account: &str, op: Op) -> Result<Entry, StoreError> {
        if let Err(e) = Entry::store_status() {
            return Err(errors::store_error(e, op, account));
        }
        Entry::new(&self.service, account).map_err(|e| errors::store_error(&e, op, account))
    }

    fn write(&self, account: &str, bytes: &[u8]) -> Result<(), StoreError> {
        if cfg!(windows) && bytes.len() > WINDOWS_MAX_SECRET_BYTES {
            return Err(errors::too_large(
                bytes.len(),
                WINDOWS_MAX_SECRET_BYTES as u32,
            ));
        }
        let entry = self.entry(account, Op::Write)?;
        match entry.set_secret(bytes) {
            Ok(()) => Ok(()),
            // Several items match (another tool wrote one with the same attributes): keep
            // exactly one, ours.
            Err(keyring::Error::Ambiguous(duplicates)) => {
                tracing::warn!(
                    account,
                    count = duplicates.len(),
                    "replacing duplicate keyring entries"
                );
                for duplicate in duplicates {
                    delete_ignoring_missing(&duplicate.delete_credential(), account)?;
                }
                entry
                    .set_secret(bytes)
                    .map_err(|e| errors::store_error(&e, Op::Write, account))
            }
            Err(e) => Err(errors::store_error(&e, Op::Write, account)),
        }
    }

    fn read(&self, account: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match self.entry(account, Op::Read)?.get_secret() {
            Ok(bytes) => Ok(Some(bytes)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(errors::store_error(&e, Op::Read, account)),
        }
    }

    fn remove(&self, account: &str) -> Result<(), StoreError> {
        match self.entry(account, Op::Delete)?.delete_credential() {
            Err(keyring::Error::Ambiguous(duplicates)) => {
                for duplicate in duplicates {
                    delete_ignoring_missing(&duplicate.delete_credential(), account)?;
                }
                Ok(())
            }
            result => delete_ignoring_missing(&result, account),
        }
    }
}

fn delete_ignoring_missing(result: &keyring::Result<()>, account: &str) -> Result<(), StoreError> {
    match result {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(errors::store_error(e, Op::Delete, account)),
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, StoreError> {
        let account = key.account();
        let Some(bytes) = self.read(&account)? else {
            return Ok(None);
        };
        // Secrets are text (tokens, client secrets); anything else was not written by us.
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(Secret::new(text))),
            Err(_) => Err(errors::not_text(&account)),
        }
    }

    fn set(&self, key: &SecretKey, value: &Secret) -> Result<(), StoreError> {
        self.write(&key.account(), value.expose().as_bytes())
    }

    fn delete(&self, key: &SecretKey) -> Result<(), StoreError> {
        self.remove(&key.account())
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
            _ => Err(errors::check_mismatch()),
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
