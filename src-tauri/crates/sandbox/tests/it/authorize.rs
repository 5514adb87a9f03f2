//! The consent page: validation of authorization requests, redirects back to the client, and
//! single-use consent forms.

use reqwest::StatusCode;
use thanks_sandbox::{Sandbox, SandboxConfig};

use crate::common::*;

#[tokio::test]
async fn approve_then_exchange_issues_a_working_token_pair() {
    let sb = sandbox().await;
    let http = client();
    let page = authorize_page(&http, &sb, &[("redirect_uri", REDIRECT), ("state", "xyz")]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("Sandbox Printing Co."),
        "account name shown"
    );
    assert!(page.text.contains("id=\"approve\"") && page.text.contains("id=\"deny\""));
    assert_eq!(page.header("cache-control"), Some("no-store"));

    let approved = decide(&http, &sb, &auth_request_id(&page.text), "approve").await;
    assert_eq!(approved.status, StatusCode::FOUND);
    let location = approved.location().unwrap();
    assert!(
        location.starts_with(&format!("{REDIRECT}?code=")),
        "{location}"
    );
    assert_eq!(param(location, "state").as_deref(), Some("xyz"));

    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", sb.client_id()),
        ("client_secret", sb.client_secret()),
        ("code", &param(location, "code").unwrap()),
        ("redirect_uri", REDIRECT),
    ];
    let reply = token(&http, &sb, &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let body = reply.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(access.split('.').count(), 3, "a Passport-style JWT");
    assert!(
        body["refresh_token"]
            .as_str()
            .unwrap()
            .starts_with("def50200")
    );

    let ping = get(&http, &sb, "/ping", access).await;
    assert_eq!(ping.status, StatusCode::OK);
    assert_eq!(ping.json()["message"], "pong");
    let stats = sb.stats();
    assert_eq!(
        (
            stats.token_requests,
            stats.authorization_code_grants,
            stats.api_requests
        ),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn deny_redirects_with_access_denied_and_state() {
    let sb = sandbox().await;
    let location = consent(
        &client(),
        &sb,
        &[("redirect_uri", REDIRECT), ("state", "s t&u")],
        "deny",
    )
    .await;
    assert!(location.starts_with(REDIRECT));
    assert_eq!(param(&location, "error").as_deref(), Some("access_denied"));
    assert!(param(&location, "error_description").is_some());
    assert_eq!(param(&location, "state").as_deref(), Some("s t&u"));
    assert_eq!(param(&location, "code"), None);
}

#[tokio::test]
async fn bad_clients_and_redirects_get_an_error_page_not_a_redirect() {
    let sb = sandbox().await;
    let http = client();
    let cases: [&[(&str, &str)]; 5] = [
        &[("redirect_uri", "https://evil.example/cb")],
        &[("redirect_uri", "http://localhost:53682/callback")], // no loopback leniency for localhost
        &[("redirect_uri", "http://127.0.0.1:53682/elsewhere")],
        &[],
        &[("redirect_uri", REDIRECT), ("response_type", "token")],
    ];
    for params in cases {
        let reply = authorize_page(&http, &sb, params).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{params:?}");
        assert_eq!(reply.location(), None);
        assert!(
            reply
                .header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
    }
    let unknown = http
        .get(sb.authorize_url())
        .query(&[
            ("response_type", "code"),
            ("client_id", "nope"),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(unknown.headers().get("location").is_none());
}

#[tokio::test]
async fn loopback_redirects_match_on_any_port_and_custom_schemes_exactly() {
    let sb = sandbox().await;
    let http = client();
    for port in ["1", "53682", "65535"] {
        let uri = format!("http://127.0.0.1:{port}/callback");
        let location = consent(&http, &sb, &[("redirect_uri", &uri)], "approve").await;
        assert!(location.starts_with(&format!("{uri}?code=")), "{location}");
        assert_eq!(
            param(&location, "state"),
            None,
            "no state sent, none returned"
        );
    }
    let custom = "dev.thanksconnect.app:/oauth/callback";
    let location = consent(
        &http,
        &sb,
        &[("redirect_uri", custom), ("state", "a")],
        "approve",
    )
    .await;
    assert!(
        location.starts_with("dev.thanksconnect.app:/oauth/callback?code="),
        "{location}"
    );
    let trailing = authorize_page(
        &http,
        &sb,
        &[("redirect_uri", "dev.thanksconnect.app:/oauth/callback/")],
    )
    .await;
    assert_eq!(trailing.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn redirect_uris_with_a_query_get_parameters_appended() {
    let config = SandboxConfig {
        redirect_uris: vec!["http://127.0.0.1/cb?tenant=7".into()],
        ..Default::default()
    };
    let sb = Sandbox::start(config).await.unwrap();
    let location = consent(
        &client(),
        &sb,
        &[
            ("redirect_uri", "http://127.0.0.1:9000/cb?tenant=7"),
            ("state", "q"),
        ],
        "approve",
    )
    .await;
    assert!(
        location.starts_with("http://127.0.0.1:9000/cb?tenant=7&code="),
        "{location}"
    );
    assert_eq!(param(&location, "state").as_deref(), Some("q"));
}

#[tokio::test]
async fn bad_pkce_method_and_unknown_scope_are_redirected_back_with_state() {
    let sb = sandbox().await;
    let http = client();
    let bad_method = authorize_page(
        &http,
        &sb,
        &[
            ("redirect_uri", REDIRECT),
            ("state", "s1"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S512"),
        ],
    )
    .await;
    assert_eq!(bad_method.status, StatusCode::FOUND);
    let location = bad_method.location().unwrap();
    assert_eq!(param(location, "error").as_deref(), Some("invalid_request"));
    assert_eq!(param(location, "state").as_deref(), Some("s1"));

    let scoped = authorize_page(
        &http,
        &sb,
        &[
            ("redirect_uri", REDIRECT),
            ("state", "s2"),
            ("scope", "orders:read"),
        ],
    )
    .await;
    let location = scoped.location().unwrap();
    assert_eq!(param(location, "error").as_deref(), Some("invalid_scope"));
    assert_eq!(param(location, "state").as_deref(), Some("s2"));

    let empty_scope =
        authorize_page(&http, &sb, &[("redirect_uri", REDIRECT), ("scope", "")]).await;
    assert_eq!(
        empty_scope.status,
        StatusCode::OK,
        "an empty scope is no scope"
    );
}

#[tokio::test]
async fn consent_forms_are_single_use() {
    let sb = sandbox().await;
    let http = client();
    let page = authorize_page(&http, &sb, &[("redirect_uri", REDIRECT)]).await;
    let id = auth_request_id(&page.text);
    assert_eq!(
        decide(&http, &sb, &id, "approve").await.status,
        StatusCode::FOUND
    );
    let again = decide(&http, &sb, &id, "approve").await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(again.location(), None);
    assert_eq!(
        decide(&http, &sb, "sbx_ar_made_up", "deny").await.status,
        StatusCode::BAD_REQUEST
    );
}
