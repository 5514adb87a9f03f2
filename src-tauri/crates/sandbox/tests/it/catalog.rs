//! The shared endpoint catalog (`core/data/endpoints.json`) against the sandbox: every entry,
//! current or legacy, is served. The catalog is read as plain JSON with `include_str!` because
//! the sandbox depends on nothing of ours. Also the behaviour of the legacy-only routes.

use std::collections::HashMap;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::*;
use crate::control;

const CATALOG: &str = include_str!("../../../core/data/endpoints.json");

fn catalog() -> Vec<Value> {
    let file: Value = serde_json::from_str(CATALOG).expect("the catalog is JSON");
    file["endpoints"].as_array().expect("endpoints").clone()
}

fn first_id(reply: &Reply) -> String {
    let v = reply.json();
    let data = v.get("data").unwrap_or(&v);
    data[0]["id"].to_string()
}

/// Ids of seeded records for each path parameter name the catalog uses, looked up over the API
/// (so they follow the seed). A settled gift-card order, so replay and invalidation succeed.
async fn seeded_ids(
    http: &reqwest::Client,
    sb: &thanks_sandbox::Sandbox,
    token: &str,
) -> HashMap<String, String> {
    let mut ids = HashMap::new();
    let orders = get(http, sb, "/orders/list?items_per_page=100", token)
        .await
        .json();
    let order = orders["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| {
            o["type"] == "giftcard"
                && ["delivered", "fulfilled"].contains(&o["status"].as_str().unwrap())
        })
        .expect("a settled gift-card order");
    let order_id = order["id"].to_string();
    let items = get(http, sb, &format!("/orders/{order_id}/items"), token)
        .await
        .json();
    let item = items["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["giftcard"]["redeemed_at"].is_null())
        .unwrap_or(&items["data"][0]);
    ids.insert("orderItemId".into(), item["id"].to_string());
    ids.insert("orderId".into(), order_id);
    let list = first_id(&get(http, sb, "/mailing-lists/", token).await);
    let recipients = get(
        http,
        sb,
        &format!("/mailing-lists-utils/recipients/{list}"),
        token,
    )
    .await;
    ids.insert("recipientId".into(), first_id(&recipients));
    ids.insert("mailingListId".into(), list);
    for (name, path) in [
        ("messageTemplateId", "/message-templates/"),
        ("subAccountId", "/sub-accounts/"),
        ("webhookId", "/webhooks"),
        ("envelopeId", "/letters/envelopes"),
    ] {
        ids.insert(name.into(), first_id(&get(http, sb, path, token).await));
    }
    ids
}

/// A stand-in value for a required query parameter.
fn query_value(param: &Value) -> String {
    if let Some(first) = param["allowed"].get(0) {
        return first.as_str().unwrap().to_owned();
    }
    match param["type"].as_str().unwrap() {
        "integer" | "number" => "1".into(),
        "boolean" => "true".into(),
        _ => "Main".into(),
    }
}

/// The concrete request for one catalog entry in a fresh sandbox, with what it depends on
/// created first (a stored send to open, a recipient to delete by address).
async fn concrete(
    entry: &Value,
    http: &reqwest::Client,
    sb: &thanks_sandbox::Sandbox,
    token: &str,
) -> String {
    let ids = seeded_ids(http, sb, token).await;
    let mut path = entry["path"].as_str().unwrap().to_owned();
    for p in entry["path_params"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        let value = if let Some(first) = p["allowed"].get(0) {
            first.as_str().unwrap().to_owned()
        } else if name == "storedSendId" {
            let stored = catalog()
                .into_iter()
                .find(|e| e["method"] == "POST" && e["path"] == "/stored_send/{type}")
                .unwrap();
            let reply = post(
                http,
                sb,
                "/stored_send/postcard",
                token,
                &stored["body_template"],
            )
            .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
            let url = reply.json()["stored_send_url"].as_str().unwrap().to_owned();
            url.rsplit('/').next().unwrap().to_owned()
        } else {
            ids.get(name)
                .unwrap_or_else(|| panic!("no seeded id for {{{name}}}: add it to seeded_ids"))
                .clone()
        };
        path = path.replace(&format!("{{{name}}}"), &value);
    }
    if path.ends_with("/delete-by-address") {
        let mut recipient = entry["body_template"].clone();
        recipient["name"] = json!("To Be Deleted");
        let made = post(http, sb, "/recipients", token, &recipient).await;
        assert!(made.json().get("id").is_some(), "{}", made.text);
    }
    let query: Vec<String> = entry["query_params"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["required"] == true)
        .map(|p| format!("{}={}", p["name"].as_str().unwrap(), query_value(p)))
        .collect();
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    path
}

#[tokio::test]
async fn every_catalog_entry_is_served() {
    let entries = catalog();
    assert!(entries.len() >= 60, "{}", entries.len());
    let mut problems = Vec::new();
    for entry in &entries {
        // A fresh sandbox each time, so deletes and cancels can't disturb the next entry.
        let (sb, http, token) = connected().await;
        let method = Method::from_bytes(entry["method"].as_str().unwrap().as_bytes()).unwrap();
        let path = concrete(entry, &http, &sb, &token).await;
        let body = entry.get("body_template");
        let name = format!("{method} {path}");
        let with_token = call(&http, &sb, method.clone(), &path, Some(&token), body).await;
        let status = with_token.status;
        if [
            StatusCode::NOT_FOUND,
            StatusCode::METHOD_NOT_ALLOWED,
            StatusCode::UNAUTHORIZED,
        ]
        .contains(&status)
            || status.is_server_error()
        {
            problems.push(format!("{name}: {status} {}", with_token.text));
        }
        let without = call(&http, &sb, method, &path, None, body).await.status;
        let needs_auth = entry["needs_auth"] == true;
        let refused = [StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&without);
        if needs_auth != refused {
            problems.push(format!(
                "{name}: needs_auth is {needs_auth} but without a token: {without}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn send_templates_are_accepted_as_they_are() {
    let (sb, http, token) = connected().await;
    for entry in catalog() {
        let path = entry["path"].as_str().unwrap();
        if !path.starts_with("/send/") && !path.starts_with("/estimate/") {
            continue;
        }
        let concrete = path.replace("{type}", "postcard");
        let reply = post(&http, &sb, &concrete, &token, &entry["body_template"]).await;
        assert_eq!(reply.status, StatusCode::OK, "{concrete}: {}", reply.text);
        if path.starts_with("/send/") {
            assert!(
                reply.json()["data"]["previews"].is_array(),
                "send templates are previews"
            );
        }
    }
}

#[tokio::test]
async fn order_stats_and_search() {
    let (sb, http, token) = connected().await;
    let all = get(&http, &sb, "/orders/stats", &token).await;
    assert_eq!(all.status, StatusCode::OK);
    let stats = all.json();
    assert_eq!(stats["total_requests"], 36);
    let by_status: u64 = [
        "reviewing",
        "processing",
        "printed",
        "shipped",
        "fulfilled",
        "delivered",
        "cancelled",
    ]
    .iter()
    .map(|s| stats[s].as_u64().unwrap())
    .sum();
    assert_eq!(by_status, 36);
    assert!(stats["total_cost"].as_str().unwrap().starts_with('$'));
    assert!(stats["total_sent"].as_u64().unwrap() > 36);

    let none = get(
        &http,
        &sb,
        "/orders/stats?start_date=2001-01-01&end_date=2001-12-31",
        &token,
    )
    .await;
    assert_eq!(none.json()["total_requests"], 0);
    assert_eq!(none.json()["total_cost"], "$0.00");
    let bad = get(&http, &sb, "/orders/stats?start_date=01/02/2025", &token).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.json()["errors"]["start_date"].is_array());
    let sub = get(&http, &sb, "/orders/stats?sub_account_id=311", &token)
        .await
        .json();
    assert!(sub["total_requests"].as_u64().unwrap() < 36);

    let items = get(&http, &sb, "/orders/48210/items", &token).await.json();
    let street = items["data"][0]["recipient"]["address"]
        .as_str()
        .unwrap()
        .to_owned();
    let found = get(
        &http,
        &sb,
        &format!(
            "/orders/search?street_address={}",
            street.to_uppercase().replace(' ', "+")
        ),
        &token,
    )
    .await
    .json();
    assert!(
        found["matched_order_items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["recipient"]["address"] == street.as_str())
    );
    assert!(
        found["orders"][0]["stats"].is_object(),
        "track-shaped orders"
    );
    let missing = get(&http, &sb, "/orders/search", &token).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn recipient_search_and_lookup() {
    let (sb, http, token) = connected().await;
    let found = get(
        &http,
        &sb,
        "/recipients?email=Jordan.Blake@example.com",
        &token,
    )
    .await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.json()["data"][0]["name"], "Jordan Blake");
    for bad in ["/recipients", "/recipients?email=nope"] {
        assert_eq!(
            get(&http, &sb, bad, &token).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}"
        );
    }

    let ask = json!({"email": "new.person@example.com", "name": "New Person"});
    let first = post(&http, &sb, "/recipients/lookup", &token, &ask).await;
    assert_eq!(first.status, StatusCode::OK);
    let address = first.json()["data"].clone();
    assert_eq!(address["name"], "New Person");
    assert!(address["address"].is_string() && address["postal_code"].is_string());
    let again = post(&http, &sb, "/recipients/lookup", &token, &ask)
        .await
        .json();
    assert_eq!(
        again["data"], address,
        "the same email finds the same address"
    );
    let saved = get(
        &http,
        &sb,
        "/recipients?email=new.person@example.com",
        &token,
    )
    .await;
    assert_eq!(saved.json()["data"], json!([]), "a lookup saves nothing");
    let bad = post(
        &http,
        &sb,
        "/recipients/lookup",
        &token,
        &json!({"name": "x"}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn stored_sends_send_when_opened() {
    let (sb, http, token) = connected().await;
    let body = control::minimal_postcard();
    let stored = post(&http, &sb, "/stored_send/postcard", &token, &body).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.text);
    let url = stored.json()["stored_send_url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(url.starts_with(&format!("{}/stored_send/postcard/", sb.api_base())));
    let before = get(&http, &sb, "/orders/list", &token).await.json()["meta"]["total"].clone();
    assert_eq!(before, 36, "storing sends nothing");

    // Opened without a token, as an automation would.
    let sent = call(&http, &sb, Method::GET, &url, None, None).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text);
    assert_eq!(sent.json()["status"], "reviewing");
    assert_eq!(
        get(&http, &sb, "/orders/list", &token).await.json()["meta"]["total"],
        37
    );

    let other_type = url.replace("/postcard/", "/notecard/");
    assert_eq!(
        call(&http, &sb, Method::GET, &other_type, None, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let unknown = format!("{}/stored_send/postcard/nope", sb.api_base());
    assert_eq!(
        call(&http, &sb, Method::GET, &unknown, None, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let invalid = post(
        &http,
        &sb,
        "/stored_send/postcard",
        &token,
        &json!({"message": "hi"}),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let magnacard = post(&http, &sb, "/stored_send/magnacard", &token, &body).await;
    assert_eq!(
        magnacard.status,
        StatusCode::NOT_FOUND,
        "not a documented stored-send type"
    );
}

#[tokio::test]
async fn proofs_previews_and_envelopes() {
    let (sb, http, token) = connected().await;
    let proof = post(
        &http,
        &sb,
        "/proof/postcard",
        &token,
        &control::minimal_postcard(),
    )
    .await;
    assert_eq!(proof.status, StatusCode::OK);
    let proof_url = proof.json()["proof_url"].as_str().unwrap().to_owned();
    assert_eq!(
        http.get(&proof_url).send().await.unwrap().status(),
        StatusCode::OK
    );
    let no_image = post(
        &http,
        &sb,
        "/proof/postcard",
        &token,
        &json!({"recipients": [{"address": "1 A St, B, CA 90001"}], "message": "x"}),
    )
    .await;
    assert_eq!(no_image.status, StatusCode::UNPROCESSABLE_ENTITY);

    let preview = post(
        &http,
        &sb,
        "/preview",
        &token,
        &json!({"message": "Hi!", "handwriting_style": 13, "type": "notecard"}),
    )
    .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert_eq!(
        preview.json()["data"]["previews"].as_array().unwrap().len(),
        1
    );
    let bad = post(
        &http,
        &sb,
        "/preview",
        &token,
        &json!({"handwriting_style": 105, "type": "fax"}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = bad.json()["errors"].clone();
    for field in ["message", "handwriting_style", "type"] {
        assert!(errors[field].is_array(), "{field}: {errors}");
    }

    let list = get(&http, &sb, "/letters/envelopes", &token).await.json();
    let first = list["data"][0].clone();
    assert_eq!(first["default"], true);
    let one = get(
        &http,
        &sb,
        &format!("/letters/envelopes/{}", first["id"]),
        &token,
    )
    .await
    .json();
    assert_eq!(one["data"], first);
    assert_eq!(
        get(&http, &sb, "/letters/envelopes/999", &token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
