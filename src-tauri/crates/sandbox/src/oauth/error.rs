//! OAuth error answers in league/oauth2-server's shape:
//! `{"error","error_description","hint","message"}`, 401 for `invalid_client`, 400 otherwise.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub(crate) struct OAuthError {
    pub code: &'static str,
    pub description: &'static str,
    pub hint: String,
    /// The client authenticated with HTTP Basic, so a 401 carries a Basic challenge (RFC 6749 §5.2).
    pub basic_challenge: bool,
}

impl OAuthError {
    fn new(code: &'static str, description: &'static str, hint: impl Into<String>) -> Self {
        Self {
            code,
            description,
            hint: hint.into(),
            basic_challenge: false,
        }
    }

    pub(crate) fn invalid_request(hint: impl Into<String>) -> Self {
        Self::new(
            "invalid_request",
            "The request is missing a required parameter, includes an invalid parameter value, \
             includes a parameter more than once, or is otherwise malformed.",
            hint,
        )
    }

    pub(crate) fn invalid_client(hint: impl Into<String>) -> Self {
        Self::new("invalid_client", "Client authentication failed", hint)
    }

    pub(crate) fn invalid_grant(hint: impl Into<String>) -> Self {
        Self::new(
            "invalid_grant",
            "The provided authorization grant (e.g., authorization code, resource owner \
             credentials) or refresh token is invalid, expired, revoked, does not match the \
             redirection URI used in the authorization request, or was issued to another client.",
            hint,
        )
    }

    pub(crate) fn unsupported_grant_type(hint: impl Into<String>) -> Self {
        Self::new(
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
            hint,
        )
    }

    pub(crate) fn invalid_scope(hint: impl Into<String>) -> Self {
        Self::new(
            "invalid_scope",
            "The requested scope is invalid, unknown, or malformed",
            hint,
        )
    }

    pub(crate) fn access_denied() -> Self {
        Self::new(
            "access_denied",
            "The resource owner or authorization server denied the request.",
            "The user denied the request",
        )
    }

    fn status(&self) -> StatusCode {
        if self.code == "invalid_client" {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        }
    }

    /// The same error as redirect parameters (authorize endpoint).
    pub(crate) fn as_redirect_params(&self) -> [(&'static str, &str); 4] {
        [
            ("error", self.code),
            ("error_description", self.description),
            ("hint", &self.hint),
            ("message", self.description),
        ]
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = json!({
            "error": self.code,
            "error_description": self.description,
            "hint": self.hint,
            "message": self.description,
        });
        let mut response = (self.status(), Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if self.basic_challenge && self.code == "invalid_client" {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"OAuth\""),
            );
        }
        response
    }
}
