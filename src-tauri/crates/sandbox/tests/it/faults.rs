//! Injected failures and delays, on both the token endpoint and the API.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use thanks_sandbox::{Failure, Faults};

use crate::common::*;

/// What each failure must look like on the wire.
fn check(failure: Failure, reply: &Reply) {
    let content_type = reply.header("content-type").unwrap_or_default();
    match failure {
        Failure::Html500 => {
            assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
            assert!(content_type.starts_with("text/html"));
            assert!(reply.text.starts_with("<!doctype html><title>500</title>"));
        }
        Failure::Html502 => {
            assert_eq!(reply.status, StatusCode::BAD_GATEWAY);
            assert!(content_type.starts_with("text/html"));
            assert!(reply.text.contains("502"));
        }
        Failure::MalformedJson => {
            assert_eq!(reply.status, StatusCode::OK);
            assert_eq!(content_type, "application/json");
            assert!(serde_json::from_str::<serde_json::Value>(&reply.text).is_err());
        }
        Failure::ErrorIn200 => {
            assert_eq!(reply.status, StatusCode::OK);
            assert_eq!(reply.json()["error"], "server_error");
        }
        Failure::Forbidden403 => {
            assert_eq!(reply.status, StatusCode::FORBIDDEN);
            assert_eq!(reply.json()["message"], "This action is unauthorized.");
        }
    }
}

const ALL: [Failure; 5] = [
    Failure::Html500,
    Failure::Html502,
    Failure::MalformedJson,
    Failure::ErrorIn200,
    Failure::Forbidden403,
];

#[tokio::test]
async fn token_failures_leave_the_refresh_token_usable() {
    let sb = sandbox().await;
    let http = client();
    let tokens = connect(&http, &sb).await;
    for failure in ALL {
        sb.set_faults(Faults {
            token_failure: Some(failure),
            ..Faults::default()
        });
        check(failure, &refresh(&http, &sb, &tokens.refresh).await);
    }
    sb.set_faults(Faults::default());
    assert_eq!(
        refresh(&http, &sb, &tokens.refresh).await.status,
        StatusCode::OK
    );
    let stats = sb.stats();
    assert_eq!(stats.token_requests, 7, "faulted requests are counted too");
    assert_eq!(
        (stats.refresh_token_grants, stats.successful_refreshes),
        (6, 1)
    );
}

#[tokio::test]
async fn a_faulted_exchange_does_not_spend_the_code() {
    let sb = sandbox().await;
    let http = client();
    let code = code(&http, &sb).await;
    sb.set_faults(Faults {
        token_failure: Some(Failure::Html502),
        ..Faults::default()
    });
    check(Failure::Html502, &exchange(&http, &sb, &code).await);
    sb.set_faults(Faults::default());
    assert_eq!(exchange(&http, &sb, &code).await.status, StatusCode::OK);
}

#[tokio::test]
async fn api_failures_come_before_authentication() {
    let (sb, http, token) = connected().await;
    for failure in ALL {
        sb.set_faults(Faults {
            api_failure: Some(failure),
            ..Faults::default()
        });
        check(failure, &get(&http, &sb, "/orders/list", &token).await);
        check(failure, &get(&http, &sb, "/ping", "not-a-token").await);
    }
    sb.set_faults(Faults::default());
    assert_eq!(
        get(&http, &sb, "/ping", &token).await.status,
        StatusCode::OK
    );
    assert_eq!(sb.stats().api_requests, 11);
}

#[tokio::test]
async fn delays_apply_to_their_endpoint_only() {
    let (sb, http, token) = connected().await;
    sb.set_faults(Faults {
        api_delay_ms: 150,
        ..Faults::default()
    });
    let started = Instant::now();
    assert_eq!(
        get(&http, &sb, "/ping", &token).await.status,
        StatusCode::OK
    );
    assert!(started.elapsed() >= Duration::from_millis(150));

    sb.set_faults(Faults {
        token_delay_ms: 150,
        ..Faults::default()
    });
    let started = Instant::now();
    let _ = refresh(&http, &sb, "sbx_rt_whatever").await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    let started = Instant::now();
    get(&http, &sb, "/ping", &token).await;
    assert!(started.elapsed() < Duration::from_millis(150));
}
