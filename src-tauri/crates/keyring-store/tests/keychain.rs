//! `KeyringStore` against the real macOS login Keychain, on the CI's macOS runner (nothing on
//! Linux can run it; scripts/macos.sh only checks that it compiles). Each run files its
//! entries under a service name of its own, and one process writes and reads them, so the
//! Keychain has no other program to ask the user about.

#![cfg(target_os = "macos")]

use thanks_core::secret::Secret;
use thanks_core::vault::{SecretKey, SecretKind, SecretStore};
use thanks_keyring::KeyringStore;

mod common;
use common::unique;

fn value(store: &KeyringStore, key: &SecretKey) -> Option<String> {
    store.get(key).expect("get").map(|s| s.expose().to_owned())
}

#[test]
fn secrets_round_trip_one_entry_each_up_to_64_kib() {
    let store = KeyringStore::with_service(unique("thanks-connect-test"));
    let key = SecretKey::new(unique("p"), SecretKind::AccessToken);
    store.check().expect("the login Keychain is usable");
    store.set(&key, &Secret::new("first")).expect("set");
    store.set(&key, &Secret::new("second")).expect("overwrite");
    assert_eq!(value(&store, &key).as_deref(), Some("second"));

    // No per-entry limit here: a long token stays one entry, read back whole.
    let long: String = "eyJ0eXAiOiJKV1QifQ.".repeat(600);
    store
        .set(&key, &Secret::new(long.clone()))
        .expect("set long");
    assert_eq!(value(&store, &key).as_deref(), Some(long.as_str()));
    let too_large = "x".repeat(64 * 1024 + 1);
    let err = store
        .set(&key, &Secret::new(too_large))
        .expect_err("past the maximum");
    assert_eq!(err.code(), "vault.too_large");

    store.delete(&key).expect("delete");
    assert_eq!(value(&store, &key), None);
    store.delete(&key).expect("deleting what is gone is fine");
}
