//! `/webhooks` management (§4.9). The sandbox stores subscriptions but never delivers events.

use axum::body::Bytes;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::paginate::{self, SizeRule};
use super::reply::{ApiError, ApiResult, Params, created, object_body, ok, path_id};
use super::validate::{Bag, Input};
use super::world::{Fields, World};
use crate::clock;
use crate::state::{AppState, lock};

const RULE: SizeRule = SizeRule {
    names: &["items_per_page"],
    default: 15,
    max: 100,
};
pub(crate) const TYPES: &[&str] = &[
    "order_item.status_update",
    "order.status_update",
    "order_item.delivered",
    "scans.scan_update",
];

pub(crate) async fn index(State(s): State<AppState>, params: Params) -> ApiResult {
    let page = paginate::read_or_422(&params, &RULE, &[])?;
    let world = lock(&s.world);
    let items = world
        .webhooks
        .values()
        .rev()
        .map(|r| r.json(world.user_id))
        .collect();
    let mut body = paginate::resource(items, &page, &format!("{}/api/v2/webhooks", s.base_url));
    body["can_manage_webhooks"] = json!(true);
    ok(body)
}

pub(crate) async fn create(State(s): State<AppState>, body: Bytes) -> ApiResult {
    let body = object_body(&body)?;
    let mut world = lock(&s.world);
    let mut fields = read(&world, &body)?;
    fields.insert("invoke_count".into(), json!(0));
    fields.insert("deleted_at".into(), Value::Null);
    let now = clock::now_unix();
    let id = world
        .webhooks
        .insert_with(|id| super::world::Row::new(id, fields, now));
    let row = world.webhooks.get(id).ok_or_else(ApiError::not_found)?;
    created(row.json(world.user_id))
}

pub(crate) async fn update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let id = path_id(&id)?;
    let body = object_body(&body)?;
    let mut world = lock(&s.world);
    if !world.webhooks.contains(id) {
        return Err(ApiError::not_found());
    }
    let fields = read(&world, &body)?;
    let user_id = world.user_id;
    let row = world.webhooks.get_mut(id).ok_or_else(ApiError::not_found)?;
    row.update(fields, clock::now_unix());
    ok(row.json(user_id))
}

pub(crate) async fn delete(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    lock(&s.world)
        .webhooks
        .remove(id)
        .ok_or_else(ApiError::not_found)?;
    ok(json!({ "status": "success" }))
}

/// `url`, `type`, `verb` are required on create and update alike, as documented.
fn read(world: &World, body: &serde_json::Map<String, Value>) -> Result<Fields, ApiError> {
    let input = Input::new(body);
    let mut bag = Bag::default();
    for required in ["url", "type", "verb"] {
        if input.value(required).is_none() {
            bag.required(required);
        }
    }
    let mut fields = Fields::new();
    if let Some(url) = input.text("url", &mut bag) {
        if url::Url::parse(&url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
            fields.insert("url".into(), json!(url));
        } else {
            bag.add("url", "The url must be a valid URL.");
        }
    }
    if let Some(kind) = input.text("type", &mut bag) {
        if TYPES.contains(&kind.as_str()) {
            fields.insert("type".into(), json!(kind));
        } else {
            bag.invalid("type");
        }
    }
    if let Some(verb) = input.text("verb", &mut bag) {
        let verb = verb.to_ascii_lowercase();
        if matches!(verb.as_str(), "post" | "get") {
            fields.insert("verb".into(), json!(verb));
        } else {
            bag.invalid("verb");
        }
    }
    if let Some(description) = input.text("description", &mut bag) {
        fields.insert("description".into(), json!(description));
    }
    let list = input.id(&["mailing_list_id"], &mut bag).map(|(_, id)| id);
    bag.check()?;
    if let Some(list) = list {
        if !world.lists.contains(list) {
            return Err(ApiError::bad_request("Mailing List Does Not Exist"));
        }
        fields.insert("mailing_list_id".into(), json!(list));
    }
    fields.entry("description").or_insert(Value::Null);
    fields.entry("mailing_list_id").or_insert(Value::Null);
    Ok(fields)
}
