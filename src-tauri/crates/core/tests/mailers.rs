//! Every ready-made mailer is a body the sandbox accepts, exactly as shipped: estimated, previewed
//! and sent (200, never 422), through the engine with a real token.

mod support;

use serde_json::Value;
use thanks_core::RequestSpec;
use thanks_core::mailers::{mailers, with_preview};

use support::{PROFILE, connected};

fn post(path: &str, body: &Value) -> RequestSpec {
    RequestSpec {
        method: "POST".into(),
        path: path.into(),
        body: Some(body.to_string()),
        ..RequestSpec::default()
    }
}

fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).expect("a JSON answer")
}

#[tokio::test]
async fn every_mailer_is_estimated_previewed_and_sent() {
    let c = connected().await;
    let mut sent = 0;
    for m in mailers() {
        let estimate = c
            .engine
            .call(PROFILE, &post(&m.estimate_path, &m.body))
            .await
            .unwrap();
        let answer = json(&estimate.body);
        assert_eq!(estimate.status, 200, "{} estimate: {answer}", m.id);
        assert!(
            answer["data"]["total_cost_in_cents"].as_u64().unwrap() > 0,
            "{}",
            m.id
        );
        assert_eq!(answer["data"]["total_recipients"], 1, "{}", m.id);

        let preview = c
            .engine
            .call(PROFILE, &post(&m.send_path, &with_preview(m.body.clone())))
            .await
            .unwrap();
        let answer = json(&preview.body);
        assert_eq!(preview.status, 200, "{} preview: {answer}", m.id);
        assert_eq!(
            answer["data"]["previews"].as_array().unwrap().len(),
            2,
            "{}",
            m.id
        );

        let send = c
            .engine
            .call(PROFILE, &post(&m.send_path, &m.body))
            .await
            .unwrap();
        let order = json(&send.body);
        assert_eq!(send.status, 200, "{} send: {order}", m.id);
        assert_eq!(order["status"], "reviewing", "{}", m.id);
        assert_eq!(order["recipients"][0]["name"], "Ada Lovelace", "{}", m.id);
        let expected_type = match m.id.as_str() {
            "postcard-6x11" => "postcard6x11",
            "postcard-4x6" | "postcard-6x9" => "postcard",
            "windowed-letter" => "letter",
            "windowless-letter" => "windowlessletter",
            other => other,
        };
        assert_eq!(order["type"], expected_type, "{}", m.id);
        sent += 1;
    }
    assert_eq!(sent, 7);
    let list = RequestSpec {
        method: "GET".into(),
        path: "orders/list".into(),
        ..RequestSpec::default()
    };
    let orders = json(&c.engine.call(PROFILE, &list).await.unwrap().body);
    assert_eq!(
        orders["meta"]["total"],
        36 + 7,
        "one order per send, none per preview or estimate"
    );
    assert_eq!(c.sandbox.stats().authorization_code_grants, 1);
}

#[tokio::test]
async fn the_gift_card_mailer_names_a_brand_and_amount_the_sandbox_offers() {
    let c = connected().await;
    let gift = thanks_core::mailers::mailer("giftcard").unwrap();
    let brands = RequestSpec {
        method: "GET".into(),
        path: "giftcard-brands-list".into(),
        ..RequestSpec::default()
    };
    let list = json(&c.engine.call(PROFILE, &brands).await.unwrap().body);
    let brand = list["brands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["brand_code"] == gift.body["giftcard_brand"])
        .expect("the brand is listed");
    assert!(
        brand["available_amounts"]
            .as_array()
            .unwrap()
            .contains(&gift.body["giftcard_amount_in_cents"])
    );
}
