//! The rules: which requests print, mail, charge or can't be undone, judged on the request as
//! it will really be sent. The path is resolved against the profile's API base first (dot
//! segments and `%2e` removed by the URL parser, then percent-escapes decoded, empty segments
//! dropped and case folded, with the API base's own path stripped), so `./send/postcard`,
//! `x/../send/postcard` and `SEND//%70ostcard` are all a send. A method override (`_method`,
//! `X-HTTP-Method-Override` and kin) is refused outright rather than second-guessed.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::api::{RequestSpec, resolve_url};
use crate::catalog;
use crate::config::DEFAULT_API_BASE;
use crate::error::{Error, Result};
use crate::util::percent_decode_lossy;

/// What a request would do, from its method, path and body alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guard {
    /// Prints, mails, charges or destroys something; ask before sending.
    pub guarded: bool,
    /// Plain words, e.g. "sends a postcard: it is printed and mailed".
    pub reason: Option<String>,
    /// The free estimate taking the same body, for sends.
    pub estimate_path: Option<String>,
    /// Test mode doesn't make it free or reversible, so confirm even when it is on.
    pub even_in_test_mode: bool,
}

impl Guard {
    pub(super) fn free() -> Self {
        Self {
            guarded: false,
            reason: None,
            estimate_path: None,
            even_in_test_mode: false,
        }
    }

    fn guarded(reason: String, even_in_test_mode: bool) -> Self {
        Self {
            guarded: true,
            reason: Some(reason),
            estimate_path: None,
            even_in_test_mode,
        }
    }
}

/// Decides whether `spec`, sent to the API at `api_base`, is a request to ask about. Errors are
/// the request's own (another origin, a path outside the API, a method override): it wouldn't
/// be sent at all.
pub fn assess_at(api_base: &Url, spec: &RequestSpec) -> Result<Guard> {
    let url = resolve_url(api_base, &spec.path, &spec.query)?;
    if let Some(what) = method_override(spec, &url) {
        return Err(Error::MethodOverride(what));
    }
    let method = spec.method.trim().to_ascii_uppercase();
    let body: Value = spec
        .body
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);
    let routes = route_paths(api_base, &url).ok_or_else(|| Error::OutsideApiBase {
        base: api_base.path().to_string(),
    })?;
    let mut guards = routes.iter().map(|r| classify(&method, r, &body));
    let first = guards.next().unwrap_or_else(Guard::free);
    Ok(if first.guarded {
        first
    } else {
        guards.find(|g| g.guarded).unwrap_or(first)
    })
}

/// [`assess_at`] without a profile (the console's inspection, before anything is sent): the
/// path is taken as relative to thanks.io's API base, or to its own origin's `/api/v2` when it
/// is a full URL. A request that would be refused is shown as free here; sending it says why.
pub fn assess(spec: &RequestSpec) -> Guard {
    let default = Url::parse(DEFAULT_API_BASE).expect("built-in URL is valid");
    let base = Url::parse(spec.path.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .and_then(|u| u.join(default.path()).ok())
        .unwrap_or(default);
    assess_at(&base, spec).unwrap_or_else(|_| Guard::free())
}

/// The ways a server may read the resolved URL's path below the API base: segment by segment
/// with escapes decoded, and with an escaped `/` taken as a separator (then dot segments
/// resolved again). Lowercase, empty segments dropped. `None` when it is outside the base.
pub fn route_paths(api_base: &Url, url: &Url) -> Option<Vec<String>> {
    let base = api_base.path().trim_end_matches('/');
    let rest = url.path().strip_prefix(base)?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    let decoded: Vec<String> = rest
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_lossy(s).to_lowercase())
        .collect();
    let mut split: Vec<&str> = Vec::new();
    for seg in decoded.iter().flat_map(|s| s.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                split.pop();
            }
            s => split.push(s),
        }
    }
    Some(vec![
        format!("/{}", decoded.join("/")),
        format!("/{}", split.join("/")),
    ])
}

/// Headers through which frameworks let a POST act as another method.
const OVERRIDE_HEADERS: [&str; 3] = [
    "x-http-method-override",
    "x-http-method",
    "x-method-override",
];

/// Names the method override a request carries, if any: a header, or `_method` in the query or
/// the body (JSON, form-encoded or multipart), as Laravel reads it.
pub fn method_override(spec: &RequestSpec, url: &Url) -> Option<&'static str> {
    if spec.headers.iter().any(|(k, _)| {
        OVERRIDE_HEADERS
            .iter()
            .any(|h| h.eq_ignore_ascii_case(k.trim()))
    }) {
        return Some("an X-HTTP-Method-Override header");
    }
    let is_method = |k: &str| k.trim().eq_ignore_ascii_case("_method");
    if url.query_pairs().any(|(k, _)| is_method(&k)) {
        return Some("_method in the query");
    }
    let body = spec.body.as_deref().unwrap_or("");
    let in_body = match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(fields)) => fields.keys().any(|k| is_method(k)),
        Ok(_) => false,
        Err(_) => {
            url::form_urlencoded::parse(body.as_bytes()).any(|(k, _)| is_method(&k))
                || body.to_ascii_lowercase().contains("name=\"_method\"")
        }
    };
    in_body.then_some("_method in the body")
}

/// What a send of this type is, in words.
fn mail_words(kind: &str, body: &Value) -> String {
    let size = body
        .get("size")
        .and_then(Value::as_str)
        .filter(|s| ["4x6", "6x9", "6x11"].contains(s));
    match kind {
        "postcard" => match size {
            Some(size) => format!("sends a {size} postcard: it is printed and mailed"),
            None => "sends a postcard: it is printed and mailed".into(),
        },
        "windowedletter" | "letter" => {
            "sends a letter in a windowed envelope: it is printed and mailed".into()
        }
        "windowlessletter" => {
            "sends a letter in a windowless envelope: it is printed and mailed".into()
        }
        "notecard" => "sends a notecard: it is printed and mailed".into(),
        "giftcard" => "sends a gift card: it is printed and mailed, and the card's face value is \
                       billed when it is redeemed"
            .into(),
        "magnacard" => "sends a magnet postcard: it is printed and mailed".into(),
        _ => "sends mail: it is printed and mailed".into(),
    }
}

/// The guard for `method` on `route` (a path below the API base, as [`route_paths`] makes it).
fn classify(method: &str, route: &str, body: &Value) -> Guard {
    let segments: Vec<&str> = route.split('/').filter(|s| !s.is_empty()).collect();
    let endpoint = catalog::find(method, route);

    match (method, segments.as_slice()) {
        ("POST", ["send", kind]) => {
            if truthy(body.get("preview")) {
                return Guard::free();
            }
            let mut reason = mail_words(kind, body);
            let lookups = email_only(body.get("recipients"));
            let append_data = body
                .get("radius_search")
                .is_some_and(|r| truthy(r.get("append_data")));
            if lookups > 0 {
                reason.push_str(&format!(
                    "; {} with only an email address needs a paid address lookup, charged even in test mode",
                    recipients(lookups)
                ));
            }
            if append_data {
                reason.push_str("; the radius search's append_data is charged even in test mode");
            }
            let mut guard = Guard::guarded(reason, lookups > 0 || append_data);
            guard.estimate_path = endpoint.and_then(|e| e.estimate_path.clone());
            guard
        }
        ("POST", ["orders", id, "replay"]) => Guard::guarded(
            format!(
                "replays order {id}: it is printed and mailed again, as a new order that is charged again"
            ),
            true,
        ),
        ("PUT" | "PATCH", ["order-items", id, "invalidate-giftcard"]) => Guard::guarded(
            format!("invalidates the gift card of order item {id}: this can't be undone"),
            true,
        ),
        ("POST", ["mailing-lists-utils" | "mailing-lists", "buy-radius-search"]) => {
            let count = body
                .get("record_count")
                .and_then(|c| c.as_u64().or_else(|| c.as_str()?.trim().parse().ok()));
            let what = count.map_or("addresses".to_string(), |n| {
                format!("{n} address{}", if n == 1 { "" } else { "es" })
            });
            Guard::guarded(
                format!("buys {what} from a radius search: records are charged even in test mode"),
                true,
            )
        }
        (
            "POST",
            ["recipients"] | ["recipients-utils", "create-multiple"] | ["recipients_multi"],
        ) => {
            let lookups = match body {
                Value::Array(_) => email_only(Some(body)),
                Value::Object(_) => email_only(Some(&Value::Array(vec![body.clone()]))),
                _ => 0,
            };
            if lookups == 0 {
                return Guard::free();
            }
            Guard::guarded(
                format!(
                    "adds {} with only an email address: thanks.io looks up each postal address for a fee, even in test mode",
                    recipients(lookups)
                ),
                true,
            )
        }
        _ => match endpoint.filter(|e| e.costs_money) {
            // Anything else the catalog says costs money (legacy lookups, stored sends).
            Some(e) => Guard::guarded(
                format!("{}: it can cost money", lower_first(&e.purpose)),
                true,
            ),
            None => Guard::free(),
        },
    }
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        Some(Value::String(s)) => matches!(s.trim(), "1" | "true"),
        _ => false,
    }
}

fn filled(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(_) => true,
    }
}

/// How many recipient objects have an email but no address.
fn email_only(recipients: Option<&Value>) -> usize {
    recipients.and_then(Value::as_array).map_or(0, |items| {
        items
            .iter()
            .filter(|r| filled(r.get("email")) && !filled(r.get("address")))
            .count()
    })
}

fn recipients(n: usize) -> String {
    if n == 1 {
        "1 recipient".into()
    } else {
        format!("{n} recipients")
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
