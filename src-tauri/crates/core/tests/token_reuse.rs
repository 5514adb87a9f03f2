//! The access token a process has just used or refreshed is used again from memory while the
//! stored tokens haven't changed: a console call doesn't wait on a keyring read, and the calls
//! of a refresh storm don't read the keyring one after another behind the refresh. A change
//! made by another process (a refresh, a new login) is always seen.

#[path = "support/counting.rs"]
mod counting;
mod support;

use std::sync::Arc;

use thanks_core::clock::ManualClock;
use thanks_core::config::ConfigHome;
use thanks_core::vault::{SecretKey, SecretKind, SecretStore, Vault};
use thanks_core::{Engine, EngineOptions, RequestSpec};

use counting::Counting;
use support::{Connected, PROFILE, connected_on};

fn ping() -> RequestSpec {
    RequestSpec {
        method: "GET".into(),
        path: "/ping".into(),
        ..RequestSpec::default()
    }
}

/// Another process: its own engine over the same config home and keyring.
fn other_process(c: &Connected, store: &Arc<Counting>, clock: &Arc<ManualClock>) -> Engine {
    Engine::with(
        ConfigHome::at(c.home()),
        Vault::new(store.clone() as Arc<dyn SecretStore>),
        clock.clone(),
        EngineOptions::default(),
    )
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn calls_in_a_row_read_the_access_token_once() {
    let store = Arc::new(Counting::default());
    let c = connected_on(store.clone(), Arc::new(ManualClock::at(now()))).await;
    let before = store.reads();
    for _ in 0..10 {
        assert_eq!(c.engine.call(PROFILE, &ping()).await.unwrap().status, 200);
    }
    assert!(
        store.reads() - before <= 1,
        "{} keyring reads for 10 calls",
        store.reads() - before
    );
}

#[tokio::test]
async fn a_storm_after_expiry_refreshes_once_and_reads_no_access_token() {
    let store = Arc::new(Counting::default());
    let clock = Arc::new(ManualClock::at(now()));
    let c = connected_on(store.clone(), clock.clone()).await;
    let engine = Arc::new(c.engine);
    c.sandbox.set_rate_limit_per_minute(100_000);
    c.sandbox.expire_access_tokens();
    clock.advance(2 * 3600);
    let refreshes = c.sandbox.stats().refresh_token_grants;
    let reads = store.reads();
    let calls: Vec<_> = (0..200)
        .map(|_| {
            let engine = Arc::clone(&engine);
            tokio::spawn(async move { engine.call(PROFILE, &ping()).await.map(|v| v.status) })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), 200);
    }
    assert_eq!(c.sandbox.stats().refresh_token_grants - refreshes, 1);
    assert_eq!(
        store.reads() - reads,
        0,
        "the calls waiting for the refresh read the access token from the keyring"
    );
}

/// This process connected and one call made (its token now kept), and another process over
/// the same config home and keyring.
async fn two_processes() -> (Arc<Counting>, Connected, Engine) {
    let store = Arc::new(Counting::default());
    let clock = Arc::new(ManualClock::at(now()));
    let c = connected_on(store.clone(), clock.clone()).await;
    c.engine.call(PROFILE, &ping()).await.unwrap();
    let other = other_process(&c, &store, &clock);
    (store, c, other)
}

/// The access token in the keyring now.
fn stored_access(c: &Connected, store: &Counting) -> String {
    let uid = c.engine.profile(PROFILE).unwrap().uid;
    let key = SecretKey::new(uid, SecretKind::AccessToken);
    store.inner.get(&key).unwrap().unwrap().expose().to_string()
}

#[tokio::test]
async fn a_refresh_by_another_process_is_seen() {
    let (store, c, other) = two_processes().await;
    other.refresh(PROFILE).await.unwrap();
    let used = c.engine.access_token(PROFILE).await.unwrap();
    assert_eq!(
        used.expose(),
        stored_access(&c, &store),
        "the old token was used"
    );
    assert_eq!(c.engine.call(PROFILE, &ping()).await.unwrap().status, 200);
}

/// Same generation (a new login starts again at 1) and the same second on the clock: the
/// metadata file is still a new one.
#[tokio::test]
async fn a_new_login_elsewhere_is_seen_even_at_the_same_generation_and_time() {
    let (store, c, other) = two_processes().await;
    other.logout(PROFILE).await.unwrap();
    let start = other.login_start(PROFILE).await.unwrap();
    let callback = support::approve(start.authorize_url.expose()).await;
    other.login_complete(&callback).await.unwrap();
    let used = c.engine.access_token(PROFILE).await.unwrap();
    assert_eq!(used.expose(), stored_access(&c, &store));
}

#[tokio::test]
async fn a_disconnect_elsewhere_is_seen() {
    let (_store, c, other) = two_processes().await;
    other.logout(PROFILE).await.unwrap();
    let err = c.engine.access_token(PROFILE).await.unwrap_err();
    assert_eq!(err.code(), "session.not_connected", "{err}");
}
