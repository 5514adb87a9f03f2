//! The data every sandbox starts with.
//!
//! Deterministic (a fixed-seed generator, timestamps relative to start-up), so tests can rely on
//! counts: 36 orders (two pages at the default 25; the two newest are in Reviewing and can be
//! cancelled; one has 60 items so item pagination shows), 4 mailing lists with 48 recipients,
//! 3 sub-accounts, 7 image templates, 4 message templates (one a gift card) and 2 webhooks.

use serde_json::{Value, json};

use super::catalog;
use super::kind::MailKind;
use super::lists::new_list;
use super::order::{Giftcard, ItemGiftcard, Order, OrderItem, OrderStatus};
use super::people::{Rng, person, person_abroad};
use super::pricing::{self, Counts};
use super::templates::blank_template;
use super::world::{Fields, Row, Table, World};

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// The ids of seeded things, for tests and docs.
pub(crate) const FIRST_ORDER_ID: u64 = 48_210;
pub(crate) const ORDER_COUNT: u64 = 36;

const MESSAGES: &[&str] = &[
    "Hi %FIRST_NAME%, thank you so much for your business this year. It means the world to our team!",
    "Hi %FIRST_NAME% - we just listed a home on your street. Curious what yours is worth? Give us a call.",
    "Happy holidays from all of us at Sandbox Printing Co.! Wishing you a bright new year.",
    "%FIRST_NAME%, it's been a while! Here's 15% off your next order - just mention this card.",
    "Welcome to the neighborhood, %FIRST_NAME%! Stop by for a free coffee on us.",
];

/// `base` is the sandbox's own URL, so seeded images point at its placeholder PNGs.
pub(crate) fn world(now: i64, base: &str) -> World {
    let mut rng = Rng(0x5eed_7a4e_2026_0001);
    let mut w = World {
        user_id: 4821,
        balance_cents: 5_000,
        orders: Table::starting_at(FIRST_ORDER_ID),
        next_item_id: 7_300_000,
        lists: Table::starting_at(1180),
        recipients: Table::starting_at(297_101),
        sub_accounts: Table::starting_at(311),
        image_templates: Table::starting_at(5101),
        message_templates: Table::starting_at(7301),
        webhooks: Table::starting_at(91),
        radius_purchases: Vec::new(),
        stored_sends: std::collections::BTreeMap::new(),
    };
    seed_sub_accounts(&mut w, now);
    seed_templates(&mut w, now, base);
    seed_lists(&mut w, &mut rng, now);
    seed_orders(&mut w, &mut rng, now, base);
    seed_webhooks(&mut w, now);
    w
}

fn seed_sub_accounts(w: &mut World, now: i64) {
    let rows = [
        (
            "Downtown Office",
            "500 Congress Ave",
            "Austin",
            "TX",
            "78701",
        ),
        ("Westside Office", "1200 W 6th St", "Austin", "TX", "78703"),
        ("Holiday Campaigns", "88 Market St", "Denver", "CO", "80202"),
    ];
    for (i, (title, street, city, state, zip)) in rows.into_iter().enumerate() {
        let mut f = super::accounts::blank();
        f.insert("title".into(), json!(title));
        f.insert("return_name".into(), json!("Sandbox Printing Co."));
        f.insert("return_address".into(), json!(street));
        f.insert("return_city".into(), json!(city));
        f.insert("return_state".into(), json!(state));
        f.insert("return_postal_code".into(), json!(zip));
        let created = now - (400 - 60 * i as i64) * DAY;
        w.sub_accounts.insert_with(|id| Row::new(id, f, created));
    }
}

fn seed_templates(w: &mut World, now: i64, base: &str) {
    let images = [
        ("Spring Open House", "postcard", None),
        ("Thank You - Blue Wave", "postcard", None),
        ("Just Sold (6x11)", "postcard6x11", Some(311)),
        ("Letterhead - Classic", "letter", None),
        ("Welcome Notecard", "notecard", Some(312)),
        ("Gift Card - Thank You", "giftcard", None),
        ("Windowless Cover", "windowlessletter", None),
    ];
    for (i, (name, kind, sub)) in images.into_iter().enumerate() {
        let id = w.image_templates.peek_next_id();
        let f = fields(&[
            ("sub_account_id", json!(sub)),
            ("type", json!(kind)),
            ("name", json!(name)),
            (
                "image",
                json!(format!("{base}/previews/template-{id}-front.png")),
            ),
            ("is_dynamic", json!(false)),
            ("dynamic_image_url", Value::Null),
            ("canva_id", Value::Null),
            (
                "share_uuid",
                json!(format!("5b7c1e0a-{id:04}-4d1f-9e7a-0c3b{i:08}")),
            ),
        ]);
        let created = now - (300 - 30 * i as i64) * DAY;
        w.image_templates.insert_with(|id| Row::new(id, f, created));
    }
    let messages = [
        ("Thank you - first order", "postcard", MESSAGES[0], None),
        ("Holiday greetings", "notecard", MESSAGES[2], None),
        (
            "Referral gift",
            "giftcard",
            "Thanks for the referral, %FIRST_NAME%! Coffee's on us.",
            Some(("starbucksus", 1000)),
        ),
        ("Re-engagement letter", "letter", MESSAGES[3], None),
    ];
    for (i, (name, kind, content, gift)) in messages.into_iter().enumerate() {
        let mut f = blank_template();
        f.insert("name".into(), json!(name));
        f.insert("type".into(), json!(kind));
        f.insert("content".into(), json!(content));
        f.insert(
            "handwriting_style_id".into(),
            json!(catalog::STYLES[i * 3].id),
        );
        if let Some((brand, amount)) = gift {
            f.insert("giftcard_brand_code".into(), json!(brand));
            f.insert("giftcard_amount".into(), json!(amount));
        }
        let created = now - (200 - 25 * i as i64) * DAY;
        w.message_templates
            .insert_with(|id| Row::new(id, f, created));
    }
}

fn seed_lists(w: &mut World, rng: &mut Rng, now: i64) {
    // (description, type, sub-account, recipients, abroad, suppression)
    let lists = [
        ("Past customers 2024", "csv", None, 14, 2, false),
        ("Open house sign-ins", "manual", Some(311), 9, 0, false),
        ("Radius: 500 Congress Ave", "radius", None, 22, 0, false),
        ("Do not mail", "manual", None, 3, 0, true),
    ];
    for (i, (description, kind, sub, count, abroad, suppression)) in lists.into_iter().enumerate() {
        let created = now - (180 - 40 * i as i64) * DAY;
        let list_id = w
            .lists
            .insert_with(|id| new_list(id, kind, description.to_owned(), sub, created));
        if let Some(list) = w.lists.get_mut(list_id) {
            list.is_suppression_list = suppression;
            list.api_key = format!("sbx_list_{list_id}");
            if !suppression {
                list.total_sends = 2 + i as u64;
                list.last_send = Some(now - (10 + 3 * i as i64) * DAY);
                list.total_scans = 3 * i as u64;
                list.unique_scans = 2 * i as u64;
                list.last_scan = (i > 0).then_some(now - (2 + i as i64) * DAY);
            }
        }
        for n in 0..count {
            let mut f = if n < abroad {
                person_abroad(rng)
            } else {
                person(rng)
            };
            if i == 1 && n == 0 {
                // An email-only sign-in: sends to this list need a paid address lookup.
                f = fields(&[
                    ("name", json!("Jordan Blake")),
                    ("email", json!("jordan.blake@example.com")),
                ]);
            }
            f.insert("mailing_list_id".into(), json!(list_id));
            let at = created + i64::from(n) * HOUR;
            w.recipients.insert_with(|id| Row::new(id, f, at));
        }
    }
}

fn seed_orders(w: &mut World, rng: &mut Rng, now: i64, base: &str) {
    let kinds = [
        (MailKind::Postcard, "4x6"),
        (MailKind::Postcard, "6x9"),
        (MailKind::Notecard, "4.25x5.5"),
        (MailKind::WindowedLetter, "8.5x11"),
        (MailKind::Postcard, "6x11"),
        (MailKind::Giftcard, "4.25x5.5"),
        (MailKind::Magnacard, "4x6"),
        (MailKind::WindowlessLetter, "8.5x11"),
    ];
    for i in 0..ORDER_COUNT {
        let age = ORDER_COUNT - i; // 1 = newest
        let status = match age {
            1 | 2 => OrderStatus::Reviewing,
            3 => OrderStatus::Processing,
            4 => OrderStatus::Printed,
            5 | 6 => OrderStatus::Shipped,
            11 | 24 => OrderStatus::Cancelled,
            a if a % 4 == 0 => OrderStatus::Fulfilled,
            _ => OrderStatus::Delivered,
        };
        let (kind, size) = kinds[(i % kinds.len() as u64) as usize];
        let created = now - (age as i64) * 38 * HOUR - (rng.below(50) as i64) * 60;
        let count = if age == 16 { 60 } else { 1 + rng.below(6) };
        let giftcard = (kind == MailKind::Giftcard).then(|| {
            let brand = rng.pick(catalog::BRANDS);
            Giftcard {
                brand_code: brand.code.to_owned(),
                amount_cents: brand.amounts[0],
            }
        });
        let mut items = Vec::new();
        for n in 0..count {
            let recipient = if n % 11 == 10 {
                person_abroad(rng)
            } else {
                person(rng)
            };
            items.push(seed_item(
                w.new_item_id(),
                status,
                n,
                recipient,
                giftcard.as_ref(),
                created,
                rng,
            ));
        }
        let recipients: Vec<Fields> = items.iter().map(|it| it.recipient.clone()).collect();
        let total = pricing::costs(
            kind,
            size,
            giftcard.as_ref().map(|g| g.amount_cents),
            false,
            &Counts::of(&recipients),
        )
        .grand_total;
        let template = 5101 + (i % 7);
        let order = Order {
            id: w.orders.peek_next_id(),
            kind,
            size,
            status,
            method: ["API", "API", "Campaign", "API", "Card Builder"][(i % 5) as usize],
            message: Some((*rng.pick(MESSAGES)).to_owned()),
            message_template_id: (i % 6 == 0).then_some(7301),
            image_template_id: Some(template),
            front_image: Some(format!("{base}/previews/template-{template}-front.png")),
            style: rng.pick(catalog::STYLES).id,
            handwriting_color: ["blue", "black", "#1f4e79"][(i % 3) as usize].to_owned(),
            sub_account_id: match i % 7 {
                0 => Some(311),
                3 => Some(312),
                _ => None,
            },
            mailing_list_ids: if i % 5 == 0 { vec![1180] } else { Vec::new() },
            inline_recipients: Vec::new(),
            items,
            authorization_total: total,
            giftcard,
            return_address: Fields::new(),
            qrcode_url: (i % 4 == 1).then(|| "https://example.com/offer".to_owned()),
            custom_background_url: None,
            standard_mail: false,
            metadata: if i % 3 == 0 {
                json!({ "crm_id": format!("deal-{}", 1000 + i) })
            } else {
                Value::Null
            },
            replayed_from: None,
            created_at: created,
            updated_at: created + 2 * HOUR,
        };
        w.orders.insert_with(|_| order);
    }
}

fn seed_item(
    id: u64,
    status: OrderStatus,
    n: u64,
    recipient: Fields,
    giftcard: Option<&Giftcard>,
    created: i64,
    rng: &mut Rng,
) -> OrderItem {
    let settled = matches!(status, OrderStatus::Delivered | OrderStatus::Fulfilled);
    let (item_status, failure) = match status {
        OrderStatus::Printed => ("Printed", None),
        OrderStatus::Shipped => (
            ["In Transit", "In Local Area", "Processed for Delivery"][(n % 3) as usize],
            None,
        ),
        _ if settled && n % 13 == 12 => ("Failed", Some("Undeliverable address")),
        _ if settled && n % 9 == 8 => ("Returned to Sender", None),
        _ if settled => ("Delivered", None),
        _ => ("Processing", None),
    };
    let delivered = item_status == "Delivered";
    OrderItem {
        id,
        status: item_status,
        recipient,
        delivery_date: delivered.then_some(created + (4 + rng.below(4) as i64) * DAY),
        scans: if delivered { rng.below(3) } else { 0 },
        failure,
        giftcard: giftcard.map(|g| ItemGiftcard {
            brand_code: g.brand_code.clone(),
            amount_cents: g.amount_cents,
            // The first card of a delivered order has been redeemed; the rest are still open.
            redeemed_at: (delivered && n == 0).then_some(created + 9 * DAY),
            invalidated_at: None,
        }),
        created_at: created,
    }
}

fn seed_webhooks(w: &mut World, now: i64) {
    let hooks = [
        (
            "https://hooks.example.com/thanks/delivered",
            "order_item.delivered",
            "post",
            "CRM delivery sync",
        ),
        (
            "https://hooks.example.com/thanks/scans",
            "scans.scan_update",
            "post",
            "QR scan alerts",
        ),
    ];
    for (i, (url, kind, verb, description)) in hooks.into_iter().enumerate() {
        let f = fields(&[
            ("mailing_list_id", Value::Null),
            ("type", json!(kind)),
            ("description", json!(description)),
            ("invoke_count", json!(17 * (i + 1))),
            ("url", json!(url)),
            ("verb", json!(verb)),
            ("deleted_at", Value::Null),
        ]);
        let created = now - (90 - 30 * i as i64) * DAY;
        w.webhooks.insert_with(|id| Row::new(id, f, created));
    }
}

fn fields(pairs: &[(&str, Value)]) -> Fields {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_is_believable() {
        let w = world(1_760_000_000, "http://127.0.0.1:1");
        assert_eq!(w.orders.values().count() as u64, ORDER_COUNT);
        assert_eq!(
            w.orders
                .values()
                .filter(|o| o.status == OrderStatus::Reviewing)
                .count(),
            2
        );
        assert!(w.orders.values().any(|o| o.items.len() == 60));
        assert!(
            w.orders
                .values()
                .flat_map(|o| &o.items)
                .any(|i| i.giftcard.as_ref().is_some_and(|g| g.redeemed_at.is_none()))
        );
        assert_eq!(w.recipients.values().count(), 48);
        assert_eq!(w.lists.values().count(), 4);
        // Same seed, same data.
        let again = world(1_760_000_000, "http://127.0.0.1:1");
        assert_eq!(
            w.orders.values().map(|o| o.items.len()).collect::<Vec<_>>(),
            again
                .orders
                .values()
                .map(|o| o.items.len())
                .collect::<Vec<_>>()
        );
    }
}
