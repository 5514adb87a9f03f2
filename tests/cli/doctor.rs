//! `thanksctl doctor` on this machine: the real keyring, the real `xdg-mime` over a desktop of
//! the test's own (XDG_DATA_HOME / XDG_CONFIG_HOME), the sandbox's clock.

use serde_json::Value;

use crate::harness::Env;

const SCHEME: &str = "dev.thanksconnect.app.debug";

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {report}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn doctor_reports_each_check_and_its_fix() {
    let mut env = Env::start().await;
    let desktop = tempfile::tempdir().unwrap();
    let data = desktop.path().join("data");
    let config = desktop.path().join("config");
    std::fs::create_dir_all(data.join("applications")).unwrap();
    std::fs::create_dir_all(&config).unwrap();
    env.extra_env = vec![
        ("XDG_DATA_HOME".into(), data.display().to_string()),
        ("XDG_CONFIG_HOME".into(), config.display().to_string()),
        ("XDG_DATA_DIRS".into(), data.display().to_string()),
    ];
    env.setup_profile().await;
    // RFC 8252's single-slash form, which thanks.io's registration refuses.
    env.ok(&[
        "profile",
        "set",
        "--redirect-uri",
        &format!("{SCHEME}:/oauth/callback"),
    ])
    .await;

    // Nobody handles the scheme yet.
    let out = env.run(&["doctor", "--json", "--scheme", SCHEME], "").await;
    assert_eq!(out.status.code(), Some(2), "a failed check exits 2");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(check(&report, "keyring")["status"], "ok", "{report}");
    assert_eq!(check(&report, "clock")["status"], "ok", "{report}");
    assert!(
        check(&report, "clock")["detail"]
            .as_str()
            .unwrap()
            .contains("agrees with 127.0.0.1")
    );
    let handler = check(&report, "link_handler");
    assert_eq!(handler["status"], "fail", "{report}");
    assert_eq!(handler["action"], "register_link_handler");
    let redirect = check(&report, "redirect_uri");
    assert_eq!(redirect["status"], "fail");
    assert!(
        redirect["fix"]
            .as_str()
            .unwrap()
            .contains("://oauth/callback")
    );

    // The app's desktop entry, made the default for the scheme as the .deb's install does.
    std::fs::write(
        data.join("applications/thanks-connect.desktop"),
        format!("[Desktop Entry]\nType=Application\nName=Thanks Connect\nExec=thanks-connect %u\nMimeType=x-scheme-handler/{SCHEME};\n"),
    )
    .unwrap();
    std::fs::write(
        config.join("mimeapps.list"),
        format!("[Default Applications]\nx-scheme-handler/{SCHEME}=thanks-connect.desktop\n"),
    )
    .unwrap();
    env.ok(&[
        "profile",
        "set",
        "--redirect-uri",
        "http://127.0.0.1:53683/callback",
    ])
    .await;
    let out = env.ok(&["doctor", "--scheme", SCHEME]).await;
    assert!(
        out.contains("ok    Link handler") && out.contains("thanks-connect.desktop"),
        "{out}"
    );
    assert!(
        out.contains("ok    Redirect URI") && out.contains("ok    Loopback port  127.0.0.1:53683"),
        "{out}"
    );
}

/// The real probes failing as they do on a bare or busy computer: no browser opener on PATH and
/// the profile's loopback port held by another program. Each says its fix; nothing else fails
/// because of them.
#[tokio::test(flavor = "multi_thread")]
async fn doctor_names_a_missing_browser_and_a_busy_loopback_port() {
    let mut env = Env::start().await;
    env.setup_profile().await;
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port();
    let redirect = format!("http://127.0.0.1:{port}/callback");
    env.ok(&["profile", "set", "--redirect-uri", &redirect])
        .await;
    // A PATH with nothing on it: no xdg-open (and no xdg-mime), and no $BROWSER (the harness
    // removes it).
    let empty = tempfile::tempdir().unwrap();
    env.extra_env = vec![("PATH".into(), empty.path().display().to_string())];

    let out = env.run(&["doctor", "--json", "--scheme", SCHEME], "").await;
    assert_eq!(out.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let browser = check(&report, "browser");
    assert_eq!(browser["status"], "fail", "{report}");
    assert!(
        browser["detail"]
            .as_str()
            .unwrap()
            .contains("xdg-open is not installed"),
        "{report}"
    );
    assert!(
        browser["fix"]
            .as_str()
            .unwrap()
            .contains("Install a web browser"),
        "{report}"
    );
    let loopback = check(&report, "loopback_port");
    assert_eq!(loopback["status"], "fail", "{report}");
    assert!(
        loopback["detail"]
            .as_str()
            .unwrap()
            .contains(&port.to_string()),
        "{report}"
    );
    assert!(
        loopback["fix"].as_str().is_some_and(|f| !f.is_empty()),
        "{report}"
    );
    assert_eq!(check(&report, "keyring")["status"], "ok", "{report}");
    assert_eq!(check(&report, "clock")["status"], "ok", "{report}");
    assert_eq!(check(&report, "redirect_uri")["status"], "ok", "{report}");

    // The port let go: that check passes.
    drop(held);
    let out = env.run(&["doctor", "--json", "--scheme", SCHEME], "").await;
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(check(&report, "loopback_port")["status"], "ok", "{report}");
}
