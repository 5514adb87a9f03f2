//! `POST /send/{type}` and `POST /estimate/{type}`.
//!
//! Test mode (on by default) mirrors thanks.io's API Test Mode: a real send is validated and
//! accepted exactly as live — the response is the submitted order, status `reviewing` — and the
//! stored order is then immediately `cancelled` (nothing mailed, `grand_total` 0), which is what
//! `/orders/list` and `/orders/{id}/track` show afterwards. With test mode off the order stays
//! in `reviewing` and can be cancelled with `PUT /orders/{id}/cancel`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use serde_json::{Map, Value, json};

use super::kind::MailKind;
use super::order::{ItemGiftcard, Order, OrderItem, OrderStatus};
use super::people;
use super::plan::{self, Audience, SendPlan};
use super::pricing::{self, Counts};
use super::reply::{ApiError, ApiResult, object_body, ok};
use super::world::{Fields, World};
use crate::clock;
use crate::random;
use crate::state::{AppState, lock};

pub(crate) async fn send(
    State(s): State<AppState>,
    Path(kind): Path<String>,
    body: Bytes,
) -> ApiResult {
    let kind = MailKind::from_path(&kind).ok_or_else(ApiError::not_found)?;
    let body = object_body(&body)?;
    run(&s, kind, &body)
}

/// Validates a send body and either answers with previews or places the order. Also used by
/// stored sends, which run a saved body later.
pub(crate) fn run(s: &AppState, kind: MailKind, body: &Map<String, Value>) -> ApiResult {
    let test_mode = s.settings().test_mode;
    let mut world = lock(&s.world);
    let plan = plan::plan(kind, body, &world)?;
    if plan.preview {
        return ok(preview_json(&s.base_url));
    }
    let now = clock::now_unix();
    let recipients = resolve(&plan, &mut world, now);
    let total = pricing::plan_costs(&plan, &Counts::of_plan(&plan, &world)).grand_total;
    let order = order_from_plan(&mut world, &plan, recipients, total, now);
    ok(submit(&mut world, order, &s.base_url, test_mode))
}

/// The `"preview": true` answer: a front and a back image.
pub(crate) fn preview_json(base: &str) -> Value {
    let id = random::b64url(12);
    json!({
        "success": true,
        "code": 200,
        "message": "OK",
        "data": { "previews": [format!("{base}/previews/{id}-front.png"), format!("{base}/previews/{id}-back.png")] },
    })
}

pub(crate) async fn estimate(
    State(s): State<AppState>,
    Path(kind): Path<String>,
    body: Bytes,
) -> ApiResult {
    let kind = MailKind::from_path(&kind).ok_or_else(ApiError::not_found)?;
    let body = object_body(&body)?;
    let test_mode = s.settings().test_mode;
    let world = lock(&s.world);
    let plan = plan::plan(kind, &body, &world)?;
    let counts = Counts::of_plan(&plan, &world);
    ok(pricing::estimate_json(
        &plan,
        &counts,
        world.balance_cents,
        test_mode,
    ))
}

/// Stores a new order and returns its submitted form. In test mode the stored copy is
/// cancelled right away (see the module docs).
pub(crate) fn submit(world: &mut World, mut order: Order, base: &str, test_mode: bool) -> Value {
    order.status = OrderStatus::Reviewing;
    let submitted = order.json(base, world.user_id, true);
    if test_mode {
        order.status = OrderStatus::Cancelled;
    }
    let expected = order.id;
    let id = world.orders.insert_with(|_| order);
    debug_assert_eq!(
        id, expected,
        "orders must be built with peek_next_id under the same lock"
    );
    submitted
}

/// The actual recipients of a send; mailing lists also record the send.
fn resolve(plan: &SendPlan, world: &mut World, now: i64) -> Vec<Fields> {
    match &plan.audience {
        Audience::Inline(recipients) => recipients.clone(),
        Audience::Lists(ids) => {
            let recipients = ids
                .iter()
                .flat_map(|id| world.list_recipients(*id))
                .map(|r| r.fields.clone())
                .collect();
            for id in ids {
                if let Some(list) = world.lists.get_mut(*id) {
                    list.total_sends += 1;
                    list.last_send = Some(now);
                }
            }
            recipients
        }
        Audience::Radius {
            address,
            record_count,
            ..
        } => people::neighbours(address, *record_count),
    }
}

fn order_from_plan(
    world: &mut World,
    plan: &SendPlan,
    recipients: Vec<Fields>,
    total: u64,
    now: i64,
) -> Order {
    let inline_recipients = match &plan.audience {
        Audience::Inline(r) => r.iter().cloned().map(Value::Object).collect(),
        _ => Vec::new(),
    };
    let items = new_items(
        world,
        recipients,
        plan.giftcard
            .as_ref()
            .map(|g| (g.brand_code.as_str(), g.amount_cents)),
        now,
    );
    Order {
        id: world.orders.peek_next_id(),
        kind: plan.kind,
        size: plan.size,
        status: OrderStatus::Reviewing,
        method: "API",
        message: plan.message.clone(),
        message_template_id: plan.message_template_id,
        image_template_id: plan.image_template_id,
        front_image: plan.front_image_url.clone(),
        style: plan.style,
        handwriting_color: plan.handwriting_color.clone(),
        sub_account_id: plan.sub_account_id,
        mailing_list_ids: match &plan.audience {
            Audience::Lists(ids) => ids.clone(),
            _ => Vec::new(),
        },
        inline_recipients,
        items,
        authorization_total: total,
        giftcard: plan.giftcard.clone(),
        return_address: plan.return_address.clone(),
        qrcode_url: plan.qrcode_url.clone(),
        custom_background_url: plan.custom_background_url.clone(),
        standard_mail: plan.standard_mail,
        metadata: plan.metadata.clone(),
        replayed_from: None,
        created_at: now,
        updated_at: now,
    }
}

/// Fresh pieces of mail, all `Processing`.
pub(crate) fn new_items(
    world: &mut World,
    recipients: Vec<Fields>,
    giftcard: Option<(&str, u64)>,
    now: i64,
) -> Vec<OrderItem> {
    recipients
        .into_iter()
        .map(|recipient| OrderItem {
            id: world.new_item_id(),
            status: "Processing",
            recipient,
            delivery_date: None,
            scans: 0,
            failure: None,
            giftcard: giftcard.map(|(brand, amount)| ItemGiftcard {
                brand_code: brand.to_owned(),
                amount_cents: amount,
                redeemed_at: None,
                invalidated_at: None,
            }),
            created_at: now,
        })
        .collect()
}
