//! Assembles the HTTP surface: OAuth pages, `/api/v2`, the `/__sandbox` control routes and the
//! preview images, plus request logging that records method, path and status only — never the
//! query string, where codes and `state` travel.

use axum::extract::{Path, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::state::AppState;
use crate::{api, control, oauth, png};

pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .merge(oauth::routes())
        .merge(control::routes())
        .route("/", get(index))
        .route("/previews/{file}", get(preview))
        .nest("/api/v2", api::routes(state.clone()))
        .fallback(not_found)
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    tracing::debug!(%method, %path, status = response.status().as_u16(), "sandbox request");
    response
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"message": "Not Found"}))).into_response()
}

/// Placeholder images for `"preview": true` sends: `<id>-front.png` and `<id>-back.png`.
async fn preview(Path(file): Path<String>) -> Response {
    let colours = if file.ends_with("-front.png") {
        ([236, 244, 255], [47, 111, 237])
    } else if file.ends_with("-back.png") {
        ([255, 252, 245], [31, 0, 113])
    } else {
        return not_found().await;
    };
    png_response(png::card(300, 204, colours.0, colours.1))
}

pub(crate) fn png_response(bytes: Vec<u8>) -> Response {
    let mut response = bytes.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    response
}

/// A landing page so someone who opens the base URL in a browser knows what it is.
async fn index() -> Html<&'static str> {
    Html(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>thanks.io sandbox</title></head>\
         <body style=\"font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5\">\
         <h1>thanks.io sandbox</h1><p>A local, in-memory stand-in for thanks.io used by Thanks Connect's \
         demo and tests. Nothing here talks to the real service.</p><ul>\
         <li><code>GET /oauth/authorize</code> – consent page</li>\
         <li><code>POST /oauth/token</code> – authorization_code and refresh_token grants</li>\
         <li><code>/api/v2/…</code> – the thanks.io API (try <code>GET /api/v2/handwriting-styles</code>)</li>\
         <li><code>GET /__sandbox/stats</code>, <code>PUT /__sandbox/faults</code>, \
         <code>PUT /__sandbox/config</code>, <code>POST /__sandbox/expire-access-tokens</code> – test control</li>\
         </ul></body></html>",
    )
}
