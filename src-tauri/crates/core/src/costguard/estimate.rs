//! thanks.io's free estimate (§4.2) as the cost guard reads it: leniently (numbers may be
//! strings, fields may sit under `data`), and its refusals described in a line, never dumped.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::clean_server_text;

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
pub(super) fn parse_estimate(body: &[u8]) -> std::result::Result<EstimateView, String> {
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
pub(super) fn refused(status: u16, body: &[u8]) -> String {
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
    fn money() {
        assert_eq!(dollars(236), "$2.36");
        assert_eq!(dollars(5), "$0.05");
        assert_eq!(dollars(-150), "-$1.50");
    }
}
