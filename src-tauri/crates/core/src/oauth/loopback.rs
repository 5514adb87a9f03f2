//! The loopback redirect (RFC 8252 §7.3): a tiny HTTP listener on 127.0.0.1 or [::1] at the
//! profile's port, open only while a login waits. It hands each request for the redirect path to
//! the caller, who validates it like any callback and then answers the browser with a short "you
//! can close this tab" page. Other requests get a 404 and are forgotten. Nothing of the request
//! line's query is logged.
//!
//! Connections are read concurrently, each with its own timeout: a browser's idle preconnect (or
//! a local process that connects and says nothing) never holds up the real callback. The caller
//! drops the listener — freeing the port — as soon as its login is over, however it ended.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use url::Url;

use crate::error::{Error, Result};

const MAX_REQUEST_HEAD: usize = 8 * 1024;

/// How long a connection may take to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections read at once; more are closed unread until some finish.
const MAX_READING: usize = 256;

#[derive(Debug)]
pub struct LoopbackListener {
    listener: TcpListener,
    redirect: Url,
    /// Connections whose request is being read, each in its own task. Dropped with the listener
    /// (a JoinSet aborts its tasks when dropped).
    reading: JoinSet<Option<(String, TcpStream)>>,
}

/// The browser's connection, waiting for the outcome.
#[derive(Debug)]
pub struct BrowserReply(TcpStream);

impl LoopbackListener {
    pub async fn bind(redirect: &Url) -> Result<Self> {
        let bad = |p: &str| Error::InvalidInput {
            field: "redirect_uri".into(),
            problem: p.into(),
        };
        let port = redirect
            .port()
            .ok_or_else(|| bad("a loopback redirect needs an explicit port"))?;
        let ip: std::net::IpAddr = match redirect.host() {
            Some(url::Host::Ipv4(ip)) if ip.is_loopback() => ip.into(),
            Some(url::Host::Ipv6(ip)) if ip.is_loopback() => ip.into(),
            _ => return Err(bad("a loopback redirect must be on 127.0.0.1 or [::1]")),
        };
        let listener = TcpListener::bind(SocketAddr::new(ip, port))
            .await
            .map_err(|e| Error::Network {
                what: "the local callback port",
                detail: format!("couldn't listen on {ip}:{port}: {e}"),
            })?;
        Ok(Self {
            listener,
            redirect: redirect.clone(),
            reading: JoinSet::new(),
        })
    }

    /// Waits for the browser's request to the redirect path; returns the full callback URL.
    /// Cancel-safe: connections being read are kept for the next call.
    pub async fn next_callback(&mut self) -> Result<(String, BrowserReply)> {
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let (stream, _) = accepted.map_err(|e| Error::Network {
                        what: "the local callback port",
                        detail: e.to_string(),
                    })?;
                    if self.reading.len() < MAX_READING {
                        self.reading.spawn(read_callback(stream, self.redirect.clone()));
                    }
                }
                Some(read) = self.reading.join_next(), if !self.reading.is_empty() => {
                    if let Ok(Some((url, stream))) = read {
                        return Ok((url, BrowserReply(stream)));
                    }
                }
            }
        }
    }
}

/// Reads one connection's request: the callback URL if it is a GET of the redirect path (a 404
/// page otherwise), `None` for anything else, including silence past the timeout.
async fn read_callback(mut stream: TcpStream, redirect: Url) -> Option<(String, TcpStream)> {
    let target = tokio::time::timeout(READ_TIMEOUT, read_target(&mut stream))
        .await
        .ok()?
        .ok()??;
    let path = target.split('?').next().unwrap_or("");
    if path != redirect.path() {
        tracing::debug!(path, "ignoring a request to the callback port");
        let _ = respond(
            &mut stream,
            404,
            "Not found",
            "This address is not the sign-in callback.",
        )
        .await;
        return None;
    }
    let mut url = redirect;
    url.set_query(target.split_once('?').map(|(_, q)| q));
    Some((url.to_string(), stream))
}

impl BrowserReply {
    pub async fn send(mut self, ok: bool, message: &str) {
        let title = if ok {
            "Connected to thanks.io"
        } else {
            "Sign-in did not complete"
        };
        let _ = respond(&mut self.0, if ok { 200 } else { 400 }, title, message).await;
    }
}

/// Reads the request head and returns the request target of a GET.
async fn read_target(stream: &mut TcpStream) -> std::io::Result<Option<String>> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await?;
        if n == 0 || buf.len() + n > MAX_REQUEST_HEAD {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf);
    let mut parts = head.lines().next().unwrap_or("").split(' ');
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) if target.starts_with('/') => Ok(Some(target.to_string())),
        _ => Ok(None),
    }
}

async fn respond(
    stream: &mut TcpStream,
    status: u16,
    title: &str,
    message: &str,
) -> std::io::Result<()> {
    let body = format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>{t}</title>\
         <body style=\"font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto\">\
         <h1>{t}</h1><p>{m}</p><p>You can close this tab and return to Thanks Connect.</p></body></html>",
        t = html_escape(title),
        m = html_escape(message)
    );
    let reason = if status == 200 {
        "OK"
    } else if status == 404 {
        "Not Found"
    } else {
        "Bad Request"
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(port: u16, target: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        s.write_all(format!("GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    }

    #[tokio::test]
    async fn hands_over_the_callback_and_answers_the_browser() {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = probe.local_addr().unwrap().port();
        drop(probe);
        let redirect = Url::parse(&format!("http://127.0.0.1:{port}/callback")).unwrap();
        let mut l = LoopbackListener::bind(&redirect).await.unwrap();
        let browser = tokio::spawn(async move {
            let miss = get(port, "/favicon.ico").await;
            assert!(miss.starts_with("HTTP/1.1 404"));
            get(port, "/callback?code=c&state=s").await
        });
        let (url, reply) = l.next_callback().await.unwrap();
        assert_eq!(
            url,
            format!("http://127.0.0.1:{port}/callback?code=c&state=s")
        );
        reply.send(true, "Profile <default> is connected.").await;
        let page = browser.await.unwrap();
        assert!(page.starts_with("HTTP/1.1 200"));
        assert!(page.contains("&lt;default&gt;") && page.contains("close this tab"));
    }

    #[tokio::test]
    async fn refuses_non_loopback() {
        for r in ["http://10.1.1.1:9/cb", "http://127.0.0.1/cb"] {
            assert!(
                LoopbackListener::bind(&Url::parse(r).unwrap())
                    .await
                    .is_err(),
                "{r}"
            );
        }
    }

    #[tokio::test]
    async fn idle_connections_do_not_delay_the_callback() {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = probe.local_addr().unwrap().port();
        drop(probe);
        let redirect = Url::parse(&format!("http://127.0.0.1:{port}/callback")).unwrap();
        let mut l = LoopbackListener::bind(&redirect).await.unwrap();
        // Browser preconnects and a local process: connected, silent.
        let mut idle = Vec::new();
        for _ in 0..4 {
            idle.push(TcpStream::connect(("127.0.0.1", port)).await.unwrap());
        }
        let started = std::time::Instant::now();
        let browser = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            get(port, "/callback?code=c&state=s").await
        });
        let (url, reply) = tokio::time::timeout(Duration::from_secs(20), l.next_callback())
            .await
            .expect("the callback came through")
            .unwrap();
        assert!(url.ends_with("/callback?code=c&state=s"));
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the callback waited {:?} behind idle connections",
            started.elapsed()
        );
        reply.send(true, "ok").await;
        assert!(browser.await.unwrap().starts_with("HTTP/1.1 200"));
        drop(idle);
        drop(l);
        // Dropping the listener frees the port at once.
        std::net::TcpListener::bind(("127.0.0.1", port)).expect("the port is free again");
    }
}
