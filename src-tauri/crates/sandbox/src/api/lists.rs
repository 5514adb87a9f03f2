//! `/mailing-lists*` and `/mailing-lists-utils/*` (§4.5), including radius searches.
//!
//! Radius searches are deterministic so tests can rely on them: the number of neighbours
//! available depends only on the ZIP code, and ZIP `00000` finds nobody (the documented 400).
//! Buying the same search (address + ZIP) twice within 24 hours is the documented 409, and in
//! test mode at most 5 records can be bought (the documented 422).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::json;

use super::paginate::{self, SizeRule};
use super::people;
use super::plan::check_record_types;
use super::reply::{ApiError, ApiResult, Params, created, object_body, ok, path_id};
use super::validate::{Bag, Input};
use super::world::{MailingList, Row};
use crate::clock;
use crate::random;
use crate::state::{AppState, lock};

const LIST_RULE: SizeRule = SizeRule {
    names: &["items_per_page"],
    default: 25,
    max: 100,
};
const RECIPIENTS_RULE: SizeRule = SizeRule {
    names: &["limit"],
    default: 100,
    max: 10_000,
};
const SUB_ACCOUNT_NAMES: &[&str] = &["sub_account_id", "sub_account"];
const TEST_MODE_RADIUS_CAP: i64 = 5;
const DAY: i64 = 86_400;

pub(crate) async fn index(State(s): State<AppState>, params: Params) -> ApiResult {
    let page = paginate::read_or_422(&params, &LIST_RULE, &["sub_account_id", "sub_account"])?;
    let sub_account = match params.id("sub_account_id")? {
        Some(id) => Some(id),
        None => params.id("sub_account")?,
    };
    let world = lock(&s.world);
    let items = world
        .lists
        .values()
        .rev()
        .filter(|l| sub_account.is_none() || l.sub_account_id == sub_account)
        .map(|l| world.list_json(l))
        .collect();
    ok(paginate::resource(
        items,
        &page,
        &format!("{}/api/v2/mailing-lists", s.base_url),
    ))
}

pub(crate) async fn create(State(s): State<AppState>, body: Bytes) -> ApiResult {
    let body = object_body(&body)?;
    let input = Input::new(&body);
    let mut bag = Bag::default();
    let description = input.text("description", &mut bag);
    if input.value("description").is_none() {
        bag.required("description");
    }
    let sub_account_id = input.id(SUB_ACCOUNT_NAMES, &mut bag).map(|(_, id)| id);
    let qrcode_url = input.text("qrcode_url", &mut bag);
    bag.check()?;
    let mut world = lock(&s.world);
    if sub_account_id.is_some_and(|id| !world.sub_accounts.contains(id)) {
        return Err(ApiError::bad_request("Sub Account ID does not exist"));
    }
    let now = clock::now_unix();
    let id = world.lists.insert_with(|id| {
        new_list(
            id,
            "manual",
            description.unwrap_or_default(),
            sub_account_id,
            now,
        )
    });
    if let Some(list) = world.lists.get_mut(id) {
        list.qrcode_url = qrcode_url;
    }
    let list = world.lists.get(id).ok_or_else(ApiError::not_found)?;
    created(world.list_json(list))
}

pub(crate) async fn show(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    let world = lock(&s.world);
    let list = world.lists.get(id).ok_or_else(ApiError::not_found)?;
    ok(world.list_json(list))
}

/// Deleting a list deletes its recipients too.
pub(crate) async fn delete(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    let mut world = lock(&s.world);
    world.lists.remove(id).ok_or_else(ApiError::not_found)?;
    world
        .recipients
        .retain(|_, r| r.id_field("mailing_list_id") != Some(id));
    ok(json!({ "message": "success" }))
}

/// `GET /mailing-lists-utils/recipients/{id}`: the plain paginator shape, `limit` and
/// `updated_since` (`YYYY-MM-DD HH:MM:SS`).
pub(crate) async fn recipients(
    State(s): State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult {
    let id = path_id(&id)?;
    let page = paginate::read_or_422(&params, &RECIPIENTS_RULE, &["updated_since"])?;
    let since = match params.get("updated_since") {
        None => None,
        Some(raw) => Some(clock::parse_datetime(raw).ok_or_else(|| {
            ApiError::field(
                "updated_since",
                "The updated since does not match the format Y-m-d H:i:s.",
            )
        })?),
    };
    let world = lock(&s.world);
    if !world.lists.contains(id) {
        return Err(ApiError::not_found());
    }
    let items = world
        .list_recipients(id)
        .filter(|r| since.is_none_or(|t| r.updated_at >= t))
        .map(|r| super::world::recipient_list_json(r, world.user_id))
        .collect();
    let path = format!("{}/api/v2/mailing-lists-utils/recipients/{id}", s.base_url);
    ok(paginate::plain(items, &page, &path))
}

/// The validated common part of both radius endpoints.
struct RadiusQuery {
    address: String,
    postal_code: String,
    record_count: u64,
}

fn read_radius(input: Input<'_>, max: i64, bag: &mut Bag) -> Option<RadiusQuery> {
    for field in ["address", "postal_code", "record_count"] {
        if input.value(field).is_none() {
            bag.required(field);
        }
    }
    let address = input.text("address", bag);
    let postal_code = input.text("postal_code", bag);
    let record_count = input.int_between("record_count", 1..=max, bag);
    check_record_types(input, bag);
    for flag in [
        "include_condos",
        "append_data",
        "use_property_owner",
        "include_search_address",
    ] {
        input.boolean(flag, bag);
    }
    Some(RadiusQuery {
        address: address?,
        postal_code: postal_code?,
        record_count: record_count?.unsigned_abs(),
    })
}

pub(crate) async fn count_radius_search(body: Bytes) -> ApiResult {
    let body = object_body(&body)?;
    let mut bag = Bag::default();
    let query = read_radius(Input::new(&body), 10_000, &mut bag);
    bag.check()?;
    let query = query.ok_or_else(|| ApiError::bad_request("Invalid radius search."))?;
    let count = people::neighbours_available(&query.postal_code).min(query.record_count);
    ok(json!({ "status": "success", "count": count, "failure": false }))
}

pub(crate) async fn buy_radius_search(State(s): State<AppState>, body: Bytes) -> ApiResult {
    let body = object_body(&body)?;
    let input = Input::new(&body);
    let mut bag = Bag::default();
    let query = read_radius(input, 2500, &mut bag);
    let target = input.id(&["mailing_list_id"], &mut bag).map(|(_, id)| id);
    let test_mode = s.settings().test_mode;
    if test_mode
        && query
            .as_ref()
            .is_some_and(|q| q.record_count > TEST_MODE_RADIUS_CAP.unsigned_abs())
    {
        bag.add(
            "record_count",
            format!("In test mode a radius search can buy at most {TEST_MODE_RADIUS_CAP} records."),
        );
    }
    bag.check()?;
    let query = query.ok_or_else(|| ApiError::bad_request("Invalid radius search."))?;

    let mut world = lock(&s.world);
    if target.is_some_and(|id| !world.lists.contains(id)) {
        return Err(ApiError::bad_request("Mailing List Does Not Exist"));
    }
    let now = clock::now_unix();
    let key = format!(
        "{}|{}",
        query.address.to_ascii_lowercase(),
        query.postal_code
    );
    if let Some(previous) = world
        .radius_purchases
        .iter()
        .find(|p| p.key == key && now - p.at < DAY)
    {
        return Err(ApiError::Status(
            StatusCode::CONFLICT,
            json!({
                "message": "This radius search was already bought in the last 24 hours.",
                "code": "duplicate_radius_search",
                "mailing_list_id": previous.mailing_list_id,
                "order_id": null,
                "failure": true,
            }),
        ));
    }
    let available = people::neighbours_available(&query.postal_code);
    if available == 0 {
        return Err(ApiError::Status(
            StatusCode::BAD_REQUEST,
            json!({ "message": "No neighbors could be found with search parameters.", "failure": true }),
        ));
    }
    let list_id = match target {
        Some(id) => id,
        None => {
            let description = format!("Radius search: {}", query.address);
            world
                .lists
                .insert_with(|id| new_list(id, "radius", description, None, now))
        }
    };
    for mut fields in people::neighbours(&query.address, available.min(query.record_count)) {
        fields.insert("mailing_list_id".into(), json!(list_id));
        world.recipients.insert_with(|id| Row::new(id, fields, now));
    }
    world.radius_purchases.push(super::world::RadiusPurchase {
        key,
        at: now,
        mailing_list_id: list_id,
    });
    ok(json!({ "message": "success", "mailing_list_id": list_id, "failure": false }))
}

pub(crate) fn new_list(
    id: u64,
    kind: &'static str,
    description: String,
    sub_account_id: Option<u64>,
    now: i64,
) -> MailingList {
    MailingList {
        id,
        sub_account_id,
        kind,
        description,
        qrcode_url: None,
        is_suppression_list: false,
        total_scans: 0,
        unique_scans: 0,
        last_scan: None,
        total_sends: 0,
        last_send: None,
        api_key: random::b64url(18),
        created_at: now,
        updated_at: now,
    }
}
