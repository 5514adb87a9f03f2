//! `/api/v2` cross-cutting behaviour (auth, rate limit, 404/405, pagination) and sends/estimates.

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::*;
use crate::control::minimal_postcard;

#[tokio::test]
async fn auth_is_required_except_for_the_catalogues() {
    let sb = sandbox().await;
    let http = client();
    for path in ["/ping", "/orders/list", "/mailing-lists/", "/sub-accounts"] {
        let reply = call(&http, &sb, Method::GET, path, None, None).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(reply.json(), json!({"message": "Unauthorized"}));
        assert_eq!(reply.header("x-ratelimit-limit"), None);
    }
    let garbage = call(
        &http,
        &sb,
        Method::GET,
        "/ping",
        Some("sbx_at_made_up"),
        None,
    )
    .await;
    assert_eq!(garbage.status, StatusCode::FORBIDDEN);

    let styles = call(&http, &sb, Method::GET, "/handwriting-styles", None, None).await;
    assert_eq!(styles.status, StatusCode::OK);
    let ids: Vec<u64> = styles.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["handwriting_style_id"].as_u64().unwrap())
        .collect();
    assert!(
        ids.contains(&4) && ids.contains(&101) && !ids.contains(&105) && !ids.contains(&21),
        "thanks.io's sparse ids, 4 among them: {ids:?}"
    );
    let brands = call(&http, &sb, Method::GET, "/giftcard-brands", None, None)
        .await
        .json();
    assert!(
        brands["main"]["brands"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["brand_code"] == "starbucksus")
    );
    let list = call(&http, &sb, Method::GET, "/giftcard-brands-list", None, None)
        .await
        .json();
    assert!(list["brands"][0]["group"].is_string());
}

#[tokio::test]
async fn unknown_paths_are_json_404_and_wrong_methods_json_405() {
    let (sb, http, token) = connected().await;
    for path in ["/nope", "/orders/48210/nothing", "/orders/nope/track/more"] {
        let reply = get(&http, &sb, path, &token).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(reply.json()["message"], "Not Found");
    }
    let unauthenticated_404 = call(&http, &sb, Method::GET, "/nope", None, None).await;
    assert_eq!(unauthenticated_404.status, StatusCode::NOT_FOUND);
    let send_unknown = post(&http, &sb, "/send/telegram", &token, &minimal_postcard()).await;
    assert_eq!(send_unknown.status, StatusCode::NOT_FOUND);

    let wrong = call(
        &http,
        &sb,
        Method::DELETE,
        "/orders/list",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(wrong.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong.json()["message"].is_string());
    let unauthenticated_405 = call(&http, &sb, Method::GET, "/send/postcard", None, None).await;
    assert_eq!(
        unauthenticated_405.status,
        StatusCode::METHOD_NOT_ALLOWED,
        "routing errors come before auth"
    );
}

#[tokio::test]
async fn past_the_limit_requests_get_429_with_headers() {
    let (sb, http, token) = connected().await;
    sb.set_rate_limit_per_minute(3);
    for remaining in ["2", "1", "0"] {
        let ok = get(&http, &sb, "/ping", &token).await;
        assert_eq!(ok.status, StatusCode::OK);
        assert_eq!(ok.header("x-ratelimit-limit"), Some("3"));
        assert_eq!(ok.header("x-ratelimit-remaining"), Some(remaining));
    }
    let limited = get(&http, &sb, "/ping", &token).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.json()["message"], "Too Many Attempts.");
    let retry_after: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    let reset: i64 = limited
        .header("x-ratelimit-reset")
        .unwrap()
        .parse()
        .unwrap();
    assert!(reset > 1_700_000_000);
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));

    // The limit is per token: a fresh connection has its own window.
    let other = connect(&http, &sb).await;
    assert_eq!(
        get(&http, &sb, "/ping", &other.access).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn following_links_next_walks_every_order() {
    let (sb, http, token) = connected().await;
    let first = get(&http, &sb, "/orders/list", &token).await.json();
    assert_eq!(first["meta"]["per_page"], 25);
    assert_eq!(first["meta"]["total"], 36);
    assert_eq!(first["data"].as_array().unwrap().len(), 25);

    let mut seen = HashSet::new();
    let mut next = Some(format!("{}/orders/list?items_per_page=10", sb.api_base()));
    let mut pages = 0;
    while let Some(url) = next {
        let page = get(&http, &sb, &url, &token).await.json();
        assert!(
            url.starts_with(&sb.base_url()),
            "absolute links on the sandbox"
        );
        for order in page["data"].as_array().unwrap() {
            assert!(seen.insert(order["id"].as_u64().unwrap()), "no order twice");
        }
        next = page["links"]["next"].as_str().map(str::to_owned);
        pages += 1;
    }
    assert_eq!((seen.len(), pages), (36, 4));

    let old = get(&http, &sb, "/orders/list?limit=5&page=2", &token)
        .await
        .json();
    assert_eq!(
        (
            old["meta"]["per_page"].as_u64(),
            old["meta"]["from"].as_u64()
        ),
        (Some(5), Some(6))
    );
    assert!(old["links"]["next"].as_str().unwrap().contains("limit=5"));

    let sub = get(&http, &sb, "/orders/list?sub_account_id=311", &token)
        .await
        .json();
    assert!(
        sub["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["sub_account_id"] == 311)
    );

    let bad = get(&http, &sb, "/orders/list?items_per_page=0", &token).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.json()["errors"]["items_per_page"][0].is_string());
}

#[tokio::test]
async fn send_validation_reports_field_errors() {
    let (sb, http, token) = connected().await;
    let empty = post(&http, &sb, "/send/postcard", &token, &json!({})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = empty.json();
    assert_eq!(body["message"], "The given data was invalid.");
    for field in ["recipients", "front_image_url", "message"] {
        assert!(body["errors"][field][0].is_string(), "{field}: {body}");
    }

    let mut bad = minimal_postcard();
    bad["size"] = json!("5x7");
    bad["handwriting_color"] = json!("chartreuse");
    bad["recipients"] = json!([{"name": "No Address"}]);
    bad["metadata"] = json!("not an object");
    // 105 is a gap in thanks.io's sparse style ids.
    bad["handwriting_style_id"] = json!(105);
    let errors = post(&http, &sb, "/send/postcard", &token, &bad)
        .await
        .json()["errors"]
        .clone();
    for field in [
        "size",
        "handwriting_color",
        "recipients.0.address",
        "metadata",
        "handwriting_style_id",
    ] {
        assert!(errors[field].is_array(), "{field}: {errors}");
    }

    let mut both = minimal_postcard();
    both["mailing_list_ids"] = json!([1180]);
    assert!(
        post(&http, &sb, "/send/postcard", &token, &both)
            .await
            .json()["errors"]["recipients"]
            .is_array()
    );

    let mut big = minimal_postcard();
    big["metadata"] = json!({"blob": "x".repeat(9000)});
    assert_eq!(
        post(&http, &sb, "/estimate/postcard", &token, &big)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let unknown_list =
        json!({"mailing_list_ids": [999999], "message": "Hi", "image_template_id": 5101});
    let reply = post(&http, &sb, "/send/postcard", &token, &unknown_list).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json(),
        json!({"message": "Mailing List Does Not Exist"})
    );

    let not_json = call(
        &http,
        &sb,
        Method::POST,
        "/send/postcard",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        not_json.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an empty body is an empty object"
    );
}

#[tokio::test]
async fn preview_creates_nothing_and_a_real_send_is_listed_first() {
    let (sb, http, token) = connected().await;
    let mut body = minimal_postcard();
    body["preview"] = json!(true);
    let preview = post(&http, &sb, "/send/postcard", &token, &body).await;
    assert_eq!(preview.status, StatusCode::OK);
    let preview = preview.json();
    assert_eq!(
        (preview["success"].as_bool(), preview["code"].as_u64()),
        (Some(true), Some(200))
    );
    let urls = preview["data"]["previews"].as_array().unwrap();
    assert_eq!(urls.len(), 2);
    let image = http.get(urls[0].as_str().unwrap()).send().await.unwrap();
    assert_eq!(image.headers()["content-type"], "image/png");
    assert_eq!(
        get(&http, &sb, "/orders/list", &token).await.json()["meta"]["total"],
        36
    );

    body["preview"] = json!(false);
    body["metadata"] = json!({"crm_id": "abc-1"});
    let sent = post(&http, &sb, "/send/postcard", &token, &body).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text);
    let order = sent.json();
    assert_eq!(order["status"], "reviewing");
    assert_eq!(order["display_status"], "Reviewing");
    assert_eq!(order["type"], "postcard");
    assert_eq!(order["authorization_total"], 99);
    assert_eq!(order["metadata"]["crm_id"], "abc-1");
    assert_eq!(
        order["recipients"][0]["city"], "Any Town",
        "one-line address parsed"
    );

    let list = get(&http, &sb, "/orders/list", &token).await.json();
    assert_eq!(list["meta"]["total"], 37);
    let newest = &list["data"][0];
    assert_eq!(newest["id"], order["id"]);
    assert_eq!(
        newest["status"], "cancelled",
        "test mode cancels accepted orders"
    );
    assert_eq!(newest["grand_total"], 0);
}

#[tokio::test]
async fn with_test_mode_off_orders_stay_in_review_and_can_be_cancelled_once() {
    let (sb, http, token) = connected().await;
    sb.set_test_mode(false);
    let order = post(
        &http,
        &sb,
        "/send/windowedletter",
        &token,
        &json!({
            "mailing_lists": [1180],
            "message_template": 7304,
            "handwriting_style": 13,
            "email_additional": "ops@example.com",
            "sub_account": 312,
        }),
    )
    .await;
    assert_eq!(
        order.status,
        StatusCode::OK,
        "old parameter names: {}",
        order.text
    );
    let order = order.json();
    assert_eq!(
        (order["type"].as_str(), order["style"].as_u64()),
        (Some("letter"), Some(13))
    );
    assert_eq!(order["recipient_count"], 14);
    let id = order["id"].as_u64().unwrap();

    let cancel = call(
        &http,
        &sb,
        Method::PUT,
        &format!("/orders/{id}/cancel"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(cancel.status, StatusCode::OK);
    assert_eq!(cancel.json()["order"]["status"], "cancelled");
    let again = call(
        &http,
        &sb,
        Method::PUT,
        &format!("/orders/{id}/cancel"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(
        again.json()["message"]
            .as_str()
            .unwrap()
            .contains("Cancelled")
    );

    let legacy = post(&http, &sb, "/send/letter", &token, &json!({"recipients": [{"address": "1 A St, B, CA 90001"}], "pdf_only_url": "https://example.com/l.pdf"})).await;
    assert_eq!(legacy.status, StatusCode::OK, "{}", legacy.text);
}

#[tokio::test]
async fn estimates_price_without_ordering_and_report_test_mode() {
    let (sb, http, token) = connected().await;
    let body = json!({
        "recipients": [
            {"address": "1 Main St, Austin, TX 78701"},
            {"address": "2 Main St", "city": "Austin", "province": "TX", "postal_code": "78701", "country": "US"},
            {"address": "10 Queen St W", "city": "Toronto", "province": "ON", "postal_code": "M5H 2N2", "country": "CA"},
            {"email": "lookup@example.com"},
        ],
        "message": "Hello",
        "image_template": 5101,
        "size": "6x9",
    });
    let estimate = post(&http, &sb, "/estimate/postcard", &token, &body).await;
    assert_eq!(estimate.status, StatusCode::OK, "{}", estimate.text);
    let data = estimate.json()["data"].clone();
    assert_eq!(data["test_mode"], true);
    assert_eq!(
        data["recipients"],
        json!({"united_states": 3, "international": 1})
    );
    assert_eq!(data["pending_email_lookups"], 1);
    assert_eq!(data["costs_in_cents"]["grand_total"], 3 * 125 + 225);
    assert_eq!(data["total_cost"], "$6.00");
    assert_eq!(data["current_balance_in_cents"], 5000);
    assert_eq!(data["covered_by_balance"], true);
    assert!(
        data["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("not thanks.io's"))
    );
    assert_eq!(
        get(&http, &sb, "/orders/list", &token).await.json()["meta"]["total"],
        36
    );

    sb.set_test_mode(false);
    let live = post(&http, &sb, "/estimate/postcard", &token, &body)
        .await
        .json();
    assert_eq!(live["data"]["test_mode"], false);

    let gift = json!({"recipients": [{"address": "1 Main St, Austin, TX 78701"}], "message": "Hi", "front_image_url": "https://x/y.png", "giftcard_brand": "starbucksus", "giftcard_amount_in_cents": 1234});
    let refused = post(&http, &sb, "/estimate/giftcard", &token, &gift).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.json()["errors"]["giftcard_amount_in_cents"].is_array());
    let templated = json!({"radius_search": {"address": "500 Congress Ave, Austin, TX 78701", "record_count": 40}, "message_template_id": 7303, "image_template_id": 5106});
    let priced: Value = post(&http, &sb, "/estimate/giftcard", &token, &templated)
        .await
        .json();
    assert_eq!(
        priced["data"]["costs_in_cents"]["giftcard_face_value"],
        40 * 1000,
        "{priced}"
    );
    assert_eq!(priced["data"]["costs_in_cents"]["radius_search"], 40 * 5);
}
