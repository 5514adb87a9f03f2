//! A [`MemoryStore`] that counts what a real keyring is slow at: the write probes of its
//! checks, and reads of access tokens. Its check also takes a little time, like a real probe,
//! so that concurrent status reads overlap it. Included with `#[path]` by the tests that count.

use std::sync::atomic::{AtomicUsize, Ordering};

use thanks_core::secret::Secret;
use thanks_core::vault::{MemoryStore, SecretKey, SecretKind, SecretStore, StoreError};

#[derive(Default)]
pub struct Counting {
    pub inner: MemoryStore,
    checks: AtomicUsize,
    access_reads: AtomicUsize,
}

#[allow(dead_code)] // each test binary uses some of these
impl Counting {
    pub fn fail_with(&self, e: Option<StoreError>) {
        *self.inner.fail_with.lock().unwrap() = e;
    }
    pub fn checks(&self) -> usize {
        self.checks.load(Ordering::SeqCst)
    }
    pub fn reads(&self) -> usize {
        self.access_reads.load(Ordering::SeqCst)
    }
}

impl SecretStore for Counting {
    fn get(&self, k: &SecretKey) -> Result<Option<Secret>, StoreError> {
        if k.kind == SecretKind::AccessToken {
            self.access_reads.fetch_add(1, Ordering::SeqCst);
        }
        self.inner.get(k)
    }
    fn set(&self, k: &SecretKey, v: &Secret) -> Result<(), StoreError> {
        self.inner.set(k, v)
    }
    fn delete(&self, k: &SecretKey) -> Result<(), StoreError> {
        self.inner.delete(k)
    }
    fn check(&self) -> Result<(), StoreError> {
        self.checks.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(std::time::Duration::from_millis(20));
        self.inner.check()
    }
    fn backend_name(&self) -> String {
        "counting".into()
    }
}
