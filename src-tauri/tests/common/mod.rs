//! What the app-level tests share: the app on tauri's mock runtime (no display, no bus) with
//! an engine over an in-memory store the tests can read, every IPC payload and event recorded
//! for the canary search, a sandbox, and a user approving its consent page.
#![allow(dead_code)] // each test binary uses a different part of this module

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{Listener, WebviewWindow};
use thanks_connect_app::AppState;
use thanks_core::Engine;
use thanks_core::config::ConfigHome;
use thanks_core::vault::{MemoryStore, SecretKey, SecretKind, SecretStore, Vault};
use thanks_sandbox::{Sandbox, SandboxConfig};

pub const SCHEME: &str = "dev.thanksconnect.app.debug";
pub const CANARY_SECRET: &str = "CANARY-client-secret-5ad1";
pub const CANARY_PAT: &str = "CANARY-personal-token-77c2";

pub struct Harness {
    pub home: tempfile::TempDir,
    pub app: tauri::App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    pub store: Arc<MemoryStore>,
    pub engine: Arc<Engine>,
    /// Every payload that crossed IPC or went out as an event.
    pub seen: Arc<Mutex<Vec<String>>>,
}

impl Harness {
    pub fn new() -> Self {
        let home = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::default());
        let engine = thanks_connect_app::state::engine_for_scheme(
            Engine::new(ConfigHome::at(home.path()), Vault::new(store.clone())),
            SCHEME,
        );
        let app = thanks_connect_app::with_commands(mock_builder())
            .manage(AppState::new(engine.clone(), SCHEME.into()).with_history())
            .build(mock_context(noop_assets()))
            .unwrap();
        let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        for event in ["auth:changed", "token:changed", "setup:offered"] {
            let seen = seen.clone();
            app.listen_any(event, move |e| {
                seen.lock()
                    .unwrap()
                    .push(format!("{event} {}", e.payload()))
            });
        }
        Self {
            home,
            app,
            window,
            store,
            engine,
            seen,
        }
    }

    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // The page's own origin, which the capability grants: a custom scheme in WebKitGTK
            // and WKWebView, an http host in WebView2.
            url: if cfg!(windows) {
                "http://tauri.localhost"
            } else {
                "tauri://localhost"
            }
            .parse()
            .unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        let result = get_ipc_response(&self.window, request).map(|b| match b {
            // Raw bytes (a response body) as the text the page decodes them into.
            InvokeResponseBody::Raw(bytes) => {
                Value::String(String::from_utf8_lossy(&bytes).into_owned())
            }
            json => json.deserialize::<Value>().unwrap(),
        });
        let text = match &result {
            Ok(v) | Err(v) => v.to_string(),
        };
        self.seen.lock().unwrap().push(format!("{cmd} {text}"));
        result
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// The JSON body of the console response sent as `request_id`, fetched the way the window
    /// does (`response_body`, raw bytes).
    pub fn body(&self, request_id: &str) -> Value {
        let text = self.ok("response_body", json!({ "requestId": request_id }));
        serde_json::from_str(text.as_str().expect("the body as text")).expect("a JSON body")
    }

    pub fn secret(&self, profile: &str, kind: SecretKind) -> Option<String> {
        let uid = self.engine.profile(profile).unwrap().uid;
        self.store
            .get(&SecretKey::new(uid, kind))
            .unwrap()
            .map(|s| s.expose().to_string())
    }
}

pub async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig {
        port: 0,
        client_secret: CANARY_SECRET.into(),
        ..Default::default()
    })
    .await
    .unwrap()
}

/// Plays the user on the sandbox's consent page and returns the callback URL.
pub async fn approve(authorize_url: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http
        .get(authorize_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = page.find("name=\"auth_request\"").unwrap();
    let tag = &page[page[..at].rfind('<').unwrap()..at + page[at..].find('>').unwrap()];
    let v = tag.find("value=\"").unwrap() + 7;
    let id = &tag[v..v + tag[v..].find('"').unwrap()];
    let action = authorize_url.split('?').next().unwrap();
    let resp = http
        .post(action)
        .form(&[("auth_request", id), ("decision", "approve")])
        .send()
        .await
        .unwrap();
    resp.headers()["location"].to_str().unwrap().to_string()
}

/// Points the "default" profile at the sandbox through the settings command.
pub fn save_sandbox_profile(h: &Harness, sandbox: &Sandbox) {
    let settings = json!({"authorize_url": sandbox.authorize_url(), "token_url": sandbox.token_url(), "api_base": sandbox.api_base(),
        "client_id": sandbox.client_id(), "redirect_uri": format!("{SCHEME}://oauth/callback"), "scope": ""});
    h.ok(
        "profile_save",
        json!({"name": "default", "settings": settings, "clientSecret": CANARY_SECRET}),
    );
}

pub fn assert_no_secret(h: &Harness, secrets: &[&str]) {
    for payload in h.seen.lock().unwrap().iter() {
        for s in secrets.iter().filter(|s| !s.is_empty()) {
            assert!(
                !payload.contains(s),
                "a secret crossed IPC in: {}",
                &payload[..payload.len().min(80)]
            );
        }
    }
}
