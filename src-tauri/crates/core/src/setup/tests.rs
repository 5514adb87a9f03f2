//! Setup files and links as untrusted input, and their round trips.

use super::*;

fn sample() -> String {
    serde_json::json!({
        "format": FORMAT,
        "version": 1,
        "profile": "Acme",
        "authorize_url": "https://dashboard.thanks.io/oauth/authorize",
        "token_url": "https://dashboard.thanks.io/oauth/token",
        "api_base": "https://api.thanks.io/api/v2",
        "client_id": "9d1c-client",
        "redirect_uri": "dev.thanksconnect.app:/oauth/callback",
        "needs_client_secret": true
    })
    .to_string()
}

#[test]
fn a_setup_file_parses_and_round_trips() {
    let s = Setup::parse(sample().as_bytes()).unwrap();
    assert_eq!(s.profile.name, "Acme");
    assert_eq!(s.profile.client_id, "9d1c-client");
    assert_eq!(s.secret, SetupSecret::Ask);
    let preview = s.preview(false);
    assert_eq!(preview.endpoints, Endpoints::ThanksIo);
    assert_eq!(preview.endpoints_note, None);
    assert_eq!(preview.asks_for, "client_secret");
    let again = Setup::parse(s.to_file_json().as_bytes()).unwrap();
    assert_eq!(again.profile.authorize_url, s.profile.authorize_url);
    assert_eq!(again.profile.api_base, s.profile.api_base);
    assert_eq!(again.secret, SetupSecret::Ask);
}

#[test]
fn damaged_foreign_and_future_files_get_their_own_codes() {
    let text = sample();
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (text.as_bytes()[..text.len() / 2].to_vec(), "setup.damaged"),
        (
            b"{\"name\": \"a package.json\"}".to_vec(),
            "setup.not_a_setup",
        ),
        (b"[1, 2, 3]".to_vec(), "setup.not_a_setup"),
        (b"\x89PNG\r\n\x1a\n\x00\x00".to_vec(), "setup.not_a_setup"),
        (b"".to_vec(), "setup.not_a_setup"),
        (
            text.replace("\"version\":1", "\"version\":2").into_bytes(),
            "setup.newer_version",
        ),
        (
            text.replace("\"version\":1", "\"version\":\"1\"")
                .into_bytes(),
            "setup.damaged",
        ),
        (
            text.replace("\"profile\"", "\"access_token\":\"x\",\"profile\"")
                .into_bytes(),
            "setup.damaged",
        ),
        (
            text.replace("\"client_id\":\"9d1c-client\",", "")
                .into_bytes(),
            "setup.damaged",
        ),
        (
            text.replace(
                "https://dashboard.thanks.io/oauth/token",
                "http://evil.test/t",
            )
            .into_bytes(),
            "setup.invalid",
        ),
        (
            text.replace("\"Acme\"", "\"Acme Corp\"").into_bytes(),
            "setup.invalid",
        ),
        (vec![b' '; MAX_FILE_BYTES as usize + 1], "setup.too_large"),
    ];
    for (bytes, code) in cases {
        let e = Setup::parse(&bytes).unwrap_err();
        assert_eq!(
            e.code(),
            code,
            "{}: {e}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(60)])
        );
        assert!(e.to_string().contains("changed") || e.code() == "setup.invalid");
    }
    let e = Setup::parse(
        text.replace("\"profile\"", "\"access_token\":\"x\",\"profile\"")
            .as_bytes(),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("unknown field \"access_token\""),
        "{e}"
    );
}

#[test]
fn a_huge_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.thanksconnect");
    let f = std::fs::File::create(&path).unwrap();
    // 10 MB, sparse: refused from its size alone.
    f.set_len(10 * 1024 * 1024).unwrap();
    let e = Setup::read_file(&path).unwrap_err();
    assert_eq!(e.code(), "setup.too_large");
    let e = Setup::read_file(&dir.path().join("missing")).unwrap_err();
    assert_eq!(e.code(), "config.io");
}

#[test]
fn endpoints_are_classified_with_a_warning_or_a_note() {
    let local = sample()
        .replace("https://dashboard.thanks.io", "http://127.0.0.1:8765")
        .replace("https://api.thanks.io", "http://127.0.0.1:8765");
    let p = Setup::parse(local.as_bytes()).unwrap().preview(true);
    assert_eq!(p.endpoints, Endpoints::LocalSandbox);
    assert!(p.endpoints_note.unwrap().contains("local sandbox"));
    assert!(p.exists);
    let other = sample().replace("https://api.thanks.io", "https://api.thanks.io.evil.test");
    let p = Setup::parse(other.as_bytes()).unwrap().preview(false);
    assert_eq!(p.endpoints, Endpoints::Other);
    let note = p.endpoints_note.unwrap();
    assert!(
        note.contains("not thanks.io's (api.thanks.io.evil.test)"),
        "{note}"
    );
    let sub = sample().replace("api.thanks.io", "staging.api.thanks.io");
    let p = Setup::parse(sub.as_bytes()).unwrap().preview(false);
    assert_eq!(p.endpoints, Endpoints::ThanksIo);
}

#[test]
fn links_round_trip_without_secrets() {
    let s = Setup::parse(sample().as_bytes()).unwrap();
    let link = s.to_link("dev.thanksconnect.app");
    assert!(
        link.starts_with("dev.thanksconnect.app://setup?v=1&name=Acme"),
        "{link}"
    );
    assert!(link.contains("secret=required"));
    // thanks.io's own endpoints are the default, so the link leaves them out.
    assert!(!link.contains("token_url"), "{link}");
    let back = Setup::parse_link(&link).unwrap();
    assert_eq!(back.source, SetupSource::Link);
    assert_eq!(back.secret, SetupSecret::Ask);
    assert_eq!(back.profile.token_url, s.profile.token_url);
    assert_eq!(back.profile.redirect_uri, s.profile.redirect_uri);

    let local = sample().replace("https://dashboard.thanks.io", "http://127.0.0.1:9");
    let s = Setup::parse(local.as_bytes()).unwrap();
    let back = Setup::parse_link(&s.to_link("x.y")).unwrap();
    assert_eq!(
        back.profile.token_url.as_str(),
        "http://127.0.0.1:9/oauth/token"
    );
}

#[test]
fn bad_links_are_refused() {
    let base = "dev.thanksconnect.app://setup?v=1&name=A&client_id=c&redirect_uri=http%3A%2F%2F127.0.0.1%3A5%2Fcb";
    Setup::parse_link(base).unwrap();
    for (link, code, words) in [
        (
            format!("{base}&client_secret=x"),
            "setup.link_invalid",
            "never carry a client secret",
        ),
        (format!("{base}&name=B"), "setup.link_invalid", "twice"),
        (
            format!("{base}&colour=red"),
            "setup.link_invalid",
            "doesn't know",
        ),
        (
            base.replace("v=1", "v=7"),
            "setup.newer_version",
            "newer version",
        ),
        (base.replace("v=1&", ""), "setup.link_invalid", "version"),
        (
            base.replace("://setup", "://oauth/callback"),
            "setup.link_invalid",
            "not a setup link",
        ),
        (
            format!("{base}&x={}", "a".repeat(5000)),
            "setup.link_invalid",
            "too long",
        ),
        (
            format!("{base}&token_url=http%3A%2F%2Fevil.test%2Ft"),
            "setup.invalid",
            "https",
        ),
        (
            format!("{base}&secret=hunter2"),
            "setup.link_invalid",
            "required",
        ),
    ] {
        let e = Setup::parse_link(&link).unwrap_err();
        assert_eq!(e.code(), code, "{link}: {e}");
        assert!(e.to_string().contains(words), "{link}: {e}");
        assert!(!e.to_string().contains("hunter2"));
    }
}

#[test]
fn company_setups_take_a_plain_secret_but_never_write_it() {
    let s = company::parse(&sample(), Some("CANARY-baked")).unwrap();
    assert_eq!(s.source, SetupSource::Company);
    assert_eq!(s.secret, SetupSecret::Plain(Secret::new("CANARY-baked")));
    assert_eq!(s.preview(false).asks_for, "none");
    assert!(!s.to_file_json().contains("CANARY"));
    assert!(!s.to_link("a.b").contains("CANARY"));
    let e = company::parse(&sample(), None).unwrap_err();
    assert_eq!(e.code(), "setup.invalid");
    let none = sample().replace(",\"needs_client_secret\":true", "");
    assert_eq!(
        company::parse(&none, None).unwrap().secret,
        SetupSecret::None
    );
    // An ordinary build has nothing baked in (the tests are never built as a company build).
    assert!(company::baked().is_none());
}
