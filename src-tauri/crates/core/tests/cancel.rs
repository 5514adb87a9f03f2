//! Cancelling a caller never loses a rotated refresh token (issue 8, finding 4): the refresh
//! runs in its own task, so a caller dropped after thanks.io rotated the refresh token (a console
//! request cancelled, a CLI interrupted) still leaves the new refresh token stored, and it works.
//!
//! A small holding proxy sits in front of the sandbox's token endpoint: it forwards the request
//! (the sandbox rotates), then keeps the answer back while the test cancels the caller.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use support::{PROFILE, approve, configured_with, login};
use thanks_core::TokenState;
use thanks_core::vault::SecretKind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Notify;

struct Holding {
    base: String,
    hold: Arc<AtomicBool>,
    /// Notified when the sandbox has answered a request the proxy is holding back.
    answered: Arc<Notify>,
}

/// Forwards `POST /oauth/token` to `upstream`; while `hold` is set, waits 1.5 s after the
/// upstream answered before replying.
async fn holding_proxy(upstream: String) -> Holding {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    let hold = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(Notify::new());
    let (h, a) = (hold.clone(), answered.clone());
    tokio::spawn(async move {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        while let Ok((mut s, _)) = l.accept().await {
            let (http, upstream, h, a) = (http.clone(), upstream.clone(), h.clone(), a.clone());
            tokio::spawn(async move {
                let body = read_request_body(&mut s).await;
                let resp = http
                    .post(&upstream)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                let status = resp.status().as_u16();
                let text = resp.text().await.unwrap();
                if h.load(Ordering::SeqCst) {
                    a.notify_one();
                    tokio::time::sleep(Duration::from_millis(1500)).await;
                }
                let out = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                    text.len()
                );
                let _ = s.write_all(out.as_bytes()).await;
            });
        }
    });
    Holding {
        base,
        hold,
        answered,
    }
}

async fn read_request_body(s: &mut tokio::net::TcpStream) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = s.read(&mut chunk).await.unwrap();
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            while buf.len() < end + 4 + len {
                let n = s.read(&mut chunk).await.unwrap();
                buf.extend_from_slice(&chunk[..n]);
            }
            return buf[end + 4..end + 4 + len].to_vec();
        }
        assert!(n > 0, "the client hung up mid-request");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_cancelled_after_the_server_rotated_keeps_the_new_refresh_token() {
    // The proxy needs the sandbox's token URL, and the profile the proxy's: point the profile
    // at the proxy once both run.
    let c = configured_with(|_| {}).await;
    let proxy = holding_proxy(c.sandbox.token_url()).await;
    c.edit_config(
        &c.sandbox.token_url(),
        &format!("{}/oauth/token", proxy.base),
    );
    login(&c).await;
    let old = c.secret(SecretKind::RefreshToken).unwrap();

    proxy.hold.store(true, Ordering::SeqCst);
    let engine = c.engine.clone();
    let caller = tokio::spawn(async move { engine.refresh(PROFILE).await });
    tokio::time::timeout(Duration::from_secs(10), proxy.answered.notified())
        .await
        .expect("the sandbox answered the refresh");
    assert_eq!(c.sandbox.stats().refresh_token_grants, 1);
    caller.abort(); // the waiter goes away after thanks.io rotated

    let mut stored = old.clone();
    for _ in 0..50 {
        stored = c.secret(SecretKind::RefreshToken).unwrap();
        if stored != old {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_ne!(
        stored, old,
        "the rotated refresh token was lost with the cancelled caller"
    );

    proxy.hold.store(false, Ordering::SeqCst);
    let status = c.engine.refresh(PROFILE).await.unwrap();
    assert_eq!(status.state, TokenState::Connected);
    assert!(status.last_refresh.unwrap().ok);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_login_whose_waiter_goes_away_after_the_exchange_still_connects() {
    let c = configured_with(|_| {}).await;
    let proxy = holding_proxy(c.sandbox.token_url()).await;
    c.edit_config(
        &c.sandbox.token_url(),
        &format!("{}/oauth/token", proxy.base),
    );
    let start = c.engine.login_start(PROFILE).await.unwrap();
    let callback = approve(start.authorize_url.expose()).await;

    proxy.hold.store(true, Ordering::SeqCst);
    let engine = c.engine.clone();
    // The app's loopback task (or a CLI) waiting in login_complete, cancelled mid-exchange.
    let waiter = tokio::spawn(async move { engine.login_complete(&callback).await });
    tokio::time::timeout(Duration::from_secs(10), proxy.answered.notified())
        .await
        .expect("the sandbox answered the code exchange");
    assert_eq!(c.sandbox.stats().authorization_code_grants, 1);
    waiter.abort();

    let mut state = TokenState::Disconnected;
    for _ in 0..50 {
        state = c.engine.status(PROFILE).await.unwrap().state;
        if state == TokenState::Connected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        state,
        TokenState::Connected,
        "the exchanged tokens were dropped with the waiter"
    );
    assert!(c.secret(SecretKind::RefreshToken).is_some());
    let outcome = c.engine.pending_login(&start.pending_id).unwrap().outcome;
    assert!(
        outcome.is_some_and(|o| o.ok),
        "the login's outcome was not recorded"
    );
}
