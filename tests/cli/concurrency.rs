//! Refresh: proactive, after a 401, single-flight in a process, serialized across processes.

use std::sync::Arc;
use std::time::Duration;

use thanks_core::config::ConfigHome;
use thanks_core::vault::Vault;
use thanks_core::{Engine, RequestSpec};
use thanks_sandbox::{Faults, SandboxConfig};

use crate::harness::Env;

#[tokio::test(flavor = "multi_thread")]
async fn call_refreshes_an_expiring_token_first() {
    // A token that lives 4 s is refreshed in the last half of its life (the margin is 60 s
    // or half the lifetime, whichever is shorter), not on every call.
    let env = Env::with(SandboxConfig {
        access_token_ttl: Duration::from_secs(4),
        ..Default::default()
    })
    .await;
    env.login().await;
    env.ok(&["token"]).await;
    assert_eq!(
        env.sandbox.stats().successful_refreshes,
        0,
        "a fresh short-lived token was refreshed at once"
    );
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let before = env.ok(&["token"]).await;
    assert_eq!(
        env.sandbox.stats().successful_refreshes,
        1,
        "`token` refreshed proactively"
    );
    env.sandbox.set_access_token_ttl(Duration::from_secs(3600));
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let body = env.ok(&["call", "GET", "orders/list"]).await;
    assert!(body.contains("\"data\""));
    assert_eq!(env.sandbox.stats().successful_refreshes, 2);
    assert_ne!(
        env.ok(&["token"]).await,
        before,
        "the rotated token is in use"
    );
    assert_eq!(
        env.sandbox.stats().successful_refreshes,
        2,
        "a fresh token is not refreshed again"
    );
    let s = env.status().await;
    assert_eq!(s["last_refresh"]["ok"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_triggers_exactly_one_refresh() {
    let env = Env::start().await;
    env.login().await;
    env.sandbox.expire_access_tokens();
    let out = env.run(&["call", "GET", "orders/list", "-i"], "").await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert_eq!(env.sandbox.stats().refresh_token_grants, 1);

    // If thanks.io keeps answering 401 after the refresh, we stop after one refresh.
    env.sandbox.expire_access_tokens();
    env.sandbox.set_access_token_ttl(Duration::from_secs(0));
    let out = env.run(&["call", "GET", "orders/list"], "").await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "the 401 is reported as an HTTP error"
    );
    assert_eq!(
        env.sandbox.stats().refresh_token_grants,
        2,
        "one more refresh, not a loop"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_concurrent_calls_on_an_expired_token_refresh_once() {
    let env = Env::with(SandboxConfig {
        access_token_ttl: Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    env.login().await;
    env.sandbox.set_access_token_ttl(Duration::from_secs(3600));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let refreshes_before = env.sandbox.stats().refresh_token_grants;

    let store = Arc::new(thanks_keyring::KeyringStore::new());
    let engine = Arc::new(Engine::new(
        ConfigHome::at(env.home.path()),
        Vault::new(store),
    ));
    let calls = (0..50).map(|_| {
        let engine = Arc::clone(&engine);
        tokio::spawn(async move {
            engine
                .call("default", &RequestSpec::get("orders/list"))
                .await
        })
    });
    for call in futures_join(calls).await {
        let view = call.expect("task").expect("call succeeded");
        assert_eq!(view.status, 200);
    }
    assert_eq!(
        env.sandbox.stats().refresh_token_grants - refreshes_before,
        1,
        "exactly one refresh reached thanks.io"
    );
}

async fn futures_join<T>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<Result<T, tokio::task::JoinError>> {
    let mut out = Vec::new();
    for h in handles.collect::<Vec<_>>() {
        out.push(h.await);
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_refreshing_at_once_spend_one_refresh_token() {
    let env = Env::start().await;
    env.login().await;
    // Slow the token endpoint so the two refreshes overlap for sure.
    env.sandbox.set_faults(Faults {
        token_delay_ms: 700,
        ..Default::default()
    });
    let a = env.run(&["refresh"], "");
    let b = env.run(&["refresh"], "");
    let (a, b) = tokio::join!(a, b);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    assert_eq!(
        env.sandbox.stats().refresh_token_grants,
        1,
        "the second process reused the first one's refresh"
    );
    env.sandbox.set_faults(Faults::default());
    assert_eq!(env.status().await["state"], "connected");
    env.ok(&["call", "GET", "ping"]).await;
    // The rotated refresh token still works (the spent one was never sent twice).
    env.ok(&["refresh"]).await;
    assert_eq!(env.sandbox.stats().successful_refreshes, 2);
}
