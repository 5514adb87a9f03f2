//! No proxy for loopback (issue 8, finding 10): with `HTTP_PROXY`, `HTTPS_PROXY` and
//! `ALL_PROXY` pointing at a proxy, everything `thanksctl` sends to 127.0.0.1 — the code, the
//! verifier, the client secret to the token endpoint, the bearer to the API — goes direct; a
//! profile on another host still goes through the proxy.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::Env;

/// A "proxy" that counts the requests it gets and answers each with a 502.
async fn recording_proxy() -> (String, Arc<AtomicUsize>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let _ = s.read(&mut buf).await;
                let _ = s
                    .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .await;
            });
        }
    });
    (url, hits)
}

#[tokio::test(flavor = "multi_thread")]
async fn loopback_goes_direct_and_other_hosts_through_the_proxy() {
    let mut env = Env::start().await;
    env.login().await;
    let (proxy, hits) = recording_proxy().await;
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        env.extra_env.push((var.into(), proxy.clone()));
    }
    for var in ["NO_PROXY", "no_proxy"] {
        env.extra_env.push((var.into(), String::new()));
    }
    // The refresh token and client secret to the token endpoint, the bearer to the API.
    let refreshed = env.run(&["refresh"], "").await;
    let called = env.run(&["call", "GET", "orders/list"], "").await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "a request to the sandbox on 127.0.0.1 went through the proxy"
    );
    assert!(refreshed.status.success() && called.status.success());
    // A whole login with the proxy set: code, verifier and secret go direct too.
    env.login().await;
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    assert_eq!(env.sandbox.stats().authorization_code_grants, 2);

    // A profile on another host: its API request goes to the proxy (which refuses it).
    env.run(
        &[
            "--profile",
            "far",
            "profile",
            "set",
            "--api-base",
            "https://api.example.test/api/v2",
        ],
        "",
    )
    .await;
    env.run(
        &["--profile", "far", "login", "--with-token"],
        "pat-for-far\n",
    )
    .await;
    let (rc, _) = env
        .fails(&["--profile", "far", "call", "GET", "ping"], "")
        .await;
    assert_eq!(rc, 2);
    assert!(
        hits.load(Ordering::SeqCst) >= 1,
        "the proxy was not used for another host"
    );
}
