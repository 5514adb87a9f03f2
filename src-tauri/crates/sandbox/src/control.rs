//! `/__sandbox/*`: the same control the Rust API offers, over HTTP, for tests that are not
//! written in Rust (WebDriver suites, shell scripts).
//!
//! No authentication: the server listens on loopback only, and nothing here reveals a secret.
//! These routes are not counted in `api_requests` and ignore injected faults.

use std::time::{Duration, Instant};

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::Faults;
use crate::state::{AppState, Shared, lock};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/__sandbox/stats", get(stats))
        .route("/__sandbox/faults", get(faults).put(set_faults))
        .route("/__sandbox/config", get(config).put(set_config))
        .route("/__sandbox/expire-access-tokens", post(expire))
}

async fn stats(State(s): State<AppState>) -> Response {
    Json(s.counters.snapshot()).into_response()
}

async fn faults(State(s): State<AppState>) -> Response {
    Json(s.faults()).into_response()
}

async fn set_faults(State(s): State<AppState>, body: Bytes) -> Response {
    match serde_json::from_slice::<Faults>(&body) {
        Ok(faults) => {
            *lock(&s.faults) = faults.clone();
            Json(faults).into_response()
        }
        Err(err) => unprocessable(&err),
    }
}

/// Runtime-adjustable settings; absent fields are left unchanged.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigPatch {
    access_token_ttl_secs: Option<u64>,
    rate_limit_per_minute: Option<u32>,
    test_mode: Option<bool>,
}

async fn config(State(s): State<AppState>) -> Response {
    Json(describe(&s)).into_response()
}

async fn set_config(State(s): State<AppState>, body: Bytes) -> Response {
    let patch = match serde_json::from_slice::<ConfigPatch>(&body) {
        Ok(p) => p,
        Err(err) => return unprocessable(&err),
    };
    if patch.rate_limit_per_minute == Some(0) {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"message": "rate_limit_per_minute must be at least 1"})),
        )
            .into_response();
    }
    {
        let mut settings = lock(&s.settings);
        if let Some(secs) = patch.access_token_ttl_secs {
            settings.access_token_ttl = Duration::from_secs(secs);
        }
        if let Some(limit) = patch.rate_limit_per_minute {
            settings.rate_limit_per_minute = limit;
        }
        if let Some(test_mode) = patch.test_mode {
            settings.test_mode = test_mode;
        }
    }
    Json(describe(&s)).into_response()
}

async fn expire(State(s): State<AppState>) -> Response {
    let expired = lock(&s.oauth).expire_access_tokens(Instant::now());
    Json(json!({ "expired": expired })).into_response()
}

/// The current settings, without the client secret.
fn describe(s: &Shared) -> Value {
    let settings = s.settings();
    json!({
        "client_id": s.client.id,
        "redirect_uris": s.client.redirect_uris,
        "account_name": s.account_name,
        "access_token_ttl_secs": settings.access_token_ttl.as_secs(),
        "rate_limit_per_minute": settings.rate_limit_per_minute,
        "test_mode": settings.test_mode,
    })
}

/// A body that doesn't parse: say where, never echo the body.
fn unprocessable(err: &serde_json::Error) -> Response {
    let message = format!("invalid JSON body: {err}");
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "message": message })),
    )
        .into_response()
}
