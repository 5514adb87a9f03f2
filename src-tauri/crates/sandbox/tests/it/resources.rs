//! Recipients, mailing lists (with radius searches), templates, sub-accounts, webhooks and the
//! image builder over the seeded account.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn recipients_lifecycle() {
    let (sb, http, token) = connected().await;
    let ada = json!({"mailing_list_id": 1181, "name": "Ada Lovelace", "address": "9 Elm St", "city": "Madison", "province": "WI", "postal_code": "53703", "country": "US", "dob": "12/10/1815"});
    let created = post(&http, &sb, "/recipients", &token, &ada).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    let created = created.json();
    let id = created["id"].as_u64().unwrap();
    assert_eq!(
        (
            created["mailing_list"]["id"].as_u64(),
            created["dob"].as_str()
        ),
        (Some(1181), Some("1815-12-10"))
    );

    let duplicate = post(&http, &sb, "/recipients", &token, &ada).await;
    assert_eq!(duplicate.status, StatusCode::OK);
    assert_eq!(duplicate.json()["failure"], true);

    let put = call(
        &http,
        &sb,
        Method::PUT,
        &format!("/recipients/{id}"),
        Some(&token),
        Some(&json!({"company": "Analytical Engines"})),
    )
    .await;
    assert_eq!(put.json()["company"], "Analytical Engines");
    assert_eq!(
        get(&http, &sb, &format!("/recipients/{id}"), &token)
            .await
            .json()["name"],
        "Ada Lovelace"
    );

    let batch = json!([
        {"mailing_list": 1181, "address": "10 Elm St, Madison, WI 53703"},
        ada,
        {"mailing_list_id": 1181, "name": "Nobody"},
        {"mailing_list_id": 424242, "address": "1 Nowhere Rd"},
    ]);
    let results = post(
        &http,
        &sb,
        "/recipients-utils/create-multiple",
        &token,
        &batch,
    )
    .await;
    assert_eq!(results.status, StatusCode::OK);
    let results = results.json();
    assert!(results[0]["id"].is_u64() && results[0]["error"].is_null());
    assert_eq!(
        results[1]["error"],
        "This address is already on this mailing list."
    );
    assert!(results[2]["error"].as_str().unwrap().contains("address"));
    assert_eq!(results[3]["error"], "Mailing List Does Not Exist");

    let by_address =
        json!({"mailing_list_id": 1181, "address": "9 Elm St", "postal_code": "53703"});
    let deleted = post(
        &http,
        &sb,
        "/recipients-utils/delete-by-address",
        &token,
        &by_address,
    )
    .await
    .json();
    assert_eq!(deleted["status"], format!("Recipient {id} Deleted"));
    assert_eq!(
        get(&http, &sb, &format!("/recipients/{id}"), &token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let other = results[0]["id"].as_u64().unwrap();
    let gone = call(
        &http,
        &sb,
        Method::DELETE,
        &format!("/recipients/{other}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(gone.json(), json!({"message": "success"}));

    let absentee = json!({"mailing_list_id": 1181, "address": "1 Oak", "absentee_street": "2 Pine", "custom1": "x"});
    assert_eq!(
        post(&http, &sb, "/recipients", &token, &absentee)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn mailing_lists_and_radius_searches() {
    let (sb, http, token) = connected().await;
    let index = get(&http, &sb, "/mailing-lists/", &token).await.json();
    assert_eq!(index["meta"]["total"], 4);
    let created = post(
        &http,
        &sb,
        "/mailing-lists/",
        &token,
        &json!({"description": "Trade show"}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let list_id = created.json()["id"].as_u64().unwrap();
    assert_eq!(
        get(&http, &sb, &format!("/mailing-lists/{list_id}"), &token)
            .await
            .json()["total_recipients"],
        0
    );
    assert_eq!(
        post(&http, &sb, "/mailing-lists", &token, &json!({}))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let page = get(
        &http,
        &sb,
        "/mailing-lists-utils/recipients/1180?limit=5",
        &token,
    )
    .await
    .json();
    assert_eq!(
        (
            page["total"].as_u64(),
            page["last_page"].as_u64(),
            page["per_page"].as_u64()
        ),
        (Some(14), Some(3), Some(5))
    );
    assert!(
        page["next_page_url"]
            .as_str()
            .unwrap()
            .ends_with("limit=5&page=2")
    );
    assert_eq!(
        get(&http, &sb, "/mailing-lists/1180/recipients", &token)
            .await
            .json()["total"],
        14
    );
    let since = get(
        &http,
        &sb,
        "/mailing-lists-utils/recipients/1180?updated_since=yesterday",
        &token,
    )
    .await;
    assert_eq!(since.status, StatusCode::UNPROCESSABLE_ENTITY);

    let count = post(
        &http,
        &sb,
        "/mailing-lists-utils/count-radius-search",
        &token,
        &json!({"address": "500 Congress Ave", "postal_code": "78701", "record_count": 10000}),
    )
    .await
    .json();
    assert!(count["count"].as_u64().unwrap() >= 40 && count["failure"] == false);
    let search = json!({"address": "500 Congress Ave", "postal_code": "78701", "record_count": 10});
    let capped = post(
        &http,
        &sb,
        "/mailing-lists-utils/buy-radius-search",
        &token,
        &search,
    )
    .await;
    assert_eq!(
        capped.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "test mode buys at most 5"
    );
    let search = json!({"address": "500 Congress Ave", "postal_code": "78701", "record_count": 5});
    let bought = post(
        &http,
        &sb,
        "/mailing-lists-utils/buy-radius-search",
        &token,
        &search,
    )
    .await
    .json();
    let bought_list = bought["mailing_list_id"].as_u64().unwrap();
    assert_eq!(
        get(&http, &sb, &format!("/mailing-lists/{bought_list}"), &token)
            .await
            .json()["total_recipients"],
        5
    );
    let duplicate = post(
        &http,
        &sb,
        "/mailing-lists-utils/buy-radius-search",
        &token,
        &search,
    )
    .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.json()["code"], "duplicate_radius_search");
    let nobody = post(
        &http,
        &sb,
        "/mailing-lists/buy-radius-search",
        &token,
        &json!({"address": "1 Empty Rd", "postal_code": "00000", "record_count": 1}),
    )
    .await;
    assert_eq!(nobody.status, StatusCode::BAD_REQUEST);

    let deleted = call(
        &http,
        &sb,
        Method::DELETE,
        &format!("/mailing-lists/{bought_list}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(deleted.json()["message"], "success");
    assert_eq!(
        get(&http, &sb, &format!("/mailing-lists/{bought_list}"), &token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn templates_sub_accounts_webhooks_and_images() {
    let (sb, http, token) = connected().await;
    assert_eq!(
        get(&http, &sb, "/image-templates/", &token).await.json()["meta"]["total"],
        7
    );
    assert_eq!(
        get(&http, &sb, "/image-templates?type=giftcard", &token)
            .await
            .json()["meta"]["total"],
        1
    );

    let no_brand = post(
        &http,
        &sb,
        "/message-templates/",
        &token,
        &json!({"type": "giftcard", "name": "Gift"}),
    )
    .await;
    assert!(no_brand.json()["errors"]["giftcard_brand_code"].is_array());
    let created = post(
        &http,
        &sb,
        "/message-templates/",
        &token,
        &json!({"type": "postcard", "name": "Hello", "content": "Hi %FIRST_NAME%"}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let template = created.json().clone();
    let path = format!("/message-templates/{}", template["id"]);
    assert_eq!(template["font_size"], "auto");
    let patched = call(
        &http,
        &sb,
        Method::PATCH,
        &path,
        Some(&token),
        Some(&json!({"content": "Updated"})),
    )
    .await;
    assert_eq!(patched.json()["content"], "Updated");
    assert_eq!(
        call(&http, &sb, Method::DELETE, &path, Some(&token), None)
            .await
            .json()["message"],
        "success"
    );
    assert_eq!(
        get(&http, &sb, &path, &token).await.status,
        StatusCode::NOT_FOUND
    );

    assert_eq!(
        get(&http, &sb, "/sub-accounts/", &token).await.json()["data"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        post(&http, &sb, "/sub-accounts/", &token, &json!({}))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let sub = post(
        &http,
        &sb,
        "/sub-accounts",
        &token,
        &json!({"title": "North"}),
    )
    .await;
    assert_eq!(sub.status, StatusCode::CREATED);
    let sub_path = format!("/sub-accounts/{}", sub.json()["id"]);
    let updated = call(
        &http,
        &sb,
        Method::PUT,
        &sub_path,
        Some(&token),
        Some(&json!({"return_city": "Fargo"})),
    )
    .await;
    assert_eq!(
        updated.status,
        StatusCode::CREATED,
        "the spec documents 201"
    );
    assert_eq!(updated.json()["return_city"], "Fargo");
    assert!(
        updated.json().get("data").is_none(),
        "single objects are flat"
    );
    assert_eq!(
        call(
            &http,
            &sb,
            Method::DELETE,
            "/sub-accounts/311",
            Some(&token),
            None
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        get(&http, &sb, "/orders/list?sub_account_id=311", &token)
            .await
            .json()["meta"]["total"],
        0,
        "orders moved to the main account"
    );

    let hooks = get(&http, &sb, "/webhooks", &token).await.json();
    assert_eq!(
        (
            hooks["can_manage_webhooks"].as_bool(),
            hooks["meta"]["per_page"].as_u64()
        ),
        (Some(true), Some(15))
    );
    let bad = post(
        &http,
        &sb,
        "/webhooks",
        &token,
        &json!({"url": "ftp://x", "type": "order.created", "verb": "put"}),
    )
    .await;
    let errors = bad.json()["errors"].clone();
    assert!(errors["url"].is_array() && errors["type"].is_array() && errors["verb"].is_array());
    let hook = json!({"url": "https://hooks.example.com/new", "type": "order.status_update", "verb": "post"});
    let created = post(&http, &sb, "/webhooks/", &token, &hook).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let hook_path = format!("/webhooks/{}", created.json()["id"]);
    let mut changed = hook.clone();
    changed["verb"] = json!("get");
    assert_eq!(
        call(
            &http,
            &sb,
            Method::PUT,
            &hook_path,
            Some(&token),
            Some(&changed)
        )
        .await
        .json()["verb"],
        "get"
    );
    assert_eq!(
        call(&http, &sb, Method::DELETE, &hook_path, Some(&token), None)
            .await
            .json(),
        json!({"status": "success"})
    );

    let image = get(&http, &sb, "/build/image-template?id=3&header=Hi", &token).await;
    assert_eq!(image.header("content-type"), Some("image/png"));
    assert_eq!(
        get(&http, &sb, "/build/image-template?id=99", &token)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
