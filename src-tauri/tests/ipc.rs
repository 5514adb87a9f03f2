//! The command wiring and events, on tauri's mock runtime (no display, no bus): every command
//! the UI uses answers in the agreed shape, errors arrive as `{code, message}`, and no IPC
//! payload or event ever carries a secret. The OAuth flow runs for real against the sandbox
//! over loopback; secrets are kept in an in-memory store so the test can read the canaries.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
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

const SCHEME: &str = "dev.thanksconnect.app.debug";
const CANARY_SECRET: &str = "CANARY-client-secret-5ad1";
const CANARY_PAT: &str = "CANARY-personal-token-77c2";

struct Harness {
    _home: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    store: Arc<MemoryStore>,
    engine: Arc<Engine>,
    /// Every payload that crossed IPC or went out as an event.
    seen: Arc<Mutex<Vec<String>>>,
}

impl Harness {
    fn new() -> Self {
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
            _home: home,
            _app: app,
            window,
            store,
            engine,
            seen,
        }
    }

    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        let result =
            get_ipc_response(&self.window, request).map(|b| b.deserialize::<Value>().unwrap());
        let text = match &result {
            Ok(v) | Err(v) => v.to_string(),
        };
        self.seen.lock().unwrap().push(format!("{cmd} {text}"));
        result
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn secret(&self, profile: &str, kind: SecretKind) -> Option<String> {
        let uid = self.engine.profile(profile).unwrap().uid;
        self.store
            .get(&SecretKey::new(uid, kind))
            .unwrap()
            .map(|s| s.expose().to_string())
    }
}

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig {
        port: 0,
        client_secret: CANARY_SECRET.into(),
        ..Default::default()
    })
    .await
    .unwrap()
}

/// Plays the user on the sandbox's consent page and returns the callback URL.
async fn approve(authorize_url: &str) -> String {
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
fn save_sandbox_profile(h: &Harness, sandbox: &Sandbox) {
    let settings = json!({"authorize_url": sandbox.authorize_url(), "token_url": sandbox.token_url(), "api_base": sandbox.api_base(),
        "client_id": sandbox.client_id(), "redirect_uri": format!("{SCHEME}://oauth/callback"), "scope": ""});
    h.ok(
        "profile_save",
        json!({"name": "default", "settings": settings, "clientSecret": CANARY_SECRET}),
    );
}

fn assert_no_secret(h: &Harness, secrets: &[&str]) {
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

#[tokio::test(flavor = "multi_thread")]
async fn profiles_settings_and_errors() {
    let h = Harness::new();
    // No implicit profile in the window: a first start lists none.
    assert_eq!(h.ok("profile_list", json!({})), json!([]));
    let view = h.ok("profile_get", json!({"name": "default"}));
    assert_eq!(
        view["redirect_uri"],
        format!("{SCHEME}://oauth/callback"),
        "new profiles use this build's scheme"
    );
    assert_eq!(view["saved"], false);

    let bad = json!({"name": "work", "settings": {"authorize_url": "https://a.test/authorize", "token_url": "http://a.test/token",
        "api_base": "https://a.test/api/v2", "client_id": "c", "redirect_uri": "http://127.0.0.1:53682/callback", "scope": ""}, "clientSecret": null});
    let e = h.invoke("profile_save", bad).unwrap_err();
    assert_eq!(e["code"], "input.invalid");
    assert_eq!(e["field"], "token_url");
    assert!(e["message"].as_str().unwrap().contains("https"));

    let good = json!({"name": "work", "settings": {"authorize_url": "https://a.test/authorize", "token_url": "https://a.test/token",
        "api_base": "https://a.test/api/v2", "client_id": "c", "redirect_uri": "http://127.0.0.1:53682/callback", "scope": ""}, "clientSecret": CANARY_SECRET});
    let saved = h.ok("profile_save", good);
    assert_eq!(saved["has_client_secret"], true);
    assert_eq!(
        h.secret("work", SecretKind::ClientSecret).as_deref(),
        Some(CANARY_SECRET)
    );
    assert_eq!(h.ok("profile_list", json!({})), json!(["work"]));
    h.ok("profile_remove", json!({"name": "work"}));
    assert_eq!(h.ok("profile_list", json!({})), json!([]));

    let e = h
        .invoke("token_status", json!({"profile": "nope"}))
        .unwrap_err();
    assert_eq!(e["code"], "profile.not_found");
    let e = h
        .invoke("auth_paste", json!({"url": "not a url"}))
        .unwrap_err();
    assert_eq!(e["code"], "auth.callback_malformed");
    assert!(h.ok("endpoints_list", json!({})).as_array().unwrap().len() >= 45);
    let info = h.ok("app_info", json!({}));
    assert_eq!(info["scheme"], SCHEME);
    h.ok(
        "ui_prefs_set",
        json!({"lastProfile": "default", "lastPanel": "console"}),
    );
    assert_eq!(h.ok("app_info", json!({}))["last_panel"], "console");
    // Theme and console split: only the keys given change, bad values are refused in words.
    h.ok(
        "ui_prefs_set",
        json!({"theme": "dark", "consoleSplit": 0.95}),
    );
    let info = h.ok("app_info", json!({}));
    assert_eq!(info["theme"], "dark");
    assert_eq!(
        info["console_split"], 0.8,
        "the split is kept within 0.2–0.8"
    );
    assert_eq!(info["last_panel"], "console");
    let e = h
        .invoke("ui_prefs_set", json!({"theme": "sepia"}))
        .unwrap_err();
    assert_eq!(e["code"], "ui.bad_theme");
    assert_eq!(h.ok("app_info", json!({}))["theme"], "dark");
    assert_no_secret(&h, &[CANARY_SECRET]);
}

#[tokio::test(flavor = "multi_thread")]
async fn personal_token_status_and_logout_emit_views_without_the_token() {
    let h = Harness::new();
    let s = h.ok(
        "auth_with_token",
        json!({"profile": "default", "token": CANARY_PAT}),
    );
    assert_eq!(s["state"], "connected");
    assert_eq!(s["auth"], "personal_token");
    assert_eq!(
        h.ok("token_status", json!({"profile": "default"}))["has_refresh_token"],
        false
    );
    let e = h
        .invoke("token_refresh", json!({"profile": "default"}))
        .unwrap_err();
    assert_eq!(e["code"], "input.invalid");
    assert_eq!(
        h.ok("auth_logout", json!({"profile": "default"}))["state"],
        "disconnected"
    );
    assert_eq!(h.secret("default", SecretKind::PersonalToken), None);
    let events = h
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|p| p.starts_with("token:changed"))
        .count();
    assert!(events >= 2, "token:changed after connect and after logout");
    assert_no_secret(&h, &[CANARY_PAT]);
}

#[tokio::test(flavor = "multi_thread")]
async fn oauth_through_a_pasted_callback_then_console_calls() {
    let sandbox = sandbox().await;
    let h = Harness::new();
    save_sandbox_profile(&h, &sandbox);
    // auth_start opens the browser through the opener plugin (not in the mock runtime), so the
    // login is started through the engine and finished through the IPC paste command.
    let start = h.engine.login_start("default").await.unwrap();
    let callback = approve(start.authorize_url.expose()).await;
    let status = h.ok("auth_paste", json!({"url": callback}));
    assert_eq!(status["state"], "connected");
    assert!(status["expires_in_secs"].as_i64().unwrap() > 3000);
    let auth_events: Vec<String> = h
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|p| p.starts_with("auth:changed"))
        .cloned()
        .collect();
    assert_eq!(auth_events.len(), 1);
    assert!(auth_events[0].contains("\"ok\":true"));
    // The same callback again is a duplicate: refused to the paster, no second event.
    let e = h
        .invoke("auth_paste", json!({"url": callback}))
        .unwrap_err();
    assert_eq!(e["code"], "auth.state_used");

    let access = h.secret("default", SecretKind::AccessToken).unwrap();
    let refresh = h.secret("default", SecretKind::RefreshToken).unwrap();
    let spec = json!({"method": "GET", "path": "orders/list", "query": [["items_per_page", "3"]], "headers": [], "body": null});
    let r = h.ok(
        "console_send",
        json!({"profile": "default", "requestId": "r1", "spec": spec, "confirmed": false}),
    );
    assert_eq!(r["status"], 200);
    assert!(r["timings"]["total_ms"].as_f64().unwrap() > 0.0);
    let body: Value = serde_json::from_str(r["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["data"].as_array().unwrap().len(), 3);
    let auth = r["request_headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h[0] == "Authorization")
        .unwrap();
    assert_eq!(auth[1], "Bearer ••••••");

    let v = h.ok("token_validate", json!({"profile": "default"}));
    assert_eq!(
        (v["endpoint"].as_str(), v["ok"].as_bool()),
        (Some("/ping"), Some(true))
    );

    // A 401 refreshes once, and the UI is told the token changed.
    sandbox.expire_access_tokens();
    let r = h.ok(
        "console_send",
        json!({"profile": "default", "requestId": "r2", "spec": spec, "confirmed": false}),
    );
    assert_eq!(
        (r["status"].as_u64(), r["refreshed"].as_bool()),
        (Some(200), Some(true))
    );
    assert!(
        h.seen
            .lock()
            .unwrap()
            .iter()
            .any(|p| p.starts_with("token:changed"))
    );
    let refreshed = h.ok("token_refresh", json!({"profile": "default"}));
    assert_eq!(refreshed["last_refresh"]["ok"], true);

    let foreign = json!({"method": "GET", "path": "https://example.com/x", "query": [], "headers": [], "body": null});
    let e = h
        .invoke(
            "console_send",
            json!({"profile": "default", "requestId": "r3", "spec": foreign, "confirmed": false}),
        )
        .unwrap_err();
    assert_eq!(e["code"], "api.foreign_origin");

    let newest = [
        h.secret("default", SecretKind::AccessToken).unwrap(),
        h.secret("default", SecretKind::RefreshToken).unwrap(),
    ];
    let code = callback
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    assert_no_secret(
        &h,
        &[
            CANARY_SECRET,
            &access,
            &refresh,
            &newest[0],
            &newest[1],
            &code,
        ],
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn mailers_cost_guard_history_and_curl() {
    let sandbox = sandbox().await;
    let h = Harness::new();
    save_sandbox_profile(&h, &sandbox);
    let start = h.engine.login_start("default").await.unwrap();
    h.ok(
        "auth_paste",
        json!({"url": approve(start.authorize_url.expose()).await}),
    );

    let mailers = h.ok("mailers_list", json!({}));
    let postcard = mailers
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "postcard-4x6")
        .unwrap()
        .clone();
    let send = json!({"method": "POST", "path": postcard["send_path"], "query": [], "headers": [], "body": postcard["body"].to_string()});
    let inspection = h.ok("console_inspect", json!({"spec": send}));
    assert_eq!(inspection["guard"]["guarded"], true);
    assert_eq!(inspection["spelling"]["names"], "current");
    assert_eq!(inspection["endpoint"]["path"], "/send/postcard");

    // Test mode on (the sandbox's default): no confirmation needed, the send goes through.
    let check = h.ok("cost_check", json!({"profile": "default", "spec": send}));
    assert_eq!(
        (
            check["test_mode"].as_bool(),
            check["needs_confirmation"].as_bool()
        ),
        (Some(true), Some(false))
    );
    assert_eq!(check["local_server"], true);
    let r = h.ok(
        "console_send",
        json!({"profile": "default", "requestId": "s1", "spec": send, "confirmed": false}),
    );
    assert_eq!(r["status"], 200);
    let first_id = r["history_id"].as_i64().expect("recorded in the history");

    // Test mode off: Rust refuses an unconfirmed send whatever the window does; confirmed goes.
    sandbox.set_test_mode(false);
    let orders = |h: &Harness| {
        h.ok("console_send", json!({"profile": "default", "requestId": "o", "spec": {"method": "GET", "path": "orders/list", "query": [], "headers": [], "body": null}, "confirmed": false}))
    };
    let before = serde_json::from_str::<Value>(orders(&h)["body"].as_str().unwrap()).unwrap()["meta"]["total"].as_i64().unwrap();
    let e = h
        .invoke(
            "console_send",
            json!({"profile": "default", "requestId": "s2", "spec": send, "confirmed": false}),
        )
        .unwrap_err();
    assert_eq!(e["code"], "console.needs_confirmation");
    let after = serde_json::from_str::<Value>(orders(&h)["body"].as_str().unwrap()).unwrap()["meta"]["total"].as_i64().unwrap();
    assert_eq!(before, after, "nothing was sent");
    let check = h.ok("cost_check", json!({"profile": "default", "spec": send}));
    assert_eq!(check["needs_confirmation"], true);
    assert!(
        check["estimate"]["total_cost"]
            .as_str()
            .unwrap()
            .starts_with('$')
    );
    h.ok(
        "console_send",
        json!({"profile": "default", "requestId": "s3", "spec": send, "confirmed": true}),
    );

    // History: newest first, searchable, re-runnable, deletable.
    let list = h.ok("history_list", json!({"query": {"text": "send/postcard"}}));
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "two sends went out: {list}"
    );
    let entry = h.ok("history_get", json!({"id": first_id}));
    let auth = entry["request_headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h[0] == "Authorization")
        .unwrap();
    assert_eq!(auth[1], "Bearer ••••••");
    let rerun = h.ok(
        "history_rerun",
        json!({"id": first_id, "profile": "default"}),
    );
    assert_eq!(
        (rerun["method"].as_str(), rerun["path"].as_str()),
        (Some("POST"), Some("/send/postcard"))
    );
    h.ok("history_delete", json!({"id": first_id}));
    assert_eq!(
        h.ok("history_list", json!({"query": {"text": "send/postcard"}}))
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // cURL in: the method, path and body come back; credentials are not imported.
    let pasted = format!(
        "curl -X POST '{}/send/postcard' -H 'Authorization: Bearer stolen-token' --data-raw '{{\"message\":\"hi\"}}' --compressed",
        sandbox.api_base()
    );
    let imported = h.ok("curl_import", json!({"profile": "default", "text": pasted}));
    assert_eq!(
        (
            imported["spec"]["method"].as_str(),
            imported["spec"]["path"].as_str()
        ),
        (Some("POST"), Some("/send/postcard"))
    );
    assert_eq!(imported["spec"]["body"], "{\"message\":\"hi\"}");
    assert!(!imported.to_string().contains("stolen-token"));

    h.ok("history_clear", json!({}));
    assert!(
        h.ok("history_list", json!({"query": {}}))
            .as_array()
            .unwrap()
            .is_empty()
    );
    let access = h.secret("default", SecretKind::AccessToken).unwrap();
    assert_no_secret(&h, &[CANARY_SECRET, &access]);
}

/// Setup offers (drop, link) and Check this computer.
#[path = "ipc/setup.rs"]
mod setup;
