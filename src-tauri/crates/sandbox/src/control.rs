//! `/__sandbox/*`: the same control the Rust API offers, over HTTP, for tests that are not
//! written in Rust (WebDriver suites, shell scripts).
//!
//! No authentication: the server listens on loopback only. Nothing here reveals a secret except
//! the one answer that creates a client, which carries its new secret once (as thanks.io's
//! dashboard shows it once). These routes are not counted in `api_requests` and ignore
//! injected faults.

use std::time::{Duration, Instant};

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::{AuthFailures, Faults};
use crate::state::{AppState, Shared, lock};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/__sandbox/stats", get(stats))
        .route("/__sandbox/faults", get(faults).put(set_faults))
        .route("/__sandbox/config", get(config).put(set_config))
        .route("/__sandbox/expire-access-tokens", post(expire))
        .route("/__sandbox/clients", get(clients).post(register_client))
        .route("/__sandbox/clients/{id}", put(update_client))
}

/// Passport's client form: a name and comma-separated redirect URIs.
#[derive(Deserialize)]
struct ClientForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    redirect: String,
}

async fn clients(State(s): State<AppState>) -> Response {
    let clients = lock(&s.clients);
    let list: Vec<Value> = clients
        .iter()
        .map(|(id, c)| json!({"id": id, "name": c.name, "redirect": c.redirect_uris.join(",")}))
        .collect();
    Json(list).into_response()
}

/// `POST /__sandbox/clients`, like Passport's `POST /oauth/clients`: 201 with the new client
/// and its secret, or 422 with Laravel's validation errors.
async fn register_client(State(s): State<AppState>, body: Bytes) -> Response {
    let form = match read_client_form(&body) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    match lock(&s.clients).register(form.name.trim(), &form.redirect) {
        Ok((id, secret)) => (
            StatusCode::CREATED,
            Json(json!({"id": id, "name": form.name.trim(), "redirect": form.redirect, "secret": secret})),
        )
            .into_response(),
        Err(message) => invalid("redirect", message),
    }
}

/// `PUT /__sandbox/clients/{id}`, like Passport's `PUT /oauth/clients/{id}`.
async fn update_client(State(s): State<AppState>, Path(id): Path<String>, body: Bytes) -> Response {
    let form = match read_client_form(&body) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    match lock(&s.clients).update(&id, form.name.trim(), &form.redirect) {
        Ok(true) => Json(json!({"id": id, "name": form.name.trim(), "redirect": form.redirect}))
            .into_response(),
        Ok(false) => (StatusCode::NOT_FOUND, Json(json!({"message": "Not Found"}))).into_response(),
        Err(message) => invalid("redirect", message),
    }
}

/// The form, or the answer that refuses it (boxed: a `Response` is large).
fn read_client_form(body: &[u8]) -> Result<ClientForm, Box<Response>> {
    let form: ClientForm = serde_json::from_slice(body).map_err(|e| Box::new(unprocessable(&e)))?;
    if form.name.trim().is_empty() {
        return Err(Box::new(invalid("name", "The name field is required.")));
    }
    if form.redirect.trim().is_empty() {
        return Err(Box::new(invalid(
            "redirect",
            "The redirect field is required.",
        )));
    }
    Ok(form)
}

/// Laravel's 422: the first message on top, every message under its field.
fn invalid(field: &str, message: &str) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({"message": message, "errors": {field: [message]}})),
    )
        .into_response()
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
    auth_failures: Option<AuthFailures>,
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
        if let Some(style) = patch.auth_failures {
            settings.auth_failures = style;
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
    let redirect_uris = lock(&s.clients)
        .get(&s.client_id)
        .map(|c| c.redirect_uris.clone())
        .unwrap_or_default();
    json!({
        "client_id": s.client_id,
        "redirect_uris": redirect_uris,
        "strict_registration": s.strict_registration,
        "account_name": s.account_name,
        "access_token_ttl_secs": settings.access_token_ttl.as_secs(),
        "rate_limit_per_minute": settings.rate_limit_per_minute,
        "test_mode": settings.test_mode,
        "auth_failures": settings.auth_failures,
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
