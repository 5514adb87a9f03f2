//! What goes into the history and what comes out of it. Entries and summaries are `Serialize`
//! for IPC (snake_case, bodies as text); nothing in them is secret, because [`crate::History`]
//! masks every entry before it is stored.

use serde::{Deserialize, Serialize};
use thanks_core::api::{RequestSpec, ResponseView, resolve_url};
use thanks_core::util::UnixTime;
use url::Url;

/// One request as the console or `thanksctl call` made it. Masking happens inside
/// [`crate::History::record`]: a caller may pass credentials here, they are not stored.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub profile: String,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: Option<String>,
    /// `None` when no response came (see `error`).
    pub status: Option<u16>,
    pub reason: String,
    pub response_headers: Vec<(String, String)>,
    pub response_body: Option<Vec<u8>>,
    /// Response size in bytes, as received (the stored body may be cut shorter).
    pub size: u64,
    pub ttfb_ms: Option<f64>,
    pub total_ms: Option<f64>,
    pub error: Option<Failure>,
    pub at: UnixTime,
}

/// Why a request got no response, as the core reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub code: String,
    pub message: String,
}

impl NewEntry {
    /// A request that got an answer, whatever its status.
    pub fn from_response(
        profile: &str,
        request_body: Option<&str>,
        view: &ResponseView,
        at: UnixTime,
    ) -> Self {
        Self {
            profile: profile.to_string(),
            method: view.method.clone(),
            url: view.url.clone(),
            request_headers: view.request_headers.clone(),
            request_body: request_body.map(str::to_string),
            status: Some(view.status),
            reason: view.reason.clone(),
            response_headers: view.headers.clone(),
            response_body: Some(view.body.clone()),
            size: view.size as u64,
            ttfb_ms: Some(view.timings.ttfb_ms),
            total_ms: Some(view.timings.total_ms),
            error: None,
            at,
        }
    }

    /// A request that failed before an answer (refused, unreachable, timed out…).
    pub fn from_failure(
        profile: &str,
        spec: &RequestSpec,
        api_base: &Url,
        error: &thanks_core::Error,
        at: UnixTime,
    ) -> Self {
        let url = resolve_url(api_base, &spec.path, &spec.query)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| spec.path.clone());
        Self {
            profile: profile.to_string(),
            method: spec.method.trim().to_ascii_uppercase(),
            url,
            request_headers: spec.headers.clone(),
            request_body: spec.body.clone(),
            error: Some(Failure {
                code: error.code().to_string(),
                message: error.to_string(),
            }),
            at,
            ..Self::default()
        }
    }
}

/// A line of the history list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntrySummary {
    pub id: i64,
    pub at: UnixTime,
    pub profile: String,
    pub method: String,
    pub url: String,
    pub status: Option<u16>,
    pub reason: String,
    pub size: u64,
    pub total_ms: Option<f64>,
    pub error: Option<Failure>,
    /// The request body asked for a preview (`"preview": true`): nothing was ordered.
    pub preview: bool,
    /// The order the response created (`id`, `data.id` or `order.id` of a JSON body), so the
    /// list can say "Send · order 123" without loading every body.
    pub order_id: Option<String>,
}

/// One stored request and response, masked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: i64,
    pub at: UnixTime,
    pub profile: String,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: Option<String>,
    pub request_body_truncated: bool,
    pub status: Option<u16>,
    pub reason: String,
    pub response_headers: Vec<(String, String)>,
    /// Lossy UTF-8: the history is for reading.
    pub response_body: Option<String>,
    pub response_body_truncated: bool,
    pub size: u64,
    pub ttfb_ms: Option<f64>,
    pub total_ms: Option<f64>,
    pub error: Option<Failure>,
}

impl Entry {
    /// The request again, for the console: path and query relative to `api_base`, without the
    /// masked credentials (the engine attaches the profile's token) and without the headers the
    /// engine adds by itself.
    pub fn to_spec(&self, api_base: &Url) -> crate::Result<RequestSpec> {
        if self.request_body_truncated {
            return Err(crate::Error::NotRerunnable(
                "its request body was too large to keep whole",
            ));
        }
        let (path, mut query) = match Url::parse(&self.url) {
            Ok(url) => thanks_core::curl::split_url(&url, api_base),
            Err(_) => (self.url.clone(), Vec::new()),
        };
        query.retain(|(_, v)| v != thanks_core::secret::MASK);
        let headers = self
            .request_headers
            .iter()
            .filter(|(k, v)| {
                let engine_default = v.eq_ignore_ascii_case("application/json")
                    && (k.eq_ignore_ascii_case("accept")
                        || (k.eq_ignore_ascii_case("content-type") && self.request_body.is_some()));
                !(thanks_core::redact::is_sensitive_header(k) || engine_default)
            })
            .cloned()
            .collect();
        Ok(RequestSpec {
            method: self.method.clone(),
            path,
            query,
            headers,
            body: self.request_body.clone(),
        })
    }
}

/// A search of the history. Every field is optional; the newest entries come first.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Query {
    /// Matched, case-insensitively, against method, URL, status, reason, error and the start of
    /// both bodies.
    pub text: Option<String>,
    pub profile: Option<String>,
    /// 0 means the default (100); at most 1,000.
    pub limit: u32,
    pub offset: u32,
}

/// How much the history keeps. After each insert the oldest entries go until both bounds hold
/// (the newest entry always stays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_entries: u64,
    /// Stored bytes (bodies, headers, URL, search text), not the file size.
    pub max_bytes: u64,
    /// Each body past this is stored cut, and flagged.
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_entries: 1_000,
            max_bytes: 50 * 1024 * 1024,
            max_body_bytes: 5 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub entries: u64,
    /// Stored bytes, the quantity bounded by [`Limits::max_bytes`].
    pub bytes: u64,
    /// The database file itself (without its write-ahead log).
    pub file_bytes: u64,
}
