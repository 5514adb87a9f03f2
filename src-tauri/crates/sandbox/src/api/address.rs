//! Recipient fields as thanks.io accepts them (§4.4), shared by `/recipients*` and inline
//! recipients on sends.

use serde_json::{Value, json};

use super::validate::{Bag, Input, as_text, human};
use super::world::Fields;
use crate::clock;

/// Every field a recipient may carry. `custom1`…`custom10` per the usage docs.
pub(crate) const FIELDS: &[&str] = &[
    "name",
    "company",
    "address",
    "address2",
    "city",
    "province",
    "postal_code",
    "country",
    "dob",
    "anniversary",
    "email",
    "phone",
    "custom1",
    "custom2",
    "custom3",
    "custom4",
    "custom5",
    "custom6",
    "custom7",
    "custom8",
    "custom9",
    "custom10",
];

/// Reads recipient fields from `input` (errors under its prefix, e.g. `recipients.0.`). With
/// `require_address`, one of `address`/`email` must be present (creating, not updating).
pub(crate) fn read(input: Input<'_>, require_address: bool, bag: &mut Bag) -> Fields {
    let key = |name: &str| input.key(name);
    let mut fields = Fields::new();
    for name in FIELDS {
        let Some(value) = input.value(name) else {
            continue;
        };
        match as_text(value) {
            Some(text) => {
                fields.insert((*name).to_owned(), json!(text));
            }
            None => bag.add(
                key(name),
                format!("The {} must be a string.", human(&key(name))),
            ),
        }
    }
    for name in ["dob", "anniversary"] {
        if let Some(raw) = fields.get(name).and_then(Value::as_str) {
            match normalise_date(raw) {
                Some(date) => {
                    fields.insert(name.to_owned(), json!(date));
                }
                None => bag.add(
                    key(name),
                    format!(
                        "The {} must be a date in YYYY-MM-DD or MM/DD/YYYY format.",
                        human(&key(name))
                    ),
                ),
            }
        }
    }
    if require_address && !fields.contains_key("address") && !fields.contains_key("email") {
        let (address, email) = (key("address"), key("email"));
        let message = format!(
            "The {} field is required when {} is not present.",
            human(&address),
            human(&email)
        );
        bag.add(address, message);
    }
    if fields
        .get("email")
        .and_then(Value::as_str)
        .is_some_and(|e| !e.contains('@'))
    {
        bag.add(
            key("email"),
            format!(
                "The {} must be a valid email address.",
                human(&key("email"))
            ),
        );
    }
    split_one_line(&mut fields);
    fields.entry("name").or_insert_with(|| json!("Resident"));
    fields
}

/// `address` may hold a whole one-line address ("123 Main St, Any Town, NY 12345"); thanks.io
/// parses it, so the sandbox does a simple version of the same when city/state/zip are absent.
fn split_one_line(fields: &mut Fields) {
    if ["city", "province", "postal_code"]
        .iter()
        .any(|k| fields.contains_key(*k))
    {
        return;
    }
    let Some(address) = fields
        .get("address")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return;
    };
    let parts: Vec<&str> = address.split(',').map(str::trim).collect();
    let [street, city, state_zip] = parts.as_slice() else {
        return;
    };
    let Some((state, zip)) = state_zip.split_once(' ') else {
        return;
    };
    fields.insert("address".into(), json!(street));
    fields.insert("city".into(), json!(city));
    fields.insert("province".into(), json!(state));
    fields.insert("postal_code".into(), json!(zip.trim()));
    fields.entry("country").or_insert_with(|| json!("US"));
}

/// `YYYY-MM-DD`, or `MM/DD/YYYY` converted to it.
fn normalise_date(raw: &str) -> Option<String> {
    let iso = match raw.split('/').collect::<Vec<_>>().as_slice() {
        [m, d, y] if m.len() == 2 && d.len() == 2 && y.len() == 4 => format!("{y}-{m}-{d}"),
        _ => raw.to_owned(),
    };
    clock::parse_day(&iso).map(|_| iso)
}

/// Outside the US for pricing: a country given and not US.
pub(crate) fn is_international(fields: &Fields) -> bool {
    fields
        .get("country")
        .and_then(Value::as_str)
        .is_some_and(|c| {
            !matches!(
                c.to_ascii_uppercase().as_str(),
                "US" | "USA" | "UNITED STATES"
            )
        })
}

/// Only an email, so thanks.io would have to look the postal address up (a paid lookup).
pub(crate) fn is_email_only(fields: &Fields) -> bool {
    !fields.contains_key("address") && fields.contains_key("email")
}

/// What makes two recipients on one list the same person: street + ZIP, or email if that's all.
pub(crate) fn identity(fields: &Fields) -> String {
    let get = |k: &str| {
        fields
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    };
    if fields.contains_key("address") {
        format!("a:{}|{}", get("address"), get("postal_code"))
    } else {
        format!("e:{}", get("email"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_json(v: Value) -> (Fields, Bag) {
        let mut bag = Bag::default();
        let fields = read(Input::new(v.as_object().unwrap()), true, &mut bag);
        (fields, bag)
    }

    #[test]
    fn one_line_addresses_are_split() {
        let (f, bag) = read_json(
            json!({"address": "123 Main Street, Any Town, NY 12345", "dob": "04/30/1980"}),
        );
        assert!(bag.is_empty());
        assert_eq!(f["city"], "Any Town");
        assert_eq!(f["postal_code"], "12345");
        assert_eq!(f["dob"], "1980-04-30");
        assert_eq!(f["name"], "Resident");
    }

    #[test]
    fn address_or_email_is_required() {
        let (_, bag) = read_json(json!({"name": "X"}));
        assert!(!bag.is_empty());
        let (f, bag) = read_json(json!({"email": "a@example.com"}));
        assert!(bag.is_empty());
        assert!(is_email_only(&f));
    }
}
