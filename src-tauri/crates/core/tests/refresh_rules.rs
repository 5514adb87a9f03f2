//! Refresh rules that the sandbox can't provoke (it always rotates), checked against a canned
//! token endpoint on loopback with an in-memory store that records the order of writes.

use std::sync::{Arc, Mutex};

use thanks_core::clock::ManualClock;
use thanks_core::config::{ConfigHome, ProfileUpdate};
use thanks_core::secret::Secret;
use thanks_core::vault::{MemoryStore, SecretKey, SecretKind, SecretStore, StoreError, Vault};
use thanks_core::{Engine, EngineOptions, TokenState};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Records the kinds written, in order, on top of a MemoryStore.
#[derive(Default)]
struct Recording {
    inner: MemoryStore,
    writes: Mutex<Vec<SecretKind>>,
}

impl SecretStore for Recording {
    fn get(&self, k: &SecretKey) -> Result<Option<Secret>, StoreError> {
        self.inner.get(k)
    }
    fn set(&self, k: &SecretKey, v: &Secret) -> Result<(), StoreError> {
        self.writes.lock().unwrap().push(k.kind);
        self.inner.set(k, v)
    }
    fn delete(&self, k: &SecretKey) -> Result<(), StoreError> {
        self.inner.delete(k)
    }
    fn check(&self) -> Result<(), StoreError> {
        Ok(())
    }
    fn backend_name(&self) -> String {
        "recording".into()
    }
}

/// Serves `bodies` in turn, one per connection, as 200 JSON. Returns the base URL.
async fn canned(bodies: Vec<&'static str>) -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        for body in bodies {
            let (mut s, _) = l.accept().await.unwrap();
            let mut buf = vec![0u8; 8192];
            let _ = s.read(&mut buf).await;
            let resp = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            s.write_all(resp.as_bytes()).await.unwrap();
        }
    });
    format!("http://{addr}")
}

async fn engine_with_tokens(
    base: &str,
    clock: Arc<ManualClock>,
) -> (tempfile::TempDir, Engine, Arc<Recording>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Recording::default());
    let engine = Engine::with(
        ConfigHome::at(dir.path()),
        Vault::new(store.clone()),
        clock,
        EngineOptions::default(),
    );
    let update = ProfileUpdate {
        authorize_url: Some(format!("{base}/oauth/authorize")),
        token_url: Some(format!("{base}/oauth/token")),
        api_base: Some(format!("{base}/api/v2")),
        client_id: Some("c".into()),
        ..Default::default()
    };
    engine
        .profile_set("default", update, Some(Secret::new("cs")))
        .await
        .unwrap();
    (dir, engine, store)
}

/// Logs in through a real pending login and callback, against the canned endpoint.
async fn login(engine: &Engine) {
    let start = engine.login_start("default").await.unwrap();
    let url = url::Url::parse(start.authorize_url.expose()).unwrap();
    let state = url
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    engine
        .login_complete(&format!(
            "dev.thanksconnect.app://oauth/callback?code=abc&state={state}"
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn rotated_refresh_token_is_stored_before_the_access_token_and_kept_when_absent() {
    let base = canned(vec![
        r#"{"token_type":"Bearer","expires_in":100,"access_token":"a1","refresh_token":"r1"}"#,
        r#"{"token_type":"Bearer","expires_in":"100","access_token":"a2","refresh_token":"r2"}"#,
        r#"{"token_type":"bearer","expires_in":100,"access_token":"a3"}"#,
    ])
    .await;
    let clock = Arc::new(ManualClock::at(1_000_000));
    let (_dir, engine, store) = engine_with_tokens(&base, clock.clone()).await;
    login(&engine).await;
    let profile = engine.profile("default").unwrap();
    let key = |k| SecretKey::new(profile.uid.clone(), k);

    store.writes.lock().unwrap().clear();
    assert_eq!(
        engine.status("default").await.unwrap().state,
        TokenState::Connected
    );
    clock.advance(50); // inside the 60-second margin
    assert_eq!(engine.access_token("default").await.unwrap().expose(), "a2");
    assert_eq!(
        *store.writes.lock().unwrap(),
        vec![SecretKind::RefreshToken, SecretKind::AccessToken],
        "refresh token first"
    );
    assert_eq!(
        store
            .get(&key(SecretKind::RefreshToken))
            .unwrap()
            .unwrap()
            .expose(),
        "r2"
    );

    clock.advance(100); // the refreshed token lived 100 s
    assert_eq!(
        engine.status("default").await.unwrap().state,
        TokenState::Expired
    );
    assert_eq!(engine.access_token("default").await.unwrap().expose(), "a3");
    assert_eq!(
        store
            .get(&key(SecretKind::RefreshToken))
            .unwrap()
            .unwrap()
            .expose(),
        "r2",
        "old refresh token kept"
    );
    let s = engine.status("default").await.unwrap();
    assert!(s.has_refresh_token);
    assert_eq!(s.state, TokenState::Connected);
}

#[tokio::test]
async fn a_login_without_refresh_token_and_without_expiry() {
    let base = canned(vec![r#"{"access_token":"only","id_token":"x.y.z"}"#]).await;
    let (_dir, engine, _store) = engine_with_tokens(&base, Arc::new(ManualClock::at(5))).await;
    login(&engine).await;
    let s = engine.status("default").await.unwrap();
    assert_eq!(s.state, TokenState::Connected);
    assert!(!s.has_refresh_token);
    assert_eq!(s.expires_at, None);
    assert_eq!(
        engine.access_token("default").await.unwrap().expose(),
        "only"
    );
    let e = engine.refresh("default").await.unwrap_err();
    assert_eq!(e.code(), "session.no_refresh_token");
}
