//! Orders and their items (the pieces of mail), and how they are shown (§4.1, §4.3).
//!
//! The sandbox reports `status` in lower case with a separate `display_status` everywhere,
//! rather than mixing the two forms as thanks.io's list endpoint does.

use serde_json::{Value, json};

use super::catalog;
use super::kind::MailKind;
use super::world::Fields;
use crate::clock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrderStatus {
    Reviewing,
    Processing,
    Printed,
    Shipped,
    Fulfilled,
    Delivered,
    Cancelled,
}

impl OrderStatus {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Reviewing => "reviewing",
            Self::Processing => "processing",
            Self::Printed => "printed",
            Self::Shipped => "shipped",
            Self::Fulfilled => "fulfilled",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
        }
    }

    pub(crate) fn display(self) -> &'static str {
        match self {
            Self::Reviewing => "Reviewing",
            Self::Processing => "Printing",
            Self::Printed => "Printed",
            Self::Shipped => "Shipped",
            Self::Fulfilled => "Fulfilled",
            Self::Delivered => "Delivered",
            Self::Cancelled => "Cancelled",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Giftcard {
    pub brand_code: String,
    pub amount_cents: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct Order {
    pub id: u64,
    pub kind: MailKind,
    pub size: &'static str,
    pub status: OrderStatus,
    /// How it was created: "API", "Campaign", "Card Builder".
    pub method: &'static str,
    pub message: Option<String>,
    pub message_template_id: Option<u64>,
    pub image_template_id: Option<u64>,
    pub front_image: Option<String>,
    pub style: u64,
    /// As sent (`blue`, `#4287f5`); shown as `rgba(…)`.
    pub handwriting_color: String,
    pub sub_account_id: Option<u64>,
    pub mailing_list_ids: Vec<u64>,
    /// Inline recipients as submitted (echoed in the submit response).
    pub inline_recipients: Vec<Value>,
    pub items: Vec<OrderItem>,
    pub authorization_total: u64,
    pub giftcard: Option<Giftcard>,
    pub return_address: Fields,
    pub qrcode_url: Option<String>,
    pub custom_background_url: Option<String>,
    pub standard_mail: bool,
    pub metadata: Value,
    pub replayed_from: Option<u64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct OrderItem {
    pub id: u64,
    /// `Processing, Printed, In Transit, In Local Area, Processed for Delivery, Delivered,
    /// Re-routed, Returned to Sender, Failed`
    pub status: &'static str,
    pub recipient: Fields,
    pub delivery_date: Option<i64>,
    pub scans: u64,
    pub failure: Option<&'static str>,
    pub giftcard: Option<ItemGiftcard>,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct ItemGiftcard {
    pub brand_code: String,
    pub amount_cents: u64,
    pub redeemed_at: Option<i64>,
    pub invalidated_at: Option<i64>,
}

impl Order {
    /// What was actually charged: nothing for a cancelled order.
    pub(crate) fn grand_total(&self) -> u64 {
        if self.status == OrderStatus::Cancelled {
            0
        } else {
            self.authorization_total
        }
    }

    pub(crate) fn cancellable(&self) -> bool {
        self.status == OrderStatus::Reviewing
    }

    /// The flat order object. `with_recipients` adds the submitted inline recipients, as the
    /// send response does; lists leave them out.
    pub(crate) fn json(&self, base: &str, user_id: u64, with_recipients: bool) -> Value {
        let order_type = self.kind.order_type(self.size);
        let brand = self
            .giftcard
            .as_ref()
            .and_then(|g| catalog::brand_by_code(&g.brand_code));
        let ret = |k: &str| self.return_address.get(k).cloned().unwrap_or(Value::Null);
        // Built as pairs: the object is too large for one `json!` invocation.
        let pairs: Vec<(&str, Value)> = vec![
            ("id", json!(self.id)),
            ("user_id", json!(user_id)),
            ("sub_account_id", json!(self.sub_account_id)),
            ("type", json!(order_type)),
            ("display_type", json!(self.kind.display_type(self.size))),
            ("size", json!(self.size)),
            ("status", json!(self.status.code())),
            ("display_status", json!(self.status.display())),
            ("display_trigger", json!(self.method)),
            ("method", json!(self.method)),
            ("cancellable", json!(self.cancellable())),
            ("message", json!(self.message)),
            ("message_template_id", json!(self.message_template_id)),
            ("image_template_id", json!(self.image_template_id)),
            ("front_image", json!(self.front_image)),
            (
                "high_quality_preview",
                json!(format!("{base}/previews/order-{}-front.png", self.id)),
            ),
            ("custom_background_url", json!(self.custom_background_url)),
            ("style", json!(self.style)),
            ("handwriting_color", json!(rgba(&self.handwriting_color))),
            ("font_size", json!("auto")),
            ("append_or_current_resident", json!(false)),
            (
                "addons",
                if self.standard_mail {
                    json!({"standardmail": "on"})
                } else {
                    json!({})
                },
            ),
            ("qrcode_url", json!(self.qrcode_url)),
            (
                "mailing_list_ids_used",
                json!(
                    self.mailing_list_ids
                        .iter()
                        .map(u64::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            ),
            ("total_estimated_recipients", json!(self.items.len())),
            (
                "total_recipients",
                json!(if self.status == OrderStatus::Reviewing {
                    0
                } else {
                    self.items.len()
                }),
            ),
            ("recipient_count", json!(self.items.len())),
            ("authorization_total", json!(self.authorization_total)),
            ("grand_total", json!(self.grand_total())),
            ("order_total", json!(self.grand_total())),
            ("leads_fee", json!(0)),
            (
                "total_scans",
                json!(self.items.iter().map(|i| i.scans).sum::<u64>()),
            ),
            (
                "giftcard_brand",
                json!(self.giftcard.as_ref().map(|g| g.brand_code.clone())),
            ),
            ("giftcard_brand_longname", json!(brand.map(|b| b.title))),
            (
                "giftcard_image",
                json!(brand.map(|b| catalog::brand_image(base, b.code))),
            ),
            (
                "giftcard_amount",
                json!(self.giftcard.as_ref().map(|g| g.amount_cents)),
            ),
            ("return_name", ret("return_name")),
            ("return_address", ret("return_address")),
            ("return_address2", ret("return_address2")),
            ("return_city", ret("return_city")),
            ("return_province", ret("return_state")),
            ("return_postal_code", ret("return_postal_code")),
            ("metadata", self.metadata.clone()),
            ("created_at", json!(clock::iso(self.created_at))),
            ("updated_at", json!(clock::iso(self.updated_at))),
        ];
        let mut v = Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
        if self.kind.is_letter() {
            v["additional_letter_pages_count"] = json!(0);
        }
        if let Some(from) = self.replayed_from {
            v["replayed_from_order_id"] = json!(from);
        }
        if with_recipients {
            v["recipients"] = Value::Array(self.inline_recipients.clone());
        }
        v
    }

    /// `GET /orders/{id}/track`'s `data`.
    pub(crate) fn track_json(&self, base: &str, user_id: u64) -> Value {
        let count = |statuses: &[&str]| {
            self.items
                .iter()
                .filter(|i| statuses.contains(&i.status))
                .count()
        };
        let address = |i: &OrderItem| {
            let mut v = json!({});
            for k in [
                "name",
                "address",
                "address2",
                "city",
                "province",
                "postal_code",
                "country",
            ] {
                v[k] = i.recipient.get(k).cloned().unwrap_or(Value::Null);
            }
            v
        };
        let errors: Vec<Value> = self
            .items
            .iter()
            .filter(|i| i.status == "Failed")
            .map(|i| {
                let mut v = address(i);
                v["failure"] = json!(i.failure);
                v
            })
            .collect();
        let returned: Vec<Value> = self
            .items
            .iter()
            .filter(|i| i.status == "Returned to Sender")
            .map(address)
            .collect();
        json!({
            "id": self.id,
            "order": self.json(base, user_id, false),
            "stats": {
                "delivered": count(&["Delivered"]),
                "processing": count(&["Processing"]),
                "printed": count(&["Printed"]),
                "in_transit": count(&["In Transit"]),
                "in_local_area": count(&["In Local Area"]),
                "processed_for_delivery": count(&["Processed for Delivery"]),
                "re_routed": count(&["Re-routed"]),
                "returned_to_sender": count(&["Returned to Sender"]),
                "failed": count(&["Failed"]),
                "scans": self.items.iter().map(|i| i.scans).sum::<u64>(),
                "multi_scans": self.items.iter().filter(|i| i.scans > 1).count(),
            },
            "errors": errors,
            "returned": returned,
        })
    }
}

impl OrderItem {
    pub(crate) fn json(&self, base: &str) -> Value {
        let mut recipient = json!({});
        for k in super::address::FIELDS {
            if k.starts_with("custom") || matches!(*k, "dob" | "anniversary") {
                continue;
            }
            recipient[*k] = self.recipient.get(*k).cloned().unwrap_or(Value::Null);
        }
        for n in 1..=10 {
            let k = format!("custom{n}");
            recipient[&k] = self.recipient.get(&k).cloned().unwrap_or(Value::Null);
        }
        let mut v = json!({
            "id": self.id,
            "status": self.status,
            "delivery_date": self.delivery_date.map(clock::date),
            "scans": self.scans,
            "failure": self.failure,
            "recipient": recipient,
            "created_at": clock::iso(self.created_at),
        });
        if let Some(g) = &self.giftcard {
            let brand = catalog::brand_by_code(&g.brand_code);
            v["giftcard"] = json!({
                "brand": brand.map_or(g.brand_code.as_str(), |b| b.title),
                "brand_code": g.brand_code,
                "image": catalog::brand_image(base, &g.brand_code),
                "amount": g.amount_cents,
                "redeemed_at": g.redeemed_at.map(clock::iso),
                "invalidated_at": g.invalidated_at.map(clock::iso),
            });
        }
        v
    }
}

/// `blue` → `rgba(31,0,113,0.80)`; `#4287f5` → `rgba(66,135,245,0.80)`.
pub(crate) fn rgba(colour: &str) -> String {
    let (r, g, b) = match colour {
        "black" => (20, 20, 20),
        "green" => (0, 100, 40),
        "purple" => (92, 0, 128),
        "red" => (170, 0, 0),
        hex if hex.len() == 7 && hex.starts_with('#') => {
            let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
            (byte(1), byte(3), byte(5))
        }
        _ => (31, 0, 113),
    };
    format!("rgba({r},{g},{b},0.80)")
}

#[cfg(test)]
mod tests {
    #[test]
    fn colours() {
        assert_eq!(super::rgba("blue"), "rgba(31,0,113,0.80)");
        assert_eq!(super::rgba("#4287f5"), "rgba(66,135,245,0.80)");
    }
}
