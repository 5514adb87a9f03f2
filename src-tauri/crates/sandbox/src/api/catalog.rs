//! The unauthenticated catalogues: handwriting styles and gift-card brands (§4.7).
//!
//! Style ids are sparse on purpose (thanks.io's are), so clients can't assume `1..=n`. Sample
//! and brand images point at the sandbox's own placeholder PNGs.

use axum::extract::State;
use serde_json::{Value, json};

use super::reply::{ApiResult, ok};
use crate::state::AppState;

pub(crate) struct Style {
    pub id: u64,
    pub name: &'static str,
    pub kind: &'static str,
}

const fn style(id: u64, name: &'static str, kind: &'static str) -> Style {
    Style { id, name, kind }
}

pub(crate) const STYLES: &[Style] = &[
    style(1, "Hi Clarice", "Realistic"),
    style(2, "Jeremy", "Realistic"),
    style(3, "Tribeca", "Realistic"),
    style(5, "Terry", "Realistic"),
    style(6, "Madeline", "Realistic"),
    style(8, "Brooklyn", "Bold"),
    style(9, "Maple", "Bold"),
    style(11, "Sunset Boulevard", "Realistic"),
    style(12, "Quentin", "Bold"),
    style(13, "Arabic", "International"),
    style(14, "Chinese", "International"),
    style(15, "Cyrillic", "International"),
    style(16, "Hebrew", "International"),
    style(17, "Japanese", "International"),
    style(18, "Korean", "International"),
    style(19, "Vietnamese", "International"),
    style(101, "Aria", "AI"),
    style(102, "Bennett", "AI"),
    style(104, "Coralie", "AI"),
    style(107, "Dashiell", "AI"),
    style(110, "Evangeline", "AI"),
    style(121, "Wren", "AI"),
];

pub(crate) fn style_exists(id: u64) -> bool {
    STYLES.iter().any(|s| s.id == id)
}

pub(crate) struct Brand {
    pub code: &'static str,
    pub title: &'static str,
    pub group: &'static str,
    pub amounts: &'static [u64],
}

const fn brand(
    code: &'static str,
    title: &'static str,
    group: &'static str,
    amounts: &'static [u64],
) -> Brand {
    Brand {
        code,
        title,
        group,
        amounts,
    }
}

/// Group key and title, in display order.
const GROUPS: &[(&str, &str)] = &[
    ("main", "Popular"),
    ("food", "Food & Coffee"),
    ("entertainment", "Entertainment"),
    ("travel", "Travel"),
    ("big_box", "Big Box Stores"),
];

pub(crate) const BRANDS: &[Brand] = &[
    brand(
        "amazon",
        "Amazon.com",
        "main",
        &[500, 1000, 2500, 5000, 10000],
    ),
    brand("visa_prepaid", "Visa Prepaid", "main", &[2500, 5000, 10000]),
    brand("starbucks", "Starbucks", "food", &[500, 1000, 1500, 2500]),
    brand("doordash", "DoorDash", "food", &[1500, 2500, 5000]),
    brand("dunkin", "Dunkin'", "food", &[500, 1000, 2500]),
    brand("netflix", "Netflix", "entertainment", &[1500, 2500, 5000]),
    brand(
        "amc_theatres",
        "AMC Theatres",
        "entertainment",
        &[1000, 2500],
    ),
    brand("airbnb", "Airbnb", "travel", &[5000, 10000]),
    brand(
        "southwest",
        "Southwest Airlines",
        "travel",
        &[5000, 10000, 20000],
    ),
    brand(
        "home_depot",
        "The Home Depot",
        "big_box",
        &[1000, 2500, 5000, 10000],
    ),
    brand("target", "Target", "big_box", &[1000, 2500, 5000]),
];

pub(crate) fn brand_by_code(code: &str) -> Option<&'static Brand> {
    BRANDS.iter().find(|b| b.code == code)
}

pub(crate) fn brand_image(base: &str, code: &str) -> String {
    format!("{base}/previews/brand-{code}-front.png")
}

fn brand_json(base: &str, b: &Brand) -> Value {
    json!({
        "brand_code": b.code,
        "title": b.title,
        "image": brand_image(base, b.code),
        "available_amounts": b.amounts,
    })
}

pub(crate) async fn handwriting_styles(State(s): State<AppState>) -> ApiResult {
    let data: Vec<Value> = STYLES
        .iter()
        .map(|st| {
            json!({
                "handwriting_style_id": st.id,
                "name": st.name,
                "sample": format!("{}/previews/style-{}-front.png", s.base_url, st.id),
                "type": st.kind,
            })
        })
        .collect();
    ok(json!({ "data": data }))
}

pub(crate) async fn giftcard_brands(State(s): State<AppState>) -> ApiResult {
    let mut groups = serde_json::Map::new();
    for (key, title) in GROUPS {
        let brands: Vec<Value> = BRANDS
            .iter()
            .filter(|b| b.group == *key)
            .map(|b| brand_json(&s.base_url, b))
            .collect();
        groups.insert(
            (*key).to_owned(),
            json!({ "title": title, "brands": brands }),
        );
    }
    ok(Value::Object(groups))
}

pub(crate) async fn giftcard_brands_list(State(s): State<AppState>) -> ApiResult {
    let brands: Vec<Value> = BRANDS
        .iter()
        .map(|b| {
            let mut v = brand_json(&s.base_url, b);
            v["group"] = json!(b.group);
            v
        })
        .collect();
    ok(json!({ "brands": brands }))
}
