//! The token endpoint: code exchange with PKCE, refresh rotation, client authentication,
//! errors, and the sandbox's own configuration checks.

use reqwest::{Method, StatusCode};
use serde_json::json;
use thanks_sandbox::{Faults, Sandbox, SandboxConfig};

use crate::common::*;

#[tokio::test]
async fn pkce_is_required_once_challenged_and_a_wrong_verifier_is_refused() {
    let sb = sandbox().await;
    let http = client();
    let code = code(&http, &sb).await;
    let base = [
        ("grant_type", "authorization_code"),
        ("client_id", sb.client_id()),
        ("client_secret", sb.client_secret()),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    let missing = token(&http, &sb, &base).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.json()["error"], "invalid_grant");

    let wrong_verifier = "w".repeat(43);
    let mut wrong = base.to_vec();
    wrong.push(("code_verifier", &wrong_verifier));
    let reply = token(&http, &sb, &wrong).await;
    assert_eq!(reply.json()["error"], "invalid_grant");
    let body = reply.json();
    for key in ["error_description", "hint", "message"] {
        assert!(body[key].is_string(), "league-style body has {key}");
    }

    assert_eq!(
        exchange(&http, &sb, &code).await.status,
        StatusCode::OK,
        "failed attempts don't spend the code"
    );
}

#[tokio::test]
async fn plain_pkce_works() {
    let sb = sandbox().await;
    let http = client();
    let verifier = "p".repeat(50);
    let location = consent(
        &http,
        &sb,
        &[("redirect_uri", REDIRECT), ("code_challenge", &verifier)],
        "approve",
    )
    .await;
    let code = param(&location, "code").unwrap();
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", sb.client_id()),
        ("client_secret", sb.client_secret()),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier.as_str()),
    ];
    assert_eq!(token(&http, &sb, &form).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_reused_code_is_refused_and_revokes_its_tokens() {
    let sb = sandbox().await;
    let http = client();
    let code = code(&http, &sb).await;
    let first = exchange(&http, &sb, &code).await.json();
    let access = first["access_token"].as_str().unwrap();
    assert_eq!(
        get(&http, &sb, "/ping", access).await.status,
        StatusCode::OK
    );

    let second = exchange(&http, &sb, &code).await;
    assert_eq!(second.status, StatusCode::BAD_REQUEST);
    assert_eq!(second.json()["error"], "invalid_grant");
    assert_eq!(
        get(&http, &sb, "/ping", access).await.status,
        StatusCode::FORBIDDEN,
        "thanks.io's documented answer to a revoked token"
    );
    let refreshed = refresh(&http, &sb, first["refresh_token"].as_str().unwrap()).await;
    assert_eq!(refreshed.json()["error"], "invalid_grant");
}

#[tokio::test]
async fn the_redirect_uri_must_match_at_exchange() {
    let sb = sandbox().await;
    let http = client();
    let code = code(&http, &sb).await;
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("client_id", sb.client_id()),
        ("client_secret", sb.client_secret()),
        ("code", code.as_str()),
        ("code_verifier", VERIFIER),
    ];
    let missing = token(&http, &sb, &form).await;
    assert_eq!(missing.json()["error"], "invalid_request");
    form.push(("redirect_uri", "http://127.0.0.1:1/callback")); // registered, but not the one used
    let mismatch = token(&http, &sb, &form).await;
    assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
    assert_eq!(mismatch.json()["error"], "invalid_grant");
}

#[tokio::test]
async fn refresh_rotates_both_tokens_and_spends_the_old_refresh_token() {
    let sb = sandbox().await;
    let http = client();
    let first = connect(&http, &sb).await;
    let rotated = refresh(&http, &sb, &first.refresh).await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.text);
    let body = rotated.json();
    let (access, refresh_token) = (
        body["access_token"].as_str().unwrap(),
        body["refresh_token"].as_str().unwrap(),
    );
    assert_ne!(access, first.access);
    assert_ne!(refresh_token, first.refresh);

    let reused = refresh(&http, &sb, &first.refresh).await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST);
    assert_eq!(reused.json()["error"], "invalid_grant");
    assert_eq!(
        get(&http, &sb, "/ping", &first.access).await.status,
        StatusCode::FORBIDDEN,
        "old access token revoked"
    );
    assert_eq!(
        get(&http, &sb, "/ping", access).await.status,
        StatusCode::OK
    );
    assert_eq!(
        refresh(&http, &sb, "sbx_rt_unknown").await.json()["error"],
        "invalid_grant"
    );

    let stats = sb.stats();
    assert_eq!(
        (stats.refresh_token_grants, stats.successful_refreshes),
        (3, 1)
    );
    assert_eq!(stats.token_requests, 4);
}

#[tokio::test]
async fn client_authentication_in_body_or_basic() {
    let sb = sandbox().await;
    let http = client();
    let tokens = connect(&http, &sb).await;

    let wrong = [
        ("grant_type", "refresh_token"),
        ("client_id", sb.client_id()),
        ("client_secret", "not-the-secret"),
        ("refresh_token", tokens.refresh.as_str()),
    ];
    let reply = token(&http, &sb, &wrong).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.json()["error"], "invalid_client");

    let unknown = [
        ("grant_type", "refresh_token"),
        ("client_id", "someone-else"),
        ("client_secret", "x"),
        ("refresh_token", "y"),
    ];
    assert_eq!(
        token(&http, &sb, &unknown).await.json()["error"],
        "invalid_client"
    );

    let basic_wrong = http
        .post(sb.token_url())
        .basic_auth(sb.client_id(), Some("nope"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens.refresh.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(basic_wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(basic_wrong.headers().get("www-authenticate").is_some());

    let basic = http
        .post(sb.token_url())
        .basic_auth(sb.client_id(), Some(sb.client_secret()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens.refresh.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        basic.status(),
        StatusCode::OK,
        "the refresh token survived the failed attempts"
    );
}

#[tokio::test]
async fn grant_type_and_parameter_errors() {
    let sb = sandbox().await;
    let http = client();
    let creds = [
        ("client_id", sb.client_id()),
        ("client_secret", sb.client_secret()),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut form = creds.to_vec();
        form.extend_from_slice(extra);
        form
    };
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[("grant_type", "password")], "unsupported_grant_type"),
        (&[], "invalid_request"),
        (&[("grant_type", "authorization_code")], "invalid_request"),
        (&[("grant_type", "refresh_token")], "invalid_request"),
        (
            &[
                ("grant_type", "authorization_code"),
                ("code", "nope"),
                ("redirect_uri", REDIRECT),
            ],
            "invalid_grant",
        ),
    ];
    for (extra, expected) in cases {
        let reply = token(&http, &sb, &with(extra)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{extra:?}");
        assert_eq!(reply.json()["error"], expected, "{extra:?}");
    }
    let repeated = token(
        &http,
        &sb,
        &[
            ("grant_type", "refresh_token"),
            ("grant_type", "refresh_token"),
        ],
    )
    .await;
    assert_eq!(repeated.json()["error"], "invalid_request");
}

#[tokio::test]
async fn invalid_grant_next_refresh_fires_once() {
    let sb = sandbox().await;
    let http = client();
    let tokens = connect(&http, &sb).await;
    sb.set_faults(Faults {
        invalid_grant_next_refresh: true,
        ..Faults::default()
    });
    let refused = refresh(&http, &sb, &tokens.refresh).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.json()["error"], "invalid_grant");
    assert!(
        !sb.faults().invalid_grant_next_refresh,
        "the flag cleared itself"
    );
    assert_eq!(
        refresh(&http, &sb, &tokens.refresh).await.status,
        StatusCode::OK
    );
    assert_eq!(sb.stats().successful_refreshes, 1);
}

#[tokio::test]
async fn expired_access_tokens_are_refused_and_refresh_recovers() {
    let sb = sandbox().await;
    let http = client();
    let tokens = connect(&http, &sb).await;
    sb.expire_access_tokens();
    let expired = get(&http, &sb, "/ping", &tokens.access).await;
    assert_eq!(expired.status, StatusCode::FORBIDDEN);
    assert_eq!(expired.json()["message"], "Unauthorized");

    sb.set_access_token_ttl(std::time::Duration::from_secs(120));
    let rotated = refresh(&http, &sb, &tokens.refresh).await.json();
    assert_eq!(rotated["expires_in"], 120);
    assert_eq!(
        get(
            &http,
            &sb,
            "/ping",
            rotated["access_token"].as_str().unwrap()
        )
        .await
        .status,
        StatusCode::OK
    );
}

/// Each shape thanks.io's spec documents for a bad token, and the switch back to Passport's 401.
#[tokio::test]
async fn bad_tokens_are_answered_as_the_spec_documents_each_endpoint() {
    let sb = sandbox().await;
    let http = client();
    let shapes = [
        (
            Method::GET,
            "/orders/list",
            403,
            json!({"message": "Unauthorized"}),
        ),
        (
            Method::POST,
            "/send/postcard",
            403,
            json!({"message": "Unauthorized"}),
        ),
        (
            Method::GET,
            "/mailing-lists/",
            403,
            json!({"message": "Unauthorized"}),
        ),
        (
            Method::POST,
            "/estimate/postcard",
            401,
            json!({"message": "Unauthorized"}),
        ),
        (
            Method::GET,
            "/orders/48210/items",
            401,
            json!({"status": "failed", "errors": ["Unauthorized"]}),
        ),
        (
            Method::PUT,
            "/order-items/1/invalidate-giftcard",
            401,
            json!({"status": "failed", "errors": ["Unauthorized"]}),
        ),
    ];
    for (method, path, status, body) in &shapes {
        let reply = call(&http, &sb, method.clone(), path, Some("made-up"), None).await;
        assert_eq!(reply.status.as_u16(), *status, "{method} {path}");
        assert_eq!(&reply.json(), body, "{method} {path}");
    }
    sb.set_auth_failures(thanks_sandbox::AuthFailures::Always401);
    for (method, path, _, _) in &shapes {
        let reply = call(&http, &sb, method.clone(), path, None, None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(reply.json(), json!({"message": "Unauthenticated."}));
    }
    // The same switch over HTTP, both ways.
    let url = format!("{}/__sandbox/config", sb.base_url());
    let set = |style: &'static str| {
        let http = http.clone();
        let url = url.clone();
        async move {
            let reply = http
                .put(url)
                .header("content-type", "application/json")
                .body(json!({"auth_failures": style}).to_string())
                .send()
                .await
                .unwrap();
            serde_json::from_str::<serde_json::Value>(&reply.text().await.unwrap()).unwrap()
        }
    };
    assert_eq!(set("documented").await["auth_failures"], "documented");
    let reply = call(&http, &sb, Method::GET, "/ping", None, None).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(set("always401").await["auth_failures"], "always401");
    let reply = call(&http, &sb, Method::GET, "/ping", None, None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn issued_tokens_have_passports_shapes_and_sizes() {
    let sb = sandbox().await;
    let http = client();
    let tokens = connect(&http, &sb).await;
    assert_eq!(tokens.access.split('.').count(), 3, "a JWT");
    assert!(
        (900..=1200).contains(&tokens.access.len()),
        "{}",
        tokens.access.len()
    );
    assert!(tokens.refresh.starts_with("def50200") && tokens.refresh.len() >= 700);
    let rotated = refresh(&http, &sb, &tokens.refresh).await.json();
    let new_refresh = rotated["refresh_token"].as_str().unwrap();
    assert_ne!(new_refresh, tokens.refresh, "refresh tokens rotate");
    assert!(new_refresh.len() >= 700);
}

#[tokio::test]
async fn debug_output_never_shows_the_secret() {
    let sb = sandbox().await;
    let secret = sb.client_secret().to_owned();
    assert!(secret.starts_with("sbx_cs_"));
    assert!(!format!("{sb:?}").contains(&secret));
    let config = SandboxConfig::default();
    assert!(!format!("{config:?}").contains(&config.client_secret));
    assert_ne!(
        config.client_secret,
        SandboxConfig::default().client_secret,
        "fresh per default"
    );
}

#[tokio::test]
async fn invalid_configs_are_refused() {
    let err = Sandbox::start(SandboxConfig {
        redirect_uris: vec![],
        ..Default::default()
    })
    .await
    .unwrap_err();
    assert_eq!(err.code(), "sandbox.invalid_config");
    let taken = sandbox().await;
    let err = Sandbox::start(SandboxConfig {
        port: taken.port(),
        ..Default::default()
    })
    .await
    .unwrap_err();
    assert_eq!(err.code(), "sandbox.bind");
    taken.shutdown().await;
}
