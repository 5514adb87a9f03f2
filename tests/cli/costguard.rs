//! The cost guard in `thanksctl call`: sends are priced first, test mode decides whether to ask,
//! nothing is sent without a yes (a terminal answer or `--yes`), previews are never guarded.
//! And `thanksctl endpoints`, the catalog those decisions come from.

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use thanks_core::catalog::{self, Endpoint};
use thanks_core::mailers::{mailer, with_preview};
use tokio::io::AsyncWriteExt;

use crate::harness::Env;

/// A logged-in env with the 4x6 postcard mailer's body in a file; returns `-d @FILE`'s value.
async fn ready(preview: bool) -> (Env, String) {
    let env = Env::start().await;
    env.login().await;
    let mut body = mailer("postcard-4x6").unwrap().body.clone();
    if preview {
        body = with_preview(body);
    }
    let file = env.home.path().join("postcard.json");
    std::fs::write(&file, body.to_string()).unwrap();
    (env, format!("@{}", file.display()))
}

async fn orders(env: &Env) -> u64 {
    let out = env
        .ok(&["call", "GET", "orders/list", "-q", "items_per_page=1"])
        .await;
    serde_json::from_str::<Value>(&out).unwrap()["meta"]["total"]
        .as_u64()
        .unwrap()
}

/// thanksctl's own lines on stderr (the tests run it with RUST_LOG=trace).
fn said(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("thanksctl: "))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn with_test_mode_on_a_send_goes_out_with_a_note() {
    let (env, data) = ready(false).await;
    let out = env
        .run(&["call", "POST", "send/postcard", "-d", &data], "")
        .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let lines = said(&stderr);
    assert!(
        lines.contains(&"thanksctl: this request sends a 4x6 postcard: it is printed and mailed."),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"thanksctl: estimate: $0.99 for 1 recipient; balance $50.00 (covers it)."),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("thanksctl: test mode is on")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("a local sandbox")),
        "{lines:?}"
    );
    let order: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(order["status"], "reviewing");
    assert_eq!(orders(&env).await, 37);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_test_mode_off_and_no_terminal_nothing_is_sent() {
    let (env, data) = ready(false).await;
    env.sandbox.set_test_mode(false);
    let before = orders(&env).await;
    let (rc, stderr) = env
        .fails(&["call", "POST", "send/postcard", "-d", &data], "y\n")
        .await;
    assert_eq!(rc, 2);
    let lines = said(&stderr);
    assert!(
        lines.contains(&"thanksctl: test mode is off: this is a real order."),
        "{lines:?}"
    );
    let refusal: Vec<&&str> = lines.iter().filter(|l| l.contains("--yes")).collect();
    assert_eq!(refusal.len(), 1, "{lines:?}");
    assert!(
        refusal[0].contains("nothing was sent")
            && refusal[0].ends_with("[call.needs_confirmation]")
    );
    assert_eq!(
        orders(&env).await,
        before,
        "a piped \"y\" is not a terminal's yes"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn yes_sends_exactly_once() {
    let (env, data) = ready(false).await;
    env.sandbox.set_test_mode(false);
    let before = orders(&env).await;
    let out = env
        .run(&["call", "POST", "send/postcard", "-d", &data, "--yes"], "")
        .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(said(&stderr).contains(&"thanksctl: --yes given, so not asking."));
    assert_eq!(orders(&env).await, before + 1);
    let order: Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = env
        .ok(&["call", "GET", "orders/list", "-q", "items_per_page=1"])
        .await;
    let newest = &serde_json::from_str::<Value>(&listed).unwrap()["data"][0];
    assert_eq!(newest["id"], order["id"]);
    assert_eq!(newest["status"], "reviewing", "test mode off: a real order");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_the_estimate_refuses_goes_out_to_show_the_refusal() {
    let env = Env::start().await;
    env.login().await;
    env.sandbox.set_test_mode(false);
    let out = env
        .run(
            &[
                "call",
                "POST",
                "send/postcard",
                "-d",
                "{\"message\":\"hi\"}",
            ],
            "",
        )
        .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "thanks.io's 422, not a refusal: {stderr}"
    );
    assert!(
        said(&stderr)
            .iter()
            .any(|l| l.starts_with("thanksctl: the estimate failed with HTTP 422")),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("The given data was invalid."));
    assert_eq!(orders(&env).await, 36);
}

#[tokio::test(flavor = "multi_thread")]
async fn previews_are_never_guarded() {
    let (env, data) = ready(true).await;
    env.sandbox.set_test_mode(false);
    let before = env.sandbox.stats().api_requests;
    let out = env
        .run(&["call", "POST", "send/postcard", "-d", &data], "")
        .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(said(&stderr).is_empty(), "{stderr}");
    assert_eq!(env.sandbox.stats().api_requests, before + 1, "no estimate");
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(answer["data"]["previews"].is_array());
}

#[tokio::test(flavor = "multi_thread")]
async fn what_cannot_be_undone_is_asked_even_in_test_mode() {
    let env = Env::start().await;
    env.login().await;
    let before = env.sandbox.stats().api_requests;
    let (rc, stderr) = env
        .fails(
            &["call", "PUT", "order-items/7300001/invalidate-giftcard"],
            "",
        )
        .await;
    assert_eq!(rc, 2);
    let lines = said(&stderr);
    assert!(
        lines.contains(&"thanksctl: this request invalidates the gift card of order item 7300001: this can't be undone."),
        "{lines:?}"
    );
    assert!(lines.last().unwrap().contains("--yes"));
    assert_eq!(
        env.sandbox.stats().api_requests,
        before,
        "nothing reached the API"
    );
}

/// Runs `thanksctl` on a pseudo-terminal (util-linux `script`), typing `answer`.
async fn on_a_terminal(env: &Env, args: &[&str], answer: &str) -> (i32, String) {
    let mut command = vec![env!("CARGO_BIN_EXE_thanksctl").to_string()];
    command.extend(args.iter().map(|a| format!("'{a}'")));
    let mut child = tokio::process::Command::new("script")
        .args(["-q", "-e", "-c", &command.join(" "), "/dev/null"])
        .env("THANKS_CONNECT_HOME", env.home.path())
        .env_remove("THANKS_CONNECT_PROFILE")
        .env_remove("BROWSER")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("util-linux `script` is installed");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(answer.as_bytes()).await.unwrap();
    drop(stdin);
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("thanksctl finished")
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().unwrap_or(-1), text)
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    windows,
    ignore = "the terminal is util-linux `script`'s pseudo-terminal"
)]
async fn on_a_terminal_the_user_is_asked() {
    let (env, data) = ready(false).await;
    env.sandbox.set_test_mode(false);
    let args = ["call", "POST", "send/postcard", "-d", data.as_str()];
    let before = orders(&env).await;

    let (rc, text) = on_a_terminal(&env, &args, "n\n").await;
    assert_eq!(rc, 2, "{text}");
    assert!(
        text.contains("This will print and mail: estimated $0.99, balance $50.00. Send it? [y/N]"),
        "{text}"
    );
    assert!(
        text.contains("declined, so nothing was sent [call.declined]"),
        "{text}"
    );
    assert_eq!(orders(&env).await, before);

    let (rc, text) = on_a_terminal(&env, &args, "y\n").await;
    assert_eq!(rc, 0, "{text}");
    assert!(text.contains("\"status\":\"reviewing\""), "{text}");
    assert_eq!(orders(&env).await, before + 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn endpoints_lists_the_catalog() {
    let env = Env::start().await;
    let json = env.ok(&["endpoints", "--json"]).await;
    let listed: Vec<Endpoint> = serde_json::from_str(&json).unwrap();
    assert_eq!(listed, catalog::endpoints());

    let table = env.ok(&["endpoints"]).await;
    assert!(table.starts_with("METHOD  PATH"));
    for e in catalog::endpoints() {
        assert!(
            table
                .lines()
                .any(|l| l.starts_with(&format!("{:6}  {} ", e.method, e.path))),
            "{} {}",
            e.method,
            e.path
        );
    }
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("POST    /send/postcard ") && l.ends_with("[$]"))
    );
}
