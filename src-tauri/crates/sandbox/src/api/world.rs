//! The account's data, in memory: one account owns everything (every token maps to it).
//!
//! Resources whose fields the sandbox only stores and echoes (recipients, sub-accounts,
//! templates, webhooks) are [`Row`]s holding a JSON field map; orders and mailing lists have
//! behaviour (status changes, counts) and are typed.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::order::Order;
use crate::clock;

pub(crate) type Fields = Map<String, Value>;

/// Rows keyed by id, with ids handed out in increasing order.
pub(crate) struct Table<T> {
    rows: BTreeMap<u64, T>,
    next_id: u64,
}

impl<T> Table<T> {
    pub(crate) fn starting_at(first_id: u64) -> Self {
        Self {
            rows: BTreeMap::new(),
            next_id: first_id,
        }
    }

    pub(crate) fn insert_with(&mut self, make: impl FnOnce(u64) -> T) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.rows.insert(id, make(id));
        id
    }

    /// The id the next insert will get (valid while the world's lock is held).
    pub(crate) fn peek_next_id(&self) -> u64 {
        self.next_id
    }

    pub(crate) fn get(&self, id: u64) -> Option<&T> {
        self.rows.get(&id)
    }

    pub(crate) fn get_mut(&mut self, id: u64) -> Option<&mut T> {
        self.rows.get_mut(&id)
    }

    pub(crate) fn contains(&self, id: u64) -> bool {
        self.rows.contains_key(&id)
    }

    pub(crate) fn remove(&mut self, id: u64) -> Option<T> {
        self.rows.remove(&id)
    }

    pub(crate) fn values(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.rows.values()
    }

    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.rows.values_mut()
    }

    pub(crate) fn retain(&mut self, keep: impl FnMut(&u64, &mut T) -> bool) {
        self.rows.retain(keep);
    }
}

/// A stored-and-echoed record.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub id: u64,
    pub fields: Fields,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Row {
    pub(crate) fn new(id: u64, fields: Fields, now: i64) -> Self {
        Self {
            id,
            fields,
            created_at: now,
            updated_at: now,
        }
    }

    /// `{"id", "user_id", …fields, "created_at", "updated_at"}`
    pub(crate) fn json(&self, user_id: u64) -> Value {
        let mut out = Map::new();
        out.insert("id".into(), json!(self.id));
        out.insert("user_id".into(), json!(user_id));
        out.extend(self.fields.clone());
        out.insert("created_at".into(), json!(clock::iso(self.created_at)));
        out.insert("updated_at".into(), json!(clock::iso(self.updated_at)));
        Value::Object(out)
    }

    pub(crate) fn id_field(&self, name: &str) -> Option<u64> {
        self.fields.get(name).and_then(Value::as_u64)
    }

    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Value::as_str)
    }

    /// Merges new field values and bumps `updated_at`.
    pub(crate) fn update(&mut self, fields: Fields, now: i64) {
        self.fields.extend(fields);
        self.updated_at = now;
    }
}

#[derive(Debug, Clone)]
pub(crate) struct MailingList {
    pub id: u64,
    pub sub_account_id: Option<u64>,
    /// `csv, manual, map, friends, retarget, leads, zapier, radius, highlevel, qrscans`
    pub kind: &'static str,
    pub description: String,
    pub qrcode_url: Option<String>,
    pub is_suppression_list: bool,
    pub total_scans: u64,
    pub unique_scans: u64,
    pub last_scan: Option<i64>,
    pub total_sends: u64,
    pub last_send: Option<i64>,
    pub api_key: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A bought radius search, remembered for the 24-hour duplicate check.
pub(crate) struct RadiusPurchase {
    pub key: String,
    pub at: i64,
    pub mailing_list_id: u64,
}

/// A send saved by `POST /stored_send/{type}`, performed each time its URL is opened.
pub(crate) struct StoredSend {
    /// The path segment it was stored under (`postcard`, `letter`, …).
    pub kind: String,
    pub body: Fields,
}

pub(crate) struct World {
    pub user_id: u64,
    pub balance_cents: u64,
    pub orders: Table<Order>,
    pub next_item_id: u64,
    pub lists: Table<MailingList>,
    pub recipients: Table<Row>,
    pub sub_accounts: Table<Row>,
    pub image_templates: Table<Row>,
    pub message_templates: Table<Row>,
    pub webhooks: Table<Row>,
    pub radius_purchases: Vec<RadiusPurchase>,
    /// Keyed by the random id at the end of `stored_send_url`.
    pub stored_sends: BTreeMap<String, StoredSend>,
}

impl World {
    pub(crate) fn list_recipients(&self, list_id: u64) -> impl Iterator<Item = &Row> {
        self.recipients
            .values()
            .filter(move |r| r.id_field("mailing_list_id") == Some(list_id))
    }

    pub(crate) fn list_json(&self, list: &MailingList) -> Value {
        let ts = |t: Option<i64>| t.map(clock::datetime);
        json!({
            "id": list.id,
            "user_id": self.user_id,
            "sub_account_id": list.sub_account_id,
            "type": list.kind,
            "description": list.description,
            "qrcode_url": list.qrcode_url,
            "total_recipients": self.list_recipients(list.id).count(),
            "processed": true,
            "is_suppression_list": list.is_suppression_list,
            "total_scans": list.total_scans,
            "unique_scans": list.unique_scans,
            "last_scan": ts(list.last_scan),
            "total_sends": list.total_sends,
            "last_send": ts(list.last_send),
            "api_key": list.api_key,
            "created_at": clock::iso(list.created_at),
            "created_at_diff": ago(list.created_at, clock::now_unix()),
            "updated_at": clock::iso(list.updated_at),
        })
    }

    /// A recipient with its list nested, as single-recipient endpoints return it.
    pub(crate) fn recipient_json(&self, row: &Row) -> Value {
        let mut v = recipient_list_json(row, self.user_id);
        let list = row
            .id_field("mailing_list_id")
            .and_then(|id| self.lists.get(id));
        v["mailing_list"] = list.map_or(
            Value::Null,
            |l| json!({"id": l.id, "description": l.description}),
        );
        v
    }

    pub(crate) fn new_item_id(&mut self) -> u64 {
        self.next_item_id += 1;
        self.next_item_id
    }
}

/// A recipient as list endpoints return it.
pub(crate) fn recipient_list_json(row: &Row, user_id: u64) -> Value {
    let mut v = row.json(user_id);
    v["deliverability"] = json!("deliverable");
    v["can_deliver"] = json!(true);
    v
}

/// "3 days ago", Carbon's `diffForHumans` style, used by `*_diff` fields.
pub(crate) fn ago(then: i64, now: i64) -> String {
    let secs = (now - then).max(0);
    let (n, unit) = match secs {
        0..60 => (secs.max(1), "second"),
        60..3600 => (secs / 60, "minute"),
        3600..86_400 => (secs / 3600, "hour"),
        86_400..2_592_000 => (secs / 86_400, "day"),
        2_592_000..31_536_000 => (secs / 2_592_000, "month"),
        _ => (secs / 31_536_000, "year"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    #[test]
    fn human_ages() {
        assert_eq!(super::ago(0, 0), "1 second ago");
        assert_eq!(super::ago(0, 7200), "2 hours ago");
        assert_eq!(super::ago(0, 86_400 * 3), "3 days ago");
    }
}
