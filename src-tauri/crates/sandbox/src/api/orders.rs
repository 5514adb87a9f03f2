//! `/orders/*` and `/order-items/*` (§4.3): listing, tracking, items, cancel, replay and gift-card
//! invalidation.
//!
//! Error bodies where thanks.io documents none (cancelling too late, replay refusals) use the
//! shapes of its neighbouring endpoints: `{"message", "failure": true}` (+ `status` for replay).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::address;
use super::order::OrderStatus;
use super::paginate::{self, SizeRule};
use super::plan::read_metadata;
use super::pricing::{self, Counts};
use super::reply::{ApiError, ApiResult, Params, object_body, ok, path_id};
use super::sends::{new_items, submit};
use super::validate::{Bag, Input};
use super::world::Fields;
use crate::clock;
use crate::state::{AppState, lock};

const LIST_RULE: SizeRule = SizeRule {
    names: &["items_per_page", "limit"],
    default: 25,
    max: 100,
};
const ITEMS_RULE: SizeRule = SizeRule {
    names: &["per_page"],
    default: 50,
    max: 100,
};

/// `GET /orders/list`: newest first.
pub(crate) async fn list(State(s): State<AppState>, params: Params) -> ApiResult {
    let page = paginate::read_or_422(&params, &LIST_RULE, &["sub_account_id"])?;
    let sub_account = params.id("sub_account_id")?;
    let world = lock(&s.world);
    let mut orders: Vec<_> = world
        .orders
        .values()
        .filter(|o| sub_account.is_none() || o.sub_account_id == sub_account)
        .collect();
    orders.sort_by_key(|o| std::cmp::Reverse((o.created_at, o.id)));
    let items = orders
        .iter()
        .map(|o| o.json(&s.base_url, world.user_id, false))
        .collect();
    ok(paginate::resource(
        items,
        &page,
        &format!("{}/api/v2/orders/list", s.base_url),
    ))
}

pub(crate) async fn track(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    let world = lock(&s.world);
    let order = world.orders.get(id).ok_or_else(ApiError::not_found)?;
    ok(json!({ "data": order.track_json(&s.base_url, world.user_id) }))
}

/// `GET /orders/{id}/items`; a bad `per_page` is a 422 with only `errors`, as documented.
pub(crate) async fn items(
    State(s): State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult {
    let id = path_id(&id)?;
    let page = paginate::read(&params, &ITEMS_RULE, &[]).map_err(|(field, message)| {
        ApiError::Status(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "errors": { field: [message] } }),
        )
    })?;
    let world = lock(&s.world);
    let order = world.orders.get(id).ok_or_else(ApiError::not_found)?;
    let items = order.items.iter().map(|i| i.json(&s.base_url)).collect();
    ok(paginate::resource(
        items,
        &page,
        &format!("{}/api/v2/orders/{id}/items", s.base_url),
    ))
}

/// `PUT /orders/{id}/cancel`: only while Reviewing.
pub(crate) async fn cancel(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    let mut world = lock(&s.world);
    let user_id = world.user_id;
    let order = world.orders.get_mut(id).ok_or_else(ApiError::not_found)?;
    if order.status != OrderStatus::Reviewing {
        return Err(ApiError::Status(
            StatusCode::BAD_REQUEST,
            json!({
                "message": format!(
                    "This order can no longer be cancelled: it is {} and only orders in Reviewing can be cancelled.",
                    order.status.display()
                ),
                "failure": true,
            }),
        ));
    }
    order.status = OrderStatus::Cancelled;
    order.updated_at = clock::now_unix();
    ok(json!({ "order": order.json(&s.base_url, user_id, false) }))
}

/// `POST /orders/{id}/replay`: re-sends a settled order, to its original recipients or to the
/// ones in the body. Creates a new order (cancelled right away in test mode, like any send).
pub(crate) async fn replay(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let id = path_id(&id)?;
    let body = object_body(&body)?;
    let input = Input::new(&body);
    let mut bag = Bag::default();
    let recipients = replay_recipients(input, &mut bag);
    if let Some(day) = input.text("schedule_for", &mut bag)
        && clock::parse_day(&day).is_none()
    {
        bag.add(
            "schedule_for",
            "The schedule for does not match the format Y-m-d.",
        );
    }
    let metadata = read_metadata(input, &mut bag);
    bag.check()?;

    let test_mode = s.settings().test_mode;
    let mut world = lock(&s.world);
    let original = world
        .orders
        .get(id)
        .ok_or_else(ApiError::not_found)?
        .clone();
    let refuse = |message: String| {
        Err(ApiError::Status(
            StatusCode::BAD_REQUEST,
            json!({ "status": "failed", "message": message, "failure": true }),
        ))
    };
    match original.status {
        OrderStatus::Cancelled => return refuse("Cancelled orders cannot be replayed.".into()),
        OrderStatus::Reviewing | OrderStatus::Processing => {
            return refuse(format!(
                "Only settled orders can be replayed; this order is {}.",
                original.status.display()
            ));
        }
        _ => {}
    }
    let recipients: Vec<Fields> =
        recipients.unwrap_or_else(|| original.items.iter().map(|i| i.recipient.clone()).collect());
    if recipients.is_empty() {
        return refuse("There is nothing to resend.".into());
    }
    let now = clock::now_unix();
    let giftcard = original.giftcard.as_ref().map(|g| g.amount_cents);
    let costs = pricing::costs(
        original.kind,
        original.size,
        giftcard,
        original.standard_mail,
        &Counts::of(&recipients),
    );
    let brand = original
        .giftcard
        .as_ref()
        .map(|g| (g.brand_code.as_str(), g.amount_cents));
    let items = new_items(&mut world, recipients, brand, now);
    let mut order = original.clone();
    order.id = world.orders.peek_next_id();
    order.items = items;
    order.inline_recipients = Vec::new();
    order.authorization_total = costs.grand_total;
    order.method = "API";
    order.replayed_from = Some(original.id);
    if !metadata.is_null() {
        order.metadata = metadata;
    }
    order.created_at = now;
    order.updated_at = now;
    ok(submit(&mut world, order, &s.base_url, test_mode))
}

fn replay_recipients(input: Input<'_>, bag: &mut Bag) -> Option<Vec<Fields>> {
    let value = input.value("recipients")?;
    let Some(items) = value.as_array() else {
        bag.add("recipients", "The recipients must be an array.");
        return None;
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let prefix = format!("recipients.{i}.");
        let Some(obj) = item.as_object() else {
            bag.add(
                format!("recipients.{i}"),
                format!("The recipients.{i} must be an object."),
            );
            continue;
        };
        let nested = Input::nested(obj, &prefix);
        if nested.value("address").is_none() {
            bag.required(&nested.key("address"));
        }
        out.push(address::read(nested, false, bag));
    }
    Some(out)
}

/// `PUT|PATCH /order-items/{id}/invalidate-giftcard`: irreversible.
pub(crate) async fn invalidate_giftcard(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult {
    let id = path_id(&id)?;
    let mut world = lock(&s.world);
    let item = world
        .orders
        .values_mut()
        .flat_map(|o| o.items.iter_mut())
        .find(|i| i.id == id)
        .ok_or_else(ApiError::not_found)?;
    let failed = |why: &str| {
        Err(ApiError::Status(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "status": "failed", "errors": [why] }),
        ))
    };
    let Some(card) = item.giftcard.as_mut() else {
        return failed("This order item does not carry a gift card.");
    };
    if card.redeemed_at.is_some() {
        return failed("Giftcard has already been redeemed.");
    }
    if card.invalidated_at.is_some() {
        return failed("Giftcard has already been invalidated.");
    }
    card.invalidated_at = Some(clock::now_unix());
    let data: Value = item.json(&s.base_url);
    ok(json!({ "data": data }))
}
