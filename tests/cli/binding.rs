//! Tokens stay with the endpoints they were issued for (issue 8, finding 1), seen from
//! `thanksctl`: `profile set` that moves a connected profile disconnects it and says so; a hand
//! edit of config.toml leaves the tokens unused (needs reconnect) rather than sent elsewhere.

use serde_json::Value;

use crate::harness::{Env, keyring_lookup};

#[tokio::test(flavor = "multi_thread")]
async fn profile_set_that_moves_a_connected_profile_disconnects_it_and_says_so() {
    let env = Env::start().await;
    env.login().await;
    let uid = env.profile_uid();
    assert!(keyring_lookup(&uid, "access-token").is_some());
    let out = env
        .run(
            &[
                "profile",
                "set",
                "--api-base",
                "https://api.example.test/api/v2",
            ],
            "",
        )
        .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("This disconnected the profile: the API base changed"),
        "{stderr}"
    );
    assert_eq!(env.status().await["state"], "disconnected");
    assert_eq!(keyring_lookup(&uid, "access-token"), None);
    assert_eq!(keyring_lookup(&uid, "refresh-token"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hand_edited_token_url_leaves_the_tokens_unused() {
    let env = Env::start().await;
    env.login().await;
    let config = env.home.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace(&env.sandbox.token_url(), "https://evil.example/oauth/token"),
    )
    .unwrap();
    let (rc, stderr) = env.fails(&["refresh"], "").await;
    assert_eq!(rc, 2);
    assert!(stderr.contains("[auth.endpoints_changed]"), "{stderr}");
    let status: Value = env.status().await;
    assert_eq!(status["state"], "needs_reconnect");
    assert!(
        status["reconnect_reason"]
            .as_str()
            .is_some_and(|r| r.contains("token URL")),
        "{status}"
    );
    assert_eq!(env.sandbox.stats().refresh_token_grants, 0);
}
