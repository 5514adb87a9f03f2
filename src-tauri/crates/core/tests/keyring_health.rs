//! The keyring check behind status views: honest (a locked or missing keyring shows as such)
//! but not repeated on every status read, which is on the window's start-up path and runs every
//! 30 s (the check writes and deletes an entry, and the Secret Service rewrites its file each
//! time).

#[path = "support/counting.rs"]
mod counting;

use std::sync::Arc;

use thanks_core::clock::ManualClock;
use thanks_core::config::ConfigHome;
use thanks_core::engine::KEYRING_RECHECK_SECS;
use thanks_core::secret::Secret;
use thanks_core::vault::{SecretStore, StoreError, Vault};
use thanks_core::{Engine, EngineOptions};

use counting::Counting;

struct Setup {
    engine: Arc<Engine>,
    store: Arc<Counting>,
    clock: Arc<ManualClock>,
    _home: tempfile::TempDir,
}

fn setup() -> Setup {
    let home = tempfile::tempdir().unwrap();
    let store = Arc::new(Counting::default());
    let clock = Arc::new(ManualClock::at(1_800_000_000));
    let engine = Arc::new(Engine::with(
        ConfigHome::at(home.path()),
        Vault::new(Arc::clone(&store) as Arc<dyn SecretStore>),
        Arc::clone(&clock) as _,
        EngineOptions::default(),
    ));
    Setup {
        engine,
        store,
        clock,
        _home: home,
    }
}

fn locked() -> StoreError {
    StoreError::Locked("the login keyring is locked; unlock it and try again".into())
}

#[tokio::test]
async fn status_reads_reuse_a_recent_keyring_check() {
    let s = setup();
    for _ in 0..5 {
        assert!(s.engine.status("default").await.unwrap().keyring.ok);
    }
    assert_eq!(s.store.checks(), 1, "five status reads, one keyring check");
}

#[tokio::test]
async fn status_reads_at_once_share_one_check() {
    let s = setup();
    let reads: Vec<_> = (0..10)
        .map(|_| {
            let engine = Arc::clone(&s.engine);
            tokio::spawn(async move { engine.status("default").await.unwrap() })
        })
        .collect();
    for r in reads {
        assert!(r.await.unwrap().keyring.ok);
    }
    assert_eq!(s.store.checks(), 1);
}

#[tokio::test]
async fn an_old_check_is_done_again() {
    let s = setup();
    s.engine.status("default").await.unwrap();
    s.clock.advance(KEYRING_RECHECK_SECS - 1);
    s.engine.status("default").await.unwrap();
    assert_eq!(s.store.checks(), 1, "still recent");
    s.store.fail_with(Some(locked()));
    s.clock.advance(1);
    let status = s.engine.status("default").await.unwrap();
    assert_eq!(s.store.checks(), 2, "checked again once it was old");
    assert!(!status.keyring.ok);
    assert_eq!(status.keyring.code.as_deref(), Some("vault.locked"));
}

#[tokio::test]
async fn an_explicit_check_shows_a_locked_keyring_at_once_and_its_recovery() {
    let s = setup();
    assert!(s.engine.status("default").await.unwrap().keyring.ok);
    s.store.fail_with(Some(locked()));
    let view = s.engine.keyring_view().await;
    assert!(!view.ok);
    let status = s.engine.status("default").await.unwrap();
    assert!(
        !status.keyring.ok,
        "the status shows what the last check found"
    );
    assert_eq!(status.keyring.code.as_deref(), Some("vault.locked"));
    assert!(status.keyring.error.unwrap().contains("locked"));
    s.store.fail_with(None);
    assert!(s.engine.keyring_view().await.ok);
    assert!(s.engine.status("default").await.unwrap().keyring.ok);
}

#[tokio::test]
async fn actions_that_need_the_keyring_check_it_and_refresh_the_status() {
    let s = setup();
    assert!(s.engine.status("default").await.unwrap().keyring.ok);
    s.store.fail_with(Some(locked()));
    let err = s
        .engine
        .login_with_token("default", Secret::new("pat-123"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "vault.locked");
    assert!(
        !s.engine.status("default").await.unwrap().keyring.ok,
        "the failed action's check is what the next status shows"
    );
}

#[tokio::test]
async fn a_keyring_that_works_again_shows_so_at_the_next_status_read() {
    let s = setup();
    s.store.fail_with(Some(locked()));
    assert!(!s.engine.keyring_view().await.ok);
    s.store.fail_with(None);
    // Unlocked outside the app, with no explicit check since: the failure isn't reused.
    let status = s.engine.status("default").await.unwrap();
    assert!(status.keyring.ok, "still says {:?}", status.keyring.code);
    assert_eq!(
        s.store.checks(),
        2,
        "checked again instead of reusing the failure"
    );
}
