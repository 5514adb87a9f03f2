//! The cost guard: before a request that prints, mails, charges or can't be undone goes out,
//! say so in plain words, price it with thanks.io's free estimate when there is one, and tell
//! the caller whether to ask the user first.
//!
//! [`assess`] is pure (method, path, body → [`Guard`]); [`Engine::cost_check`] adds the estimate
//! and the decision. The rule: a guarded request needs confirmation unless thanks.io's estimate
//! says API Test Mode is on (orders are then accepted and cancelled, §3.4) and the request does
//! nothing test mode leaves billable (email→address lookups, `append_data`, radius purchases,
//! replays, gift-card invalidation, §3.4/§6) — or unless the estimate refused the body with a
//! 422: thanks.io refuses a send exactly where it refuses its estimate (§3.1), so nothing would
//! be printed or charged and the caller may as well show thanks.io's own answer. Any other
//! failed estimate still asks. Talking to the local sandbox doesn't waive the prompt:
//! `local_server` is reported so the UI can show a badge, and the sandbox's own test mode switch
//! decides, exactly as on thanks.io — so the prompt can be tried against it.
//!
//! It deliberately doesn't block anything itself (the app and `thanksctl` do the asking), and it
//! doesn't validate bodies beyond reading the few fields that change the answer.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::RequestSpec;
use crate::catalog;
use crate::engine::Engine;
use crate::error::{Error, Result, clean_server_text};

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
    fn free() -> Self {
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

/// Decides whether `spec` is a request to ask about. See the module docs for the rules.
pub fn assess(spec: &RequestSpec) -> Guard {
    let method = spec.method.trim().to_ascii_uppercase();
    let path = catalog::relative_path(&spec.path);
    let body: Value = spec
        .body
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let endpoint = catalog::find(&method, &path);

    match (method.as_str(), segments.as_slice()) {
        ("POST", ["send", kind]) => {
            if truthy(body.get("preview")) {
                return Guard::free();
            }
            let mut reason = mail_words(kind, &body);
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
            let lookups = match &body {
                Value::Array(_) => email_only(Some(&body)),
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

/// Laravel's boolean: `true`, `1`, `"1"`, `"true"`.
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

/// The part of thanks.io's estimate answer (§4.2) a confirmation needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstimateView {
    pub total_cost_in_cents: i64,
    /// As thanks.io formats it (`"$2.36"`), or formatted from the cents.
    pub total_cost: String,
    pub current_balance_in_cents: Option<i64>,
    pub covered_by_balance: Option<bool>,
    /// Whether the account's API Test Mode is on.
    pub test_mode: Option<bool>,
    pub total_recipients: Option<i64>,
    /// Recipients whose postal address must be bought (email only).
    pub pending_email_lookups: Option<i64>,
}

/// Everything the app or `thanksctl` needs to decide whether to ask, and what to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostCheck {
    pub guarded: bool,
    pub reason: Option<String>,
    pub estimate_path: Option<String>,
    pub estimate: Option<EstimateView>,
    /// The estimate was tried and failed, in words.
    pub estimate_error: Option<String>,
    /// The estimate's HTTP status, when it answered.
    pub estimate_status: Option<u16>,
    /// Decision input: the estimate refused the body (422), so the send will be refused the same
    /// way and nothing can be printed or charged.
    pub send_would_be_refused: bool,
    /// Decision input: the estimate's `test_mode` (`None` when there was no estimate).
    pub test_mode: Option<bool>,
    /// Decision input: confirm even in test mode (see [`Guard::even_in_test_mode`]; also when
    /// the estimate counts paid email lookups).
    pub even_in_test_mode: bool,
    /// The profile's API is on this machine (127.0.0.1, [::1], localhost): the sandbox, where
    /// nothing is mailed. A badge for the UI; it doesn't change `needs_confirmation`.
    pub local_server: bool,
    /// `guarded && !send_would_be_refused && (even_in_test_mode || test_mode != Some(true))`.
    pub needs_confirmation: bool,
}

impl Engine {
    /// Assesses `spec` and, when it is guarded and has an estimate, asks thanks.io's estimate
    /// with the same body (and query and headers). An estimate that fails is reported in
    /// `estimate_error`; only errors that would stop the request itself (profile, session,
    /// keyring, a foreign origin) are returned as `Err`.
    pub async fn cost_check(&self, profile: &str, spec: &RequestSpec) -> Result<CostCheck> {
        let profile = self.profile(profile)?;
        let guard = assess(spec);
        let mut check = CostCheck {
            guarded: guard.guarded,
            reason: guard.reason,
            estimate_path: guard.estimate_path.clone(),
            estimate: None,
            estimate_error: None,
            estimate_status: None,
            send_would_be_refused: false,
            test_mode: None,
            even_in_test_mode: guard.even_in_test_mode,
            local_server: is_local(&profile.api_base),
            needs_confirmation: false,
        };
        if !guard.guarded {
            return Ok(check);
        }
        if let Some(path) = &guard.estimate_path {
            let estimate = RequestSpec {
                method: "POST".into(),
                path: path.clone(),
                query: spec.query.clone(),
                headers: spec.headers.clone(),
                body: spec.body.clone(),
            };
            match self.call_profile(&profile, &estimate).await {
                Ok(view) if (200..300).contains(&view.status) => {
                    check.estimate_status = Some(view.status);
                    match parse_estimate(&view.body) {
                        Ok(e) => check.estimate = Some(e),
                        Err(why) => check.estimate_error = Some(why),
                    }
                }
                Ok(view) => {
                    check.estimate_status = Some(view.status);
                    check.send_would_be_refused = view.status == 422;
                    check.estimate_error = Some(refused(view.status, &view.body));
                }
                Err(e @ (Error::Timeout { .. } | Error::Network { .. })) => {
                    check.estimate_error = Some(format!("the estimate failed: {e}"));
                }
                Err(e) => return Err(e),
            }
        }
        check.test_mode = check.estimate.as_ref().and_then(|e| e.test_mode);
        if check
            .estimate
            .as_ref()
            .and_then(|e| e.pending_email_lookups)
            .is_some_and(|n| n > 0)
        {
            check.even_in_test_mode = true;
        }
        check.needs_confirmation = check.guarded
            && !check.send_would_be_refused
            && (check.even_in_test_mode || check.test_mode != Some(true));
        tracing::info!(
            guarded = check.guarded,
            test_mode = ?check.test_mode,
            local_server = check.local_server,
            needs_confirmation = check.needs_confirmation,
            estimate_failed = check.estimate_error.is_some(),
            "cost check"
        );
        Ok(check)
    }
}

fn is_local(api_base: &url::Url) -> bool {
    match api_base.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn boolean(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        Value::String(s) => match s.trim() {
            "1" | "true" => Some(true),
            "0" | "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Reads `{"data": {…}}` (or the fields at the top level), leniently: numbers may be strings.
fn parse_estimate(body: &[u8]) -> std::result::Result<EstimateView, String> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|_| "thanks.io's estimate answer was not JSON".to_string())?;
    let data = v.get("data").filter(|d| d.is_object()).unwrap_or(&v);
    let total = int(data.get("total_cost_in_cents"))
        .or_else(|| {
            int(data
                .get("costs_in_cents")
                .and_then(|c| c.get("grand_total")))
        })
        .ok_or_else(|| "thanks.io's estimate answer had no total".to_string())?;
    let total_cost = data
        .get("total_cost")
        .and_then(Value::as_str)
        .and_then(|s| clean_server_text(s, &[]))
        .unwrap_or_else(|| dollars(total));
    Ok(EstimateView {
        total_cost_in_cents: total,
        total_cost,
        current_balance_in_cents: int(data.get("current_balance_in_cents")),
        covered_by_balance: boolean(data.get("covered_by_balance")),
        test_mode: boolean(data.get("test_mode")),
        total_recipients: int(data.get("total_recipients")),
        pending_email_lookups: int(data.get("pending_email_lookups")),
    })
}

/// `"the estimate failed with HTTP 422: thanks.io says \"…\""`: the message and the first
/// validation error, cleaned and shortened.
fn refused(status: u16, body: &[u8]) -> String {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let message = v.get("message").and_then(Value::as_str);
    let first_error = match v.get("errors") {
        Some(Value::Object(fields)) => fields.iter().next().and_then(|(field, messages)| {
            let text = match messages {
                Value::Array(m) => m.first()?.as_str()?,
                Value::String(s) => s.as_str(),
                _ => return None,
            };
            Some(format!("{field}: {text}"))
        }),
        Some(Value::Array(items)) => items.first().and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    let said = [message.map(str::to_string), first_error]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    match clean_server_text(&said, &[]) {
        Some(text) => format!("the estimate failed with HTTP {status}: thanks.io says \"{text}\""),
        None => format!("the estimate failed with HTTP {status}"),
    }
}

/// `236` → `"$2.36"`, `-5` → `"-$0.05"`.
pub fn dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{sign}${}.{:02}", c / 100, c % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(method: &str, path: &str, body: Option<Value>) -> RequestSpec {
        RequestSpec {
            method: method.into(),
            path: path.into(),
            body: body.map(|b| b.to_string()),
            ..RequestSpec::default()
        }
    }

    fn postcard() -> Value {
        crate::mailers::mailer("postcard-6x9").unwrap().body.clone()
    }

    #[test]
    fn sends_are_guarded_unless_previewed() {
        let g = assess(&spec("post", "send/postcard", Some(postcard())));
        assert!(g.guarded && !g.even_in_test_mode);
        assert_eq!(
            g.reason.as_deref(),
            Some("sends a 6x9 postcard: it is printed and mailed")
        );
        assert_eq!(g.estimate_path.as_deref(), Some("/estimate/postcard"));

        for preview in [json!(true), json!(1), json!("true"), json!("1")] {
            let mut body = postcard();
            body["preview"] = preview;
            assert_eq!(
                assess(&spec("POST", "/send/postcard", Some(body))),
                Guard::free()
            );
        }
        let mut body = postcard();
        body["preview"] = json!(false);
        assert!(assess(&spec("POST", "/send/postcard", Some(body))).guarded);

        // Not JSON, no body, a full URL, the legacy letter path: still guarded.
        let raw = RequestSpec {
            body: Some("{nope".into()),
            ..spec("POST", "https://api.thanks.io/api/v2/send/notecard/", None)
        };
        let g = assess(&raw);
        assert!(g.guarded);
        assert_eq!(g.estimate_path.as_deref(), Some("/estimate/notecard"));
        let g = assess(&spec("POST", "/api/v2/send/letter", None));
        assert_eq!(g.estimate_path.as_deref(), Some("/estimate/windowedletter"));
        assert!(g.reason.unwrap().contains("windowed envelope"));
        assert!(
            assess(&spec("POST", "/send/giftcard", Some(json!({}))))
                .reason
                .unwrap()
                .contains("face value")
        );
    }

    #[test]
    fn sends_that_test_mode_does_not_cover() {
        let body = json!({"recipients": [{"name": "A", "email": "a@example.com"}, {"address": "1 Main St, X, NY 10001"}]});
        let g = assess(&spec("POST", "/send/postcard", Some(body)));
        assert!(g.guarded && g.even_in_test_mode);
        assert!(
            g.reason
                .unwrap()
                .contains("1 recipient with only an email address")
        );
        let body = json!({"radius_search": {"address": "1 Main St", "record_count": 5, "append_data": true}});
        assert!(assess(&spec("POST", "/send/notecard", Some(body))).even_in_test_mode);
    }

    #[test]
    fn other_costly_or_irreversible_calls() {
        let g = assess(&spec("POST", "/orders/48210/replay", Some(json!({}))));
        assert!(g.guarded && g.even_in_test_mode && g.estimate_path.is_none());
        assert!(g.reason.unwrap().starts_with("replays order 48210"));
        for m in ["PUT", "patch"] {
            let g = assess(&spec(m, "/order-items/7300001/invalidate-giftcard", None));
            assert!(g.guarded && g.reason.unwrap().contains("can't be undone"));
        }
        let g = assess(&spec(
            "POST",
            "/mailing-lists-utils/buy-radius-search",
            Some(json!({"record_count": "5"})),
        ));
        assert!(g.guarded);
        assert!(g.reason.unwrap().starts_with("buys 5 addresses"));
        assert!(assess(&spec("POST", "/mailing-lists/buy-radius-search", None)).guarded);
        let g = assess(&spec(
            "POST",
            "/recipients/lookup",
            Some(json!({"email": "a@b.c"})),
        ));
        assert!(g.guarded);
        assert!(g.reason.unwrap().starts_with("look up a postal address"));
        assert!(assess(&spec("GET", "/stored_send/postcard/abc", None)).guarded);
    }

    #[test]
    fn recipients_are_guarded_only_when_email_only() {
        let with_address = json!({"mailing_list_id": 1, "address": "1 Main St", "email": "a@b.c"});
        assert!(!assess(&spec("POST", "/recipients", Some(with_address))).guarded);
        let email_only = json!({"mailing_list_id": 1, "email": "a@b.c", "address": " "});
        let g = assess(&spec("POST", "/recipients", Some(email_only)));
        assert!(g.guarded && g.even_in_test_mode);
        assert!(
            g.reason
                .unwrap()
                .starts_with("adds 1 recipient with only an email")
        );
        let many = json!([
            {"mailing_list_id": 1, "email": "a@b.c"},
            {"mailing_list_id": 1, "email": "b@b.c"},
            {"mailing_list_id": 1, "address": "1 Main St"}
        ]);
        let g = assess(&spec(
            "POST",
            "/recipients-utils/create-multiple",
            Some(many.clone()),
        ));
        assert!(g.reason.unwrap().starts_with("adds 2 recipients"));
        assert!(assess(&spec("POST", "/recipients_multi", Some(many))).guarded);
        // Updating a recipient never looks anything up.
        assert!(
            !assess(&spec(
                "PUT",
                "/recipients/1",
                Some(json!({"email": "a@b.c"}))
            ))
            .guarded
        );
    }

    #[test]
    fn reads_and_estimates_are_free() {
        for (m, p) in [
            ("GET", "/orders/list"),
            ("POST", "/estimate/postcard"),
            ("PUT", "/orders/48210/cancel"),
            ("POST", "/mailing-lists-utils/count-radius-search"),
            ("POST", "/stored_send/postcard"),
            ("GET", "/send/postcard"),
            ("DELETE", "/recipients/5"),
            ("GET", "/nothing/here"),
        ] {
            assert!(!assess(&spec(m, p, Some(postcard()))).guarded, "{m} {p}");
        }
    }

    #[test]
    fn estimate_answers_are_read_leniently() {
        let body = json!({"message": "OK", "data": {"total_cost_in_cents": "236", "total_cost": "$2.36",
            "current_balance_in_cents": 5000, "covered_by_balance": true, "test_mode": "1",
            "total_recipients": 2, "pending_email_lookups": 0}});
        let e = parse_estimate(body.to_string().as_bytes()).unwrap();
        assert_eq!(e.total_cost_in_cents, 236);
        assert_eq!(e.total_cost, "$2.36");
        assert_eq!(e.test_mode, Some(true));
        assert_eq!(e.covered_by_balance, Some(true));
        let bare = json!({"costs_in_cents": {"grand_total": 1999}});
        let e = parse_estimate(bare.to_string().as_bytes()).unwrap();
        assert_eq!((e.total_cost.as_str(), e.test_mode), ("$19.99", None));
        assert!(parse_estimate(b"{}").unwrap_err().contains("no total"));
        assert!(parse_estimate(b"<html>").unwrap_err().contains("not JSON"));
    }

    #[test]
    fn refusals_are_described_not_dumped() {
        let body = json!({"message": "The given data was invalid.", "errors": {"front_image_url": ["The front image url field is required."]}});
        assert_eq!(
            refused(422, body.to_string().as_bytes()),
            "the estimate failed with HTTP 422: thanks.io says \"The given data was invalid. front_image_url: The front image url field is required.\""
        );
        let body = json!({"status": "failed", "errors": ["Unauthorized"]});
        assert!(refused(401, body.to_string().as_bytes()).ends_with("says \"Unauthorized\""));
        assert_eq!(
            refused(502, b"<html>bad gateway</html>"),
            "the estimate failed with HTTP 502"
        );
        let long = json!({"message": "x".repeat(5000)}).to_string();
        assert!(refused(500, long.as_bytes()).len() < 400, "capped");
    }

    #[test]
    fn local_servers_and_money() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert!(is_local(&u("http://127.0.0.1:8765/api/v2")));
        assert!(is_local(&u("http://[::1]:8765/api/v2")));
        assert!(is_local(&u("http://localhost/api/v2")));
        assert!(!is_local(&u("https://api.thanks.io/api/v2")));
        assert_eq!(dollars(236), "$2.36");
        assert_eq!(dollars(5), "$0.05");
        assert_eq!(dollars(-150), "-$1.50");
    }

    #[test]
    fn serializes_in_snake_case() {
        let c = CostCheck {
            guarded: true,
            reason: Some("r".into()),
            estimate_path: Some("/estimate/postcard".into()),
            estimate: None,
            estimate_error: None,
            estimate_status: Some(200),
            send_would_be_refused: false,
            test_mode: Some(false),
            even_in_test_mode: false,
            local_server: true,
            needs_confirmation: true,
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["needs_confirmation"], true);
        assert_eq!(v["local_server"], true);
        assert!(v.get("estimate_error").is_some());
    }
}
