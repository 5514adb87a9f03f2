//! Laravel-style validation: an error bag keyed by field, and lenient readers for JSON input
//! (numeric strings count as numbers, `"1"`/`"true"` as booleans, `null`/`""`/`[]` as absent),
//! because thanks.io accepts what PHP's validator accepts.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::reply::ApiError;

#[derive(Debug, Default)]
pub(crate) struct Bag(BTreeMap<String, Vec<String>>);

impl Bag {
    pub(crate) fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_default().push(message.into());
    }

    pub(crate) fn required(&mut self, field: &str) {
        self.add(field, format!("The {} field is required.", human(field)));
    }

    /// Laravel's `in:`/`exists:` failure.
    pub(crate) fn invalid(&mut self, field: &str) {
        self.add(field, format!("The selected {} is invalid.", human(field)));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn check(self) -> Result<(), ApiError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(self))
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        serde_json::to_value(&self.0).unwrap_or_default()
    }
}

/// `image_template_id` → `image template id`, as Laravel names attributes in messages.
pub(crate) fn human(field: &str) -> String {
    field.replace('_', " ")
}

/// Laravel's "filled": not null, not an empty/blank string, not an empty array.
pub(crate) fn filled(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    }
}

pub(crate) fn as_int(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(crate) fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(crate) fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(s) => match s.trim() {
            "1" | "true" => Some(true),
            "0" | "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Reads fields of a JSON object, recording type errors in a [`Bag`]. A nested object (an inline
/// recipient, `radius_search`) reports its errors under a prefix such as `recipients.0.`.
#[derive(Clone, Copy)]
pub(crate) struct Input<'a> {
    map: &'a Map<String, Value>,
    prefix: &'a str,
}

impl<'a> Input<'a> {
    pub(crate) fn new(map: &'a Map<String, Value>) -> Self {
        Self { map, prefix: "" }
    }

    pub(crate) fn nested(map: &'a Map<String, Value>, prefix: &'a str) -> Self {
        Self { map, prefix }
    }

    /// The error key for a field: `recipients.0.address`.
    pub(crate) fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// The value of a filled field.
    pub(crate) fn value(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| filled(v))
    }

    /// The first filled field among aliases (new name first), with the name the client used.
    pub(crate) fn pick(&self, names: &[&'static str]) -> Option<(&'static str, &'a Value)> {
        names.iter().find_map(|n| self.value(n).map(|v| (*n, v)))
    }

    pub(crate) fn text(&self, name: &str, bag: &mut Bag) -> Option<String> {
        let value = self.value(name)?;
        let text = as_text(value);
        if text.is_none() {
            let key = self.key(name);
            bag.add(&key, format!("The {} must be a string.", human(&key)));
        }
        text
    }

    pub(crate) fn boolean(&self, name: &str, bag: &mut Bag) -> Option<bool> {
        let value = self.value(name)?;
        let parsed = as_bool(value);
        if parsed.is_none() {
            let key = self.key(name);
            bag.add(
                &key,
                format!("The {} field must be true or false.", human(&key)),
            );
        }
        parsed
    }

    /// A positive integer id under any of `names`, reporting the name actually used.
    pub(crate) fn id(&self, names: &[&'static str], bag: &mut Bag) -> Option<(&'static str, u64)> {
        let (name, value) = self.pick(names)?;
        match as_int(value)
            .and_then(|n| u64::try_from(n).ok())
            .filter(|n| *n > 0)
        {
            Some(id) => Some((name, id)),
            None => {
                let key = self.key(name);
                bag.add(&key, format!("The {} must be an integer.", human(&key)));
                None
            }
        }
    }

    /// An integer within `range`, with Laravel's `between` message.
    pub(crate) fn int_between(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<i64>,
        bag: &mut Bag,
    ) -> Option<i64> {
        let value = self.value(name)?;
        let key = self.key(name);
        match as_int(value) {
            Some(n) if range.contains(&n) => Some(n),
            Some(_) => {
                let (lo, hi) = (range.start(), range.end());
                bag.add(
                    &key,
                    format!("The {} must be between {lo} and {hi}.", human(&key)),
                );
                None
            }
            None => {
                bag.add(&key, format!("The {} must be an integer.", human(&key)));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_readers() {
        assert_eq!(as_int(&json!("12")), Some(12));
        assert_eq!(as_int(&json!(12.0)), Some(12));
        assert_eq!(as_int(&json!(12.5)), None);
        assert_eq!(as_bool(&json!("true")), Some(true));
        assert_eq!(as_bool(&json!(0)), Some(false));
        assert!(!filled(&json!("  ")));
        assert!(!filled(&json!([])));
        assert!(filled(&json!(0)));
    }

    #[test]
    fn aliases_prefer_the_first_name() {
        let body = json!({"image_template": 3, "image_template_id": 4});
        let input = Input::new(body.as_object().unwrap());
        let mut bag = Bag::default();
        assert_eq!(
            input.id(&["image_template_id", "image_template"], &mut bag),
            Some(("image_template_id", 4))
        );
        let bad = json!({"handwriting_style": "x"});
        assert_eq!(
            Input::new(bad.as_object().unwrap())
                .id(&["handwriting_style_id", "handwriting_style"], &mut bag),
            None
        );
        assert_eq!(
            bag.to_json(),
            json!({"handwriting_style": ["The handwriting style must be an integer."]})
        );
    }
}
