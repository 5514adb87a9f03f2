//! Validation of `/send/*` and `/estimate/*` bodies into a [`SendPlan`] (§4.1).
//!
//! Estimates validate exactly like sends, so both go through [`plan`]. Field-level problems are
//! a 422 with Laravel's error bag; references to things that don't exist are a 400 with the
//! message thanks.io documents ("Mailing List Does Not Exist", "Sub Account ID does not exist")
//! — except templates and handwriting styles, which Laravel's `exists` rule reports as 422s.
//! Old and new parameter names (§5) are both accepted; the new one wins if both are sent.

use serde_json::{Map, Value, json};

use super::address;
use super::catalog;
use super::kind::{MailKind, POSTCARD_SIZES};
use super::order::Giftcard;
use super::reply::ApiError;
use super::validate::{Bag, Input, as_int, as_text};
use super::world::{Fields, World};

const LIST_NAMES: &[&str] = &["mailing_list_ids", "mailing_lists"];
const IMAGE_NAMES: &[&str] = &["image_template_id", "image_template"];
const MESSAGE_NAMES: &[&str] = &["message_template_id", "message_template"];
const STYLE_NAMES: &[&str] = &["handwriting_style_id", "handwriting_style"];
const SUB_ACCOUNT_NAMES: &[&str] = &["sub_account_id", "sub_account"];
const NOTIFY_NAMES: &[&str] = &["notification_emails", "email_additional"];
const COLOURS: [&str; 5] = ["blue", "black", "green", "purple", "red"];
const METADATA_MAX_BYTES: usize = 8192;
const RETURN_FIELDS: [&str; 6] = [
    "return_name",
    "return_address",
    "return_address2",
    "return_city",
    "return_state",
    "return_postal_code",
];
/// The 17 `record_types` the spec lists (older docs also named `apartmentcomplex` and
/// `likelytodownsize`; the spec's enum doesn't, so they are refused).
pub(crate) const RECORD_TYPES: &[&str] = &[
    "all",
    "likelytomove",
    "likelytorefi",
    "absenteeowner",
    "highnetworth",
    "majorityhomeequity",
    "homefreeclear",
    "underwater",
    "kidsinhousehold",
    "newhomeowner",
    "firsttimehomebuyer",
    "renters",
    "retiring",
    "retired",
    "pool",
    "onlybusinesses",
    "newbusiness",
];

/// Who the mail goes to: exactly one source.
#[derive(Debug, Clone)]
pub(crate) enum Audience {
    Inline(Vec<Fields>),
    Lists(Vec<u64>),
    Radius {
        address: String,
        record_count: u64,
        append_data: bool,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct SendPlan {
    pub kind: MailKind,
    pub size: &'static str,
    pub preview: bool,
    pub audience: Audience,
    pub message: Option<String>,
    pub message_template_id: Option<u64>,
    pub image_template_id: Option<u64>,
    pub front_image_url: Option<String>,
    pub style: u64,
    pub handwriting_color: String,
    pub giftcard: Option<Giftcard>,
    pub metadata: Value,
    pub sub_account_id: Option<u64>,
    pub standard_mail: bool,
    pub qrcode_url: Option<String>,
    pub custom_background_url: Option<String>,
    pub return_address: Fields,
}

pub(crate) fn plan(
    kind: MailKind,
    body: &Map<String, Value>,
    world: &World,
) -> Result<SendPlan, ApiError> {
    let input = Input::new(body);
    let mut bag = Bag::default();
    let audience = read_audience(input, &mut bag);

    let size = if kind == MailKind::Postcard {
        match input.text("size", &mut bag) {
            None => POSTCARD_SIZES[0],
            Some(s) => POSTCARD_SIZES
                .iter()
                .copied()
                .find(|known| *known == s)
                .unwrap_or_else(|| {
                    bag.invalid("size");
                    POSTCARD_SIZES[0]
                }),
        }
    } else {
        kind.fixed_size()
    };

    let image_template_id = existing(input.id(IMAGE_NAMES, &mut bag), &mut bag, |id| {
        world.image_templates.contains(id)
    });
    let front_image_url = input.text("front_image_url", &mut bag);
    if kind.needs_front_image() && input.pick(IMAGE_NAMES).is_none() && front_image_url.is_none() {
        bag.add(
            "front_image_url",
            "The front image url field is required when image template id is not present.",
        );
    }
    let pdf_only_url = if kind.is_letter() {
        input.text("pdf_only_url", &mut bag)
    } else {
        None
    };

    let message = input.text("message", &mut bag);
    let message_template_id = existing(input.id(MESSAGE_NAMES, &mut bag), &mut bag, |id| {
        world.message_templates.contains(id)
    });
    if message.is_none() && input.pick(MESSAGE_NAMES).is_none() && pdf_only_url.is_none() {
        bag.add(
            "message",
            "The message field is required when message template id is not present.",
        );
    }
    let template = message_template_id.and_then(|id| world.message_templates.get(id));

    let style = existing(
        input.id(STYLE_NAMES, &mut bag),
        &mut bag,
        catalog::style_exists,
    )
    .or_else(|| template.and_then(|t| t.id_field("handwriting_style_id")))
    .unwrap_or(catalog::STYLES[0].id);
    let handwriting_color = match input.text("handwriting_color", &mut bag) {
        Some(c) if COLOURS.contains(&c.as_str()) || is_hex_colour(&c) => c,
        Some(_) => {
            bag.invalid("handwriting_color");
            COLOURS[0].to_owned()
        }
        None => COLOURS[0].to_owned(),
    };

    let giftcard = if kind == MailKind::Giftcard {
        let from_template = |k: &str| {
            template
                .and_then(|t| t.fields.get(k))
                .filter(|v| !v.is_null())
        };
        let brand = input
            .text("giftcard_brand", &mut bag)
            .or_else(|| from_template("giftcard_brand_code").and_then(as_text));
        let amount = input
            .value("giftcard_amount_in_cents")
            .or_else(|| from_template("giftcard_amount"));
        read_giftcard(brand, amount, &mut bag)
    } else {
        None
    };

    let metadata = read_metadata(input, &mut bag);
    if let Some((name, value)) = input.pick(NOTIFY_NAMES) {
        let ok = as_text(value).is_some_and(|s| s.split(',').all(|e| e.trim().contains('@')));
        if !ok {
            bag.add(
                name,
                format!(
                    "The {} must be a comma-separated list of email addresses.",
                    name.replace('_', " ")
                ),
            );
        }
    }
    let sub_account_id = input.id(SUB_ACCOUNT_NAMES, &mut bag).map(|(_, id)| id);
    let standard_mail = input
        .boolean("send_standard_mail", &mut bag)
        .unwrap_or(false);
    let preview = input.boolean("preview", &mut bag).unwrap_or(false);
    // The gift-card send has no QR code or custom background in the spec: like Laravel, the
    // sandbox ignores fields an endpoint doesn't take.
    let (qrcode_url, custom_background_url) = if kind == MailKind::Giftcard {
        (None, None)
    } else {
        (
            input.text("qrcode_url", &mut bag),
            input.text("custom_background_image", &mut bag),
        )
    };
    let mut return_address = Fields::new();
    for field in RETURN_FIELDS {
        if let Some(v) = input.text(field, &mut bag) {
            return_address.insert(field.to_owned(), json!(v));
        }
    }

    bag.check()?;
    let audience = audience.ok_or_else(|| ApiError::bad_request("No recipients."))?;
    if let Audience::Lists(ids) = &audience
        && ids.iter().any(|id| !world.lists.contains(*id))
    {
        return Err(ApiError::bad_request("Mailing List Does Not Exist"));
    }
    if sub_account_id.is_some_and(|id| !world.sub_accounts.contains(id)) {
        return Err(ApiError::bad_request("Sub Account ID does not exist"));
    }
    Ok(SendPlan {
        kind,
        size,
        preview,
        audience,
        message: message.or_else(|| template.and_then(|t| t.text("content")).map(str::to_owned)),
        message_template_id,
        image_template_id,
        front_image_url: front_image_url.or(pdf_only_url),
        style,
        handwriting_color,
        giftcard,
        metadata,
        sub_account_id,
        standard_mail,
        qrcode_url,
        custom_background_url,
        return_address,
    })
}

/// Keeps an id only if `exists` says so; otherwise records Laravel's "selected … is invalid".
fn existing(
    found: Option<(&'static str, u64)>,
    bag: &mut Bag,
    exists: impl Fn(u64) -> bool,
) -> Option<u64> {
    let (name, id) = found?;
    if exists(id) {
        Some(id)
    } else {
        bag.invalid(name);
        None
    }
}

fn read_audience(input: Input<'_>, bag: &mut Bag) -> Option<Audience> {
    let inline = input.value("recipients");
    let lists = input.pick(LIST_NAMES);
    let radius = input.value("radius_search");
    match [inline.is_some(), lists.is_some(), radius.is_some()]
        .iter()
        .filter(|given| **given)
        .count()
    {
        0 => {
            bag.add("recipients", "The recipients field is required when none of mailing list ids / radius search are present.");
            return None;
        }
        1 => {}
        _ => {
            bag.add(
                "recipients",
                "Send only one of recipients, mailing_list_ids or radius_search.",
            );
            return None;
        }
    }
    if let Some(value) = inline {
        let Some(items) = value.as_array() else {
            bag.add("recipients", "The recipients must be an array.");
            return None;
        };
        let mut recipients = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let prefix = format!("recipients.{i}.");
            match item.as_object() {
                Some(obj) => recipients.push(address::read(Input::nested(obj, &prefix), true, bag)),
                None => bag.add(
                    format!("recipients.{i}"),
                    format!("The recipients.{i} must be an object."),
                ),
            }
        }
        return Some(Audience::Inline(recipients));
    }
    if let Some((name, value)) = lists {
        // An array is documented; a single id or "1,2" is accepted as PHP would coerce it.
        let raw: Vec<Value> = match value {
            Value::Array(items) => items.clone(),
            Value::String(s) => s.split(',').map(|p| json!(p.trim())).collect(),
            other => vec![other.clone()],
        };
        let mut ids = Vec::with_capacity(raw.len());
        for (i, item) in raw.iter().enumerate() {
            match as_int(item)
                .and_then(|n| u64::try_from(n).ok())
                .filter(|n| *n > 0)
            {
                Some(id) => ids.push(id),
                None => bag.add(
                    format!("{name}.{i}"),
                    format!("The {}.{i} must be an integer.", name.replace('_', " ")),
                ),
            }
        }
        return Some(Audience::Lists(ids));
    }
    let Some(obj) = radius.and_then(Value::as_object) else {
        bag.add("radius_search", "The radius search must be an object.");
        return None;
    };
    let radius = Input::nested(obj, "radius_search.");
    let address = radius.text("address", bag);
    if address.is_none() && radius.value("address").is_none() {
        bag.required("radius_search.address");
    }
    if radius.value("record_count").is_none() {
        bag.required("radius_search.record_count");
    }
    let record_count = radius.int_between("record_count", 1..=10_000, bag);
    check_record_types(radius, bag);
    let append_data = radius.boolean("append_data", bag).unwrap_or(false);
    radius.boolean("include_condos", bag);
    Some(Audience::Radius {
        address: address.unwrap_or_default(),
        record_count: record_count.map_or(0, |n| n.unsigned_abs()),
        append_data,
    })
}

/// `record_types`: one string from the documented set (the spec types it `string`, in sends'
/// `radius_search` and in the radius-search endpoints alike).
pub(crate) fn check_record_types(input: Input<'_>, bag: &mut Bag) {
    let Some(value) = input.value("record_types") else {
        return;
    };
    let key = input.key("record_types");
    match value {
        Value::String(name) if RECORD_TYPES.contains(&name.as_str()) => {}
        Value::String(_) => bag.invalid(&key),
        _ => bag.add(
            &key,
            format!("The {} must be a string.", key.replace('_', " ")),
        ),
    }
}

fn read_giftcard(brand: Option<String>, amount: Option<&Value>, bag: &mut Bag) -> Option<Giftcard> {
    let brand = match brand {
        None => {
            bag.required("giftcard_brand");
            None
        }
        Some(code) => catalog::brand_by_code(&code).or_else(|| {
            bag.invalid("giftcard_brand");
            None
        }),
    };
    let amount = match amount.map(as_int) {
        None => {
            bag.required("giftcard_amount_in_cents");
            None
        }
        Some(None) => {
            bag.add(
                "giftcard_amount_in_cents",
                "The giftcard amount in cents must be an integer.",
            );
            None
        }
        Some(Some(n)) => u64::try_from(n).ok(),
    };
    let (brand, amount) = (brand?, amount?);
    if !brand.amounts.contains(&amount) {
        bag.invalid("giftcard_amount_in_cents");
        return None;
    }
    Some(Giftcard {
        brand_code: brand.code.to_owned(),
        amount_cents: amount,
    })
}

/// `metadata`: a JSON object of at most 8 192 bytes once serialized; absent → `null`.
pub(crate) fn read_metadata(input: Input<'_>, bag: &mut Bag) -> Value {
    let Some(value) = input.value("metadata") else {
        return Value::Null;
    };
    if !value.is_object() {
        bag.add("metadata", "The metadata must be an object.");
        return Value::Null;
    }
    if serde_json::to_string(value).map_or(0, |s| s.len()) > METADATA_MAX_BYTES {
        bag.add(
            "metadata",
            format!("The metadata may not be greater than {METADATA_MAX_BYTES} bytes of JSON."),
        );
        return Value::Null;
    }
    value.clone()
}

fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}
