//! A keyring that fails mid-session, at the IPC level: what the window gets while it is down
//! and after it is back.

use serde_json::json;
use thanks_core::vault::{SecretKind, StoreError};

use super::{CANARY_SECRET, Harness, approve, assert_no_secret, sandbox, save_sandbox_profile};

/// The keyring failing mid-session (locked, say): every command that needs it answers
/// `{code, message}` in the keyring's own words, the status still answers and says what is
/// wrong, no secret crosses, and the same app works again once the keyring is back. (The real
/// Secret Service stopping and coming back under one long-lived store, as the app holds it, is
/// in keyring-store's tests/secret_service.rs; thanksctl's side in tests/cli/keyring_faults.rs.)
#[tokio::test(flavor = "multi_thread")]
async fn a_keyring_fault_mid_session_is_a_coded_error_and_the_app_recovers() {
    let sandbox = sandbox().await;
    let h = Harness::new();
    save_sandbox_profile(&h, &sandbox);
    let start = h.engine.login_start("default").await.unwrap();
    let callback = approve(start.authorize_url.expose()).await;
    h.ok("auth_paste", json!({"url": callback}));
    let spec = json!({"method": "GET", "path": "ping", "query": [], "headers": [], "body": null});
    let send = json!({"profile": "default", "requestId": "k1", "spec": spec, "confirmed": false});

    let locked = "The login keyring is locked. Unlock it and try again.";
    *h.store.fail_with.lock().unwrap() = Some(StoreError::Locked(locked.into()));
    for (cmd, args) in [
        ("console_send", send.clone()),
        ("token_refresh", json!({"profile": "default"})),
        ("auth_logout", json!({"profile": "default"})),
    ] {
        let e = h.invoke(cmd, args).unwrap_err();
        assert_eq!(e["code"], "vault.locked", "{cmd}: {e}");
        assert_eq!(e["message"], locked, "{cmd}");
    }
    let status = h.ok("token_status", json!({"profile": "default"}));
    assert_eq!(status["keyring"]["ok"], false);
    assert_eq!(status["keyring"]["code"], "vault.locked");
    assert_eq!(status["state"], "connected", "nothing was lost");

    *h.store.fail_with.lock().unwrap() = None;
    assert_eq!(h.ok("console_send", send)["status"], 200);
    let status = h.ok("token_status", json!({"profile": "default"}));
    assert_eq!(status["keyring"]["ok"], true);
    let access = h.secret("default", SecretKind::AccessToken).unwrap();
    let refresh = h.secret("default", SecretKind::RefreshToken).unwrap();
    assert_no_secret(&h, &[CANARY_SECRET, &access, &refresh]);
}
