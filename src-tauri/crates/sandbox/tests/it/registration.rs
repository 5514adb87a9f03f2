//! Strict client registration: redirect URIs registered the way thanks.io's Passport checks
//! them, and matched the way league does at authorize time.

use reqwest::StatusCode;
use serde_json::{Value, json};
use thanks_sandbox::{Sandbox, SandboxConfig};

use crate::common::{Reply, auth_request_id, client, decide, param};

const DEFAULT_REDIRECT: &str = "dev.thanksconnect.app://oauth/callback";

async fn strict(redirect_uris: Vec<String>) -> Sandbox {
    Sandbox::start(SandboxConfig {
        strict_registration: true,
        redirect_uris,
        ..Default::default()
    })
    .await
    .expect("sandbox starts")
}

async fn send(method: reqwest::Method, url: String, body: Value) -> Reply {
    Reply::from_response(
        client()
            .request(method, url)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn authorize(sb: &Sandbox, client_id: &str, redirect_uri: &str) -> Reply {
    let query = [
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("state", "s1"),
    ];
    Reply::from_response(
        client()
            .get(sb.authorize_url())
            .query(&query)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn the_single_slash_form_is_refused_with_passports_message() {
    let sb = strict(vec![]).await;
    let url = format!("{}/__sandbox/clients", sb.base_url());
    let reply = send(
        reqwest::Method::POST,
        url.clone(),
        json!({"name": "Thanks Connect", "redirect": "dev.thanksconnect.app:/oauth/callback"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = reply.json();
    assert_eq!(
        body["errors"]["redirect"][0],
        "One or more redirects have an invalid URL format."
    );
    // One bad URI in a comma-separated list refuses the whole registration.
    let reply = send(
        reqwest::Method::POST,
        url.clone(),
        json!({"name": "X", "redirect": format!("{DEFAULT_REDIRECT},dev.thanksconnect.app:/oauth/callback")}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = send(
        reqwest::Method::POST,
        url,
        json!({"redirect": DEFAULT_REDIRECT}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.json()["errors"]["name"][0],
        "The name field is required."
    );

    // The same rule stops a strict sandbox from starting with such a URI.
    let e = Sandbox::start(SandboxConfig {
        strict_registration: true,
        redirect_uris: vec!["dev.thanksconnect.app:/oauth/callback".into()],
        ..Default::default()
    })
    .await
    .unwrap_err();
    assert!(
        e.to_string().contains("thanks.io would refuse to register"),
        "{e}"
    );
}

#[tokio::test]
async fn the_default_redirect_registers_and_a_login_completes() {
    let sb = strict(vec![]).await;
    // Nothing is registered for the built-in client yet: even the default is refused.
    let page = authorize(&sb, sb.client_id(), DEFAULT_REDIRECT).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);

    let reply = send(
        reqwest::Method::POST,
        format!("{}/__sandbox/clients", sb.base_url()),
        json!({"name": "Thanks Connect", "redirect": DEFAULT_REDIRECT}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let created = reply.json();
    let (id, secret) = (
        created["id"].as_str().unwrap().to_owned(),
        created["secret"].as_str().unwrap().to_owned(),
    );
    assert!(secret.len() >= 40);

    let page = authorize(&sb, &id, DEFAULT_REDIRECT).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let back = decide(&client(), &sb, &auth_request_id(&page.text), "approve").await;
    let location = back.location().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("{DEFAULT_REDIRECT}?code=")),
        "{location}"
    );
    let code = param(&location, "code").unwrap();
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", id.as_str()),
        ("client_secret", secret.as_str()),
        ("code", code.as_str()),
        ("redirect_uri", DEFAULT_REDIRECT),
    ];
    let tokens = Reply::from_response(
        client()
            .post(sb.token_url())
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.text);
    assert!(tokens.json()["access_token"].is_string());
}

#[tokio::test]
async fn exact_matching_with_port_leniency_for_loopback_ips_only() {
    let sb = strict(vec![
        "http://localhost:8080/cb".into(),
        "http://127.0.0.1:53682/callback".into(),
    ])
    .await;
    let id = sb.client_id().to_owned();
    let status = |r: Reply| r.status;
    assert_eq!(
        status(authorize(&sb, &id, "http://localhost:8080/cb").await),
        StatusCode::OK
    );
    let other_port = authorize(&sb, &id, "http://localhost:8081/cb").await;
    assert_eq!(other_port.status, StatusCode::BAD_REQUEST);
    assert!(other_port.text.contains("not registered"));
    assert_eq!(
        status(authorize(&sb, &id, "http://127.0.0.1:40000/callback").await),
        StatusCode::OK
    );
    for refused in [
        DEFAULT_REDIRECT,
        "dev.thanksconnect.app:/oauth/callback",
        "http://127.0.0.1:40000/callback/",
    ] {
        assert_eq!(
            status(authorize(&sb, &id, refused).await),
            StatusCode::BAD_REQUEST,
            "{refused}"
        );
    }
    // Re-registering the built-in client's redirect URIs (Passport's PUT) replaces them.
    let reply = send(
        reqwest::Method::PUT,
        format!("{}/__sandbox/clients/{id}", sb.base_url()),
        json!({"name": "Thanks Connect", "redirect": DEFAULT_REDIRECT}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(sb.redirect_uris(), vec![DEFAULT_REDIRECT.to_owned()]);
    assert_eq!(
        status(authorize(&sb, &id, DEFAULT_REDIRECT).await),
        StatusCode::OK
    );
    let listed = client()
        .get(format!("{}/__sandbox/clients", sb.base_url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !listed.contains(sb.client_secret()),
        "no secret in the list"
    );
}
