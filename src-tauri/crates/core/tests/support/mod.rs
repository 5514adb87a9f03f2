//! An engine connected to a real sandbox on loopback, the way a user connects: login started by
//! the engine, the sandbox's consent page approved over HTTP (GET the page, POST Approve, as
//! `thanksctl sandbox consent` does), the callback completed by the engine. Secrets stay in an
//! in-memory vault.

use std::sync::Arc;
use std::time::Duration;

use thanks_core::clock::{Clock, SystemClock};
use thanks_core::config::{ConfigHome, ProfileUpdate};
use thanks_core::vault::{MemoryStore, SecretStore, Vault};
use thanks_core::{Engine, EngineOptions, Secret};
use thanks_sandbox::{Sandbox, SandboxConfig};

pub const PROFILE: &str = "default";

pub struct Connected {
    pub sandbox: Sandbox,
    pub engine: Engine,
    _home: tempfile::TempDir,
}

impl Connected {
    /// The config home, e.g. for a second engine standing in for another process.
    #[allow(dead_code)] // not every test binary that includes this module uses it
    pub fn home(&self) -> &std::path::Path {
        self._home.path()
    }
}

#[allow(dead_code)] // not every test binary that includes this module uses it
pub async fn connected() -> Connected {
    connected_with(Arc::new(MemoryStore::default()), Arc::new(SystemClock)).await
}

/// Like [`connected`], with the secret store and clock given (to count keyring calls, or to
/// move time past a token's expiry).
#[allow(dead_code)] // not every test binary that includes this module uses it
pub async fn connected_with(store: Arc<dyn SecretStore>, clock: Arc<dyn Clock>) -> Connected {
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox starts");
    let home = tempfile::tempdir().unwrap();
    let engine = Engine::with(
        ConfigHome::at(home.path()),
        Vault::new(store),
        clock,
        EngineOptions {
            token_timeout: Duration::from_secs(10),
            api_timeout: Duration::from_secs(10),
        },
    );
    let update = ProfileUpdate {
        authorize_url: Some(sandbox.authorize_url()),
        token_url: Some(sandbox.token_url()),
        api_base: Some(sandbox.api_base()),
        client_id: Some(sandbox.client_id().to_owned()),
        ..Default::default()
    };
    engine
        .profile_set(PROFILE, update, Some(Secret::new(sandbox.client_secret())))
        .await
        .unwrap();
    let start = engine.login_start(PROFILE).await.unwrap();
    let callback = approve(start.authorize_url.expose()).await;
    engine.login_complete(&callback).await.unwrap();
    Connected {
        sandbox,
        engine,
        _home: home,
    }
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
