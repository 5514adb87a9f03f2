//! The `/__sandbox/*` HTTP control routes, for tests not written in Rust.

use reqwest::{Method, StatusCode};
use serde_json::json;
use thanks_sandbox::{Failure, Stats};

use crate::common::*;

#[tokio::test]
async fn stats_are_served_and_control_routes_are_not_counted() {
    let (sb, http, token) = connected().await;
    get(&http, &sb, "/ping", &token).await;
    let reply = control(&http, &sb, Method::GET, "stats", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let stats: Stats = serde_json::from_str(&reply.text).unwrap();
    assert_eq!(stats, sb.stats());
    assert_eq!(stats.api_requests, 1);
    assert_eq!(stats.token_requests, 1);
}

#[tokio::test]
async fn faults_can_be_set_partially_and_cleared() {
    let (sb, http, token) = connected().await;
    let set = control(
        &http,
        &sb,
        Method::PUT,
        "faults",
        Some(&json!({"api_failure": "html_502"})),
    )
    .await;
    assert_eq!(set.status, StatusCode::OK);
    assert_eq!(set.json()["api_delay_ms"], 0, "missing fields are defaults");
    assert_eq!(sb.faults().api_failure, Some(Failure::Html502));
    assert_eq!(
        get(&http, &sb, "/ping", &token).await.status,
        StatusCode::BAD_GATEWAY
    );
    let canonical = control(
        &http,
        &sb,
        Method::PUT,
        "faults",
        Some(&json!({"token_failure": "error_in200"})),
    )
    .await;
    assert_eq!(canonical.json()["token_failure"], "error_in200");
    assert_eq!(serde_json::to_value(Failure::Html500).unwrap(), "html500");

    let bad = control(
        &http,
        &sb,
        Method::PUT,
        "faults",
        Some(&json!({"api_failure": "explode"})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let typo = control(
        &http,
        &sb,
        Method::PUT,
        "faults",
        Some(&json!({"api_fialure": "html_500"})),
    )
    .await;
    assert_eq!(
        typo.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown fields are refused"
    );

    control(
        &http,
        &sb,
        Method::PUT,
        "faults",
        Some(&json!({"invalid_grant_next_refresh": true})),
    )
    .await;
    assert_eq!(
        get(&http, &sb, "/ping", &token).await.status,
        StatusCode::OK,
        "a PUT replaces all faults"
    );
    assert!(
        control(&http, &sb, Method::GET, "faults", None)
            .await
            .json()["invalid_grant_next_refresh"]
            == true
    );
}

#[tokio::test]
async fn config_changes_rate_limit_ttl_and_test_mode() {
    let (sb, http, token) = connected().await;
    let patch =
        json!({"rate_limit_per_minute": 2, "access_token_ttl_secs": 90, "test_mode": false});
    let reply = control(&http, &sb, Method::PUT, "config", Some(&patch)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    assert_eq!(
        (
            body["rate_limit_per_minute"].as_u64(),
            body["test_mode"].as_bool()
        ),
        (Some(2), Some(false))
    );
    assert!(
        !reply.text.contains(sb.client_secret()),
        "the secret never leaves over HTTP"
    );

    let estimate = post(
        &http,
        &sb,
        "/estimate/postcard",
        &token,
        &minimal_postcard(),
    )
    .await;
    assert_eq!(estimate.json()["data"]["test_mode"], false);
    get(&http, &sb, "/ping", &token).await;
    assert_eq!(
        get(&http, &sb, "/ping", &token).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );

    let zero = control(
        &http,
        &sb,
        Method::PUT,
        "config",
        Some(&json!({"rate_limit_per_minute": 0})),
    )
    .await;
    assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY);
    let tokens = connect(&http, &sb).await;
    let rotated = refresh(&http, &sb, &tokens.refresh).await.json();
    assert_eq!(rotated["expires_in"], 90);
}

#[tokio::test]
async fn expire_access_tokens_over_http() {
    let (sb, http, token) = connected().await;
    let reply = control(&http, &sb, Method::POST, "expire-access-tokens", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["expired"], 1);
    assert_eq!(
        get(&http, &sb, "/ping", &token).await.status,
        StatusCode::FORBIDDEN
    );
}

pub fn minimal_postcard() -> serde_json::Value {
    json!({
        "recipients": [{"name": "Ada Lovelace", "address": "123 Main Street, Any Town, NY 12345"}],
        "message": "Hi %FIRST_NAME% - thanks!",
        "front_image_url": "https://example.com/front.png",
    })
}
