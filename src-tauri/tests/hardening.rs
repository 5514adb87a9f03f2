//! The review's findings (issue 8) as they show at the app's commands, on tauri's mock runtime
//! against a real sandbox over loopback: the cost guard can't be skipped by the window or by a
//! path spelling, an edit that moves a connected profile's endpoints asks first, forged
//! callbacks stay silent, the loopback port is freed as soon as its login is over, the sandbox
//! demo keeps its hands off a profile of the user's, and pending ids are checked.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};
use thanks_core::Engine;
use thanks_core::config::ConfigHome;
use thanks_core::oauth::loopback::LoopbackListener;
use thanks_core::vault::{SecretKind, Vault};

/// A harness whose "default" profile is connected to `sandbox`.
async fn connected(sandbox: &thanks_sandbox::Sandbox) -> Harness {
    let h = Harness::new();
    save_sandbox_profile(&h, sandbox);
    let start = h.engine.login_start("default").await.unwrap();
    h.ok(
        "auth_paste",
        json!({"url": approve(start.authorize_url.expose()).await}),
    );
    h
}

fn postcard(message: &str) -> Value {
    let mut body = thanks_core::mailers::mailer("postcard-4x6")
        .unwrap()
        .body
        .clone();
    body["message"] = json!(message);
    json!({"method": "POST", "path": "send/postcard", "query": [], "headers": [], "body": body.to_string()})
}

fn orders(h: &Harness) -> i64 {
    let list =
        json!({"method": "GET", "path": "orders/list", "query": [], "headers": [], "body": null});
    h.ok(
        "console_send",
        json!({"profile": "default", "requestId": "orders", "spec": list}),
    );
    h.body("orders")["meta"]["total"].as_i64().unwrap()
}

fn events(h: &Harness, prefix: &str) -> Vec<String> {
    h.seen
        .lock()
        .unwrap()
        .iter()
        .filter(|p| p.starts_with(prefix))
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guarded_send_needs_the_one_time_confirmation_of_its_cost_check() {
    let sandbox = sandbox().await;
    let h = connected(&sandbox).await;
    sandbox.set_test_mode(false);
    let before = orders(&h);
    let send = postcard("Hello");

    // The window saying "confirmed" proves nothing.
    let e = h
        .invoke(
            "console_send",
            json!({"profile": "default", "requestId": "s1", "spec": send, "confirmed": true}),
        )
        .unwrap_err();
    assert_eq!(e["code"], "guard.needs_confirmation");
    assert_eq!(orders(&h), before, "sent on a bare confirmed flag");

    let check = h.ok("cost_check", json!({"profile": "default", "spec": send}));
    assert_eq!(check["needs_confirmation"], true);
    let id = check["confirmation"].as_str().expect("a confirmation id");
    let r = h.ok(
        "console_send",
        json!({"profile": "default", "requestId": "s2", "spec": send, "confirmation": id}),
    );
    assert_eq!(r["status"], 200);
    assert_eq!(orders(&h), before + 1);
    // Once only.
    let e = h
        .invoke(
            "console_send",
            json!({"profile": "default", "requestId": "s3", "spec": send, "confirmation": id}),
        )
        .unwrap_err();
    assert_eq!(e["code"], "guard.confirmation_invalid");
    // Only for the request that was priced.
    let check = h.ok("cost_check", json!({"profile": "default", "spec": send}));
    let id = check["confirmation"].as_str().unwrap();
    let e = h
        .invoke(
            "console_send",
            json!({"profile": "default", "requestId": "s4", "spec": postcard("Changed after the estimate"), "confirmation": id}),
        )
        .unwrap_err();
    assert_eq!(e["code"], "guard.confirmation_invalid");
    assert_eq!(orders(&h), before + 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_send_spelled_with_dot_segments_is_guarded() {
    let sandbox = sandbox().await;
    let h = connected(&sandbox).await;
    sandbox.set_test_mode(false);
    let before = orders(&h);
    for path in [
        "./send/postcard",
        "x/../send/postcard",
        "send//postcard",
        "%2e/send/postcard",
    ] {
        let mut spec = postcard("Hi");
        spec["path"] = json!(path);
        let check = h.ok("cost_check", json!({"profile": "default", "spec": spec}));
        assert_eq!(check["needs_confirmation"], true, "{path}: {check}");
        let e = h
            .invoke(
                "console_send",
                json!({"profile": "default", "requestId": path, "spec": spec}),
            )
            .unwrap_err();
        assert_eq!(e["code"], "guard.needs_confirmation", "{path}");
    }
    assert_eq!(orders(&h), before, "a send slipped past the guard");
    let mut spec = postcard("Hi");
    spec["headers"] = json!([["X-HTTP-Method-Override", "POST"]]);
    spec["path"] = json!("estimate/postcard");
    let e = h
        .invoke(
            "console_send",
            json!({"profile": "default", "requestId": "o", "spec": spec}),
        )
        .unwrap_err();
    assert_eq!(e["code"], "api.method_override");
}

#[tokio::test(flavor = "multi_thread")]
async fn moving_a_connected_profiles_endpoints_asks_first_then_disconnects() {
    let sandbox = sandbox().await;
    let h = connected(&sandbox).await;
    let settings = json!({"authorize_url": sandbox.authorize_url(), "token_url": sandbox.token_url(),
        "api_base": "https://api.example.test/api/v2", "client_id": sandbox.client_id(),
        "redirect_uri": format!("{SCHEME}://oauth/callback"), "scope": ""});
    let e = h
        .invoke(
            "profile_save",
            json!({"name": "default", "settings": settings, "clientSecret": null}),
        )
        .unwrap_err();
    assert_eq!(e["code"], "profile.disconnects");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("This disconnects the profile: the API base changed"),
        "{e}"
    );
    let status = h.ok("token_status", json!({"profile": "default"}));
    assert_eq!(status["state"], "connected", "nothing was saved");
    assert_eq!(
        h.ok("profile_get", json!({"name": "default"}))["api_base"],
        sandbox.api_base()
    );

    h.ok(
        "profile_save",
        json!({"name": "default", "settings": settings, "clientSecret": null, "disconnect": true}),
    );
    assert_eq!(
        h.ok("token_status", json!({"profile": "default"}))["state"],
        "disconnected"
    );
    assert_eq!(h.secret("default", SecretKind::AccessToken), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn forged_deep_links_stay_silent_and_a_pasted_one_is_answered() {
    let h = Harness::new();
    let forged = [
        format!("{SCHEME}://oauth/callback?code=stolen"),
        format!("{SCHEME}://oauth/callback?code=stolen&state=made-up-state"),
        format!("{SCHEME}://oauth/callback?nothing=here"),
        format!("{SCHEME}://oauth/callback?error=access_denied&state=made-up-state"),
    ];
    let urls = forged.iter().map(|u| url::Url::parse(u).unwrap()).collect();
    thanks_connect_app::callback::handle_deep_links(h.app.handle(), urls);
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(
        events(&h, "auth:changed").is_empty(),
        "a forged deep link reached the window: {:?}",
        events(&h, "auth:changed")
    );
    assert_eq!(h.ok("app_info", json!({}))["last_auth"], Value::Null);

    // Delivered by a second launch, a link doesn't raise the window by itself: the callback
    // handler decides (the mock runtime can't show focus, so the decision is checked).
    let app = h.app.handle();
    let argv = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    assert!(thanks_connect_app::callback::carries_a_link(
        app,
        &argv(&["thanks-connect", &forged[0]])
    ));
    assert!(!thanks_connect_app::callback::carries_a_link(
        app,
        &argv(&["thanks-connect"])
    ));
    assert!(!thanks_connect_app::callback::carries_a_link(
        app,
        &argv(&["thanks-connect", "--help", "other.scheme:/x"])
    ));

    // The same address pasted by the user is answered.
    let e = h
        .invoke("auth_paste", json!({"url": forged[1]}))
        .unwrap_err();
    assert_eq!(e["code"], "auth.state_unknown");
    assert_eq!(events(&h, "auth:changed").len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn pending_ids_from_the_window_are_checked() {
    let h = Harness::new();
    for id in ["../../config", "..", "a/b", ""] {
        let e = h
            .invoke("auth_cancel", json!({"pendingId": id}))
            .unwrap_err();
        assert_eq!(e["code"], "input.invalid", "{id}");
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until the port can be bound again (the listener closed it).
async fn port_freed(port: u16) -> bool {
    let until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < until {
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// Starts a login on the loopback redirect with the app listening, as auth_start does.
async fn listening(h: &Harness, port: u16) -> String {
    let start = h.engine.login_start("default").await.unwrap();
    let redirect = url::Url::parse(&format!("http://127.0.0.1:{port}/callback")).unwrap();
    let listener = LoopbackListener::bind(&redirect).await.unwrap();
    thanks_connect_app::callback::spawn_loopback(
        h.app.handle(),
        start.pending_id.clone(),
        listener,
    );
    approve(start.authorize_url.expose()).await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_loopback_port_is_freed_when_the_login_is_taken_another_way() {
    let sandbox = sandbox().await;
    let h = Harness::new();
    save_sandbox_profile(&h, &sandbox);
    let port = free_port();
    let mut settings = h.ok("profile_get", json!({"name": "default"}));
    settings["redirect_uri"] = json!(format!("http://127.0.0.1:{port}/callback"));
    settings["scope"] = json!("");
    h.ok(
        "profile_save",
        json!({"name": "default", "settings": settings, "clientSecret": null}),
    );

    let callback = listening(&h, port).await;
    // A forged hit on the port is answered there, not in the window.
    let page = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!(
            "http://127.0.0.1:{port}/callback?code=x&state=forged"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 400);
    assert!(events(&h, "auth:changed").is_empty());
    // Pasted instead of followed: the listener goes at once, and the port with it.
    h.ok("auth_paste", json!({"url": callback}));
    assert!(
        port_freed(port).await,
        "the loopback port stayed bound after a paste"
    );

    // Finished by another process (thanksctl complete), which shares only the files and keyring.
    let callback = listening(&h, port).await;
    let other = Engine::new(ConfigHome::at(h.home.path()), Vault::new(h.store.clone()));
    other.login_complete(&callback).await.unwrap();
    assert!(
        port_freed(port).await,
        "the loopback port stayed bound after another process finished the login"
    );
    assert!(h.secret("default", SecretKind::RefreshToken).is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sandbox_demo_leaves_a_profile_named_sandbox_alone() {
    // The person's own "Sandbox" profile, connected to an account of theirs (a sandbox of its
    // own here, since a personal token is checked with thanks.io before it is kept).
    let theirs_account = sandbox().await;
    let h = Harness::new();
    let settings = json!({"authorize_url": theirs_account.authorize_url(), "token_url": theirs_account.token_url(),
        "api_base": theirs_account.api_base(), "client_id": theirs_account.client_id(),
        "redirect_uri": format!("{SCHEME}://oauth/callback"), "scope": ""});
    h.ok(
        "profile_save",
        json!({"name": "Sandbox", "settings": settings, "clientSecret": CANARY_SECRET}),
    );
    let start = h.engine.login_start("Sandbox").await.unwrap();
    let callback = approve(start.authorize_url.expose()).await;
    h.ok("auth_paste", json!({"url": callback}));
    let token = h.secret("Sandbox", SecretKind::AccessToken).unwrap();
    // Nobody can make a profile of their own under the sandbox's reserved name.
    let e = h
        .invoke(
            "profile_save",
            json!({"name": "Sandbox (local)", "settings": settings, "clientSecret": null}),
        )
        .unwrap_err();
    assert_eq!(e["code"], "input.invalid");

    let demo = h.ok("sandbox_start", json!({}));
    assert_ne!(demo["profile"], "Sandbox");
    let mine = h.ok("profile_get", json!({"name": "Sandbox"}));
    assert_eq!(mine["api_base"], theirs_account.api_base());
    assert_eq!(mine["client_id"], theirs_account.client_id());
    assert_eq!(
        h.ok("token_status", json!({"profile": "Sandbox"}))["state"],
        "connected"
    );
    assert_eq!(
        h.secret("Sandbox", SecretKind::AccessToken).as_deref(),
        Some(token.as_str())
    );
    let demos = h.ok("profile_get", json!({"name": demo["profile"]}));
    let demo_base = demos["api_base"].as_str().unwrap();
    assert!(demo_base.starts_with("http://127.0.0.1:"));
    assert_ne!(demo_base, theirs_account.api_base());
    assert_no_secret(&h, &[CANARY_SECRET, &token]);
}
