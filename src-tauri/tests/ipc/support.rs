//! The support desk's commands on the mock runtime: the Accounts view's model (with the tray's
//! summary), the timeline, the report and the close-to-tray setting; nothing secret in any of
//! them.

use serde_json::json;
use thanks_core::vault::SecretKind;
use thanks_sandbox::Faults;

use super::{CANARY_SECRET, Harness, approve, assert_no_secret, sandbox, save_sandbox_profile};

#[tokio::test(flavor = "multi_thread")]
async fn accounts_timeline_report_and_settings() {
    let sandbox = sandbox().await;
    let h = Harness::new();
    save_sandbox_profile(&h, &sandbox);
    let start = h.engine.login_start("default").await.unwrap();
    let callback = approve(start.authorize_url.expose()).await;
    h.ok("auth_paste", json!({"url": callback}));
    h.ok("token_refresh", json!({"profile": "default"}));
    h.ok("token_validate", json!({"profile": "default"}));
    let mut secrets = vec![
        h.secret("default", SecretKind::AccessToken).unwrap(),
        h.secret("default", SecretKind::RefreshToken).unwrap(),
    ];

    let panel = h.ok("accounts_list", json!({}));
    let row = &panel["accounts"][0];
    assert_eq!(
        (row["profile"].as_str(), row["state"].as_str()),
        (Some("default"), Some("connected"))
    );
    assert_eq!(row["last_refresh"]["trigger"], "manual");
    assert_eq!(row["last_refresh"]["by"]["pid"], std::process::id());
    assert_eq!(row["last_call"]["status"], 200);
    assert_eq!(panel["keyring"]["ok"], true);
    assert_eq!(panel["summary"]["level"], "ok");
    assert_eq!(
        panel["summary"]["tooltip"],
        "Thanks Connect: 1 account connected"
    );

    sandbox.set_faults(Faults {
        invalid_grant_next_refresh: true,
        ..Default::default()
    });
    let e = h
        .invoke("token_refresh", json!({"profile": "default"}))
        .unwrap_err();
    assert_eq!(e["code"], "session.needs_reconnect");
    let panel = h.ok("accounts_list", json!({}));
    assert_eq!(panel["summary"]["level"], "error");
    assert_eq!(
        panel["summary"]["tooltip"],
        "Thanks Connect: needs attention: default (needs reconnect)"
    );

    let events = h.ok("events_list", json!({"profile": "default"}));
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "login_started",
            "login_completed",
            "refreshed",
            "validated",
            "refresh_failed",
            "needs_reconnect"
        ]
    );
    assert_eq!(
        h.ok("events_list", json!({})),
        events,
        "one profile: the same list"
    );
    let e = h
        .invoke("events_list", json!({"profile": "nope"}))
        .unwrap_err();
    assert_eq!(e["code"], "profile.not_found");

    let report = h.ok("report_get", json!({}));
    let text = report["text"].as_str().unwrap();
    assert!(text.starts_with("Thanks Connect diagnostic report"));
    assert!(text.contains("Made by         Thanks Connect "), "{text}");
    assert!(text.contains("Client secret   set (in the keyring)"));
    assert!(text.contains("token.invalid_grant: 1×"));
    assert!(report["file_name"].as_str().unwrap().ends_with(".txt"));

    let info = h.ok("app_info", json!({}));
    assert_eq!(
        (info["close_to_tray"].as_bool(), info["pid"].as_u64()),
        (Some(false), Some(std::process::id().into()))
    );
    h.ok("ui_prefs_set", json!({"closeToTray": true}));
    assert_eq!(h.ok("app_info", json!({}))["close_to_tray"], true);
    h.ok("ui_prefs_set", json!({"lastPanel": "accounts"}));
    assert_eq!(
        h.ok("app_info", json!({}))["close_to_tray"],
        true,
        "other settings leave it alone"
    );

    secrets.push(h.secret("default", SecretKind::AccessToken).unwrap());
    secrets.push(CANARY_SECRET.into());
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_no_secret(&h, &secrets);
}
