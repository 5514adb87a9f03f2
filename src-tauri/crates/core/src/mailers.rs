//! Ready-made mailers (`data/mailers.json`): one valid body for each kind of mail, so a
//! marketer or developer can try a postcard, letter, notecard or gift card without writing JSON
//! first. And [`spelling`], which tells whether a body uses thanks.io's current parameter names
//! or the older ones (THANKSIO_API.md §5), since the live server's handling of the old names is
//! unconfirmed.
//!
//! The bodies are samples, not policy: nothing here sends anything or checks costs (that is
//! [`crate::costguard`]).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Mailer {
    /// Stable, e.g. `postcard-4x6`.
    pub id: String,
    pub title: String,
    pub description: String,
    /// Relative to the API base, e.g. `/send/postcard`.
    pub send_path: String,
    /// The free estimate taking the same body, e.g. `/estimate/postcard`.
    pub estimate_path: String,
    /// A body thanks.io accepts, with the current parameter names and no `preview`.
    pub body: Value,
}

#[derive(Deserialize)]
struct MailersFile {
    mailers: Vec<Mailer>,
}

pub fn mailers() -> &'static [Mailer] {
    static MAILERS: OnceLock<Vec<Mailer>> = OnceLock::new();
    MAILERS.get_or_init(|| {
        let file: MailersFile = serde_json::from_str(include_str!("../data/mailers.json"))
            .expect("data/mailers.json is valid");
        file.mailers
    })
}

pub fn mailer(id: &str) -> Option<&'static Mailer> {
    mailers().iter().find(|m| m.id == id)
}

/// The body with `"preview": true`: thanks.io then returns preview images and creates no order.
/// Anything but a JSON object is returned unchanged.
pub fn with_preview(mut body: Value) -> Value {
    if let Some(map) = body.as_object_mut() {
        map.insert("preview".into(), Value::Bool(true));
    }
    body
}

/// Parameter names renamed by the newest spec, as `(older, current)` (THANKSIO_API.md §5).
pub const RENAMED_FIELDS: &[(&str, &str)] = &[
    ("mailing_lists", "mailing_list_ids"),
    ("handwriting_style", "handwriting_style_id"),
    ("image_template", "image_template_id"),
    ("message_template", "message_template_id"),
    ("email_additional", "notification_emails"),
    ("mailing_list", "mailing_list_id"),
];

/// Which names a body uses, among those in [`RENAMED_FIELDS`].
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Names {
    Current,
    Legacy,
    /// Both spellings: thanks.io's choice between them is unknown.
    Mixed,
    /// No renamed field at all.
    Neither,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Spelling {
    pub names: Names,
    /// Older names found, in [`RENAMED_FIELDS`] order.
    pub legacy_fields: Vec<String>,
    /// Current names found, in [`RENAMED_FIELDS`] order.
    pub current_fields: Vec<String>,
}

/// Looks at the body's top-level keys (or each item's, for an array body such as
/// `create-multiple`), where the renamed parameters live.
pub fn spelling(body: &Value) -> Spelling {
    let objects: Vec<&serde_json::Map<String, Value>> = match body {
        Value::Object(map) => vec![map],
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    };
    let has = |name: &str| objects.iter().any(|o| o.contains_key(name));
    let legacy_fields: Vec<String> = RENAMED_FIELDS
        .iter()
        .filter(|(old, _)| has(old))
        .map(|(old, _)| (*old).to_string())
        .collect();
    let current_fields: Vec<String> = RENAMED_FIELDS
        .iter()
        .filter(|(_, new)| has(new))
        .map(|(_, new)| (*new).to_string())
        .collect();
    let names = match (legacy_fields.is_empty(), current_fields.is_empty()) {
        (true, true) => Names::Neither,
        (true, false) => Names::Current,
        (false, true) => Names::Legacy,
        (false, false) => Names::Mixed,
    };
    Spelling {
        names,
        legacy_fields,
        current_fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_seven_mailers_are_complete() {
        let ids: Vec<&str> = mailers().iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "postcard-4x6",
                "postcard-6x9",
                "postcard-6x11",
                "windowed-letter",
                "windowless-letter",
                "notecard",
                "giftcard"
            ]
        );
        for m in mailers() {
            let send = crate::catalog::find("POST", &m.send_path).expect("send in catalog");
            assert!(send.costs_money && !send.is_legacy(), "{}", m.id);
            assert_eq!(
                send.estimate_path.as_deref(),
                Some(m.estimate_path.as_str())
            );
            let body = m.body.as_object().expect("object body");
            assert!(!body.contains_key("preview"), "{}", m.id);
            let recipient = &m.body["recipients"][0];
            for field in [
                "name",
                "address",
                "city",
                "province",
                "postal_code",
                "country",
            ] {
                assert!(recipient[field].is_string(), "{}: recipient {field}", m.id);
            }
            assert_eq!(recipient["country"], "US");
            assert!(m.body["message"].as_str().unwrap().contains("%FIRST_NAME%"));
            assert_eq!(spelling(&m.body).names, Names::Current, "{}", m.id);
            // Every field is one the send documents.
            for key in body.keys() {
                assert!(
                    send.body_params.iter().any(|p| &p.name == key),
                    "{}: {key}",
                    m.id
                );
            }
        }
        let sizes: Vec<&Value> = mailers()
            .iter()
            .filter(|m| m.send_path == "/send/postcard")
            .map(|m| &m.body["size"])
            .collect();
        assert_eq!(sizes, [&json!("4x6"), &json!("6x9"), &json!("6x11")]);
        let gift = mailer("giftcard").unwrap();
        assert!(gift.body["giftcard_brand"].is_string());
        assert!(gift.body["giftcard_amount_in_cents"].is_u64());
    }

    #[test]
    fn preview_is_added_to_objects_only() {
        let b = with_preview(json!({"message": "hi", "preview": false}));
        assert_eq!(b, json!({"message": "hi", "preview": true}));
        assert_eq!(with_preview(json!([1])), json!([1]));
        let original = mailer("notecard").unwrap().body.clone();
        let previewed = with_preview(original.clone());
        assert_eq!(previewed["preview"], true);
        assert!(
            original.get("preview").is_none(),
            "the catalog copy is untouched"
        );
    }

    #[test]
    fn spelling_names_old_new_mixed_and_neither() {
        let s = spelling(&json!({"handwriting_style_id": 1, "mailing_list_ids": [1]}));
        assert_eq!(s.names, Names::Current);
        assert_eq!(
            s.current_fields,
            ["mailing_list_ids", "handwriting_style_id"]
        );
        assert!(s.legacy_fields.is_empty());

        let s = spelling(&json!({"handwriting_style": 1, "image_template": 3}));
        assert_eq!(s.names, Names::Legacy);
        assert_eq!(s.legacy_fields, ["handwriting_style", "image_template"]);

        let s = spelling(&json!({"message_template": 7, "notification_emails": "a@b.c"}));
        assert_eq!(s.names, Names::Mixed);
        assert_eq!(s.legacy_fields, ["message_template"]);
        assert_eq!(s.current_fields, ["notification_emails"]);

        assert_eq!(spelling(&json!({"message": "x"})).names, Names::Neither);
        assert_eq!(spelling(&json!("text")).names, Names::Neither);
        // An array body (create-multiple): each item counts.
        let s = spelling(&json!([{"mailing_list": 1}, {"mailing_list_id": 2}]));
        assert_eq!(s.names, Names::Mixed);
        // Nested objects are not parameters.
        let s = spelling(&json!({"recipients": [{"mailing_list": 1}]}));
        assert_eq!(s.names, Names::Neither);
        assert_eq!(
            serde_json::to_value(&s).unwrap(),
            json!({"names": "neither", "legacy_fields": [], "current_fields": []})
        );
    }
}
