//! Orders over the seeded account: items, tracking, replay, gift-card invalidation.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::*;

async fn all_orders(
    http: &reqwest::Client,
    sb: &thanks_sandbox::Sandbox,
    token: &str,
) -> Vec<Value> {
    get(http, sb, "/orders/list?items_per_page=100", token)
        .await
        .json()["data"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn order_items_tracking_and_replay() {
    let (sb, http, token) = connected().await;
    let orders = all_orders(&http, &sb, &token).await;
    let big = orders
        .iter()
        .find(|o| o["recipient_count"] == 60)
        .expect("a 60-piece order");
    let id = big["id"].as_u64().unwrap();

    let items = get(&http, &sb, &format!("/orders/{id}/items"), &token)
        .await
        .json();
    assert_eq!(
        (
            items["meta"]["per_page"].as_u64(),
            items["data"].as_array().unwrap().len()
        ),
        (Some(50), 50)
    );
    let next = items["links"]["next"].as_str().unwrap().to_owned();
    assert_eq!(
        get(&http, &sb, &next, &token).await.json()["data"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    let bad = get(
        &http,
        &sb,
        &format!("/orders/{id}/items?per_page=500"),
        &token,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = bad.json();
    assert!(
        bad["errors"]["per_page"][0].is_string() && bad.get("message").is_none(),
        "{bad}"
    );

    let track = get(&http, &sb, &format!("/orders/{id}/track"), &token)
        .await
        .json()["data"]
        .clone();
    let stats = track["stats"].as_object().unwrap();
    let pieces: u64 = [
        "delivered",
        "processing",
        "printed",
        "in_transit",
        "in_local_area",
        "processed_for_delivery",
        "re_routed",
        "returned_to_sender",
        "failed",
    ]
    .iter()
    .map(|k| stats[*k].as_u64().unwrap())
    .sum();
    assert_eq!(pieces, 60);
    assert_eq!(
        track["errors"].as_array().unwrap().len() as u64,
        stats["failed"].as_u64().unwrap()
    );
    assert_eq!(
        get(&http, &sb, "/orders/1/track", &token).await.status,
        StatusCode::NOT_FOUND
    );

    let delivered = orders.iter().find(|o| o["status"] == "delivered").unwrap()["id"]
        .as_u64()
        .unwrap();
    let replay = post(
        &http,
        &sb,
        &format!("/orders/{delivered}/replay"),
        &token,
        &json!({"metadata": {"run": 2}}),
    )
    .await;
    assert_eq!(replay.status, StatusCode::OK, "{}", replay.text);
    let replayed = replay.json();
    assert_eq!(replayed["replayed_from_order_id"], delivered);
    assert_eq!(
        (
            replayed["status"].as_str(),
            replayed["metadata"]["run"].as_u64()
        ),
        (Some("reviewing"), Some(2))
    );

    let reviewing = orders.iter().find(|o| o["status"] == "reviewing").unwrap()["id"]
        .as_u64()
        .unwrap();
    let refused = post(
        &http,
        &sb,
        &format!("/orders/{reviewing}/replay"),
        &token,
        &json!({}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.json()["failure"], true);
    let invalid = post(
        &http,
        &sb,
        &format!("/orders/{delivered}/replay"),
        &token,
        &json!({"recipients": [{"name": "X"}], "schedule_for": "soon"}),
    )
    .await;
    let errors = invalid.json()["errors"].clone();
    assert!(
        errors["recipients.0.address"].is_array() && errors["schedule_for"].is_array(),
        "{errors}"
    );
}

#[tokio::test]
async fn gift_cards_can_be_invalidated_once() {
    let (sb, http, token) = connected().await;
    let mut open = None;
    let mut redeemed = None;
    for order in all_orders(&http, &sb, &token)
        .await
        .iter()
        .filter(|o| o["type"] == "giftcard")
    {
        let items = get(
            &http,
            &sb,
            &format!("/orders/{}/items", order["id"]),
            &token,
        )
        .await
        .json();
        for item in items["data"].as_array().unwrap() {
            let slot = if item["giftcard"]["redeemed_at"].is_null() {
                &mut open
            } else {
                &mut redeemed
            };
            slot.get_or_insert(item["id"].as_u64().unwrap());
        }
    }
    let (open, redeemed) = (
        open.expect("an unredeemed card"),
        redeemed.expect("a redeemed card"),
    );
    let path = format!("/order-items/{open}/invalidate-giftcard");
    let done = call(&http, &sb, Method::PUT, &path, Some(&token), None).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.json()["data"]["giftcard"]["invalidated_at"].is_string());
    let again = call(&http, &sb, Method::PATCH, &path, Some(&token), None).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.json()["status"], "failed");
    let spent = call(
        &http,
        &sb,
        Method::PUT,
        &format!("/order-items/{redeemed}/invalidate-giftcard"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        spent.json()["errors"][0],
        "Giftcard has already been redeemed."
    );
}
