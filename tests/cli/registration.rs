//! thanks.io's client registration, strictly: the default profile's redirect URI registers and a
//! login completes; the single-slash form is refused; forms thanks.io matches exactly.

use serde_json::{Value, json};
use thanks_sandbox::SandboxConfig;

use crate::harness::Env;

async fn strict_env() -> Env {
    Env::with(SandboxConfig {
        strict_registration: true,
        redirect_uris: vec![],
        ..Default::default()
    })
    .await
}

/// What an admin does in thanks.io's dashboard: register a client with these redirect URIs.
async fn register(env: &Env, redirect: &str) -> (u16, Value) {
    let reply = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{}/__sandbox/clients", env.sandbox.base_url()))
        .header("content-type", "application/json")
        .body(json!({"name": "Thanks Connect", "redirect": redirect}).to_string())
        .send()
        .await
        .unwrap();
    let status = reply.status().as_u16();
    (
        status,
        serde_json::from_str(&reply.text().await.unwrap()).unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_default_redirect_uri_registers_and_a_login_completes_in_strict_mode() {
    let env = strict_env().await;
    // The redirect URI a profile uses when nobody chose one.
    let shown: Value = serde_json::from_str(&env.ok(&["profile", "show", "--json"]).await).unwrap();
    let default = shown["redirect_uri"].as_str().unwrap().to_owned();
    assert_eq!(default, "dev.thanksconnect.app://oauth/callback");
    assert_eq!(shown["redirect_form"]["accepted"], true);

    let (status, client) = register(&env, &default).await;
    assert_eq!(status, 201, "{client}");
    env.setup_client(
        "default",
        client["id"].as_str().unwrap(),
        client["secret"].as_str().unwrap(),
        None,
    )
    .await;

    env.login_with_profile_as_set("default").await;
    let callback = env.last_callback.lock().unwrap().clone().unwrap();
    assert!(
        callback.starts_with(&format!("{default}?code=")),
        "{callback}"
    );
    assert_eq!(env.status().await["state"], "connected");
    // The tokens work against the API.
    env.ok(&["call", "GET", "orders/list"]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_single_slash_form_is_refused_at_registration() {
    let env = strict_env().await;
    let (status, body) = register(&env, "dev.thanksconnect.app:/oauth/callback").await;
    assert_eq!(status, 422);
    assert_eq!(
        body["errors"]["redirect"][0],
        "One or more redirects have an invalid URL format."
    );
    // `profile show` predicted it.
    env.ok(&[
        "profile",
        "set",
        "--redirect-uri",
        "dev.thanksconnect.app:/oauth/callback",
    ])
    .await;
    let shown = env.ok(&["profile", "show"]).await;
    assert!(
        shown.contains("May be refused by thanks.io")
            && shown.contains("register dev.thanksconnect.app://oauth/callback"),
        "{shown}"
    );
    // `thanksctl sandbox --strict-registration` won't start with it either.
    let (code, stderr) = env
        .fails(
            &[
                "sandbox",
                "--port",
                "0",
                "--strict-registration",
                "--redirect-uri",
                "dev.thanksconnect.app:/oauth/callback",
            ],
            "",
        )
        .await;
    assert_eq!(code, 2);
    assert!(
        stderr.contains("thanks.io would refuse to register dev.thanksconnect.app:/oauth/callback"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn localhost_with_another_port_is_refused_at_authorize() {
    let env = strict_env().await;
    let (status, client) = register(&env, "http://localhost:53682/callback").await;
    assert_eq!(status, 201);
    let s = &env.sandbox;
    let authorize = format!(
        "{}?response_type=code&client_id={}&redirect_uri={}&state=s",
        s.authorize_url(),
        client["id"].as_str().unwrap(),
        "http%3A%2F%2Flocalhost%3A53683%2Fcallback"
    );
    let (code, stderr) = env.fails(&["sandbox", "consent", &authorize], "").await;
    assert_eq!(code, 2);
    assert!(
        stderr.contains("showed no consent form (HTTP 400"),
        "{stderr}"
    );
}
