//! `POST /oauth/token`: the `authorization_code` and `refresh_token` grants.
//!
//! Order of work for every request: count it, apply the configured delay and failure, then
//! authenticate the client and run the grant. Injected failures therefore never consume a code
//! or a refresh token. Nothing from the request body is logged.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use super::error::OAuthError;
use super::store::{CodeExchange, IssuedTokens};
use super::{param, parse_params};
use crate::faults;
use crate::state::{AppState, Shared, lock};

pub(crate) async fn issue(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    s.counters.token_requests.bump();
    let form = parse_params(&body);
    match form.as_ref().ok().and_then(|f| param(f, "grant_type")) {
        Some("authorization_code") => s.counters.authorization_code_grants.bump(),
        Some("refresh_token") => s.counters.refresh_token_grants.bump(),
        _ => {}
    }

    let injected = s.faults();
    if injected.token_delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(injected.token_delay_ms)).await;
    }
    if let Some(failure) = injected.token_failure {
        return faults::failure_response(failure);
    }

    let result = match form {
        Ok(form) => grant(&s, &headers, &form),
        Err(name) => Err(OAuthError::invalid_request(format!(
            "Parameter `{name}` is repeated"
        ))),
    };
    match result {
        Ok(tokens) => success(&tokens),
        Err(err) => err.into_response(),
    }
}

fn grant(
    s: &Shared,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<IssuedTokens, OAuthError> {
    let Some(grant_type) = param(form, "grant_type") else {
        return Err(OAuthError::invalid_request(
            "Check the `grant_type` parameter",
        ));
    };
    if !matches!(grant_type, "authorization_code" | "refresh_token") {
        return Err(OAuthError::unsupported_grant_type(
            "Supported grant types are `authorization_code` and `refresh_token`",
        ));
    }
    let client_id = authenticate_client(s, headers, form)?;
    let ttl = s.settings().access_token_ttl;
    let now = Instant::now();
    if grant_type == "authorization_code" {
        let Some(code) = param(form, "code") else {
            return Err(OAuthError::invalid_request("Check the `code` parameter"));
        };
        let exchange = CodeExchange {
            client_id: &client_id,
            code,
            redirect_uri: param(form, "redirect_uri"),
            verifier: param(form, "code_verifier"),
        };
        return lock(&s.oauth).exchange_code(&exchange, ttl, now);
    }

    let Some(refresh_token) = param(form, "refresh_token") else {
        return Err(OAuthError::invalid_request(
            "Check the `refresh_token` parameter",
        ));
    };
    if std::mem::take(&mut lock(&s.faults).invalid_grant_next_refresh) {
        return Err(OAuthError::invalid_grant("Token has been revoked"));
    }
    let tokens = lock(&s.oauth).refresh(refresh_token, &client_id, ttl, now)?;
    s.counters.successful_refreshes.bump();
    Ok(tokens)
}

/// Client credentials from the body, falling back to HTTP Basic (league reads them the same
/// way). Returns the authenticated client id.
fn authenticate_client(
    s: &Shared,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<String, OAuthError> {
    let basic = basic_credentials(headers);
    let used_basic = basic.is_some();
    let (basic_id, basic_secret) = basic.unwrap_or_default();
    let client_id = param(form, "client_id").map(str::to_owned).or(basic_id);
    let secret = param(form, "client_secret")
        .map(str::to_owned)
        .or(basic_secret);

    let Some(client_id) = client_id else {
        return Err(OAuthError::invalid_request(
            "Check the `client_id` parameter",
        ));
    };
    let refuse = |hint: &str| {
        let mut err = OAuthError::invalid_client(hint);
        err.basic_challenge = used_basic;
        Err(err)
    };
    let clients = lock(&s.clients);
    if clients.get(&client_id).is_none() {
        return refuse("The client is not registered");
    }
    match secret {
        None => refuse("This client is confidential: send its client_secret"),
        Some(secret) if !clients.secret_matches(&client_id, &secret) => {
            refuse("The client secret is wrong")
        }
        Some(_) => Ok(client_id),
    }
}

/// `Authorization: Basic base64(id:secret)`. RFC 6749 §2.3.1 says both halves are
/// form-urlencoded first; many clients don't, so decoded values are used only when decoding
/// changes nothing that matters (see [`form_decode`]).
fn basic_credentials(headers: &HeaderMap) -> Option<(Option<String>, Option<String>)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let non_empty = |v: String| (!v.is_empty()).then_some(v);
    Some((non_empty(form_decode(id)), non_empty(form_decode(secret))))
}

/// Form-decodes a Basic credential only if it contains `%` escapes; a raw `+` in an unencoded
/// secret would otherwise turn into a space.
fn form_decode(raw: &str) -> String {
    if !raw.contains('%') {
        return raw.to_owned();
    }
    let wrapped = format!("v={raw}");
    url::form_urlencoded::parse(wrapped.as_bytes())
        .next()
        .map_or_else(|| raw.to_owned(), |(_, v)| v.into_owned())
}

fn success(tokens: &IssuedTokens) -> Response {
    let body = json!({
        "token_type": "Bearer",
        "expires_in": tokens.expires_in,
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
    });
    let mut response = Json(body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_read() {
        let mut headers = HeaderMap::new();
        let encoded = STANDARD.encode("my-client:s%2Bcr+t");
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("basic {encoded}")).unwrap(),
        );
        let (id, secret) = basic_credentials(&headers).unwrap();
        assert_eq!(id.as_deref(), Some("my-client"));
        assert_eq!(secret.as_deref(), Some("s+cr t"));
        let raw = STANDARD.encode("id:a+b");
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Basic {raw}")).unwrap(),
        );
        assert_eq!(
            basic_credentials(&headers).unwrap().1.as_deref(),
            Some("a+b")
        );
    }
}
