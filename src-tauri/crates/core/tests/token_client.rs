//! What OAUTH.md asks of the token client ("Token endpoint") that the sandbox can't provoke,
//! against servers on loopback that count what reaches them:
//! - neither the token client nor the API client follows a redirect: a 307 from the token
//!   endpoint would carry the code, the PKCE verifier and the client secret (or the refresh
//!   token) to wherever it points, and a redirect from the API the bearer token;
//! - the exchange is a form POST with the client's credentials in the body and the same
//!   `redirect_uri` string as the authorize request;
//! - a code is exchanged once, never retried after an ambiguous failure;
//! - disconnecting revokes at a configured revocation endpoint, and forgets the tokens anyway.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use thanks_core::api::RequestSpec;
use thanks_core::clock::ManualClock;
use thanks_core::config::{ConfigHome, ProfileUpdate};
use thanks_core::secret::Secret;
use thanks_core::vault::{MemoryStore, Vault};
use thanks_core::{Engine, EngineOptions, TokenState};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const TOKENS: &str =
    r#"{"token_type":"Bearer","expires_in":3600,"access_token":"a1","refresh_token":"r1"}"#;

/// What a server saw: one entry per connection, the request as text.
type Seen = Arc<Mutex<Vec<String>>>;

/// Answers connection N with `answers[N]` (the last one again after that) and counts the
/// connections. Returns its base URL and the count.
async fn serve(answers: Vec<String>) -> (String, Arc<AtomicUsize>) {
    let (base, hits, _) = serve_recording(answers).await;
    (base, hits)
}

/// [`serve`], also keeping each request (head and body).
async fn serve_recording(answers: Vec<String>) -> (String, Arc<AtomicUsize>, Seen) {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let seen = Seen::default();
    let (counted, kept) = (hits.clone(), seen.clone());
    tokio::spawn(async move {
        loop {
            let (mut s, _) = l.accept().await.unwrap();
            // Counted before answering: a client that follows the redirect has been counted by
            // the time its call returns.
            let n = counted.fetch_add(1, Ordering::SeqCst);
            let answer = answers[n.min(answers.len() - 1)].clone();
            let kept = kept.clone();
            tokio::spawn(async move {
                let request = read_request(&mut s).await;
                kept.lock().unwrap().push(request);
                let _ = s.write_all(answer.as_bytes()).await;
            });
        }
    });
    (base, hits, seen)
}

/// Reads a request's head and, by its Content-Length, its body.
async fn read_request(s: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&buf).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return text;
            }
        }
        match s.read(&mut chunk).await {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&buf).into_owned(),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

fn ok_json(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn redirect(status: &str, to: &str) -> String {
    format!("HTTP/1.1 {status}\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
}

/// A listener standing for whatever a redirect points at: it answers as a token endpoint and
/// an API would, so a client that followed would succeed and be counted.
async fn elsewhere() -> (String, Arc<AtomicUsize>) {
    serve(vec![ok_json(TOKENS)]).await
}

async fn engine(token_base: &str, api_base: &str) -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::with(
        ConfigHome::at(dir.path()),
        Vault::new(Arc::new(MemoryStore::default())),
        Arc::new(ManualClock::at(1_000_000)),
        EngineOptions::default(),
    );
    let update = ProfileUpdate {
        authorize_url: Some(format!("{token_base}/oauth/authorize")),
        token_url: Some(format!("{token_base}/oauth/token")),
        api_base: Some(format!("{api_base}/api/v2")),
        client_id: Some("c".into()),
        ..Default::default()
    };
    engine
        .profile_set("default", update, Some(Secret::new("cs")))
        .await
        .unwrap();
    (dir, engine)
}

/// Starts a login and hands back its callback, as the browser would.
async fn login(engine: &Engine) -> Result<(), thanks_core::error::Error> {
    let start = engine.login_start("default").await.unwrap();
    let url = url::Url::parse(start.authorize_url.expose()).unwrap();
    let state = url
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    engine
        .login_complete(&format!(
            "dev.thanksconnect.app://oauth/callback?code=abc&state={state}"
        ))
        .await
        .map(|_| ())
}

#[tokio::test]
async fn the_code_exchange_does_not_follow_a_redirect() {
    let (evil, evil_hits) = elsewhere().await;
    for status in [
        "307 Temporary Redirect",
        "308 Permanent Redirect",
        "302 Found",
    ] {
        let (token, token_hits) =
            serve(vec![redirect(status, &format!("{evil}/oauth/token"))]).await;
        let (_dir, engine) = engine(&token, &token).await;
        let e = login(&engine).await.expect_err(status);
        assert_eq!(e.code(), "token.http_status", "{status}: {e}");
        assert_eq!(token_hits.load(Ordering::SeqCst), 1, "{status}");
        assert_eq!(
            evil_hits.load(Ordering::SeqCst),
            0,
            "{status}: the code, verifier and secret went where the redirect pointed"
        );
        assert_ne!(
            engine.status("default").await.unwrap().state,
            TokenState::Connected
        );
    }
}

#[tokio::test]
async fn a_refresh_does_not_follow_a_redirect() {
    let (evil, evil_hits) = elsewhere().await;
    let (token, _) = serve(vec![
        ok_json(TOKENS),
        redirect("307 Temporary Redirect", &format!("{evil}/oauth/token")),
    ])
    .await;
    let (_dir, engine) = engine(&token, &token).await;
    login(&engine).await.unwrap();
    let e = engine.refresh("default").await.unwrap_err();
    assert_eq!(e.code(), "token.http_status", "{e}");
    assert_eq!(
        evil_hits.load(Ordering::SeqCst),
        0,
        "the refresh token and secret went where the redirect pointed"
    );
}

#[tokio::test]
async fn an_api_call_does_not_follow_a_redirect() {
    let (evil, evil_hits) = elsewhere().await;
    let (token, _) = serve(vec![ok_json(TOKENS)]).await;
    let (api, api_hits) = serve(vec![redirect("302 Found", &format!("{evil}/api/v2/ping"))]).await;
    let (_dir, engine) = engine(&token, &api).await;
    login(&engine).await.unwrap();
    let spec = RequestSpec {
        method: "GET".into(),
        path: "ping".into(),
        ..Default::default()
    };
    // The console shows the redirect as it came; the bearer token stays here.
    let r = engine.call("default", &spec).await.unwrap();
    assert_eq!(r.status, 302);
    assert_eq!(api_hits.load(Ordering::SeqCst), 1);
    assert_eq!(
        evil_hits.load(Ordering::SeqCst),
        0,
        "the bearer token went where the redirect pointed"
    );
}

/// A code is exchanged once (RFC 6749 §10.5): after an answer that leaves it unknown whether
/// the server spent the code (an HTML 500, a dropped connection), the exchange is not retried,
/// neither by the client nor by handing the same callback in again.
#[tokio::test]
async fn a_code_exchange_is_not_retried_after_an_ambiguous_failure() {
    let html500 = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nContent-Length: 5\r\nConnection: close\r\n\r\n<h1/>";
    // A second request, if one came, would get tokens and succeed.
    for (what, first) in [("an HTML 500", html500), ("a dropped connection", "")] {
        let (token, hits) = serve(vec![first.to_string(), ok_json(TOKENS)]).await;
        let (_dir, engine) = engine(&token, &token).await;
        let start = engine.login_start("default").await.unwrap();
        let url = url::Url::parse(start.authorize_url.expose()).unwrap();
        let state = url
            .query_pairs()
            .find(|(k, _)| k == "state")
            .unwrap()
            .1
            .into_owned();
        let callback = format!("dev.thanksconnect.app://oauth/callback?code=abc&state={state}");
        let e = engine.login_complete(&callback).await.expect_err(what);
        assert!(
            e.code().starts_with("token.") || e.code().starts_with("net."),
            "{what}: {e}"
        );
        assert_eq!(hits.load(Ordering::SeqCst), 1, "{what}: the client retried");
        let again = engine.login_complete(&callback).await.expect_err(what);
        assert!(again.code().starts_with("auth.state_"), "{what}: {again}");
        assert_eq!(
            hits.load(Ordering::SeqCst),
            1,
            "{what}: the same code was sent again"
        );
    }
}

/// The exchange as thanks.io documents it: a form-encoded POST with `client_id` and
/// `client_secret` in the body (no Basic header), the code, the PKCE verifier, and the very
/// `redirect_uri` string the authorize request carried (RFC 6749 §4.1.3).
#[tokio::test]
async fn the_exchange_is_a_form_post_with_the_authorize_requests_redirect_uri() {
    let (token, _, seen) = serve_recording(vec![ok_json(TOKENS)]).await;
    let (_dir, engine) = engine(&token, &token).await;
    let start = engine.login_start("default").await.unwrap();
    let authorize = url::Url::parse(start.authorize_url.expose()).unwrap();
    let param = |name: &str| {
        authorize
            .query_pairs()
            .find(|(k, _)| k == name)
            .unwrap()
            .1
            .into_owned()
    };
    let state = param("state");
    engine
        .login_complete(&format!(
            "dev.thanksconnect.app://oauth/callback?code=abc&state={state}"
        ))
        .await
        .unwrap();

    let request = seen.lock().unwrap()[0].clone();
    let (head, body) = request.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("POST /oauth/token "), "{head}");
    let head = head.to_ascii_lowercase();
    assert!(
        head.contains("content-type: application/x-www-form-urlencoded"),
        "{head}"
    );
    assert!(!head.contains("authorization:"), "no Basic header: {head}");
    let form: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect();
    assert_eq!(form["grant_type"], "authorization_code");
    assert_eq!(form["code"], "abc");
    assert_eq!(form["client_id"], "c");
    assert_eq!(form["client_secret"], "cs");
    assert_eq!(form["redirect_uri"], param("redirect_uri"));
    let verifier = &form["code_verifier"];
    assert_eq!(verifier.len(), 43);
    use base64::Engine as _;
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(<sha2::Sha256 as sha2::Digest>::digest(verifier.as_bytes()));
    assert_eq!(
        challenge,
        param("code_challenge"),
        "the verifier of the challenge sent"
    );
}

/// Disconnect removes the tokens; with a revocation endpoint configured (RFC 7009; thanks.io
/// documents none) it first revokes the refresh token, then the access token, each with its
/// hint and the client's credentials, and it removes them even when the revocation fails.
#[tokio::test]
async fn disconnect_revokes_at_a_configured_endpoint_and_forgets_the_tokens_even_if_refused() {
    let html500 = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nContent-Length: 5\r\nConnection: close\r\n\r\n<h1/>";
    for (what, answer) in [
        ("accepted", ok_json("{}")),
        ("refused", html500.to_string()),
    ] {
        let (token, _) = serve(vec![ok_json(TOKENS)]).await;
        let (revoke, _, seen) = serve_recording(vec![answer]).await;
        let (_dir, engine) = engine(&token, &token).await;
        let update = ProfileUpdate {
            revocation_url: Some(format!("{revoke}/oauth/revoke")),
            ..Default::default()
        };
        engine.profile_set("default", update, None).await.unwrap();
        login(&engine).await.unwrap();

        engine.logout("default").await.unwrap();
        let forms: Vec<std::collections::HashMap<String, String>> = seen
            .lock()
            .unwrap()
            .iter()
            .map(|r| {
                let (head, body) = r.split_once("\r\n\r\n").unwrap();
                assert!(head.starts_with("POST /oauth/revoke "), "{what}: {head}");
                url::form_urlencoded::parse(body.as_bytes())
                    .into_owned()
                    .collect()
            })
            .collect();
        assert_eq!(forms.len(), 2, "{what}: one revocation per token");
        for (form, (token, hint)) in forms
            .iter()
            .zip([("r1", "refresh_token"), ("a1", "access_token")])
        {
            assert_eq!(form["token"], token, "{what}");
            assert_eq!(form["token_type_hint"], hint, "{what}");
            assert_eq!(form["client_id"], "c");
            assert_eq!(form["client_secret"], "cs");
        }
        let s = engine.status("default").await.unwrap();
        assert_eq!(s.state, TokenState::Disconnected, "{what}");
        assert!(!s.has_refresh_token, "{what}");
    }
}
