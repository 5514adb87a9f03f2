//! Whether the keyring works, for status views, without testing it on every status read.
//!
//! The only honest test of a Secret Service is a write (reading a missing entry succeeds even
//! when the keyring is locked), and that costs: the probe entry is written, read back and
//! deleted, and the daemon rewrites its keyring file twice. Status reads are on the window's
//! start-up path (between the page loading and the profile's state appearing) and then run
//! every 30 s, so the result of the last check is kept instead:
//! - a status read uses a good result younger than [`KEYRING_RECHECK_SECS`]; with none, an
//!   older one or a failure, it checks (status reads at the same moment share that one check),
//!   so a keyring that works again shows so at the next status read;
//! - every explicit check (`keyring_view`, and the actions that need the keyring first: a
//!   personal token, Disconnect) replaces the result, so what the last action found is what the
//!   next status shows;
//! - a keyring read that fails during a status read drops the result, so the next status read
//!   checks again.
//!
//! The app starts a check as soon as it starts, in the background, so the window's first
//! status read finds the answer (or the check already under way) instead of starting one.

use std::sync::Mutex;

use super::{Engine, KEYRING_RECHECK_SECS};
use crate::tokens::KeyringView;
use crate::util::UnixTime;
use crate::vault::StoreError;

#[derive(Debug, Default)]
pub(crate) struct KeyringHealth {
    last: Mutex<Option<(UnixTime, KeyringView)>>,
    /// Held while a check runs, so a status read waits for it instead of starting another.
    checking: tokio::sync::Mutex<()>,
}

impl KeyringHealth {
    /// The last result, if it is recent and says the keyring works. A failure is never reused:
    /// the keyring may have been unlocked or restarted since, and a status that goes on saying
    /// "locked" after it works again would send support staff the wrong way.
    fn recent(&self, now: UnixTime) -> Option<KeyringView> {
        let last = self.last.lock().expect("poisoned");
        last.as_ref()
            .filter(|(at, view)| view.ok && now - at < KEYRING_RECHECK_SECS)
            .map(|(_, view)| view.clone())
    }

    pub(crate) fn forget(&self) {
        *self.last.lock().expect("poisoned") = None;
    }
}

impl Engine {
    /// Checks the keyring now (writes, reads back and deletes a probe entry) and returns what
    /// it found; status views show that until the next check.
    pub async fn keyring_view(&self) -> KeyringView {
        let _checking = self.health.checking.lock().await;
        let result = self.check_and_remember().await;
        self.keyring_view_of(result.err().as_ref())
    }

    /// For actions that need a working keyring: checks it (and remembers the result, as
    /// [`Engine::keyring_view`] does) and fails with the reason if it doesn't work.
    pub(crate) async fn require_keyring(&self) -> Result<(), StoreError> {
        let _checking = self.health.checking.lock().await;
        self.check_and_remember().await
    }

    /// The keyring's state for a status view: the last check's result while it is recent,
    /// otherwise a check now, shared with any check already under way.
    pub(crate) async fn keyring_health(&self) -> KeyringView {
        if let Some(view) = self.health.recent(self.now()) {
            return view;
        }
        let _checking = self.health.checking.lock().await;
        // A check that finished while this one waited counts.
        if let Some(view) = self.health.recent(self.now()) {
            return view;
        }
        let result = self.check_and_remember().await;
        self.keyring_view_of(result.err().as_ref())
    }

    /// Runs the check; the caller holds `checking`.
    async fn check_and_remember(&self) -> Result<(), StoreError> {
        let result = self.vault.check().await;
        let view = self.keyring_view_of(result.as_ref().err());
        *self.health.last.lock().expect("poisoned") = Some((self.now(), view));
        result
    }

    fn keyring_view_of(&self, error: Option<&StoreError>) -> KeyringView {
        KeyringView {
            backend: self.vault.backend_name(),
            ok: error.is_none(),
            code: error.map(|e| e.code().into()),
            error: error.map(ToString::to_string),
        }
    }
}
