//! Personal access tokens: checked with thanks.io before anything is stored, refused in plain
//! words when thanks.io doesn't take them (or can't be asked), and marked *rejected* — not
//! "needs reconnect" — when thanks.io refuses a stored one later.

use crate::harness::{Env, keyring_lookup};

/// A token the sandbox accepts, as a personal token would be: the access token of another
/// profile's login (`donor`), so the profile under test only ever holds personal tokens.
async fn accepted_token(env: &Env, donor: &str) -> String {
    env.login_as(donor).await;
    env.ok(&["--profile", donor, "token"])
        .await
        .trim()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_made_up_personal_token_is_refused_and_nothing_is_stored() {
    let env = Env::start().await;
    env.setup_profile().await;
    let before = env.sandbox.stats().api_requests;
    let (code, err) = env
        .fails(&["login", "--with-token"], "not-a-real-token\n")
        .await;
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("thanks.io didn't accept this token") && err.contains("paste a new token"),
        "{err}"
    );
    assert!(err.trim_end().ends_with("[auth.token_rejected]"), "{err}");
    assert!(
        !err.contains("not-a-real-token"),
        "the token is echoed: {err}"
    );
    assert!(
        env.sandbox.stats().api_requests > before,
        "thanks.io was not asked"
    );
    let uid = env.profile_uid();
    assert_eq!(keyring_lookup(&uid, "personal-token"), None);
    let s = env.status().await;
    assert_eq!(s["state"], "disconnected", "{s}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_personal_token_leaves_the_previous_sign_in_as_it_was() {
    let env = Env::start().await;
    env.login().await;
    let uid = env.profile_uid();
    let access = keyring_lookup(&uid, "access-token").expect("an access token after login");
    let refresh = keyring_lookup(&uid, "refresh-token").expect("a refresh token after login");
    let (code, err) = env.fails(&["login", "--with-token"], "junk\n").await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("[auth.token_rejected]"), "{err}");
    assert_eq!(keyring_lookup(&uid, "access-token"), Some(access));
    assert_eq!(keyring_lookup(&uid, "refresh-token"), Some(refresh));
    assert_eq!(keyring_lookup(&uid, "personal-token"), None);
    let s = env.status().await;
    assert_eq!(s["state"], "connected");
    assert_eq!(s["auth"], "oauth");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_thanks_io_stores_nothing_unchecked() {
    let env = Env::start().await;
    env.setup_profile().await;
    // An API base where nothing listens (the port was free a moment ago).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    env.ok(&[
        "profile",
        "set",
        "--api-base",
        &format!("http://127.0.0.1:{port}/api/v2"),
    ])
    .await;
    let (code, err) = env
        .fails(&["login", "--with-token"], "maybe-a-good-token\n")
        .await;
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("couldn't reach thanks.io to check the token") && err.contains("try again"),
        "{err}"
    );
    assert!(err.trim_end().ends_with("[auth.token_unchecked]"), "{err}");
    assert_eq!(keyring_lookup(&env.profile_uid(), "personal-token"), None);
    assert_eq!(env.status().await["state"], "disconnected");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_personal_token_refused_later_is_rejected_until_a_new_one_is_saved() {
    let env = Env::start().await;
    env.setup_profile().await;
    let token = accepted_token(&env, "donor-1").await;
    let out = env
        .run(&["login", "--with-token"], &format!("{token}\n"))
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(env.status().await["state"], "connected");
    env.ok(&["call", "GET", "ping"]).await;

    // thanks.io stops accepting it (revoked in the dashboard, say).
    env.sandbox.expire_access_tokens();
    let out = env.run(&["call", "GET", "ping"], "").await;
    assert_eq!(out.status.code(), Some(1), "an HTTP error status is exit 1");
    let s = env.status().await;
    assert_eq!(s["state"], "rejected", "{s}");
    assert_eq!(s["auth"], "personal_token");
    let text = env.ok(&["status"]).await;
    assert!(text.contains("State          rejected"), "{text}");
    assert!(!text.contains("reconnect"), "{text}");
    let (_, err) = env.fails(&["refresh"], "").await;
    assert!(err.contains("personal access token"), "{err}");

    // A new token that thanks.io accepts replaces it.
    let fresh = accepted_token(&env, "donor-2").await;
    let out = env
        .run(&["login", "--with-token"], &format!("{fresh}\n"))
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = env.status().await;
    assert_eq!(s["state"], "connected", "{s}");
    assert_eq!(s["auth"], "personal_token");
}
