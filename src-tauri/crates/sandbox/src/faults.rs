//! The broken responses behind [`Failure`]: what a client sees when thanks.io's backend or its
//! proxy misbehaves.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::config::Failure;

pub(crate) fn failure_response(failure: Failure) -> Response {
    let (status, content_type, body) = match failure {
        Failure::Html500 => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/html; charset=utf-8",
            "<!doctype html><title>500</title><h1>Server Error</h1><p>Something went wrong on our servers.</p>",
        ),
        Failure::Html502 => (
            StatusCode::BAD_GATEWAY,
            "text/html; charset=utf-8",
            "<!doctype html><title>502</title><h1>502 Bad gateway</h1><p>The web server reported a bad gateway error.</p>",
        ),
        // Truncated mid-document, as when a worker dies while streaming.
        Failure::MalformedJson => (StatusCode::OK, "application/json", "{\"data\": ["),
        // Laravel's answer to a policy that says no: the token is fine, the action isn't allowed.
        Failure::Forbidden403 => (
            StatusCode::FORBIDDEN,
            "application/json",
            "{\"message\":\"This action is unauthorized.\"}",
        ),
        Failure::ErrorIn200 => (
            StatusCode::OK,
            "application/json",
            "{\"error\":\"server_error\",\"error_description\":\"The server encountered an unexpected condition.\",\
             \"message\":\"The server encountered an unexpected condition.\",\"failure\":true}",
        ),
    };
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
