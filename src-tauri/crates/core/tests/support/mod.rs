//! An engine connected to a real sandbox on loopback, the way a user connects: login started by
//! the engine, the sandbox's consent page approved over HTTP (GET the page, POST Approve, as
//! `thanksctl sandbox consent` does), the callback completed by the engine. Secrets stay in an
//! in-memory vault the tests can read.
#![allow(dead_code)] // each test binary uses a different part of this module

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use thanks_core::clock::{Clock, SystemClock};
use thanks_core::config::{ConfigHome, ProfileUpdate};
use thanks_core::vault::{MemoryStore, SecretKey, SecretKind, SecretStore, Vault};
use thanks_core::{Engine, EngineOptions, Secret};
use thanks_sandbox::{Sandbox, SandboxConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const PROFILE: &str = "default";

pub struct Connected {
    pub sandbox: Sandbox,
    pub engine: Engine,
    pub store: Arc<dyn SecretStore>,
    pub home: tempfile::TempDir,
}

impl Connected {
    /// A secret of the profile, straight from the store.
    pub fn secret(&self, kind: SecretKind) -> Option<String> {
        let uid = self.engine.profile(PROFILE).unwrap().uid;
        self.store
            .get(&SecretKey::new(uid, kind))
            .unwrap()
            .map(|s| s.expose().to_string())
    }

    /// Edits config.toml by hand, as a person with a text editor would: every `from` becomes `to`.
    pub fn edit_config(&self, from: &str, to: &str) {
        let path = self.home.path().join("config.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} is not in config.toml:\n{text}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    }

    /// The config home, e.g. for a second engine standing in for another process.
    pub fn home(&self) -> &std::path::Path {
        self.home.path()
    }
}

/// An engine with the "default" profile pointed at a fresh sandbox; not connected yet.
pub async fn configured() -> Connected {
    configured_with(|_| {}).await
}

/// Like [`configured`], with a chance to change the profile's settings first.
pub async fn configured_with(change: impl FnOnce(&mut ProfileUpdate)) -> Connected {
    configured_on(
        Arc::new(MemoryStore::default()),
        Arc::new(SystemClock),
        change,
    )
    .await
}

/// Connected, with the engine on `clock` (a `ManualClock` moves expiry and backoff by hand).
pub async fn connected_with(clock: Arc<dyn Clock>) -> Connected {
    connected_on(Arc::new(MemoryStore::default()), clock).await
}

/// Connected, with the secret store and clock given (to count keyring calls, or to move time
/// past a token's expiry).
pub async fn connected_on(store: Arc<dyn SecretStore>, clock: Arc<dyn Clock>) -> Connected {
    let c = configured_on(store, clock, |_| {}).await;
    login(&c).await;
    c
}

async fn configured_on(
    store: Arc<dyn SecretStore>,
    clock: Arc<dyn Clock>,
    change: impl FnOnce(&mut ProfileUpdate),
) -> Connected {
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox starts");
    let home = tempfile::tempdir().unwrap();
    let engine = Engine::with(
        ConfigHome::at(home.path()),
        Vault::new(store.clone()),
        clock,
        EngineOptions {
            token_timeout: Duration::from_secs(10),
            api_timeout: Duration::from_secs(10),
        },
    );
    let mut update = ProfileUpdate {
        authorize_url: Some(sandbox.authorize_url()),
        token_url: Some(sandbox.token_url()),
        api_base: Some(sandbox.api_base()),
        client_id: Some(sandbox.client_id().to_owned()),
        ..Default::default()
    };
    change(&mut update);
    engine
        .profile_set(PROFILE, update, Some(Secret::new(sandbox.client_secret())))
        .await
        .unwrap();
    Connected {
        sandbox,
        engine,
        store,
        home,
    }
}

pub async fn connected() -> Connected {
    let c = configured().await;
    login(&c).await;
    c
}

/// Starts a login, approves it on the consent page and completes it.
pub async fn login(c: &Connected) {
    let start = c.engine.login_start(PROFILE).await.unwrap();
    let callback = approve(start.authorize_url.expose()).await;
    c.engine.login_complete(&callback).await.unwrap();
}

/// Opens the consent page, clicks Approve, returns the callback URL it redirects to.
pub async fn approve(authorize_url: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap();
    let page = http.get(authorize_url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let marker = "name=\"auth_request\" value=\"";
    let start = html.find(marker).expect("a consent form") + marker.len();
    let request = &html[start..start + html[start..].find('"').unwrap()];
    let mut action = url::Url::parse(authorize_url).unwrap();
    action.set_query(None);
    let answer = http
        .post(action)
        .form(&[("auth_request", request), ("decision", "approve")])
        .send()
        .await
        .unwrap();
    answer
        .headers()
        .get("location")
        .expect("a redirect to the callback")
        .to_str()
        .unwrap()
        .to_owned()
}

/// A listener that counts every connection made to it (and answers each with a 500): "was
/// anything at all sent here?". Returns its base URL and the counter.
pub async fn recorder() -> (String, Arc<AtomicUsize>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let _ = s.read(&mut buf).await;
                let _ = s
                    .write_all(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .await;
            });
        }
    });
    (base, hits)
}

pub fn hits(counter: &AtomicUsize) -> usize {
    counter.load(Ordering::SeqCst)
}
