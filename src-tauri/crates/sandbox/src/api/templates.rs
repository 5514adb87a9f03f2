//! `/image-templates/` (read-only, as in thanks.io), `/message-templates/` CRUD (§4.6), and the
//! dynamic image builder `/build/image-template` (§4.10), which returns a placeholder PNG.

use axum::body::Bytes;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::catalog;
use super::paginate::{self, SizeRule};
use super::reply::{ApiError, ApiResult, Params, created, object_body, ok, path_id};
use super::validate::{Bag, Input, as_int, as_text};
use super::world::{Fields, Row, World};
use crate::clock;
use crate::random;
use crate::server::png_response;
use crate::state::{AppState, lock};

const RULE: SizeRule = SizeRule {
    names: &["items_per_page"],
    default: 25,
    max: 100,
};
pub(crate) const TEMPLATE_TYPES: &[&str] = &[
    "postcard",
    "postcard6x11",
    "letter",
    "windowlessletter",
    "notecard",
    "giftcard",
    "magnacard",
];
const TEXT_FIELDS: &[&str] = &[
    "name",
    "content",
    "font_color",
    "additional_pages",
    "custom_background_url",
    "qrcode_url",
    "landing_page_url",
    "youtube_id",
];

pub(crate) async fn images(State(s): State<AppState>, params: Params) -> ApiResult {
    listing(&s.world, &s.base_url, "image-templates", &params, |w| {
        &w.image_templates
    })
}

pub(crate) async fn index(State(s): State<AppState>, params: Params) -> ApiResult {
    listing(&s.world, &s.base_url, "message-templates", &params, |w| {
        &w.message_templates
    })
}

/// Both template listings: newest first, filtered by `sub_account_id` and `type`.
fn listing(
    world: &std::sync::Mutex<World>,
    base: &str,
    path: &str,
    params: &Params,
    table: impl Fn(&World) -> &super::world::Table<Row>,
) -> ApiResult {
    let page = paginate::read_or_422(params, &RULE, &["sub_account_id", "type"])?;
    let sub_account = params.id("sub_account_id")?;
    let kind = params.get("type");
    let world = lock(world);
    let items = table(&world)
        .values()
        .rev()
        .filter(|r| sub_account.is_none() || r.id_field("sub_account_id") == sub_account)
        .filter(|r| kind.is_none() || r.text("type") == kind)
        .map(|r| r.json(world.user_id))
        .collect();
    ok(paginate::resource(
        items,
        &page,
        &format!("{base}/api/v2/{path}"),
    ))
}

pub(crate) async fn create(State(s): State<AppState>, body: Bytes) -> ApiResult {
    let body = object_body(&body)?;
    let mut world = lock(&s.world);
    let fields = read(&world, &body, None)?;
    let now = clock::now_unix();
    let mut full = blank_template();
    full.extend(fields);
    let id = world
        .message_templates
        .insert_with(|id| Row::new(id, full, now));
    let row = world
        .message_templates
        .get(id)
        .ok_or_else(ApiError::not_found)?;
    created(row.json(world.user_id))
}

pub(crate) async fn show(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    let world = lock(&s.world);
    let row = world
        .message_templates
        .get(id)
        .ok_or_else(ApiError::not_found)?;
    ok(row.json(world.user_id))
}

pub(crate) async fn update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let id = path_id(&id)?;
    let body = object_body(&body)?;
    let mut world = lock(&s.world);
    let existing = world
        .message_templates
        .get(id)
        .ok_or_else(ApiError::not_found)?
        .clone();
    let fields = read(&world, &body, Some(&existing))?;
    let user_id = world.user_id;
    let row = world
        .message_templates
        .get_mut(id)
        .ok_or_else(ApiError::not_found)?;
    row.update(fields, clock::now_unix());
    ok(row.json(user_id))
}

pub(crate) async fn delete(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    lock(&s.world)
        .message_templates
        .remove(id)
        .ok_or_else(ApiError::not_found)?;
    ok(json!({ "message": "success" }))
}

/// Validates a create (`existing == None`: `type`, `name` required) or a PATCH (all optional,
/// checked against the stored template).
fn read(
    world: &World,
    body: &serde_json::Map<String, Value>,
    existing: Option<&Row>,
) -> Result<Fields, ApiError> {
    let input = Input::new(body);
    let mut bag = Bag::default();
    let mut fields = Fields::new();
    if existing.is_none() {
        for required in ["type", "name"] {
            if input.value(required).is_none() {
                bag.required(required);
            }
        }
    }
    if let Some(kind) = input.text("type", &mut bag) {
        if TEMPLATE_TYPES.contains(&kind.as_str()) {
            fields.insert("type".into(), json!(kind));
        } else {
            bag.invalid("type");
        }
    }
    for name in TEXT_FIELDS {
        if let Some(v) = input.text(name, &mut bag) {
            fields.insert((*name).to_owned(), json!(v));
        }
    }
    if let Some((_, style)) = input.id(&["handwriting_style_id"], &mut bag) {
        if catalog::style_exists(style) {
            fields.insert("handwriting_style_id".into(), json!(style));
        } else {
            bag.invalid("handwriting_style_id");
        }
    }
    if let Some(realism) = input.boolean("handwriting_realism", &mut bag) {
        fields.insert("handwriting_realism".into(), json!(realism));
    }
    if let Some(emails) = input.value("cc_emails") {
        match emails
            .as_array()
            .map(|a| a.iter().map(as_text).collect::<Option<Vec<_>>>())
        {
            Some(Some(list)) if list.iter().all(|e| e.contains('@')) => {
                fields.insert("cc_emails".into(), json!(list));
            }
            _ => bag.add(
                "cc_emails",
                "The cc emails must be an array of email addresses.",
            ),
        }
    }
    let kind: Option<String> = fields
        .get("type")
        .and_then(Value::as_str)
        .or_else(|| existing.and_then(|r| r.text("type")))
        .map(str::to_owned);
    if let Some(url) = input.text("pdf_only_url", &mut bag) {
        if matches!(kind.as_deref(), Some("letter" | "windowlessletter")) {
            fields.insert("pdf_only_url".into(), json!(url));
            fields.insert("skip_creative_generation".into(), json!(true));
        } else {
            bag.add(
                "pdf_only_url",
                "The pdf only url is only allowed for letter templates.",
            );
        }
    }
    read_giftcard(input, kind.as_deref(), existing, &mut fields, &mut bag);
    let sub_account = input.id(&["sub_account_id"], &mut bag).map(|(_, id)| id);
    bag.check()?;
    if let Some(id) = sub_account {
        if !world.sub_accounts.contains(id) {
            return Err(ApiError::bad_request("Sub Account ID does not exist"));
        }
        fields.insert("sub_account_id".into(), json!(id));
    }
    Ok(fields)
}

/// Gift-card templates carry `giftcard_brand_code` + `giftcard_amount` (cents, despite the name),
/// required when the template's type is `giftcard`.
fn read_giftcard(
    input: Input<'_>,
    kind: Option<&str>,
    existing: Option<&Row>,
    fields: &mut Fields,
    bag: &mut Bag,
) {
    let code = input.text("giftcard_brand_code", bag);
    let amount = input.value("giftcard_amount").map(as_int);
    if kind != Some("giftcard") {
        return;
    }
    let stored = |k: &str| {
        existing
            .and_then(|r| r.fields.get(k))
            .filter(|v| !v.is_null())
            .cloned()
    };
    let code = code.or_else(|| stored("giftcard_brand_code").as_ref().and_then(as_text));
    let amount = match amount {
        Some(parsed) => parsed,
        None => stored("giftcard_amount").as_ref().and_then(as_int),
    };
    let Some(code) = code else {
        return bag.required("giftcard_brand_code");
    };
    let Some(brand) = catalog::brand_by_code(&code) else {
        return bag.invalid("giftcard_brand_code");
    };
    match amount.and_then(|a| u64::try_from(a).ok()) {
        None => bag.required("giftcard_amount"),
        Some(a) if !brand.amounts.contains(&a) => bag.invalid("giftcard_amount"),
        Some(a) => {
            fields.insert("giftcard_brand_code".into(), json!(brand.code));
            fields.insert("giftcard_amount".into(), json!(a));
        }
    }
}

/// Every documented message-template field, so responses always have the full shape.
pub(crate) fn blank_template() -> Fields {
    let mut f = Fields::new();
    for k in [
        "sub_account_id",
        "name",
        "content",
        "additional_pages",
        "custom_background_url",
        "qrcode_url",
        "type",
        "giftcard_brand_code",
        "giftcard_brand_image",
        "giftcard_amount",
        "youtube_id",
        "landing_page_url",
        "brand_data",
        "pdf_only_url",
    ] {
        f.insert(k.into(), Value::Null);
    }
    f.insert("handwriting_style_id".into(), json!(catalog::STYLES[0].id));
    f.insert("font_size".into(), json!("auto"));
    f.insert("font_color".into(), json!("blue"));
    f.insert("handwriting_realism".into(), json!(false));
    f.insert("skip_creative_generation".into(), json!(false));
    f.insert("cc_emails".into(), json!([]));
    f.insert("share_uuid".into(), json!(random::b64url(12)));
    f
}

/// `GET /build/image-template?id=1..18&…`: a placeholder PNG tinted by `id`.
pub(crate) async fn build_image(params: Params) -> ApiResult {
    let id = params
        .get("id")
        .and_then(|v| v.trim().parse::<u8>().ok())
        .filter(|id| (1..=18).contains(id));
    let Some(id) = id else {
        return Err(ApiError::field(
            "id",
            "The id must be an integer between 1 and 18.",
        ));
    };
    let hue = id.wrapping_mul(37);
    Ok(png_response(crate::png::card(
        375,
        255,
        [250, 248, 244],
        [hue, 120, 255 - hue],
    )))
}
