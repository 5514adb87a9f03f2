//! Endpoints that only older official artefacts document (§4.3, §4.4, §4.11 and the 2020 PHP
//! SDK): order stats and search, recipient search and email lookup, postcard proofs, the
//! handwriting preview and envelope designs. Whether thanks.io still serves them is unknown
//! (§7.11); the sandbox serves them so a client written against the old docs can be tried.
//!
//! Where the old docs show no response, the sandbox chose a shape and says so on the handler.
//! Proofs are PDFs on thanks.io; here they are the same placeholder PNGs as previews.

use axum::body::Bytes;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::catalog;
use super::kind::MailKind;
use super::order::OrderStatus;
use super::people;
use super::plan;
use super::pricing::dollars;
use super::reply::{ApiError, ApiResult, Params, object_body, ok, path_id};
use super::templates::TEMPLATE_TYPES;
use super::validate::{Bag, Input};
use crate::clock;
use crate::random;
use crate::state::{AppState, lock};

const DAY: i64 = 86_400;
const STATUSES: [OrderStatus; 7] = [
    OrderStatus::Reviewing,
    OrderStatus::Processing,
    OrderStatus::Printed,
    OrderStatus::Shipped,
    OrderStatus::Fulfilled,
    OrderStatus::Delivered,
    OrderStatus::Cancelled,
];

/// `(id, name)` of the envelope designs letters can use.
const ENVELOPES: &[(u64, &str)] = &[
    (1, "Classic White"),
    (2, "Kraft Brown"),
    (3, "Blue Linen"),
    (4, "Holiday Red"),
];

/// A `YYYY-MM-DD` query parameter as days since the epoch; absent is `None`, garbage a 422.
fn day(params: &Params, name: &str) -> Result<Option<i64>, ApiError> {
    match params.get(name) {
        None => Ok(None),
        Some(raw) => clock::parse_day(raw.trim()).map(Some).ok_or_else(|| {
            ApiError::field(
                name,
                format!(
                    "The {} does not match the format Y-m-d.",
                    name.replace('_', " ")
                ),
            )
        }),
    }
}

/// `GET /orders/stats?start_date=&end_date=&sub_account_id=`: counts by status (lower case), the
/// charged total as `"$2,622.43"`, orders (`total_requests`) and pieces not cancelled
/// (`total_sent`). Both dates are optional and inclusive.
pub(crate) async fn order_stats(State(s): State<AppState>, params: Params) -> ApiResult {
    let from = day(&params, "start_date")?.map(|d| d * DAY);
    let until = day(&params, "end_date")?.map(|d| (d + 1) * DAY);
    let sub_account = params.id("sub_account_id")?;
    let world = lock(&s.world);
    let orders: Vec<_> = world
        .orders
        .values()
        .filter(|o| from.is_none_or(|t| o.created_at >= t))
        .filter(|o| until.is_none_or(|t| o.created_at < t))
        .filter(|o| sub_account.is_none() || o.sub_account_id == sub_account)
        .collect();
    let mut body = serde_json::Map::new();
    for status in STATUSES {
        let n = orders.iter().filter(|o| o.status == status).count();
        body.insert(status.code().to_owned(), json!(n));
    }
    let charged: u64 = orders.iter().map(|o| o.grand_total()).sum();
    let sent: usize = orders
        .iter()
        .filter(|o| o.status != OrderStatus::Cancelled)
        .map(|o| o.items.len())
        .sum();
    body.insert("total_cost".into(), json!(dollars(charged)));
    body.insert("total_requests".into(), json!(orders.len()));
    body.insert("total_sent".into(), json!(sent));
    ok(Value::Object(body))
}

/// `GET /orders/search?street_address=`: pieces whose street contains the text (ignoring case)
/// and their orders in the `track` shape.
pub(crate) async fn order_search(State(s): State<AppState>, params: Params) -> ApiResult {
    let Some(needle) = params
        .get("street_address")
        .map(|v| v.trim().to_lowercase())
    else {
        return Err(ApiError::field(
            "street_address",
            "The street address field is required.",
        ));
    };
    let world = lock(&s.world);
    let mut items = Vec::new();
    let mut orders = Vec::new();
    for order in world.orders.values() {
        let matched: Vec<Value> = order
            .items
            .iter()
            .filter(|i| {
                i.recipient
                    .get("address")
                    .and_then(Value::as_str)
                    .is_some_and(|a| a.to_lowercase().contains(&needle))
            })
            .map(|i| i.json(&s.base_url))
            .collect();
        if !matched.is_empty() {
            items.extend(matched);
            orders.push(order.track_json(&s.base_url, world.user_id));
        }
    }
    ok(json!({ "matched_order_items": items, "orders": orders }))
}

fn required_email(input: Input<'_>, bag: &mut Bag) -> Option<String> {
    if input.value("email").is_none() {
        bag.required("email");
        return None;
    }
    let email = input.text("email", bag)?;
    if !email.contains('@') {
        bag.add("email", "The email must be a valid email address.");
        return None;
    }
    Some(email)
}

/// `GET /recipients?email=`: recipients on any list with that email (ignoring case), as
/// `{"data": […]}` (the sandbox's choice of shape).
pub(crate) async fn recipient_search(State(s): State<AppState>, params: Params) -> ApiResult {
    let email = match params.get("email") {
        None => return Err(ApiError::field("email", "The email field is required.")),
        Some(e) if !e.contains('@') => {
            return Err(ApiError::field(
                "email",
                "The email must be a valid email address.",
            ));
        }
        Some(e) => e.trim().to_lowercase(),
    };
    let world = lock(&s.world);
    let data: Vec<Value> = world
        .recipients
        .values()
        .filter(|r| r.text("email").is_some_and(|e| e.to_lowercase() == email))
        .map(|r| world.recipient_json(r))
        .collect();
    ok(json!({ "data": data }))
}

/// `POST /recipients/lookup {email, name?}`: the postal address "found" for an email, not
/// saved. Deterministic per email; on thanks.io each lookup is billed (not simulated here).
pub(crate) async fn recipient_lookup(body: Bytes) -> ApiResult {
    let body = object_body(&body)?;
    let input = Input::new(&body);
    let mut bag = Bag::default();
    let email = required_email(input, &mut bag);
    let name = input.text("name", &mut bag);
    bag.check()?;
    let email = email.unwrap_or_default();
    let mut found = people::neighbours(&email.to_lowercase(), 1)
        .pop()
        .unwrap_or_default();
    if let Some(name) = name {
        found.insert("name".into(), json!(name));
    }
    found.insert("email".into(), json!(email));
    ok(json!({ "data": found, "failure": false }))
}

/// `POST /proof/postcard`: validated like `/send/postcard`, answers `{"proof_url": …}`.
pub(crate) async fn proof_postcard(State(s): State<AppState>, body: Bytes) -> ApiResult {
    let body = object_body(&body)?;
    {
        let world = lock(&s.world);
        plan::plan(MailKind::Postcard, &body, &world)?;
    }
    let id = random::b64url(12);
    ok(json!({ "proof_url": format!("{}/previews/proof-{id}-front.png", s.base_url) }))
}

/// `POST /preview {message, handwriting_style, type}`: the message rendered in a handwriting
/// style, answered like a send preview with one image (the sandbox's choice of shape).
pub(crate) async fn handwriting_preview(State(s): State<AppState>, body: Bytes) -> ApiResult {
    let body = object_body(&body)?;
    let input = Input::new(&body);
    let mut bag = Bag::default();
    if input.value("message").is_none() {
        bag.required("message");
    }
    input.text("message", &mut bag);
    if let Some((name, style)) = input.id(&["handwriting_style", "handwriting_style_id"], &mut bag)
        && !catalog::style_exists(style)
    {
        bag.invalid(name);
    }
    if let Some(kind) = input.text("type", &mut bag)
        && !TEMPLATE_TYPES.contains(&kind.as_str())
    {
        bag.invalid("type");
    }
    bag.check()?;
    let id = random::b64url(12);
    ok(json!({
        "success": true,
        "code": 200,
        "message": "OK",
        "data": { "previews": [format!("{}/previews/{id}-back.png", s.base_url)] },
    }))
}

fn envelope_json(base: &str, (id, name): (u64, &str)) -> Value {
    json!({
        "id": id,
        "name": name,
        "image": format!("{base}/previews/envelope-{id}-front.png"),
        "default": id == ENVELOPES[0].0,
    })
}

/// `GET /letters/envelopes`: the envelope designs, `{"data": […]}`.
pub(crate) async fn envelopes(State(s): State<AppState>) -> ApiResult {
    let data: Vec<Value> = ENVELOPES
        .iter()
        .map(|e| envelope_json(&s.base_url, *e))
        .collect();
    ok(json!({ "data": data }))
}

pub(crate) async fn envelope(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    let found = ENVELOPES
        .iter()
        .find(|(e, _)| *e == id)
        .ok_or_else(ApiError::not_found)?;
    ok(json!({ "data": envelope_json(&s.base_url, *found) }))
}
