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

/// thanks.io's styles (id → name): 1–20 handwriting, 13–19 international, 101–121 AI (sparse).
/// Id 4 is the one every official example uses. Types other than AI and International are
/// the sandbox's guess (the spec shows only "Realistic" and "AI").
pub(crate) const STYLES: &[Style] = &[
    style(1, "Hi Clarice", "Realistic"),
    style(2, "Practiced Sharpie", "Realistic"),
    style(3, "Bold Note", "Bold"),
    style(4, "Foxy Lady", "Realistic"),
    style(5, "That Dude", "Realistic"),
    style(6, "Normal Print", "Realistic"),
    style(7, "Shopping List", "Realistic"),
    style(8, "Lazy Note", "Realistic"),
    style(9, "Blurred Lines", "Realistic"),
    style(10, "Birthday Card", "Realistic"),
    style(11, "Scully, Not Molder", "Realistic"),
    style(12, "Wow! Signal", "Realistic"),
    style(13, "Arabic", "International"),
    style(14, "Chinese", "International"),
    style(15, "Cyrillic", "International"),
    style(16, "Hebrew", "International"),
    style(17, "Japanese", "International"),
    style(18, "Korean", "International"),
    style(19, "Vietnamese", "International"),
    style(20, "Notey", "Realistic"),
    style(101, "Optimus Prime", "AI"),
    style(102, "Binary Bard", "AI"),
    style(103, "Quantum Quip", "AI"),
    style(104, "Analytic Atom", "AI"),
    style(106, "Cerebral Circuit", "AI"),
    style(107, "Reflective Relay 2", "AI"),
    style(109, "Thoughtful Transistor", "AI"),
    style(110, "Bright Byte", "AI"),
    style(112, "Pensive Pixel", "AI"),
    style(113, "Judicious Jolt", "AI"),
    style(114, "Astute Actuator", "AI"),
    style(115, "Insightful Interface", "AI"),
    style(118, "Prudent Processor", "AI"),
    style(119, "Wise Wire", "AI"),
    style(120, "Neura Nomad", "AI"),
    style(121, "Rosario Type", "AI"),
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

/// Group key and title, in display order. The spec's schema names the gift group `gift`, its
/// example `gifts`; the sandbox uses the schema's key (clients should iterate the values).
const GROUPS: &[(&str, &str)] = &[
    ("main", "Featured"),
    ("food", "Food & Dining"),
    ("entertainment", "Entertainment"),
    ("gift", "Gifts"),
    ("travel", "Travel"),
    ("big_box", "Big Box Stores"),
    ("other", "Other"),
];

/// A subset of thanks.io's 65 brand codes (they end in a country or brand suffix:
/// `starbucksus`, `amazonus`; there is no `starbucks`). The amounts are the sandbox's.
pub(crate) const BRANDS: &[Brand] = &[
    brand(
        "amazonus",
        "Amazon.com",
        "main",
        &[500, 1000, 2500, 5000, 10000],
    ),
    brand("starbucksus", "Starbucks", "main", &[500, 1000, 1500, 2500]),
    brand("target", "Target", "main", &[1000, 2500, 5000]),
    brand("doordashus", "DoorDash", "food", &[1500, 2500, 5000]),
    brand("dunkindonuts", "Dunkin'", "food", &[500, 1000, 2500]),
    brand("chipotle", "Chipotle", "food", &[1000, 2500]),
    brand("ubereats", "Uber Eats", "food", &[1500, 2500, 5000]),
    brand(
        "amctheatres",
        "AMC Theatres",
        "entertainment",
        &[1000, 2500],
    ),
    brand("xbox", "Xbox", "entertainment", &[1500, 2500, 5000]),
    brand("sephora", "Sephora", "gift", &[2500, 5000]),
    brand("lyftus", "Lyft", "travel", &[1000, 2500, 5000]),
    brand(
        "homedepot",
        "The Home Depot",
        "big_box",
        &[1000, 2500, 5000, 10000],
    ),
    brand("walmart", "Walmart", "big_box", &[1000, 2500, 5000]),
    brand("bestbuy", "Best Buy", "big_box", &[2500, 5000, 10000]),
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
