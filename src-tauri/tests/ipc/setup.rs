//! Setups arriving by drop, by link and through the commands, and *Check this computer*, at the
//! IPC level. WebDriver can't drag a file onto the window, so the drop is driven here: tauri's
//! drag-drop window event goes through the same handler the app registers
//! (`offers::on_window_event`), and the offer it makes is confirmed with the same command the
//! window uses.

use serde_json::{Value, json};
use tauri::{DragDropEvent, Manager, PhysicalPosition, WindowEvent};
use thanks_connect_app::offers;
use thanks_core::Secret;
use thanks_core::setup::crypto;
use thanks_core::vault::SecretKind;

use super::{CANARY_SECRET, Harness, SCHEME, assert_no_secret, sandbox};

const PASSPHRASE: &str = "CANARY-passphrase-e41d";

/// A setup file for the sandbox with its client secret encrypted (a low work factor: fast).
fn setup_file(dir: &std::path::Path, s: &thanks_sandbox::Sandbox) -> std::path::PathBuf {
    let armored =
        crypto::encrypt(&Secret::new(CANARY_SECRET), &Secret::new(PASSPHRASE), 10).unwrap();
    let text = json!({
        "format": "thanks-connect-setup", "version": 1, "profile": "Team",
        "authorize_url": s.authorize_url(), "token_url": s.token_url(), "api_base": s.api_base(),
        "client_id": s.client_id(), "redirect_uri": format!("{SCHEME}:/oauth/callback"),
        "encrypted_client_secret": armored,
    });
    let path = dir.join("team.thanksconnect");
    std::fs::write(&path, serde_json::to_string_pretty(&text).unwrap()).unwrap();
    path
}

fn drop_on_window(h: &Harness, path: &std::path::Path) {
    let window = h.window.as_ref().window();
    let event = WindowEvent::DragDrop(DragDropEvent::Drop {
        paths: vec![path.to_path_buf()],
        position: PhysicalPosition::new(10.0, 10.0),
    });
    offers::on_window_event(&window, &event);
}

fn offered_events(h: &Harness) -> Vec<Value> {
    h.seen
        .lock()
        .unwrap()
        .iter()
        .filter_map(|p| p.strip_prefix("setup:offered "))
        .map(|p| serde_json::from_str(p).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_setup_file_is_offered_then_imported_with_its_passphrase() {
    let h = Harness::new();
    let s = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    drop_on_window(&h, &setup_file(dir.path(), &s));

    let events = offered_events(&h);
    assert_eq!(events.len(), 1, "one setup:offered event");
    let offer = h.ok("setup_pending", json!({}));
    assert_eq!(
        offer, events[0],
        "the window that wasn't listening gets the same offer"
    );
    assert_eq!(h.ok("setup_pending", json!({})), Value::Null, "once");
    let preview = &offer["preview"];
    assert_eq!(preview["profile"], "Team");
    assert_eq!(preview["asks_for"], "passphrase");
    assert_eq!(preview["endpoints"], "local_sandbox");
    assert_eq!(preview["exists"], false);
    let id = offer["id"].as_str().unwrap();

    let e = h
        .invoke(
            "setup_import",
            json!({"id": id, "passphrase": "not the passphrase", "replace": false}),
        )
        .unwrap_err();
    assert_eq!(e["code"], "setup.wrong_passphrase");
    assert!(
        h.engine.config().unwrap().get("Team").is_none(),
        "nothing created"
    );

    let view = h.ok(
        "setup_import",
        json!({"id": id, "passphrase": PASSPHRASE, "replace": false}),
    );
    assert_eq!(view["name"], "Team");
    assert_eq!(view["has_client_secret"], true);
    assert_eq!(
        h.secret("Team", SecretKind::ClientSecret).as_deref(),
        Some(CANARY_SECRET)
    );
    let e = h
        .invoke("setup_import", json!({"id": id, "replace": false}))
        .unwrap_err();
    assert_eq!(e["code"], "setup.gone", "an offer is used once");

    // Dropping it again: the confirmation says the profile exists; replacing needs `replace`.
    drop_on_window(&h, &dir.path().join("team.thanksconnect"));
    let again = offered_events(&h).pop().unwrap();
    assert_eq!(again["preview"]["exists"], true);
    let id = again["id"].as_str().unwrap();
    let e = h
        .invoke(
            "setup_import",
            json!({"id": id, "passphrase": PASSPHRASE, "replace": false}),
        )
        .unwrap_err();
    assert_eq!(e["code"], "setup.profile_exists");
    h.ok(
        "setup_import",
        json!({"id": id, "passphrase": PASSPHRASE, "replace": true}),
    );

    assert_no_secret(&h, &[CANARY_SECRET, PASSPHRASE]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_file_that_is_not_a_setup_gets_a_plain_error() {
    let h = Harness::new();
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("holiday.png");
    std::fs::write(&photo, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    drop_on_window(&h, &photo);
    let offer = offered_events(&h).pop().unwrap();
    assert_eq!(offer["id"], Value::Null);
    assert_eq!(offer["error"]["code"], "setup.not_a_setup");
    assert!(
        offer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("nothing was changed")
    );
    assert_eq!(
        h.ok("profile_list", json!({})),
        json!([]),
        "nothing was created"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_setup_link_is_offered_and_asks_for_the_client_secret() {
    let h = Harness::new();
    let s = sandbox().await;
    let link = format!(
        "{SCHEME}://setup?v=1&name=Linked&client_id={}&redirect_uri={SCHEME}%3A%2Foauth%2Fcallback&authorize_url={}&token_url={}&api_base={}&secret=required",
        s.client_id(),
        urlencode(&s.authorize_url()),
        urlencode(&s.token_url()),
        urlencode(&s.api_base())
    );
    offers::offer_link(h.window.app_handle(), &url::Url::parse(&link).unwrap());
    let offer = offered_events(&h).pop().unwrap();
    assert_eq!(offer["preview"]["source"], "link");
    assert_eq!(offer["preview"]["asks_for"], "client_secret");
    let id = offer["id"].as_str().unwrap();
    let e = h
        .invoke("setup_import", json!({"id": id, "replace": false}))
        .unwrap_err();
    assert_eq!(e["code"], "setup.needs_client_secret");
    h.ok(
        "setup_import",
        json!({"id": id, "clientSecret": CANARY_SECRET, "replace": false}),
    );
    assert_eq!(
        h.secret("Linked", SecretKind::ClientSecret).as_deref(),
        Some(CANARY_SECRET)
    );

    // Check this computer, for the new profile: six checks, the keyring and clock answer.
    let report = h.ok("doctor_run", json!({"profile": "Linked"}));
    let checks = report["checks"].as_array().unwrap();
    let ids: Vec<&str> = checks.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "keyring",
            "link_handler",
            "browser",
            "loopback_port",
            "clock",
            "redirect_uri"
        ]
    );
    assert_eq!(checks[0]["status"], "ok");
    assert_eq!(
        checks[4]["status"], "ok",
        "the sandbox's Date header: {report}"
    );
    let e = h
        .invoke("doctor_fix", json!({"action": "format_disk"}))
        .unwrap_err();
    assert_eq!(e["code"], "doctor.unknown_fix");
    assert_no_secret(&h, &[CANARY_SECRET]);
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
