//! A bad or expired token in each shape thanks.io documents costs exactly one refresh and one
//! retry; a 403 that is about permission costs none.

use std::time::Duration;

use thanks_sandbox::{AuthFailures, Failure, Faults};

use crate::harness::Env;

const ESTIMATE_BODY: &str = r#"{"recipients":[{"name":"Ada","address":"1 Main St","city":"Any Town","province":"NY","postal_code":"12345","country":"US"}],"front_image_url":"https://example.com/f.png","message":"Hi"}"#;

/// Expires the access token, runs `args`, and says how many refreshes it took.
async fn refreshes_for(env: &Env, args: &[&str], stdin: &str) -> (bool, u64) {
    let before = env.sandbox.stats().refresh_token_grants;
    env.sandbox.expire_access_tokens();
    let out = env.run(args, stdin).await;
    let after = env.sandbox.stats().refresh_token_grants;
    (out.status.success(), after - before)
}

#[tokio::test(flavor = "multi_thread")]
async fn each_documented_shape_costs_one_refresh_and_one_retry() {
    let env = Env::start().await;
    env.login().await;
    let items = format!("orders/{}/items", 48_210);
    let cases: [(&str, &[&str], &str); 3] = [
        (
            "403 {message: Unauthorized}",
            &["call", "GET", "orders/list"],
            "",
        ),
        (
            "401 {message: Unauthorized} (estimates)",
            &["call", "POST", "estimate/postcard", "-d", ESTIMATE_BODY],
            "",
        ),
        (
            "401 {status: failed, errors: [Unauthorized]} (order items)",
            &["call", "GET", &items],
            "",
        ),
    ];
    for style in [AuthFailures::Documented, AuthFailures::Always401] {
        env.sandbox.set_auth_failures(style);
        for (shape, args, stdin) in &cases {
            assert_eq!(
                refreshes_for(&env, args, stdin).await,
                (true, 1),
                "{style:?}: {shape}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_403_with_another_body_is_a_permission_error_and_spends_no_refresh() {
    let env = Env::start().await;
    env.login().await;
    env.sandbox.set_faults(Faults {
        api_failure: Some(Failure::Forbidden403),
        ..Default::default()
    });
    let before = env.sandbox.stats().refresh_token_grants;
    let out = env.run(&["call", "GET", "orders/list", "-i"], "").await;
    assert_eq!(out.status.code(), Some(1), "an HTTP error status");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("HTTP/1.1 403"), "{text}");
    assert!(text.contains("This action is unauthorized."), "{text}");
    assert_eq!(
        env.sandbox.stats().refresh_token_grants,
        before,
        "no refresh spent"
    );
    assert_eq!(env.status().await["state"], "connected");

    // And a token that keeps being refused after the refresh is not refreshed in a loop.
    env.sandbox.set_faults(Faults::default());
    env.sandbox.set_access_token_ttl(Duration::from_secs(0));
    let (ok, spent) = refreshes_for(&env, &["call", "GET", "orders/list"], "").await;
    assert_eq!((ok, spent), (false, 1));
}
