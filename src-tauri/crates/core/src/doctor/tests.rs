//! The checks with fake OS probes, an in-memory keyring and a canned server for the clock.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;
use crate::EngineOptions;
use crate::clock::ManualClock;
use crate::config::{Config, ConfigHome, ProfileUpdate};
use crate::vault::{MemoryStore, StoreError, Vault};

struct Fake(Handler, Result<String, String>);

impl SystemProbes for Fake {
    fn link_handler(&self, _scheme: &str) -> Handler {
        self.0.clone()
    }
    fn browser_opener(&self) -> Result<String, String> {
        self.1.clone()
    }
}

/// A token endpoint that answers every request with this `Date`.
async fn server_at(unix: i64) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let date = time::OffsetDateTime::from_unix_timestamp(unix)
        .unwrap()
        .format(time::macros::format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        ))
        .unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = [0u8; 2048];
            let _ = s.read(&mut buf).await;
            let reply = format!(
                "HTTP/1.1 405 Method Not Allowed\r\nDate: {date}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = s.write_all(reply.as_bytes()).await;
        }
    });
    format!("http://{addr}/oauth/token")
}

fn engine(store: Arc<MemoryStore>, now: i64) -> (tempfile::TempDir, Engine) {
    let home = tempfile::tempdir().unwrap();
    let e = Engine::with(
        ConfigHome::at(home.path()),
        Vault::new(store),
        Arc::new(ManualClock::at(now)),
        EngineOptions::default(),
    );
    (home, e)
}

fn profile(token_url: &str, redirect: &str) -> crate::config::Profile {
    Config::default()
        .apply(
            "work",
            ProfileUpdate {
                token_url: Some(token_url.into()),
                client_id: Some("c".into()),
                redirect_uri: Some(redirect.into()),
                ..Default::default()
            },
        )
        .unwrap()
}

fn input(p: crate::config::Profile) -> DoctorInput {
    DoctorInput {
        profile: Some(p),
        scheme: "dev.thanksconnect.app.debug".into(),
        timeout: Duration::from_secs(5),
    }
}

fn by_id<'a>(r: &'a DoctorReport, id: &str) -> &'a Check {
    r.checks.iter().find(|c| c.id == id).unwrap()
}

#[tokio::test]
async fn a_healthy_computer_passes_every_check() {
    let now = 1_800_000_000;
    let token_url = server_at(now + 30).await;
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (_h, e) = engine(Arc::default(), now);
    let probes = Arc::new(Fake(
        Handler::Ours("thanks-connect.desktop".into()),
        Ok("xdg-open".into()),
    ));
    let r = e
        .doctor(
            input(profile(
                &token_url,
                &format!("http://127.0.0.1:{free}/callback"),
            )),
            probes,
        )
        .await;
    assert!(r.ok, "{r:#?}");
    for c in &r.checks {
        assert_eq!(c.status, CheckStatus::Ok, "{c:#?}");
        assert!(c.fix.is_none());
    }
    assert!(by_id(&r, "clock").detail.contains("off by 30 s"), "{r:#?}");
    assert_eq!(r.checks.len(), 6);
}

#[tokio::test]
async fn each_failure_says_its_fix() {
    let now = 1_800_000_000;
    let token_url = server_at(now - 600).await;
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = held.local_addr().unwrap().port();
    let store = Arc::new(MemoryStore::default());
    *store.fail_with.lock().unwrap() = Some(StoreError::Unavailable(
        "no Secret Service is running; start gnome-keyring".into(),
    ));
    let (_h, e) = engine(Arc::clone(&store), now);
    let probes = Arc::new(Fake(
        Handler::Nobody,
        Err("xdg-open is not installed".into()),
    ));
    let r = e
        .doctor(
            input(profile(&token_url, &format!("http://127.0.0.1:{busy}/cb"))),
            probes,
        )
        .await;
    assert!(!r.ok);
    let failed: Vec<&str> = r
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .map(|c| c.id)
        .collect();
    assert_eq!(
        failed,
        [
            "keyring",
            "link_handler",
            "browser",
            "loopback_port",
            "clock"
        ]
    );
    for c in r.checks.iter().filter(|c| c.status == CheckStatus::Fail) {
        let fix = c.fix.as_deref().unwrap();
        assert!(
            fix.ends_with('.') && fix.matches(". ").count() == 0,
            "one sentence: {fix}"
        );
    }
    assert_eq!(
        by_id(&r, "link_handler").action,
        Some("register_link_handler")
    );
    assert!(
        by_id(&r, "keyring")
            .fix
            .as_deref()
            .unwrap()
            .contains("gnome-keyring")
    );
    assert!(
        by_id(&r, "clock")
            .detail
            .contains("10 minutes ahead of 127.0.0.1"),
        "{r:#?}"
    );
    drop(held);

    // The single-slash private-use form: refused by thanks.io's registration.
    let p = profile(&token_url, "dev.thanksconnect.app:/oauth/callback");
    *store.fail_with.lock().unwrap() = None;
    let r = e
        .doctor(
            input(p),
            Arc::new(Fake(Handler::Ours("x".into()), Ok("x".into()))),
        )
        .await;
    let c = by_id(&r, "redirect_uri");
    assert_eq!(c.status, CheckStatus::Fail);
    assert!(
        c.fix
            .as_deref()
            .unwrap()
            .contains("dev.thanksconnect.app://oauth/callback"),
        "{c:#?}"
    );
}

#[tokio::test]
async fn without_a_profile_the_profile_checks_are_skipped() {
    let (_h, e) = engine(Arc::default(), 0);
    let r = e
        .doctor(
            DoctorInput {
                profile: None,
                scheme: "a.b".into(),
                timeout: Duration::from_secs(1),
            },
            Arc::new(Fake(
                Handler::Unknown("xdg-mime is not installed".into()),
                Ok("x".into()),
            )),
        )
        .await;
    assert_eq!(by_id(&r, "clock").status, CheckStatus::Skipped);
    assert_eq!(by_id(&r, "redirect_uri").status, CheckStatus::Skipped);
    assert_eq!(by_id(&r, "link_handler").status, CheckStatus::Warn);
    assert!(r.ok, "warnings and skips don't fail the check");
}

#[test]
fn http_dates_parse() {
    assert_eq!(
        parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(784_111_777)
    );
    assert_eq!(parse_http_date("yesterday"), None);
}
