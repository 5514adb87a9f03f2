//! The command wiring and events, on tauri's mock runtime (no display, no bus): every command
//! the UI uses answers in the agreed shape, errors arrive as `{code, message}`, and no IPC
//! payload or event ever carries a secret. The OAuth flow runs for real against the sandbox
//! over loopback; secrets are kept in an in-memory store so the test can read the canaries.

mod common;

use common::*;
use serde_json::json;
use thanks_core::vault::SecretKind;

// The support desk's commands (accounts, timeline, report), in tests/ipc/support.rs.
#[path = "ipc/support.rs"]
mod support;

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
async fn personal_token_is_checked_before_it_is_stored_and_never_crosses_ipc() {
    let sandbox = sandbox().await;
    let h = Harness::new();
    save_sandbox_profile(&h, &sandbox);
    // A made-up token: thanks.io (the sandbox) refuses it, so nothing is stored.
    let e = h
        .invoke(
            "auth_with_token",
            json!({"profile": "default", "token": CANARY_PAT}),
        )
        .unwrap_err();
    assert_eq!(e["code"], "auth.token_rejected");
    assert!(
        e["message"].as_str().unwrap().contains("paste a new token"),
        "{e}"
    );
    assert_eq!(h.secret("default", SecretKind::PersonalToken), None);
    assert_eq!(
        h.ok("token_status", json!({"profile": "default"}))["state"],
        "disconnected"
    );

    // A token thanks.io accepts (an access token from a sign-in, standing in for one made in
    // the dashboard) is stored as a personal token.
    let start = h.engine.login_start("default").await.unwrap();
    h.ok(
        "auth_paste",
        json!({"url": approve(start.authorize_url.expose()).await}),
    );
    let token = h.secret("default", SecretKind::AccessToken).unwrap();
    h.ok("auth_logout", json!({"profile": "default"}));
    let s = h.ok(
        "auth_with_token",
        json!({"profile": "default", "token": token}),
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
    assert_no_secret(&h, &[CANARY_PAT, &token, CANARY_SECRET]);
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
        json!({"profile": "default", "requestId": "r1", "spec": spec}),
    );
    assert_eq!(r["status"], 200);
    assert!(r["timings"]["total_ms"].as_f64().unwrap() > 0.0);
    // The answer carries no body: the window fetches it as raw bytes, once it has the rest.
    assert!(
        r.get("body").is_none(),
        "the body crossed inside the JSON answer"
    );
    assert!(r["size"].as_u64().unwrap() > 0);
    let body = h.body("r1");
    assert_eq!(body["data"].as_array().unwrap().len(), 3);
    let e = h
        .invoke("response_body", json!({"requestId": "never-sent"}))
        .unwrap_err();
    assert_eq!(e["code"], "console.response_gone");
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
        json!({"profile": "default", "requestId": "r2", "spec": spec}),
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
            json!({"profile": "default", "requestId": "r3", "spec": foreign}),
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
        json!({"profile": "default", "requestId": "s1", "spec": send}),
    );
    assert_eq!(r["status"], 200);
    let first_id = r["history_id"].as_i64().expect("recorded in the history");

    // Test mode off: Rust refuses a send without its cost check's confirmation; with it, it goes.
    sandbox.set_test_mode(false);
    let orders = |h: &Harness| {
        h.ok("console_send", json!({"profile": "default", "requestId": "o", "spec": {"method": "GET", "path": "orders/list", "query": [], "headers": [], "body": null}}));
        h.body("o")["meta"]["total"].as_i64().unwrap()
    };
    let before = orders(&h);
    let e = h
        .invoke(
            "console_send",
            json!({"profile": "default", "requestId": "s2", "spec": send}),
        )
        .unwrap_err();
    assert_eq!(e["code"], "guard.needs_confirmation");
    let after = orders(&h);
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
        json!({"profile": "default", "requestId": "s3", "spec": send, "confirmation": check["confirmation"]}),
    );

    // History: newest first, searchable, re-runnable, deletable.
    let list = h.ok("history_list", json!({"query": {"text": "send/postcard"}}));
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "two sends went out: {list}"
    );
    // Each line names its path as the console would, and the order a real send made.
    let newest = &list[0];
    assert_eq!(newest["path"], "/send/postcard", "{newest}");
    assert_eq!(newest["preview"], false);
    assert!(
        newest["order_id"].as_str().is_some_and(|id| !id.is_empty()),
        "{newest}"
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

/// A keyring failing mid-session.
#[path = "ipc/keyring.rs"]
mod keyring;

/// Setup offers (drop, link) and Check this computer.
#[path = "ipc/setup.rs"]
mod setup;
