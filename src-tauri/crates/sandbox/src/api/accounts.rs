//! `/sub-accounts/` (§4.8). Not paginated. Deleting a sub-account moves its orders and mailing
//! lists to the main account and deletes its templates, as documented.

use axum::body::Bytes;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::reply::{ApiError, ApiResult, created, object_body, ok, path_id};
use super::validate::{Bag, Input};
use super::world::{Fields, Row};
use crate::clock;
use crate::state::{AppState, lock};

const FIELDS: &[&str] = &[
    "title",
    "return_name",
    "return_address",
    "return_address2",
    "return_city",
    "return_state",
    "return_postal_code",
];

pub(crate) async fn index(State(s): State<AppState>) -> ApiResult {
    let world = lock(&s.world);
    let data: Vec<Value> = world
        .sub_accounts
        .values()
        .map(|r| r.json(world.user_id))
        .collect();
    ok(json!({ "data": data }))
}

pub(crate) async fn create(State(s): State<AppState>, body: Bytes) -> ApiResult {
    let body = object_body(&body)?;
    let fields = read(&body, true)?;
    let mut world = lock(&s.world);
    let mut full = blank();
    full.extend(fields);
    let now = clock::now_unix();
    let id = world.sub_accounts.insert_with(|id| Row::new(id, full, now));
    let row = world.sub_accounts.get(id).ok_or_else(ApiError::not_found)?;
    created(row.json(world.user_id))
}

pub(crate) async fn show(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    let world = lock(&s.world);
    let row = world.sub_accounts.get(id).ok_or_else(ApiError::not_found)?;
    ok(row.json(world.user_id))
}

pub(crate) async fn update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let id = path_id(&id)?;
    let body = object_body(&body)?;
    let fields = read(&body, false)?;
    let mut world = lock(&s.world);
    let user_id = world.user_id;
    let row = world
        .sub_accounts
        .get_mut(id)
        .ok_or_else(ApiError::not_found)?;
    row.update(fields, clock::now_unix());
    // The spec documents 201 for an update here (not 200).
    created(row.json(user_id))
}

pub(crate) async fn delete(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    let mut world = lock(&s.world);
    world
        .sub_accounts
        .remove(id)
        .ok_or_else(ApiError::not_found)?;
    for order in world.orders.values_mut() {
        if order.sub_account_id == Some(id) {
            order.sub_account_id = None;
        }
    }
    for list in world.lists.values_mut() {
        if list.sub_account_id == Some(id) {
            list.sub_account_id = None;
        }
    }
    world
        .message_templates
        .retain(|_, t| t.id_field("sub_account_id") != Some(id));
    world
        .image_templates
        .retain(|_, t| t.id_field("sub_account_id") != Some(id));
    ok(json!({ "message": "success" }))
}

fn read(body: &serde_json::Map<String, Value>, creating: bool) -> Result<Fields, ApiError> {
    let input = Input::new(body);
    let mut bag = Bag::default();
    if creating && input.value("title").is_none() {
        bag.required("title");
    }
    let mut fields = Fields::new();
    for name in FIELDS {
        if let Some(v) = input.text(name, &mut bag) {
            fields.insert((*name).to_owned(), json!(v));
        }
    }
    bag.check()?;
    Ok(fields)
}

/// Branding fields are dashboard-only, so they are always empty here.
pub(crate) fn blank() -> Fields {
    let mut f = Fields::new();
    for k in FIELDS.iter().chain(&[
        "message_background_url",
        "postcard6x9_background_url",
        "notecard_background_url",
        "windowedletter_background_url",
        "windowlessletter_background_url",
    ]) {
        f.insert((*k).to_owned(), Value::Null);
    }
    f.insert("branding_fields".into(), json!({}));
    f
}
