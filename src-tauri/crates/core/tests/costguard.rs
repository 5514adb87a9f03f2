//! `Engine::cost_check` against the sandbox: the estimate is asked with the same body, test mode
//! decides the prompt (the sandbox's switch, as thanks.io's account setting would), failures are
//! reported, and nothing is ordered by checking.

mod support;

use serde_json::{Value, json};
use thanks_core::RequestSpec;
use thanks_core::mailers::{mailer, with_preview};

use support::{PROFILE, connected};

fn post(path: &str, body: &Value) -> RequestSpec {
    RequestSpec {
        method: "POST".into(),
        path: path.into(),
        body: Some(body.to_string()),
        ..RequestSpec::default()
    }
}

fn postcard() -> Value {
    mailer("postcard-4x6").unwrap().body.clone()
}

async fn order_count(c: &support::Connected) -> u64 {
    let list = RequestSpec {
        method: "GET".into(),
        path: "orders/list".into(),
        ..RequestSpec::default()
    };
    let view = c.engine.call(PROFILE, &list).await.unwrap();
    serde_json::from_slice::<Value>(&view.body).unwrap()["meta"]["total"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn test_mode_on_needs_no_confirmation_and_off_does() {
    let c = connected().await;
    let spec = post("send/postcard", &postcard());

    let on = c.engine.cost_check(PROFILE, &spec).await.unwrap();
    assert!(on.guarded && on.local_server);
    assert_eq!(on.test_mode, Some(true));
    assert!(!on.needs_confirmation, "{on:?}");
    assert_eq!(on.estimate_path.as_deref(), Some("/estimate/postcard"));
    let e = on.estimate.as_ref().expect("an estimate");
    assert_eq!(e.total_cost_in_cents, 99, "the sandbox's 4x6 price");
    assert_eq!(e.total_cost, "$0.99");
    assert_eq!(e.current_balance_in_cents, Some(5000));
    assert_eq!(e.covered_by_balance, Some(true));
    assert_eq!(e.test_mode, Some(true));
    assert_eq!(
        on.reason.as_deref(),
        Some("sends a 4x6 postcard: it is printed and mailed")
    );

    c.sandbox.set_test_mode(false);
    let off = c.engine.cost_check(PROFILE, &spec).await.unwrap();
    assert_eq!(off.test_mode, Some(false));
    assert!(off.needs_confirmation && off.local_server, "{off:?}");
    assert_eq!(order_count(&c).await, 36, "checking orders nothing");

    let v = serde_json::to_value(&off).unwrap();
    for key in [
        "guarded",
        "reason",
        "estimate_path",
        "estimate",
        "estimate_error",
        "estimate_status",
        "send_would_be_refused",
        "test_mode",
        "even_in_test_mode",
        "local_server",
        "needs_confirmation",
    ] {
        assert!(v.get(key).is_some(), "{key} in {v}");
    }
    assert_eq!(v["estimate"]["total_cost_in_cents"], 99);
}

#[tokio::test]
async fn previews_and_reads_are_not_checked_at_all() {
    let c = connected().await;
    c.sandbox.set_test_mode(false);
    let before = c.sandbox.stats().api_requests;
    let preview = post("/send/postcard", &with_preview(postcard()));
    let check = c.engine.cost_check(PROFILE, &preview).await.unwrap();
    assert!(!check.guarded && !check.needs_confirmation);
    assert!(check.estimate.is_none() && check.reason.is_none());
    let read = RequestSpec {
        method: "GET".into(),
        path: "orders/list".into(),
        ..RequestSpec::default()
    };
    assert!(!c.engine.cost_check(PROFILE, &read).await.unwrap().guarded);
    assert_eq!(
        c.sandbox.stats().api_requests,
        before,
        "no estimate was asked"
    );
}

#[tokio::test]
async fn a_refused_estimate_is_reported_and_other_failures_still_ask() {
    let c = connected().await;
    c.sandbox.set_test_mode(false);
    let mut body = postcard();
    body.as_object_mut().unwrap().remove("front_image_url");
    let check = c
        .engine
        .cost_check(PROFILE, &post("send/postcard", &body))
        .await
        .unwrap();
    assert!(check.estimate.is_none());
    let error = check.estimate_error.as_deref().unwrap();
    assert!(
        error.contains("HTTP 422") && error.contains("front_image_url"),
        "{error}"
    );
    assert_eq!((check.estimate_status, check.test_mode), (Some(422), None));
    assert!(
        check.send_would_be_refused && !check.needs_confirmation,
        "the send will be refused the same way: nothing to confirm"
    );

    // A broken estimate (here a 502 from a proxy) says nothing about the send: ask.
    c.sandbox.set_faults(thanks_sandbox::Faults {
        api_failure: Some(thanks_sandbox::Failure::Html502),
        ..Default::default()
    });
    let check = c
        .engine
        .cost_check(PROFILE, &post("send/postcard", &postcard()))
        .await
        .unwrap();
    assert_eq!(check.estimate_status, Some(502));
    assert_eq!(
        check.estimate_error.as_deref(),
        Some("the estimate failed with HTTP 502")
    );
    assert!(!check.send_would_be_refused && check.needs_confirmation);
}

#[tokio::test]
async fn what_test_mode_does_not_cover_asks_even_when_it_is_on() {
    let c = connected().await;
    // An email-only recipient: a paid lookup (seen in the body).
    let mut body = postcard();
    body["recipients"] = json!([{"name": "Jordan Blake", "email": "jordan.blake@example.com"}]);
    let check = c
        .engine
        .cost_check(PROFILE, &post("send/postcard", &body))
        .await
        .unwrap();
    assert_eq!(check.test_mode, Some(true));
    assert!(check.even_in_test_mode && check.needs_confirmation);
    assert_eq!(check.estimate.unwrap().pending_email_lookups, Some(1));

    // A mailing list holding an email-only recipient: only the estimate can tell.
    let mut body = postcard();
    body.as_object_mut().unwrap().remove("recipients");
    body["mailing_list_ids"] = json!([1181]);
    let check = c
        .engine
        .cost_check(PROFILE, &post("send/postcard", &body))
        .await
        .unwrap();
    assert!(
        check.even_in_test_mode && check.needs_confirmation,
        "{check:?}"
    );

    // No estimate exists for these; they ask whatever the mode.
    let before = c.sandbox.stats().api_requests;
    for spec in [
        RequestSpec {
            method: "PUT".into(),
            path: "order-items/7300001/invalidate-giftcard".into(),
            ..RequestSpec::default()
        },
        post("orders/48210/replay", &json!({})),
        post(
            "mailing-lists-utils/buy-radius-search",
            &json!({"address": "500 Congress Ave", "postal_code": "78701", "record_count": 5}),
        ),
    ] {
        let check = c.engine.cost_check(PROFILE, &spec).await.unwrap();
        assert!(check.guarded && check.needs_confirmation, "{}", spec.path);
        assert!(check.estimate.is_none() && check.estimate_error.is_none());
    }
    assert_eq!(c.sandbox.stats().api_requests, before);
}

#[tokio::test]
async fn a_disconnected_profile_is_an_error_not_an_estimate_error() {
    let c = connected().await;
    c.engine.logout(PROFILE).await.unwrap();
    let e = c
        .engine
        .cost_check(PROFILE, &post("send/postcard", &postcard()))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "session.not_connected");
}
