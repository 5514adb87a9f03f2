//! Connecting: the whole login, login finished by another process, state checks, denial,
//! personal tokens, logout.

use tokio::io::AsyncWriteExt;

use crate::harness::{Env, REDIRECT, keyring_lookup};

#[tokio::test(flavor = "multi_thread")]
async fn full_login_with_the_callback_pasted_on_stdin() {
    let env = Env::start().await;
    let before = env.status().await;
    assert_eq!(before["state"], "disconnected");
    env.login().await;

    let s = env.status().await;
    assert_eq!(s["state"], "connected");
    assert_eq!(s["auth"], "oauth");
    assert_eq!(s["has_refresh_token"], true);
    assert_eq!(s["token_type"], "Bearer");
    assert!(
        s["expires_at"].as_str().unwrap().ends_with('Z'),
        "RFC 3339 expiry: {s}"
    );
    assert!(s["obtained_at"].is_string());
    assert_eq!(s["keyring"]["ok"], true);
    assert_eq!(env.sandbox.stats().authorization_code_grants, 1);

    // The tokens are in the keyring, and in no file.
    let uid = env.profile_uid();
    let access = keyring_lookup(&uid, "access-token").expect("access token in the keyring");
    let refresh = keyring_lookup(&uid, "refresh-token").expect("refresh token in the keyring");
    assert_eq!(env.ok(&["token"]).await.trim(), access);
    for (path, text) in env.files() {
        assert!(
            !text.contains(&access) && !text.contains(&refresh),
            "token found in {}",
            path.display()
        );
    }

    // And the API accepts them.
    let body = env
        .ok(&["call", "GET", "orders/list", "-q", "items_per_page=2"])
        .await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["data"].as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn login_in_one_process_completed_by_another() {
    let env = Env::start().await;
    env.setup_profile().await;
    let (child, url) = env.start_login().await;
    let callback = env.consent(&url, false).await;
    let out = env.run(&["complete", &callback], "").await;
    assert!(
        out.status.success(),
        "complete: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The waiting `login` sees the other process finish and exits 0 too.
    let login = env.finish(child).await;
    assert!(
        login.status.success(),
        "login: {}",
        String::from_utf8_lossy(&login.stderr)
    );
    assert_eq!(env.status().await["state"], "connected");
    assert_eq!(
        env.sandbox.stats().authorization_code_grants,
        1,
        "the code was exchanged once"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_state_is_refused_before_any_token_request() {
    let env = Env::start().await;
    env.setup_profile().await;
    let (child, url) = env.start_login().await;
    drop(child);
    let callback = env.consent(&url, false).await;
    let (head, query) = callback.split_once('?').unwrap();
    let code = query.split('&').find(|p| p.starts_with("code=")).unwrap();
    let state = query.split('&').find(|p| p.starts_with("state=")).unwrap();

    let wrong = format!("{head}?{code}&state=not-the-state");
    let missing = format!("{head}?{code}");
    let (rc, err) = env.fails(&["complete", &wrong], "").await;
    assert_eq!(rc, 2);
    assert!(err.contains("[auth.state_unknown]"), "{err}");
    let (_, err) = env.fails(&["complete", &missing], "").await;
    assert!(err.contains("[auth.state_missing]"), "{err}");
    let (_, err) = env
        .fails(
            &[
                "complete",
                &format!("evil.app:/oauth/callback?{code}&{state}"),
            ],
            "",
        )
        .await;
    assert!(err.contains("[auth.callback_mismatch]"), "{err}");
    let (_, err) = env
        .fails(&["complete", &format!("{callback}&{state}")], "")
        .await;
    assert!(
        err.contains("[auth.callback_malformed]"),
        "duplicate parameters are refused: {err}"
    );
    assert_eq!(
        env.sandbox.stats().token_requests,
        0,
        "no token request for a refused callback"
    );

    // None of that burned the real login.
    env.ok(&["complete", &callback]).await;
    assert_eq!(env.sandbox.stats().token_requests, 1);
    // A replay is refused, without a token request.
    let (_, err) = env.fails(&["complete", &callback], "").await;
    assert!(err.contains("[auth.state_used]"), "{err}");
    assert_eq!(env.sandbox.stats().token_requests, 1);
    // Error messages never echo the callback's query.
    assert!(!err.contains(code) && !err.contains(state));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_login_is_refused() {
    let env = Env::start().await;
    env.setup_profile().await;
    let (child, url) = env.start_login().await;
    drop(child);
    let callback = env.consent(&url, false).await;
    // Age the pending login past its 10 minutes, as a clock would.
    for (path, text) in env.files() {
        if path.parent().unwrap().ends_with("pending") {
            let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
            v["created_at"] = (v["created_at"].as_i64().unwrap() - 601).into();
            v["expires_at"] = (v["expires_at"].as_i64().unwrap() - 601).into();
            std::fs::write(&path, v.to_string()).unwrap();
        }
    }
    let (_, err) = env.fails(&["complete", &callback], "").await;
    assert!(
        err.contains("[auth.state_expired]") && err.contains("10 minutes"),
        "{err}"
    );
    assert_eq!(env.sandbox.stats().token_requests, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn declining_on_the_consent_page() {
    let env = Env::start().await;
    env.setup_profile().await;
    let (mut child, url) = env.start_login().await;
    let callback = env.consent(&url, true).await;
    assert!(callback.starts_with(REDIRECT) && callback.contains("error=access_denied"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{callback}\n").as_bytes())
        .await
        .unwrap();
    let out = env.finish(child).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("you declined access on thanks.io"), "{err}");
    assert_eq!(env.status().await["state"], "disconnected");
    assert_eq!(env.sandbox.stats().token_requests, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pasted_address_from_elsewhere_does_not_end_the_login() {
    let env = Env::start().await;
    env.setup_profile().await;
    let (mut child, url) = env.start_login().await;
    let callback = env.consent(&url, false).await;
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"https://example.com/not-it\n")
        .await
        .unwrap();
    stdin
        .write_all(format!("{callback}\n").as_bytes())
        .await
        .unwrap();
    let out = env.finish(child).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("Still waiting"));
}

#[tokio::test(flavor = "multi_thread")]
async fn loopback_redirect_is_caught_by_the_login_itself() {
    let env = Env::start().await;
    env.setup_profile().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    env.ok(&[
        "profile",
        "set",
        "--redirect-uri",
        &format!("http://127.0.0.1:{port}/callback"),
    ])
    .await;
    let (child, url) = env.start_login().await;
    let callback = env.consent(&url, false).await;
    assert!(callback.starts_with(&format!("http://127.0.0.1:{port}/callback?")));
    // The "browser" follows the redirect to the loopback listener.
    let page = reqwest::get(&callback).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("close this tab"));
    let out = env.finish(child).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(env.status().await["state"], "connected");
    // The listener is closed after the first valid hit.
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn personal_access_token_and_logout() {
    let env = Env::start().await;
    env.login().await;
    let token = env.ok(&["token"]).await.trim().to_string();
    env.ok(&["logout"]).await;
    let uid = env.profile_uid();
    assert_eq!(
        keyring_lookup(&uid, "access-token"),
        None,
        "logout removes the tokens"
    );
    assert_eq!(keyring_lookup(&uid, "refresh-token"), None);
    assert_eq!(env.status().await["state"], "disconnected");

    // A thanks.io personal access token: same bearer header, no refresh, no expiry.
    let out = env
        .run(&["login", "--with-token"], &format!("{token}\n"))
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = env.status().await;
    assert_eq!(s["auth"], "personal_token");
    assert_eq!(s["state"], "connected");
    assert_eq!(s["expires_at"], serde_json::Value::Null);
    assert_eq!(s["has_refresh_token"], false);
    assert_eq!(
        keyring_lookup(&uid, "personal-token").as_deref(),
        Some(token.as_str())
    );
    env.ok(&["call", "GET", "ping"]).await;
    let (_, err) = env.fails(&["refresh"], "").await;
    assert!(err.contains("personal access token"), "{err}");
}
