//! `GET /oauth/authorize` (validate, then show the consent page) and `POST /oauth/authorize`
//! (the user's decision → 302 back to the client).
//!
//! Problems with the client or the redirect URI get an error page and no redirect, because
//! redirecting to an unverified URI would make the sandbox an open redirector. Everything else
//! (bad PKCE method, unknown scope) is reported to the client on its redirect URI, with `state`.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::error::OAuthError;
use super::pages::{self, Consent};
use super::pkce::{self, Challenge, Method};
use super::redirect;
use super::store::PendingAuthorization;
use super::{param, parse_params};
use crate::state::{AppState, lock};

pub(crate) async fn show(State(s): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let params = match parse_params(query.unwrap_or_default().as_bytes()) {
        Ok(p) => p,
        Err(name) => {
            return pages::error(
                "Invalid request",
                &format!("The parameter `{name}` is repeated."),
            );
        }
    };
    let Some(client_id) = param(&params, "client_id") else {
        return pages::error("Invalid request", "The request has no client_id.");
    };
    let Some(redirect_uri) = param(&params, "redirect_uri") else {
        return pages::error("Invalid request", "The request has no redirect_uri.");
    };
    match lock(&s.clients).accepts_redirect(client_id, redirect_uri) {
        None => {
            return pages::error(
                "Unknown client",
                "No OAuth client with this client_id is registered.",
            );
        }
        // league answers `invalid_client` here; the page says why in plain words.
        Some(false) => {
            return pages::error(
                "Invalid redirect URI",
                "This redirect_uri is not registered for the client (thanks.io compares it \
                 character for character; only 127.0.0.1 and [::1] may change the port), so \
                 the sandbox will not send you there.",
            );
        }
        Some(true) => {}
    }
    if param(&params, "response_type") != Some("code") {
        return pages::error(
            "Unsupported response type",
            "Only response_type=code is supported.",
        );
    }
    let state = param(&params, "state").map(str::to_owned);
    let back = |err: OAuthError| redirect_error(redirect_uri, &err, state.as_deref());

    // The sandbox defines no scopes, like thanks.io's documented flow; any requested scope is
    // unknown.
    if let Some(scope) = params
        .get("scope")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        let first = scope.split_whitespace().next().unwrap_or(scope);
        return back(OAuthError::invalid_scope(format!(
            "Check the `{first}` scope"
        )));
    }
    let challenge = match read_challenge(&params) {
        Ok(c) => c,
        Err(err) => return back(err),
    };

    let pending = PendingAuthorization {
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        state: state.clone(),
        challenge,
    };
    let auth_request = lock(&s.oauth).begin(pending, Instant::now());
    pages::consent(&Consent {
        account_name: &s.account_name,
        client_id,
        redirect_uri,
        auth_request: &auth_request,
    })
}

fn read_challenge(
    params: &std::collections::HashMap<String, String>,
) -> Result<Option<Challenge>, OAuthError> {
    let method_raw = param(params, "code_challenge_method");
    let Some(value) = param(params, "code_challenge") else {
        return match method_raw {
            Some(_) => Err(OAuthError::invalid_request(
                "code_challenge_method was sent without code_challenge",
            )),
            None => Ok(None),
        };
    };
    let method = Method::parse(method_raw).ok_or_else(|| {
        OAuthError::invalid_request("Code challenge method must be one of `S256`, `plain`")
    })?;
    if !pkce::well_formed(value) {
        return Err(OAuthError::invalid_request(
            "Code challenge must be 43-128 characters of [A-Za-z0-9-._~]",
        ));
    }
    Ok(Some(Challenge {
        method,
        value: value.to_owned(),
    }))
}

pub(crate) async fn decide(State(s): State<AppState>, body: Bytes) -> Response {
    let Ok(form) = parse_params(&body) else {
        return pages::error("Invalid request", "The consent form was malformed.");
    };
    let approve = match param(&form, "decision") {
        Some("approve") => true,
        Some("deny") => false,
        _ => return pages::error("Invalid request", "The consent form carried no decision."),
    };
    let taken =
        param(&form, "auth_request").and_then(|id| lock(&s.oauth).take_pending(id, Instant::now()));
    let Some(pending) = taken else {
        return pages::error(
            "This authorization request is no longer valid",
            "It was already answered, has expired (after 10 minutes), or never existed.",
        );
    };
    let redirect_uri = pending.redirect_uri.clone();
    let state = pending.state.clone();
    if !approve {
        return redirect_error(
            &redirect_uri,
            &OAuthError::access_denied(),
            state.as_deref(),
        );
    }
    let code = lock(&s.oauth).issue_code(pending, Instant::now());
    let mut params = vec![("code", code.as_str())];
    if let Some(state) = state.as_deref() {
        params.push(("state", state));
    }
    found(&redirect::with_params(&redirect_uri, &params))
}

fn redirect_error(redirect_uri: &str, err: &OAuthError, state: Option<&str>) -> Response {
    let mut params = err.as_redirect_params().to_vec();
    if let Some(state) = state {
        params.push(("state", state));
    }
    found(&redirect::with_params(redirect_uri, &params))
}

fn found(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (
            StatusCode::FOUND,
            [
                (header::LOCATION, value),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
        )
            .into_response(),
        // Registered URIs are checked strings and parameters are percent-encoded, so this only
        // happens for a registered URI with control characters.
        Err(_) => pages::error(
            "Invalid redirect URI",
            "The registered redirect URI cannot be used in a header.",
        ),
    }
}
