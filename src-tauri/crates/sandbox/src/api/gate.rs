//! What happens to every `/api/v2` request before a handler sees it.
//!
//! [`envelope`] wraps everything under `/api/v2` (including 404s): it counts the request, then
//! applies injected delay and failure — before authentication, as a failing proxy would.
//! [`authenticate`] wraps the routes that need a token: Bearer check, then the per-token rate
//! limit, whose headers go on every authenticated response.

use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::clock;
use crate::config::AuthFailures;
use crate::faults;
use crate::ratelimit::Verdict;
use crate::state::{AppState, lock};

pub(crate) async fn envelope(State(s): State<AppState>, request: Request, next: Next) -> Response {
    s.counters.api_requests.bump();
    let injected = s.faults();
    if injected.api_delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(injected.api_delay_ms)).await;
    }
    if let Some(failure) = injected.api_failure {
        return faults::failure_response(failure);
    }
    next.run(request).await
}

pub(crate) async fn authenticate(
    State(s): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let now = Instant::now();
    let style = s.settings().auth_failures;
    let path = request.uri().path().to_owned();
    let Some(token) = bearer(request.headers()) else {
        return unauthenticated(style, &path);
    };
    if !lock(&s.oauth).access_is_live(&token, now) {
        return unauthenticated(style, &path);
    }
    let limit = s.settings().rate_limit_per_minute;
    let verdict = lock(&s.limiter).check(&token, limit, now);
    match verdict {
        Verdict::Allowed { limit, remaining } => {
            let mut response = next.run(request).await;
            set_limit_headers(response.headers_mut(), limit, remaining);
            response
        }
        Verdict::Limited {
            limit,
            retry_after_secs,
        } => {
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({"message": "Too Many Attempts."})),
            )
                .into_response();
            let headers = response.headers_mut();
            set_limit_headers(headers, limit, 0);
            let reset = clock::now_unix() + i64::try_from(retry_after_secs).unwrap_or(60);
            headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            headers.insert("x-ratelimit-reset", HeaderValue::from(reset));
            response
        }
    }
}

fn set_limit_headers(headers: &mut HeaderMap, limit: u32, remaining: u32) {
    headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
}

/// The token from `Authorization: Bearer …` (scheme case-insensitive, RFC 7235).
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

/// A missing, unknown or expired token, answered as the spec documents `path` (see
/// [`AuthFailures`]), or as Passport's `auth:api` guard does.
fn unauthenticated(style: AuthFailures, path: &str) -> Response {
    let (status, body) = match style {
        AuthFailures::Always401 => (
            StatusCode::UNAUTHORIZED,
            json!({"message": "Unauthenticated."}),
        ),
        AuthFailures::Documented if path.starts_with("/estimate/") => {
            (StatusCode::UNAUTHORIZED, json!({"message": "Unauthorized"}))
        }
        AuthFailures::Documented
            if path.starts_with("/order-items/")
                || (path.starts_with("/orders/") && path.ends_with("/items")) =>
        {
            (
                StatusCode::UNAUTHORIZED,
                json!({"status": "failed", "errors": ["Unauthorized"]}),
            )
        }
        AuthFailures::Documented => (StatusCode::FORBIDDEN, json!({"message": "Unauthorized"})),
    };
    (status, Json(body)).into_response()
}
