//! A pasted command made into the console's request, with everything the person should know
//! about what changed on the way: options left out, and an address re-pointed at the profile's
//! own API (a command copied from production, pasted into the sandbox profile, calls the
//! sandbox, and says so).

use serde::Serialize;
use url::Url;

use super::ParsedCurl;
use crate::api::{RequestSpec, resolve_url};

/// What `curl_import` gives the window.
#[derive(Debug, Clone, Serialize)]
pub struct CurlImport {
    pub spec: RequestSpec,
    /// Options and parts that would have changed the request but were not taken over.
    pub unsupported: Vec<String>,
    /// Options that only change how curl itself runs (`--compressed`, `--retry`, `-s`), left out.
    pub ignored: Vec<String>,
    /// Plain sentences about the address: re-pointed, or not on this profile's API.
    pub notes: Vec<String>,
}

impl ParsedCurl {
    /// The console request for a profile whose API is at `api_base`. A URL on another origin
    /// whose path is under the same API path (`https://api.thanks.io/api/v2/orders/list` in a
    /// sandbox profile at `http://127.0.0.1:8080/api/v2`) is re-pointed at the profile's API:
    /// the token only ever goes there anyway. Anything else keeps its whole URL, which Send
    /// refuses; the note says why beforehand.
    pub fn import(&self, api_base: &Url) -> CurlImport {
        let mut spec = self.to_spec(api_base);
        let mut notes = Vec::new();
        let base = api_base.as_str().trim_end_matches('/');
        if !spec.path.starts_with('/') {
            match repoint(&spec.path, api_base) {
                Some((path, from)) => {
                    notes.push(format!(
                        "The command called {from}; the request now goes to this profile's API ({base})."
                    ));
                    spec.path = path;
                }
                None => notes.push(format!(
                    "Its address is not on this profile's API ({base}), so Send will refuse it; \
                     change the path, or use a profile for that API."
                )),
            }
        }
        CurlImport {
            spec,
            unsupported: self.unsupported.clone(),
            ignored: self.ignored.clone(),
            notes,
        }
    }
}

/// `(path under the profile's API, where it pointed before)` when `url`'s path starts with the
/// profile's API path (`/api/v2/…`) and resolves back to it under the profile's base.
fn repoint(url: &str, api_base: &Url) -> Option<(String, String)> {
    let url = Url::parse(url).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let base_path = api_base.path().trim_end_matches('/');
    // A profile whose API sits at the root would claim every URL: re-point only under a path.
    if base_path.is_empty() {
        return None;
    }
    let rest = url
        .path()
        .strip_prefix(base_path)
        .filter(|r| r.starts_with('/'))?;
    let resolved = resolve_url(api_base, rest, &[]).ok()?;
    if resolved.path() != url.path() {
        return None;
    }
    Some((
        rest.to_string(),
        format!("{}{base_path}", url.origin().ascii_serialization()),
    ))
}
