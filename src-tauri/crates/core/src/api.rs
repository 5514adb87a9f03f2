//! Requests to thanks.io's API with the profile's token attached.
//!
//! Paths are relative to the profile's API base; a full URL is accepted only on the API base's
//! origin, so the bearer token never leaves for another host. The token is refreshed ahead of
//! expiry and once when the API refuses it (any 401, or one of the 403 bodies thanks.io documents
//! for a bad token: see [`crate::auth_failure`]), then the request is retried once. What comes back carries the
//! status, headers, body, size and timings; the request as displayed has its credentials masked.

use std::time::Instant;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::config::Profile;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::Trigger;
use crate::oauth::token::net_error;
use crate::redact::{is_sensitive_header, mask_header};
use crate::tokens::AuthKind;

/// Bodies past this size are not read into memory.
pub const MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

/// A request as the console or `thanksctl call` describes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RequestSpec {
    pub method: String,
    /// Relative to the API base (`orders/list`, `/orders/list`), or a full URL on its origin.
    pub path: String,
    #[serde(default)]
    pub query: Vec<(String, String)>,
    /// Extra headers. Values of credential headers are masked whenever shown.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub body: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timings {
    /// Until the response headers arrived.
    pub ttfb_ms: f64,
    pub total_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResponseView {
    pub method: String,
    /// The URL that was requested (no credentials; the query is the user's own).
    pub url: String,
    /// Request headers as sent, credentials masked.
    pub request_headers: Vec<(String, String)>,
    pub status: u16,
    pub reason: String,
    /// Response headers, credentials (e.g. Set-Cookie) masked.
    pub headers: Vec<(String, String)>,
    #[serde(serialize_with = "lossy_utf8")]
    pub body: Vec<u8>,
    pub size: usize,
    pub timings: Timings,
    /// Whether the token was refreshed on the way.
    pub refreshed: bool,
}

fn lossy_utf8<S: serde::Serializer>(b: &[u8], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&String::from_utf8_lossy(b))
}

impl ResponseView {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Resolves a path against the API base and refuses other origins.
pub fn resolve_url(api_base: &Url, path: &str, query: &[(String, String)]) -> Result<Url> {
    let path = path.trim();
    let lower = path.to_ascii_lowercase();
    let mut url = if lower.starts_with("http://") || lower.starts_with("https://") {
        Url::parse(path).map_err(|e| Error::BadRequest(format!("the URL is not valid ({e})")))?
    } else if path.contains("://") {
        return Err(Error::BadRequest(
            "only http and https URLs can be called".into(),
        ));
    } else {
        let base = api_base.as_str().trim_end_matches('/');
        Url::parse(&format!("{base}/{}", path.trim_start_matches('/')))
            .map_err(|e| Error::BadRequest(format!("the path is not valid ({e})")))?
    };
    if url.origin() != api_base.origin() {
        return Err(Error::ForeignOrigin {
            url_origin: url.origin().ascii_serialization(),
            api_origin: api_base.origin().ascii_serialization(),
        });
    }
    url.set_fragment(None);
    if !query.is_empty() {
        let mut q = url.query_pairs_mut();
        for (k, v) in query {
            q.append_pair(k, v);
        }
    }
    Ok(url)
}

impl Engine {
    /// Sends a request to the profile's API with its token.
    pub async fn call(&self, name: &str, spec: &RequestSpec) -> Result<ResponseView> {
        let profile = self.profile(name)?;
        self.call_profile(&profile, spec).await
    }

    pub async fn call_profile(
        &self,
        profile: &Profile,
        spec: &RequestSpec,
    ) -> Result<ResponseView> {
        let method =
            reqwest::Method::from_bytes(spec.method.trim().to_ascii_uppercase().as_bytes())
                .map_err(|_| {
                    Error::BadRequest(format!("\"{}\" is not an HTTP method", spec.method))
                })?;
        let url = resolve_url(&profile.api_base, &spec.path, &spec.query)?;
        for (k, v) in &spec.headers {
            if reqwest::header::HeaderName::from_bytes(k.as_bytes()).is_err()
                || reqwest::header::HeaderValue::from_str(v).is_err()
            {
                return Err(Error::BadRequest(format!(
                    "the header \"{k}\" is not valid"
                )));
            }
        }
        let start_generation = self.meta_generation(profile);
        let mut token = self.usable_token(profile).await?;
        let mut refreshed = false;
        let outcome = loop {
            let mut view = match self
                .send_once(&method, &url, spec, token.token.expose())
                .await
            {
                Ok(v) => v,
                Err(e) => break Err(e),
            };
            if token.auth == AuthKind::Oauth
                && !refreshed
                && crate::auth_failure::means_expired_token(view.status, &view.body)
            {
                tracing::info!(profile = %profile.name, status = view.status, "the API refused the token; refreshing once");
                token = match self
                    .refresh_if_current(profile, token.generation, Trigger::After401)
                    .await
                {
                    Ok(t) => t,
                    Err(e) => break Err(e),
                };
                refreshed = true;
                continue;
            }
            view.refreshed = refreshed || token.generation != start_generation;
            break Ok(view);
        };
        // For the Accounts view's "last API call"; requests refused before sending don't count.
        let status = outcome.as_ref().ok().map(|v| v.status);
        self.record_call(&profile.uid, status, outcome.as_ref().err())
            .await;
        outcome
    }

    async fn send_once(
        &self,
        method: &reqwest::Method,
        url: &Url,
        spec: &RequestSpec,
        token: &str,
    ) -> Result<ResponseView> {
        let mut headers: Vec<(String, String)> = vec![
            ("Accept".into(), "application/json".into()),
            ("Authorization".into(), format!("Bearer {token}")),
        ];
        if spec.body.is_some()
            && !spec
                .headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            headers.push(("Content-Type".into(), "application/json".into()));
        }
        for (k, v) in &spec.headers {
            headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(k));
            headers.push((k.clone(), v.clone()));
        }
        let mut req = self.api_http().request(method.clone(), url.clone());
        for (k, v) in &headers {
            let mut value = reqwest::header::HeaderValue::from_str(v)
                .map_err(|_| Error::BadRequest(format!("the header \"{k}\" is not valid")))?;
            value.set_sensitive(is_sensitive_header(k));
            req = req.header(k.as_str(), value);
        }
        if let Some(body) = &spec.body {
            req = req.body(body.clone());
        }
        let started = Instant::now();
        let mut resp = req
            .send()
            .await
            .map_err(|e| net_error(e, "the thanks.io API"))?;
        let ttfb = started.elapsed();
        let status = resp.status();
        let resp_headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    mask_header(k.as_str(), &String::from_utf8_lossy(v.as_bytes())),
                )
            })
            .collect();
        let mut body = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| net_error(e, "the thanks.io API"))?
        {
            if body.len() + chunk.len() > MAX_RESPONSE_BODY {
                return Err(Error::BadRequest(
                    "the response is larger than 64 MB".into(),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        let total = started.elapsed();
        tracing::info!(method = %method, path = %url.path(), status = status.as_u16(), ms = total.as_millis() as u64, "api call");
        Ok(ResponseView {
            method: method.to_string(),
            url: url.to_string(),
            request_headers: headers
                .iter()
                .map(|(k, v)| (k.clone(), mask_header(k, v)))
                .collect(),
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
            headers: resp_headers,
            size: body.len(),
            body,
            timings: Timings {
                ttfb_ms: ttfb.as_secs_f64() * 1000.0,
                total_ms: total.as_secs_f64() * 1000.0,
            },
            refreshed: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_and_same_origin_only() {
        let base = Url::parse("https://api.thanks.io/api/v2").unwrap();
        let q = vec![("items_per_page".to_string(), "5".to_string())];
        assert_eq!(
            resolve_url(&base, "orders/list", &q).unwrap().as_str(),
            "https://api.thanks.io/api/v2/orders/list?items_per_page=5"
        );
        assert_eq!(
            resolve_url(&base, "/ping", &[]).unwrap().as_str(),
            "https://api.thanks.io/api/v2/ping"
        );
        assert_eq!(
            resolve_url(
                &base,
                "https://api.thanks.io/api/v2/orders/list?page=2",
                &[]
            )
            .unwrap()
            .as_str(),
            "https://api.thanks.io/api/v2/orders/list?page=2"
        );
        let e = resolve_url(&base, "https://evil.example/api/v2/ping", &[]).unwrap_err();
        assert_eq!(e.code(), "api.foreign_origin");
        assert!(e.to_string().contains("https://evil.example"));
        assert_eq!(
            resolve_url(&base, "http://api.thanks.io/api/v2/ping", &[])
                .unwrap_err()
                .code(),
            "api.foreign_origin"
        );
        assert_eq!(
            resolve_url(&base, "https://api.thanks.io:444/x", &[])
                .unwrap_err()
                .code(),
            "api.foreign_origin"
        );
        assert_eq!(
            resolve_url(&base, "ftp://api.thanks.io/x", &[])
                .unwrap_err()
                .code(),
            "api.bad_request"
        );
        // A path can't climb to another origin.
        assert_eq!(
            resolve_url(&base, "//evil.example/x", &[])
                .unwrap()
                .host_str(),
            Some("api.thanks.io")
        );
    }
}
