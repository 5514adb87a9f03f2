//! cURL export and import for the console.
//!
//! Export writes the request the engine would send as one POSIX-shell command, with the token as
//! a `$THANKS_TOKEN` placeholder unless the caller explicitly asks for it. Import reads a pasted
//! command into a [`RequestSpec`]: options that change the request are honoured, output-only
//! options are accepted, and everything else is named in [`ParsedCurl::unsupported`], never
//! silently dropped. Import never carries credentials over: an `Authorization` or `Cookie`
//! header, `-u` and `--oauth2-bearer` are left out (and named), because the console sends the
//! profile's own token.

mod import;
mod options;
mod shell;

pub use import::CurlImport;

use serde::Serialize;
use url::Url;

use crate::api::{RequestSpec, resolve_url};
use crate::error::{Error, Result};
use crate::redact::mask_header;
use crate::secret::Secret;

/// The shell variable the exported command reads the token from.
pub const TOKEN_VARIABLE: &str = "THANKS_TOKEN";

/// Pasted commands past this size are refused before any parsing.
pub const MAX_COMMAND_LEN: usize = 16 * 1024 * 1024;

/// What the exported command says about the bearer token.
#[derive(Debug, Clone, Copy)]
pub enum TokenInCurl<'a> {
    /// `-H "Authorization: Bearer $THANKS_TOKEN"`: safe to share, works after `export THANKS_TOKEN=…`.
    Placeholder,
    /// The real token. Only for an explicit user action ("copy with token").
    Include(&'a Secret),
    /// No `Authorization` header at all.
    Omit,
}

/// A pasted cURL command, read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParsedCurl {
    /// Upper-cased.
    pub method: String,
    /// Absolute, without fragment or user info; with `-G`, the data is already in the query.
    pub url: String,
    /// In command order, credential headers left out.
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// Options and parts of the command that were not imported, in plain words (no values).
    pub unsupported: Vec<String>,
    /// Options that only change how curl itself runs, by name, once each (no values).
    pub ignored: Vec<String>,
}

impl ParsedCurl {
    /// The console request: the path relative to `api_base` when the URL is under it, otherwise
    /// the full URL (on another origin the engine then refuses it with a clear error); the query
    /// split into pairs; headers the engine adds itself anyway (`Accept: application/json`, and
    /// `Content-Type: application/json` with a body) left out.
    pub fn to_spec(&self, api_base: &Url) -> RequestSpec {
        let (path, query) = match Url::parse(&self.url) {
            Ok(url) => split_url(&url, api_base),
            Err(_) => (self.url.clone(), Vec::new()),
        };
        let headers = self
            .headers
            .iter()
            .filter(|(k, v)| {
                let json = v.trim().eq_ignore_ascii_case("application/json");
                !(json
                    && (k.eq_ignore_ascii_case("accept")
                        || (k.eq_ignore_ascii_case("content-type") && self.body.is_some())))
            })
            .cloned()
            .collect();
        RequestSpec {
            method: self.method.clone(),
            path,
            query,
            headers,
            body: self.body.clone(),
        }
    }
}

/// Splits a URL into a console path and query pairs. The path is relative to `api_base` (with a
/// leading `/`, as in the endpoint catalog) when the URL is under it, else the full URL without
/// its query. The path stays percent-encoded: it is what goes on the wire, and
/// [`resolve_url`] turns it back into the same URL.
pub fn split_url(url: &Url, api_base: &Url) -> (String, Vec<(String, String)>) {
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let base_path = api_base.path().trim_end_matches('/');
    let under_base =
        url.origin() == api_base.origin() && url.username().is_empty() && url.password().is_none();
    // Relative only when it resolves back to this very path (`//x` or `/a://b` would not).
    let relative = url.path().strip_prefix(base_path).filter(|rest| {
        under_base
            && rest.starts_with('/')
            && resolve_url(api_base, rest, &[]).is_ok_and(|u| u.path() == url.path())
    });
    let path = match relative {
        Some(rest) => rest.to_string(),
        None => {
            let mut bare = url.clone();
            bare.set_query(None);
            bare.set_fragment(None);
            bare.to_string()
        }
    };
    (path, query)
}

/// How the console shows a recorded URL: relative to the profile's API base when it is under it
/// (`/orders/list?page=2`), else the whole URL.
pub fn display_path(url: &str, api_base: &Url) -> String {
    let Ok(parsed) = Url::parse(url) else {
        return url.to_string();
    };
    let (path, _) = split_url(&parsed, api_base);
    if !path.starts_with('/') {
        return url.to_string();
    }
    match parsed.query() {
        Some(q) => format!("{path}?{q}"),
        None => path,
    }
}

/// The request as one shell command: `curl -X METHOD 'URL' -H '…' --data-raw '…'`, one option
/// per line with backslash continuations. Headers are the ones the engine sends (its defaults,
/// then the spec's, a later name replacing an earlier one). Unless the token is included,
/// credential headers the user typed are masked too.
pub fn to_curl(spec: &RequestSpec, api_base: &Url, token: TokenInCurl<'_>) -> Result<String> {
    let method = spec.method.trim().to_ascii_uppercase();
    if method.is_empty() || !method.chars().all(is_tchar) {
        return Err(Error::BadRequest(format!(
            "\"{}\" is not an HTTP method",
            spec.method
        )));
    }
    let url = resolve_url(api_base, &spec.path, &spec.query)?;

    enum Value {
        Text(String),
        TokenVariable,
    }
    let mut headers: Vec<(String, Value)> =
        vec![("Accept".into(), Value::Text("application/json".into()))];
    match token {
        TokenInCurl::Placeholder => headers.push(("Authorization".into(), Value::TokenVariable)),
        TokenInCurl::Include(secret) => headers.push((
            "Authorization".into(),
            Value::Text(format!("Bearer {}", secret.expose())),
        )),
        TokenInCurl::Omit => {}
    }
    if spec.body.is_some()
        && !spec
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        headers.push((
            "Content-Type".into(),
            Value::Text("application/json".into()),
        ));
    }
    for (k, v) in &spec.headers {
        if k.is_empty() || !k.chars().all(is_tchar) {
            return Err(Error::CurlInvalid("a header name is not valid".into()));
        }
        if v.contains(['\r', '\n', '\0']) {
            return Err(Error::CurlInvalid(format!(
                "the value of header \"{k}\" contains a line break or NUL"
            )));
        }
        let value = match token {
            TokenInCurl::Include(_) => v.clone(),
            _ => mask_header(k, v),
        };
        headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(k));
        headers.push((k.clone(), Value::Text(value)));
    }

    let mut first = String::from("curl ");
    if method == "HEAD" && spec.body.is_none() {
        // `-X HEAD` makes curl wait for a body that never comes.
        first.push_str("--head");
    } else {
        first.push_str("-X ");
        first.push_str(&shell::quote(&method));
    }
    first.push(' ');
    first.push_str(&shell::quote(url.as_str()));
    let mut lines = vec![first];
    for (k, v) in headers {
        lines.push(match v {
            Value::TokenVariable => {
                format!("  -H \"{k}: Bearer ${TOKEN_VARIABLE}\"")
            }
            // `Name;` is curl's way to send a header with an empty value (`Name:` removes it).
            Value::Text(v) if v.trim_matches([' ', '\t']).is_empty() => {
                format!("  -H {}", shell::quote(&format!("{k};")))
            }
            Value::Text(v) => format!("  -H {}", shell::quote(&format!("{k}: {v}"))),
        });
    }
    if let Some(body) = &spec.body {
        if body.contains('\0') {
            return Err(Error::CurlInvalid(
                "the body contains a NUL character, which a shell command can't carry".into(),
            ));
        }
        lines.push(format!("  --data-raw {}", shell::quote(body)));
    }
    Ok(lines.join(" \\\n"))
}

/// Reads a pasted cURL command. A leading `$ ` prompt, line continuations and the quoting of
/// every common shell are understood; a pipeline or redirection after the command is named in
/// `unsupported`. Errors never quote the command (it may contain a token).
pub fn parse_curl(cmd: &str) -> Result<ParsedCurl> {
    if cmd.len() > MAX_COMMAND_LEN {
        return Err(Error::CurlInvalid(
            "the command is longer than 16 MB".into(),
        ));
    }
    let trimmed = cmd.trim_start();
    let trimmed = trimmed
        .strip_prefix('$')
        .filter(|rest| rest.starts_with([' ', '\t']))
        .unwrap_or(trimmed);
    let split = shell::split(trimmed).map_err(|e| Error::CurlInvalid(e.into()))?;
    let mut words = split.words.into_iter();
    let program = words.next().unwrap_or_default();
    let name = program.rsplit(['/', '\\']).next().unwrap_or_default();
    if !(name == "curl" || name.eq_ignore_ascii_case("curl.exe")) {
        return Err(Error::CurlInvalid("it doesn't start with `curl`".into()));
    }
    let mut parsed = options::read(words)?;
    if let Some(op) = split.cut_at {
        parsed.unsupported.push(format!(
            "everything from `{op}` on (only the curl command is read)"
        ));
    }
    Ok(parsed)
}

/// RFC 9110 token characters (header names, methods).
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

#[cfg(test)]
mod import_tests;
#[cfg(test)]
mod tests;
