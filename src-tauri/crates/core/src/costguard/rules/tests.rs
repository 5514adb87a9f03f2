//! The guard's rules: what is guarded, on any spelling of the path.

use super::*;
use serde_json::json;

fn spec(method: &str, path: &str, body: Option<Value>) -> RequestSpec {
    RequestSpec {
        method: method.into(),
        path: path.into(),
        body: body.map(|b| b.to_string()),
        ..RequestSpec::default()
    }
}

fn postcard() -> Value {
    crate::mailers::mailer("postcard-6x9").unwrap().body.clone()
}

#[test]
fn sends_are_guarded_unless_previewed() {
    let g = assess(&spec("post", "send/postcard", Some(postcard())));
    assert!(g.guarded && !g.even_in_test_mode);
    assert_eq!(
        g.reason.as_deref(),
        Some("sends a 6x9 postcard: it is printed and mailed")
    );
    assert_eq!(g.estimate_path.as_deref(), Some("/estimate/postcard"));

    for preview in [json!(true), json!(1), json!("true"), json!("1")] {
        let mut body = postcard();
        body["preview"] = preview;
        assert_eq!(
            assess(&spec("POST", "/send/postcard", Some(body))),
            Guard::free()
        );
    }
    let mut body = postcard();
    body["preview"] = json!(false);
    assert!(assess(&spec("POST", "/send/postcard", Some(body))).guarded);

    // Not JSON, no body, a full URL, the legacy letter path: still guarded.
    let raw = RequestSpec {
        body: Some("{nope".into()),
        ..spec("POST", "https://api.thanks.io/api/v2/send/notecard/", None)
    };
    let g = assess(&raw);
    assert!(g.guarded);
    assert_eq!(g.estimate_path.as_deref(), Some("/estimate/notecard"));
    let g = assess(&spec(
        "POST",
        "https://api.thanks.io/api/v2/send/letter",
        None,
    ));
    assert_eq!(g.estimate_path.as_deref(), Some("/estimate/windowedletter"));
    assert!(g.reason.unwrap().contains("windowed envelope"));
    assert!(
        assess(&spec("POST", "/send/giftcard", Some(json!({}))))
            .reason
            .unwrap()
            .contains("face value")
    );
}

#[test]
fn sends_that_test_mode_does_not_cover() {
    let body = json!({"recipients": [{"name": "A", "email": "a@example.com"}, {"address": "1 Main St, X, NY 10001"}]});
    let g = assess(&spec("POST", "/send/postcard", Some(body)));
    assert!(g.guarded && g.even_in_test_mode);
    assert!(
        g.reason
            .unwrap()
            .contains("1 recipient with only an email address")
    );
    let body =
        json!({"radius_search": {"address": "1 Main St", "record_count": 5, "append_data": true}});
    assert!(assess(&spec("POST", "/send/notecard", Some(body))).even_in_test_mode);
}

#[test]
fn other_costly_or_irreversible_calls() {
    let g = assess(&spec("POST", "/orders/48210/replay", Some(json!({}))));
    assert!(g.guarded && g.even_in_test_mode && g.estimate_path.is_none());
    assert!(g.reason.unwrap().starts_with("replays order 48210"));
    for m in ["PUT", "patch"] {
        let g = assess(&spec(m, "/order-items/7300001/invalidate-giftcard", None));
        assert!(g.guarded && g.reason.unwrap().contains("can't be undone"));
    }
    let g = assess(&spec(
        "POST",
        "/mailing-lists-utils/buy-radius-search",
        Some(json!({"record_count": "5"})),
    ));
    assert!(g.guarded);
    assert!(g.reason.unwrap().starts_with("buys 5 addresses"));
    assert!(assess(&spec("POST", "/mailing-lists/buy-radius-search", None)).guarded);
    let g = assess(&spec(
        "POST",
        "/recipients/lookup",
        Some(json!({"email": "a@b.c"})),
    ));
    assert!(g.guarded);
    assert!(g.reason.unwrap().starts_with("look up a postal address"));
    assert!(assess(&spec("GET", "/stored_send/postcard/abc", None)).guarded);
}

#[test]
fn recipients_are_guarded_only_when_email_only() {
    let with_address = json!({"mailing_list_id": 1, "address": "1 Main St", "email": "a@b.c"});
    assert!(!assess(&spec("POST", "/recipients", Some(with_address))).guarded);
    let email_only = json!({"mailing_list_id": 1, "email": "a@b.c", "address": " "});
    let g = assess(&spec("POST", "/recipients", Some(email_only)));
    assert!(g.guarded && g.even_in_test_mode);
    assert!(
        g.reason
            .unwrap()
            .starts_with("adds 1 recipient with only an email")
    );
    let many = json!([
        {"mailing_list_id": 1, "email": "a@b.c"},
        {"mailing_list_id": 1, "email": "b@b.c"},
        {"mailing_list_id": 1, "address": "1 Main St"}
    ]);
    let g = assess(&spec(
        "POST",
        "/recipients-utils/create-multiple",
        Some(many.clone()),
    ));
    assert!(g.reason.unwrap().starts_with("adds 2 recipients"));
    assert!(assess(&spec("POST", "/recipients_multi", Some(many))).guarded);
    // Updating a recipient never looks anything up.
    assert!(
        !assess(&spec(
            "PUT",
            "/recipients/1",
            Some(json!({"email": "a@b.c"}))
        ))
        .guarded
    );
}

#[test]
fn reads_and_estimates_are_free() {
    for (m, p) in [
        ("GET", "/orders/list"),
        ("POST", "/estimate/postcard"),
        ("PUT", "/orders/48210/cancel"),
        ("POST", "/mailing-lists-utils/count-radius-search"),
        ("POST", "/stored_send/postcard"),
        ("GET", "/send/postcard"),
        ("DELETE", "/recipients/5"),
        ("GET", "/nothing/here"),
    ] {
        assert!(!assess(&spec(m, p, Some(postcard()))).guarded, "{m} {p}");
    }
}

#[test]
fn the_resolved_path_below_any_api_base_is_judged() {
    // A gateway whose API base isn't /api/v2: the path is taken below it, whatever it is.
    let base = Url::parse("http://127.0.0.1:8080/gateway/thanks").unwrap();
    for path in [
        "send/postcard",
        "./send/postcard",
        "a/../send/postcard",
        "/send//postcard/",
    ] {
        let g = assess_at(&base, &spec("POST", path, Some(postcard()))).unwrap();
        assert!(g.guarded, "{path}");
    }
    assert!(
        !assess_at(&base, &spec("POST", "estimate/postcard", Some(postcard())))
            .unwrap()
            .guarded
    );
    // Climbing out of the API base is refused, not judged.
    for path in [
        "../send/postcard",
        "x/../../other/send/postcard",
        "%2e%2e/x",
    ] {
        let e = assess_at(&base, &spec("POST", path, None)).unwrap_err();
        assert_eq!(e.code(), "api.outside_base", "{path}");
    }
    // An escaped slash is read as a separator too.
    let g = assess_at(&base, &spec("POST", "send%2Fpostcard", Some(postcard()))).unwrap();
    assert!(g.guarded);
}

#[test]
fn method_overrides_are_refused() {
    let base = Url::parse(crate::config::DEFAULT_API_BASE).unwrap();
    let refused = |spec: RequestSpec| assess_at(&base, &spec).unwrap_err().code();
    let mut s = spec("GET", "orders/list", None);
    s.headers = vec![("x-HTTP-method-override".into(), "POST".into())];
    assert_eq!(refused(s), "api.method_override");
    for h in ["X-HTTP-Method", "X-Method-Override"] {
        let mut s = spec("POST", "estimate/postcard", Some(postcard()));
        s.headers = vec![(h.into(), "PUT".into())];
        assert_eq!(refused(s), "api.method_override", "{h}");
    }
    let mut s = spec("POST", "orders/1/cancel", None);
    s.query = vec![("_method".into(), "PUT".into())];
    assert_eq!(refused(s), "api.method_override");
    assert_eq!(
        refused(spec("GET", "send/postcard?_METHOD=POST", None)),
        "api.method_override"
    );
    assert_eq!(
        refused(spec(
            "POST",
            "estimate/postcard",
            Some(json!({"_method": "PUT"}))
        )),
        "api.method_override"
    );
    let form = RequestSpec {
        body: Some("a=1&_method=POST".into()),
        ..spec("PUT", "orders/1/cancel", None)
    };
    assert_eq!(refused(form), "api.method_override");
    let multipart = RequestSpec {
        body: Some("--x\r\nContent-Disposition: form-data; name=\"_method\"\r\n\r\nPOST".into()),
        ..spec("PUT", "orders/1/cancel", None)
    };
    assert_eq!(refused(multipart), "api.method_override");
    // A field that merely contains the word is fine.
    assert!(
        assess_at(
            &base,
            &spec(
                "POST",
                "estimate/postcard",
                Some(json!({"message": "_method"}))
            )
        )
        .is_ok()
    );
}
