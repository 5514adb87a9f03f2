//! The OAuth half of the sandbox: the consent page and the token endpoint, behaving the way
//! Laravel Passport (league/oauth2-server) does — see THANKSIO_API.md §2.3.
//!
//! There is a built-in client (more can be registered, see [`clients`]) and one resource owner,
//! and the consent page never asks for a login: the point is to exercise the client's side of the flow (state, PKCE, redirect
//! handling, code exchange, refresh rotation), not to model dashboard sign-in.

mod authorize;
mod clients;
mod error;
mod jwt;
mod pages;
mod passport;
mod pkce;
mod redirect;
mod store;
mod token;

use std::collections::HashMap;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub(crate) use clients::Clients;
pub(crate) use passport::validate_redirects;
pub(crate) use store::OAuthStore;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/oauth/authorize",
            get(authorize::show).post(authorize::decide),
        )
        .route("/oauth/token", post(token::issue))
}

/// Parses a query string or form body. RFC 6749 §3.1/§3.2: parameters must not be repeated, so
/// a repeated one is reported (by name) instead of silently picking one of the values.
fn parse_params(raw: &[u8]) -> Result<HashMap<String, String>, String> {
    let mut params = HashMap::new();
    for (key, value) in url::form_urlencoded::parse(raw) {
        if params.insert(key.to_string(), value.into_owned()).is_some() {
            return Err(key.into_owned());
        }
    }
    Ok(params)
}

/// A parameter that is present and not empty; OAuth treats empty values as absent.
fn param<'a>(params: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_parameters_are_refused() {
        assert_eq!(parse_params(b"a=1&b=2&a=3"), Err("a".to_owned()));
        let ok = parse_params(b"a=1&b=x%20y").unwrap();
        assert_eq!(ok["b"], "x y");
    }
}
