//! `/recipients*` (§4.4): single and bulk create, read, update, delete, delete by address.
//!
//! A duplicate (same street + ZIP, or same email, on the same list) is not an HTTP error:
//! `create-multiple` marks the item with `"error"`, and single create answers 200 with
//! `{"failure": true, "error": …}` the same way — thanks.io's "check bodies, not only status".

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::address;
use super::reply::{ApiError, ApiResult, json_body, object_body, ok, path_id};
use super::validate::{Bag, Input};
use super::world::{Row, World};
use crate::clock;
use crate::state::{AppState, lock};

const LIST_NAMES: &[&str] = &["mailing_list_id", "mailing_list"];
const DUPLICATE: &str = "This address is already on this mailing list.";

pub(crate) async fn create(State(s): State<AppState>, body: Bytes) -> ApiResult {
    let body = object_body(&body)?;
    let mut world = lock(&s.world);
    let id = insert(&mut world, &body)?;
    let row = world.recipients.get(id).ok_or_else(ApiError::not_found)?;
    ok(world.recipient_json(row))
}

/// `POST /recipients-utils/create-multiple`: a JSON array in, one result per item out.
pub(crate) async fn create_multiple(State(s): State<AppState>, body: Bytes) -> ApiResult {
    let Value::Array(items) = json_body(&body)? else {
        return Err(ApiError::field(
            "recipients",
            "The request body must be a JSON array of recipients.",
        ));
    };
    let mut world = lock(&s.world);
    let results = items
        .iter()
        .map(|item| {
            let outcome = match item.as_object() {
                Some(obj) => insert(&mut world, obj),
                None => Err(ApiError::bad_request(
                    "Each recipient must be a JSON object.",
                )),
            };
            match outcome.and_then(|id| world.recipients.get(id).ok_or_else(ApiError::not_found)) {
                Ok(row) => world.recipient_json(row),
                Err(err) => {
                    let mut failed = item.clone();
                    if !failed.is_object() {
                        failed = json!({});
                    }
                    failed["error"] = json!(first_message(&err));
                    failed
                }
            }
        })
        .collect();
    ok(Value::Array(results))
}

pub(crate) async fn show(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    let world = lock(&s.world);
    let row = world.recipients.get(id).ok_or_else(ApiError::not_found)?;
    ok(world.recipient_json(row))
}

pub(crate) async fn update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let id = path_id(&id)?;
    let body = object_body(&body)?;
    let mut world = lock(&s.world);
    if !world.recipients.contains(id) {
        return Err(ApiError::not_found());
    }
    let input = Input::new(&body);
    let mut bag = Bag::default();
    let list = input.id(LIST_NAMES, &mut bag).map(|(_, id)| id);
    let mut fields = address::read(input, false, &mut bag);
    if input.value("name").is_none() {
        fields.remove("name"); // `read` defaults it for creation only
    }
    absentee(input, &mut fields, &mut bag)?;
    bag.check()?;
    if let Some(list) = list {
        if !world.lists.contains(list) {
            return Err(ApiError::bad_request("Mailing List Does Not Exist"));
        }
        fields.insert("mailing_list_id".into(), json!(list));
    }
    let row = world
        .recipients
        .get_mut(id)
        .ok_or_else(ApiError::not_found)?;
    row.update(fields, clock::now_unix());
    let row = row.clone();
    ok(world.recipient_json(&row))
}

pub(crate) async fn delete(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    lock(&s.world)
        .recipients
        .remove(id)
        .ok_or_else(ApiError::not_found)?;
    ok(json!({ "message": "success" }))
}

/// `POST /recipients-utils/delete-by-address`: `{mailing_list_id, address, postal_code}`
/// (optionally `address2`, `city`, `province`, `country`) or `{mailing_list_id, email}`.
pub(crate) async fn delete_by_address(State(s): State<AppState>, body: Bytes) -> ApiResult {
    let body = object_body(&body)?;
    let input = Input::new(&body);
    let mut bag = Bag::default();
    let list = input.id(LIST_NAMES, &mut bag).map(|(_, id)| id);
    if input.pick(LIST_NAMES).is_none() {
        bag.required("mailing_list_id");
    }
    let fields = address::read(input, true, &mut bag);
    // The spec: `address` needs `postal_code` with it (matching by street alone could hit a
    // namesake in another town); `email` alone is enough.
    if fields.contains_key("address")
        && !fields.contains_key("email")
        && !fields.contains_key("postal_code")
    {
        bag.add(
            "postal_code",
            "The postal code field is required when address is present.",
        );
    }
    bag.check()?;
    let list = list.ok_or_else(|| ApiError::bad_request("Mailing List Does Not Exist"))?;
    let mut world = lock(&s.world);
    if !world.lists.contains(list) {
        return Err(ApiError::bad_request("Mailing List Does Not Exist"));
    }
    let wanted = address::identity(&fields);
    let found = world
        .list_recipients(list)
        .find(|r| address::identity(&r.fields) == wanted)
        .map(|r| r.id);
    let Some(id) = found else {
        return Err(ApiError::message(
            StatusCode::NOT_FOUND,
            "No matching recipient was found on this mailing list.",
        ));
    };
    world.recipients.remove(id);
    ok(json!({ "status": format!("Recipient {id} Deleted") }))
}

/// Validates and stores one recipient; returns its id.
fn insert(world: &mut World, body: &Map<String, Value>) -> Result<u64, ApiError> {
    let input = Input::new(body);
    let mut bag = Bag::default();
    let list = input.id(LIST_NAMES, &mut bag).map(|(_, id)| id);
    if input.pick(LIST_NAMES).is_none() {
        bag.required("mailing_list_id");
    }
    let mut fields = address::read(input, true, &mut bag);
    absentee(input, &mut fields, &mut bag)?;
    bag.check()?;
    let list = list
        .filter(|id| world.lists.contains(*id))
        .ok_or_else(|| ApiError::bad_request("Mailing List Does Not Exist"))?;
    let identity = address::identity(&fields);
    if world
        .list_recipients(list)
        .any(|r| address::identity(&r.fields) == identity)
    {
        return Err(ApiError::Status(
            StatusCode::OK,
            json!({ "failure": true, "error": DUPLICATE, "message": DUPLICATE }),
        ));
    }
    fields.insert("mailing_list_id".into(), json!(list));
    let now = clock::now_unix();
    Ok(world.recipients.insert_with(|id| Row::new(id, fields, now)))
}

/// `absentee_street` is stored as `custom1 = "absentee"`, `custom2 = <street>`, so it can't be
/// combined with either (400, as documented).
fn absentee(
    input: Input<'_>,
    fields: &mut Map<String, Value>,
    bag: &mut Bag,
) -> Result<(), ApiError> {
    let Some(street) = input.text("absentee_street", bag) else {
        return Ok(());
    };
    if fields.contains_key("custom1") || fields.contains_key("custom2") {
        return Err(ApiError::bad_request(
            "absentee_street cannot be combined with custom1 or custom2.",
        ));
    }
    fields.insert("custom1".into(), json!("absentee"));
    fields.insert("custom2".into(), json!(street));
    Ok(())
}

/// One line describing why an item of a bulk request failed.
fn first_message(err: &ApiError) -> String {
    match err {
        ApiError::Invalid(bag) => bag
            .to_json()
            .as_object()
            .and_then(|m| m.values().next())
            .and_then(|msgs| msgs.get(0))
            .and_then(Value::as_str)
            .unwrap_or("The given data was invalid.")
            .to_owned(),
        ApiError::Status(_, body) => body
            .get("error")
            .or_else(|| body.get("message"))
            .and_then(Value::as_str)
            .unwrap_or("Failed")
            .to_owned(),
    }
}
