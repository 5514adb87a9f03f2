//! Things going wrong: refused refreshes, a broken token endpoint, no keyring, foreign origins.
//! In each case the error is plain and the stored tokens are untouched.

use std::time::Duration;

use thanks_sandbox::{Failure, Faults};

use crate::harness::{Env, keyring_lookup};

#[tokio::test(flavor = "multi_thread")]
async fn invalid_grant_on_refresh_means_needs_reconnect_and_keeps_tokens() {
    let env = Env::start().await;
    env.login().await;
    let uid = env.profile_uid();
    let access = keyring_lookup(&uid, "access-token").unwrap();
    env.sandbox.set_faults(Faults {
        invalid_grant_next_refresh: true,
        ..Default::default()
    });
    let (rc, err) = env.fails(&["refresh"], "").await;
    assert_eq!(rc, 2);
    assert!(err.contains("needs to be reconnected"), "{err}");
    let s = env.status().await;
    assert_eq!(s["state"], "needs_reconnect");
    assert_eq!(s["last_refresh"]["ok"], false);
    assert_eq!(s["last_refresh"]["code"], "token.invalid_grant");
    assert_eq!(
        keyring_lookup(&uid, "access-token").as_deref(),
        Some(access.as_str()),
        "kept for inspection"
    );
    // …but not used.
    let (_, err) = env.fails(&["call", "GET", "ping"], "").await;
    assert!(err.contains("[session.needs_reconnect]"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_token_endpoint_leaves_stored_tokens_unchanged() {
    let mut env = Env::start().await;
    env.extra_env
        .push(("THANKS_CONNECT_TOKEN_TIMEOUT_SECS".into(), "2".into()));
    env.login().await;
    let uid = env.profile_uid();
    let access = keyring_lookup(&uid, "access-token").unwrap();
    let refresh = keyring_lookup(&uid, "refresh-token").unwrap();

    let cases = [
        (
            Faults {
                token_failure: Some(Failure::Html500),
                ..Default::default()
            },
            "thanks.io answered HTTP 500",
            "[token.http_status]",
        ),
        (
            Faults {
                token_failure: Some(Failure::Html502),
                ..Default::default()
            },
            "thanks.io answered HTTP 502",
            "[token.http_status]",
        ),
        (
            Faults {
                token_failure: Some(Failure::MalformedJson),
                ..Default::default()
            },
            "could not be understood",
            "[token.malformed]",
        ),
        (
            Faults {
                token_failure: Some(Failure::ErrorIn200),
                ..Default::default()
            },
            "thanks.io refused",
            "[token.rejected]",
        ),
        (
            Faults {
                token_delay_ms: 5000,
                ..Default::default()
            },
            "timed out",
            "[net.timeout]",
        ),
    ];
    for (faults, words, code) in cases {
        env.sandbox.set_faults(faults);
        let (rc, err) = env.fails(&["refresh"], "").await;
        assert_eq!(rc, 2);
        assert!(err.contains(words) && err.contains(code), "{code}: {err}");
        let reasons: Vec<_> = err
            .lines()
            .filter(|l| l.starts_with("thanksctl:"))
            .collect();
        assert_eq!(reasons.len(), 1, "one line of reason: {err}");
        assert!(reasons[0].contains(code));
        assert_eq!(
            keyring_lookup(&uid, "access-token").as_deref(),
            Some(access.as_str())
        );
        assert_eq!(
            keyring_lookup(&uid, "refresh-token").as_deref(),
            Some(refresh.as_str())
        );
        let s = env.status().await;
        assert_eq!(s["state"], "connected", "{code}: still connected");
        assert_eq!(s["last_refresh"]["ok"], false);
    }
    env.sandbox.set_faults(Faults::default());
    tokio::time::sleep(Duration::from_millis(100)).await;
    env.ok(&["refresh"]).await;
    assert_eq!(env.status().await["last_refresh"]["ok"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_url_on_another_origin_is_refused() {
    let env = Env::start().await;
    env.login().await;
    let before = env.sandbox.stats().api_requests;
    let (rc, err) = env
        .fails(&["call", "GET", "https://example.com/api/v2/ping"], "")
        .await;
    assert_eq!(rc, 2);
    assert!(
        err.contains("[api.foreign_origin]") && err.contains("only sent to the API"),
        "{err}"
    );
    // Another port on the same host is another origin too.
    let other = env
        .sandbox
        .api_base()
        .replace(&format!(":{}", env.sandbox.port()), ":1");
    let (_, err) = env
        .fails(&["call", "GET", &format!("{other}/ping")], "")
        .await;
    assert!(err.contains("[api.foreign_origin]"), "{err}");
    // A full URL on the API itself is fine.
    env.ok(&["call", "GET", &format!("{}/ping", env.sandbox.api_base())])
        .await;
    assert_eq!(env.sandbox.stats().api_requests, before + 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn http_errors_exit_1_and_invalid_bodies_are_not_sent() {
    let env = Env::start().await;
    env.login().await;
    let out = env
        .run(
            &["call", "POST", "send/postcard", "-d", "{\"recipients\":[]}"],
            "",
        )
        .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("errors"));
    let before = env.sandbox.stats().api_requests;
    let (rc, err) = env
        .fails(&["call", "POST", "send/postcard", "-d", "{oops"], "")
        .await;
    assert_eq!(rc, 2);
    assert!(err.contains("not valid JSON"), "{err}");
    assert_eq!(env.sandbox.stats().api_requests, before);
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    windows,
    ignore = "the Secret Service and dbus-run-session are Linux's"
)]
async fn no_secret_service_is_a_clear_error_and_nothing_is_written() {
    let env = Env::start().await;
    // A fresh private bus on which no Secret Service runs or can be activated.
    let bus_config = env.home.path().with_extension("bus.conf");
    std::fs::write(
        &bus_config,
        "<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen>\
         <policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>\
         <allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>",
    )
    .unwrap();
    for (args, stdin) in [
        (vec!["login", "--with-token"], "some-token\n"),
        (
            vec![
                "profile",
                "set",
                "--client-id",
                "x",
                "--client-secret-stdin",
            ],
            "secret\n",
        ),
    ] {
        let mut cmd = std::process::Command::new("dbus-run-session");
        cmd.arg(format!("--config-file={}", bus_config.display()));
        cmd.arg("--")
            .arg(env!("CARGO_BIN_EXE_thanksctl"))
            .args(&args);
        cmd.env("THANKS_CONNECT_HOME", env.home.path())
            .stdin(std::process::Stdio::piped());
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("dbus-run-session is installed");
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("Secret Service") && err.contains("[vault.unavailable]"),
            "{args:?}: {err}"
        );
        let files: Vec<_> = env
            .files()
            .into_iter()
            .filter(|(p, _)| !p.to_string_lossy().contains("/locks/"))
            .collect();
        assert!(files.is_empty(), "{args:?} wrote {files:?}");
    }
}
