//! Sandbox prices and the estimate response (§4.2).
//!
//! THESE ARE SANDBOX PRICES, NOT THANKS.IO'S. They are round, made-up numbers so estimates and
//! `authorization_total` look plausible; never show them as real costs. Per piece, in cents:
//!
//! | type                     | US  | international |
//! |--------------------------|-----|---------------|
//! | postcard 4x6             |  99 | 199           |
//! | postcard 6x9             | 125 | 225           |
//! | postcard 6x11            | 149 | 249           |
//! | magnacard                | 199 | 299           |
//! | notecard                 | 289 | 389           |
//! | giftcard (+ face value)  | 299 | 399           |
//! | windowed letter          | 149 | 249           |
//! | windowless letter        | 159 | 259           |
//!
//! Extras: standard mail −15 per US piece; radius-search records 5 each, `append_data` +20 per
//! record (the two fees thanks.io documents). Email-only recipients need a paid lookup that is
//! counted (`pending_email_lookups`) but not priced.

use serde_json::{Value, json};

use super::address;
use super::kind::MailKind;
use super::plan::{Audience, SendPlan};
use super::world::{Fields, World};

const STANDARD_MAIL_DISCOUNT: u64 = 15;
const RADIUS_RECORD: u64 = 5;
const APPEND_DATA_RECORD: u64 = 20;

/// `(US, international)` cents per piece.
fn piece_price(kind: MailKind, size: &str) -> (u64, u64) {
    match kind {
        MailKind::Postcard => match size {
            "6x9" => (125, 225),
            "6x11" => (149, 249),
            _ => (99, 199),
        },
        MailKind::Magnacard => (199, 299),
        MailKind::Notecard => (289, 389),
        MailKind::Giftcard => (299, 399),
        MailKind::WindowedLetter => (149, 249),
        MailKind::WindowlessLetter => (159, 259),
    }
}

/// How many pieces go where.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Counts {
    pub us: u64,
    pub international: u64,
    pub email_only: u64,
    pub radius_records: u64,
    pub append_data: bool,
}

impl Counts {
    pub(crate) fn of(recipients: &[Fields]) -> Self {
        let mut c = Self::default();
        for r in recipients {
            if address::is_international(r) {
                c.international += 1;
            } else {
                c.us += 1;
            }
            if address::is_email_only(r) {
                c.email_only += 1;
            }
        }
        c
    }

    /// Counts without materialising a radius search's recipients.
    pub(crate) fn of_plan(plan: &SendPlan, world: &World) -> Self {
        match &plan.audience {
            Audience::Inline(recipients) => Self::of(recipients),
            Audience::Lists(ids) => {
                let recipients: Vec<Fields> = ids
                    .iter()
                    .flat_map(|id| world.list_recipients(*id))
                    .map(|r| r.fields.clone())
                    .collect();
                Self::of(&recipients)
            }
            Audience::Radius {
                record_count,
                append_data,
                ..
            } => Self {
                us: *record_count,
                radius_records: *record_count,
                append_data: *append_data,
                ..Self::default()
            },
        }
    }

    pub(crate) fn total(&self) -> u64 {
        self.us + self.international
    }
}

/// `costs_in_cents`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Costs {
    pub united_states: u64,
    pub international: u64,
    pub giftcard_face_value: u64,
    pub radius_search: u64,
    pub grand_total: u64,
}

pub(crate) fn costs(
    kind: MailKind,
    size: &str,
    giftcard_cents: Option<u64>,
    standard_mail: bool,
    c: &Counts,
) -> Costs {
    let (us_piece, intl_piece) = piece_price(kind, size);
    let us_piece = if standard_mail {
        us_piece - STANDARD_MAIL_DISCOUNT
    } else {
        us_piece
    };
    let united_states = c.us * us_piece;
    let international = c.international * intl_piece;
    let giftcard_face_value = giftcard_cents.unwrap_or(0) * c.total();
    let per_record = RADIUS_RECORD + if c.append_data { APPEND_DATA_RECORD } else { 0 };
    let radius_search = c.radius_records * per_record;
    Costs {
        united_states,
        international,
        giftcard_face_value,
        radius_search,
        grand_total: united_states + international + giftcard_face_value + radius_search,
    }
}

pub(crate) fn plan_costs(plan: &SendPlan, counts: &Counts) -> Costs {
    costs(
        plan.kind,
        plan.size,
        plan.giftcard.as_ref().map(|g| g.amount_cents),
        plan.standard_mail,
        counts,
    )
}

/// The `POST /estimate/{type}` response.
pub(crate) fn estimate_json(
    plan: &SendPlan,
    counts: &Counts,
    balance_cents: u64,
    test_mode: bool,
) -> Value {
    let costs = plan_costs(plan, counts);
    let mut notes =
        vec!["Sandbox prices for trying the API; these are not thanks.io's prices.".to_owned()];
    if test_mode {
        notes.push("API Test Mode is on: orders are accepted and then cancelled, so nothing is mailed or charged.".into());
    }
    if counts.email_only > 0 {
        notes.push(format!(
            "{} recipient(s) have only an email address; each needs a paid address lookup, not included here.",
            counts.email_only
        ));
    }
    if plan.giftcard.is_some() {
        notes.push("Gift-card face value is billed when the card is redeemed.".into());
    }
    if counts.radius_records > 0 {
        notes.push("Radius-search records are counted, not bought, by an estimate.".into());
    }
    if plan.standard_mail {
        notes.push("Standard Mail: cheaper and slower, with no tracking or returns.".into());
    }
    json!({
        "message": "OK",
        "data": {
            "type": plan.kind.order_type(plan.size),
            "size": plan.size,
            "total_recipients": counts.total(),
            "recipients": { "united_states": counts.us, "international": counts.international },
            "pending_email_lookups": counts.email_only,
            "costs_in_cents": {
                "united_states": costs.united_states,
                "international": costs.international,
                "additional_pages": 0,
                "giftcard_face_value": costs.giftcard_face_value,
                "radius_search": costs.radius_search,
                "grand_total": costs.grand_total,
            },
            "total_cost_in_cents": costs.grand_total,
            "total_cost": dollars(costs.grand_total),
            "current_balance_in_cents": balance_cents,
            "covered_by_balance": balance_cents >= costs.grand_total,
            "test_mode": test_mode,
            "notes": notes,
        },
    })
}

/// `123456` → `"$1,234.56"`.
pub(crate) fn dollars(cents: u64) -> String {
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("${grouped}.{:02}", cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formatting() {
        assert_eq!(dollars(0), "$0.00");
        assert_eq!(dollars(123), "$1.23");
        assert_eq!(dollars(262_243), "$2,622.43");
        assert_eq!(dollars(100_000_000), "$1,000,000.00");
    }

    #[test]
    fn prices_add_up() {
        let counts = Counts {
            us: 2,
            international: 1,
            ..Counts::default()
        };
        let c = costs(MailKind::Giftcard, "4.25x5.5", Some(1000), false, &counts);
        assert_eq!(c.grand_total, 2 * 299 + 399 + 3 * 1000);
        let radius = Counts {
            us: 10,
            radius_records: 10,
            append_data: true,
            ..Counts::default()
        };
        assert_eq!(
            costs(MailKind::Postcard, "4x6", None, true, &radius).grand_total,
            10 * 84 + 10 * 25
        );
    }
}
