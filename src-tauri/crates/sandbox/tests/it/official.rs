//! The request bodies thanks.io's published spec gives as examples are accepted as they stand:
//! postcards with handwriting style 4, gift cards with real brand codes, a radius search with
//! `record_types` as one string. Bodies copied from the spec's examples (docs snapshot 2b0a70c
//! for the postcards, the newer spec for the gift card), then a starbucksus variant.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::*;

const LOREM: &str = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.";
const FRONT: &str = "https://s3.amazonaws.com/cdn.thanks.io/user_image_library/gFBaJJJWRp60op3ZOoK7UaO5I7zi33rdKQGgHylR.png";

fn recipients() -> Value {
    json!([
        {"name": "Current Resident", "address": "123 Main Street", "city": "Fake City", "province": "NY",
         "postal_code": "55555", "country": "US", "custom1": "Example Custom 1", "custom2": "Example Custom 2",
         "custom3": "Example Custom 3", "custom4": "Example Custom 4"},
        {"name": "Jane Doe", "address": "456 Another St", "city": "Fake City", "province": "NY",
         "postal_code": "55555", "country": "US"}
    ])
}

fn examples() -> Vec<(&'static str, Value)> {
    vec![
        (
            "/send/postcard",
            json!({"size": "4x6", "front_image_url": FRONT, "message": LOREM, "handwriting_style": 4,
                   "recipients": recipients()}),
        ),
        (
            "/send/postcard",
            json!({"size": "6x11", "front_image_url": FRONT, "message": LOREM,
                   "radius_search": {"address": "123 Main Street, Fake City, NY, 55555",
                                     "record_types": "likelytomove", "record_count": 10,
                                     "include_condos": false, "append_data": true}}),
        ),
        (
            "/send/giftcard",
            json!({"front_image_url": "https://cdn.thanks.io/notecard-inspirations/note1.png",
                   "message": "Hey %FIRST_NAME%!,\n\nTHANK YOU for allowing us the opportunity to HELP you with your plan!",
                   "handwriting_style_id": 4, "giftcard_brand": "amazonus",
                   "giftcard_amount_in_cents": 10000, "recipients": recipients()}),
        ),
        (
            "/send/giftcard",
            json!({"front_image_url": "https://cdn.thanks.io/notecard-inspirations/note1.png",
                   "message": "Hey %FIRST_NAME%!,\n\nTHANK YOU for allowing us the opportunity to HELP you with your plan!",
                   "handwriting_style_id": 4, "giftcard_brand": "starbucksus",
                   "giftcard_amount_in_cents": 1000, "recipients": recipients()}),
        ),
    ]
}

#[tokio::test]
async fn the_specs_example_bodies_are_accepted() {
    let (sb, http, token) = connected().await;
    for (path, body) in examples() {
        let estimate = path.replace("/send/", "/estimate/");
        let priced = post(&http, &sb, &estimate, &token, &body).await;
        assert_eq!(priced.status, StatusCode::OK, "{estimate}: {}", priced.text);
        let sent = post(&http, &sb, path, &token, &body).await;
        assert_eq!(sent.status, StatusCode::OK, "{path}: {}", sent.text);
        let named = body
            .get("handwriting_style")
            .or_else(|| body.get("handwriting_style_id"));
        if let Some(style) = named {
            assert_eq!(&sent.json()["style"], style, "{path}: the style is kept");
        }
    }
}

#[tokio::test]
async fn fields_and_values_the_spec_dropped_are_not_taken() {
    let (sb, http, token) = connected().await;
    // Brand codes without their suffix don't exist.
    let mut body = examples()[3].1.clone();
    body["giftcard_brand"] = json!("starbucks");
    let refused = post(&http, &sb, "/estimate/giftcard", &token, &body).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.json()["errors"]["giftcard_brand"].is_array());
    // The gift card has no QR code or custom background: ignored, as Laravel ignores them.
    let mut body = examples()[3].1.clone();
    body["qrcode_url"] = json!("https://example.com/qr");
    body["custom_background_image"] = json!("https://example.com/bg.png");
    let sent = post(&http, &sb, "/send/giftcard", &token, &body).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text);
    assert_eq!(sent.json()["qrcode_url"], Value::Null);
    assert_eq!(sent.json()["custom_background_url"], Value::Null);
    // record_types is one string from the 17 the spec lists.
    for bad in [
        json!(["all"]),
        json!("apartmentcomplex"),
        json!("likelytodownsize"),
    ] {
        let mut body = examples()[1].1.clone();
        body["radius_search"]["record_types"] = bad.clone();
        let refused = post(&http, &sb, "/estimate/postcard", &token, &body).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let count = json!({"address": "500 Congress Ave", "postal_code": "78701", "record_count": 5, "record_types": bad});
        let refused = post(
            &http,
            &sb,
            "/mailing-lists-utils/count-radius-search",
            &token,
            &count,
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    // delete-by-address: an address needs its postal code; an email is enough on its own.
    let refused = post(
        &http,
        &sb,
        "/recipients-utils/delete-by-address",
        &token,
        &json!({"mailing_list_id": 1181, "address": "9 Elm St"}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.json()["errors"]["postal_code"].is_array(),
        "{}",
        refused.text
    );
}
