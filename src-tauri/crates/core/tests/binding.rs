//! Tokens are bound to the endpoints and client they were issued for (issue 8, finding 1), and a
//! callback from another issuer is refused (RFC 9207, finding 12): after an edit of the API
//! base, the token URL or the client id — in config.toml by hand, or while the browser is open —
//! nothing secret goes to the new address, not the bearer, not the refresh token, not the code.

mod support;

use support::{PROFILE, approve, configured, connected, hits, recorder};
use thanks_core::config::ProfileUpdate;
use thanks_core::vault::SecretKind;
use thanks_core::{RequestSpec, TokenState};

fn ping() -> RequestSpec {
    RequestSpec {
        method: "GET".into(),
        path: "ping".into(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edited_api_base_gets_no_bearer_token() {
    let c = connected().await;
    let (elsewhere, counter) = recorder().await;
    let api_base = c.sandbox.api_base();
    c.edit_config(&api_base, &format!("{elsewhere}/api/v2"));

    let e = c.engine.call(PROFILE, &ping()).await.unwrap_err();
    assert_eq!(e.code(), "auth.endpoints_changed");
    assert!(e.to_string().contains("API base"), "{e}");
    let e = c.engine.access_token(PROFILE).await.unwrap_err();
    assert_eq!(e.code(), "auth.endpoints_changed");
    assert_eq!(
        hits(&counter),
        0,
        "the bearer token went to the new API base"
    );
    let status = c.engine.status(PROFILE).await.unwrap();
    assert_eq!(status.state, TokenState::NeedsReconnect);
    assert!(
        status
            .reconnect_reason
            .as_deref()
            .is_some_and(|r| r.contains("API base")),
        "{status:?}"
    );

    // Nothing was thrown away: put the address back and the tokens work again.
    c.edit_config(&format!("{elsewhere}/api/v2"), &api_base);
    assert_eq!(c.engine.call(PROFILE, &ping()).await.unwrap().status, 200);
    assert_eq!(
        c.engine.status(PROFILE).await.unwrap().state,
        TokenState::Connected
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edited_token_url_or_client_id_gets_no_refresh_token() {
    let c = connected().await;
    let (elsewhere, counter) = recorder().await;
    c.edit_config(&c.sandbox.token_url(), &format!("{elsewhere}/oauth/token"));
    let e = c.engine.refresh(PROFILE).await.unwrap_err();
    assert_eq!(e.code(), "auth.endpoints_changed");
    assert!(e.to_string().contains("token URL"), "{e}");
    assert_eq!(
        hits(&counter),
        0,
        "the refresh token went to the new token URL"
    );
    assert_eq!(c.sandbox.stats().refresh_token_grants, 0);

    c.edit_config(&format!("{elsewhere}/oauth/token"), &c.sandbox.token_url());
    c.edit_config(
        &format!("client_id = \"{}\"", c.sandbox.client_id()),
        "client_id = \"someone-else\"",
    );
    let e = c.engine.call(PROFILE, &ping()).await.unwrap_err();
    assert_eq!(e.code(), "auth.endpoints_changed");
    assert!(e.to_string().contains("client id"), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_login_whose_profile_changed_while_the_browser_was_open_is_refused() {
    let c = configured().await;
    let start = c.engine.login_start(PROFILE).await.unwrap();
    let callback = approve(start.authorize_url.expose()).await;
    let (elsewhere, counter) = recorder().await;
    c.edit_config(&c.sandbox.token_url(), &format!("{elsewhere}/oauth/token"));
    let e = c.engine.login_complete(&callback).await.unwrap_err();
    assert_eq!(e.code(), "auth.endpoints_changed");
    assert_eq!(
        hits(&counter),
        0,
        "code, verifier and secret went to the new token URL"
    );
    assert_eq!(c.sandbox.stats().authorization_code_grants, 0);
    assert_eq!(
        c.engine.status(PROFILE).await.unwrap().state,
        TokenState::Disconnected
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn changing_a_connected_profiles_endpoints_through_the_engine_disconnects_it() {
    let c = connected().await;
    let change = ProfileUpdate {
        api_base: Some("https://api.example.test/api/v2".into()),
        ..Default::default()
    };
    let what = c
        .engine
        .profile_change_disconnects(PROFILE, &change)
        .unwrap();
    assert_eq!(what.as_deref(), Some("the API base"));
    c.engine.profile_set(PROFILE, change, None).await.unwrap();
    assert_eq!(
        c.engine.status(PROFILE).await.unwrap().state,
        TokenState::Disconnected
    );
    assert_eq!(c.secret(SecretKind::AccessToken), None);
    assert_eq!(c.secret(SecretKind::RefreshToken), None);
    assert!(
        c.secret(SecretKind::ClientSecret).is_some(),
        "the client secret stays"
    );
    // A change that keeps the binding (the scope) disconnects nothing.
    let scope = ProfileUpdate {
        scope: Some("read".into()),
        ..Default::default()
    };
    assert_eq!(
        c.engine
            .profile_change_disconnects(PROFILE, &scope)
            .unwrap(),
        None
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn metadata_written_before_binding_is_bound_on_first_use() {
    let c = connected().await;
    let uid = c.engine.profile(PROFILE).unwrap().uid;
    let meta = c.home.path().join("tokens").join(format!("{uid}.json"));
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    v.as_object_mut()
        .unwrap()
        .remove("binding")
        .expect("a binding is recorded");
    std::fs::write(&meta, v.to_string()).unwrap();

    assert_eq!(c.engine.call(PROFILE, &ping()).await.unwrap().status, 200);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    assert_eq!(v["binding"]["api_base"], c.sandbox.api_base());

    let (elsewhere, counter) = recorder().await;
    c.edit_config(&c.sandbox.api_base(), &format!("{elsewhere}/api/v2"));
    assert_eq!(
        c.engine.call(PROFILE, &ping()).await.unwrap_err().code(),
        "auth.endpoints_changed"
    );
    assert_eq!(hits(&counter), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_callback_from_another_issuer_is_refused_before_the_exchange() {
    let c = configured().await;
    let start = c.engine.login_start(PROFILE).await.unwrap();
    let callback = approve(start.authorize_url.expose()).await;
    let forged = format!("{callback}&iss=https%3A%2F%2Fevil.example");
    let e = c.engine.login_complete(&forged).await.unwrap_err();
    assert_eq!(e.code(), "auth.issuer_mismatch");
    assert_eq!(c.sandbox.stats().token_requests, 0);
    // The login isn't spent by the mix-up: the real callback, naming the real issuer, works.
    let issuer = url::Url::parse(&c.sandbox.authorize_url())
        .unwrap()
        .origin()
        .ascii_serialization();
    let genuine = format!("{callback}&iss={}", urlencode(&issuer));
    let status = c.engine.login_complete(&genuine).await.unwrap();
    assert_eq!(status.state, TokenState::Connected);
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
