//! Setup import and export through the engine: what is written, what isn't, and that a refused
//! import changes nothing. The sandbox is the OAuth server; secrets stay in in-memory vaults.

mod support;

use std::sync::Arc;

use thanks_core::clock::SystemClock;
use thanks_core::config::ConfigHome;
use thanks_core::setup::{Setup, SetupSecret};
use thanks_core::vault::{MemoryStore, SecretKey, SecretKind, Vault};
use thanks_core::{Engine, EngineOptions, Secret, SetupAnswers, TokenState};

const PASSPHRASE: &str = "team passphrase 2026";

fn fresh_engine() -> (tempfile::TempDir, Engine) {
    let home = tempfile::tempdir().unwrap();
    let engine = Engine::with(
        ConfigHome::at(home.path()),
        Vault::new(Arc::new(MemoryStore::default())),
        Arc::new(SystemClock),
        EngineOptions::default(),
    );
    (home, engine)
}

async fn client_secret(engine: &Engine, name: &str) -> Option<String> {
    let uid = engine.profile(name).ok()?.uid;
    engine
        .vault()
        .get(SecretKey::new(uid, SecretKind::ClientSecret))
        .await
        .unwrap()
        .map(|s| s.expose().to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn export_with_secret_then_import_elsewhere_and_connect() {
    let c = support::connected().await;
    let setup = c
        .engine
        .setup_export(support::PROFILE, Some(Secret::new(PASSPHRASE)))
        .await
        .unwrap();
    let text = setup.to_file_json();
    let secret = c.sandbox.client_secret();
    assert!(
        !text.contains(secret),
        "the client secret is in the setup in clear"
    );
    for token_word in ["access_token", "refresh_token", "sbx_"] {
        assert!(
            !text.contains(token_word),
            "{token_word} in the setup:\n{text}"
        );
    }
    assert!(text.contains("-----BEGIN AGE ENCRYPTED FILE-----"));

    let (_home, other) = fresh_engine();
    let parsed = Setup::parse(text.as_bytes()).unwrap();
    let preview = other.setup_preview(&parsed).unwrap();
    assert_eq!(preview.asks_for, "passphrase");
    assert_eq!(
        preview
            .endpoints_note
            .as_deref()
            .map(|n| n.contains("local sandbox")),
        Some(true)
    );

    // Wrong or missing passphrase: refused, nothing created.
    for (passphrase, code) in [
        (None, "setup.needs_passphrase"),
        (Some("not the passphrase"), "setup.wrong_passphrase"),
    ] {
        let answers = SetupAnswers {
            passphrase: passphrase.map(Secret::new),
            ..Default::default()
        };
        let e = other.setup_import(&parsed, answers).await.unwrap_err();
        assert_eq!(e.code(), code);
        assert_eq!(other.config().unwrap().names().count(), 0);
    }

    let view = other
        .setup_import(
            &parsed,
            SetupAnswers {
                passphrase: Some(Secret::new(PASSPHRASE)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(view.has_client_secret && view.saved);
    assert_eq!(
        client_secret(&other, support::PROFILE).await.as_deref(),
        Some(secret)
    );
    // The imported profile connects.
    let start = other.login_start(support::PROFILE).await.unwrap();
    let callback = support::approve(start.authorize_url.expose()).await;
    let status = other.login_complete(&callback).await.unwrap();
    assert_eq!(status.state, TokenState::Connected);
}

#[tokio::test(flavor = "multi_thread")]
async fn replacing_asks_first_and_disconnects_only_when_the_connection_changes() {
    let c = support::connected().await;
    let setup = c.engine.setup_export(support::PROFILE, None).await.unwrap();
    assert_eq!(setup.secret, SetupSecret::Ask);
    let before = std::fs::read_to_string(c.engine.home().config_file()).unwrap();

    let e = c
        .engine
        .setup_import(&setup, SetupAnswers::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "setup.needs_client_secret");
    let answers = || SetupAnswers {
        client_secret: Some(Secret::new(c.sandbox.client_secret())),
        ..Default::default()
    };
    let e = c.engine.setup_import(&setup, answers()).await.unwrap_err();
    assert_eq!(e.code(), "setup.profile_exists");
    assert_eq!(
        std::fs::read_to_string(c.engine.home().config_file()).unwrap(),
        before
    );
    assert_eq!(
        c.engine.status(support::PROFILE).await.unwrap().state,
        TokenState::Connected
    );

    // The same connection settings: replaced, still connected, same uid.
    let uid = c.engine.profile(support::PROFILE).unwrap().uid;
    let replace = SetupAnswers {
        replace: true,
        ..answers()
    };
    c.engine.setup_import(&setup, replace).await.unwrap();
    assert_eq!(c.engine.profile(support::PROFILE).unwrap().uid, uid);
    assert_eq!(
        c.engine.status(support::PROFILE).await.unwrap().state,
        TokenState::Connected
    );

    // Another client id: the old tokens don't belong to it.
    let mut other = setup.clone();
    other.profile.client_id = "another-client".into();
    let replace = SetupAnswers {
        replace: true,
        ..answers()
    };
    c.engine.setup_import(&other, replace).await.unwrap();
    assert_eq!(
        c.engine.status(support::PROFILE).await.unwrap().state,
        TokenState::Disconnected
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn export_refuses_what_it_cannot_do() {
    let (_home, engine) = fresh_engine();
    let e = engine.setup_export("nobody", None).await.unwrap_err();
    assert_eq!(e.code(), "profile.not_found");
    let c = support::connected().await;
    let e = c
        .engine
        .setup_export(support::PROFILE, Some(Secret::new("short")))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "input.invalid");
}

/// A company build's first start (the baked text goes through `company::parse`, as
/// `company::baked` does): the profile and its secret are created when there is no profile,
/// and never over a person's own profiles.
#[tokio::test(flavor = "multi_thread")]
async fn a_company_setup_is_created_on_first_start_only() {
    let text = serde_json::json!({
        "format": "thanks-connect-setup",
        "version": 1,
        "profile": "Acme",
        "authorize_url": "https://dashboard.thanks.io/oauth/authorize",
        "token_url": "https://dashboard.thanks.io/oauth/token",
        "api_base": "https://api.thanks.io/api/v2",
        "client_id": "acme-desktop",
        "redirect_uri": "dev.thanksconnect.app://oauth/callback",
        "needs_client_secret": true
    })
    .to_string();
    let setup = thanks_core::setup::company::parse(&text, Some("CANARY-company-secret")).unwrap();

    let (_home, engine) = fresh_engine();
    assert_eq!(
        engine.apply_first_start_setup(&setup).await.unwrap(),
        Some("Acme".into())
    );
    assert_eq!(engine.profile("Acme").unwrap().client_id, "acme-desktop");
    assert_eq!(
        client_secret(&engine, "Acme").await.as_deref(),
        Some("CANARY-company-secret")
    );
    // The next start: already there, nothing done.
    assert_eq!(engine.apply_first_start_setup(&setup).await.unwrap(), None);

    // Someone who already has a profile of their own keeps just that.
    let (_home, mine) = fresh_engine();
    mine.profile_set(
        "Mine",
        thanks_core::config::ProfileUpdate {
            client_id: Some("mine".into()),
            ..Default::default()
        },
        None,
    )
    .await
    .unwrap();
    assert_eq!(mine.apply_first_start_setup(&setup).await.unwrap(), None);
    assert!(mine.profile("Acme").is_err());
    // An ordinary build has no company setup at all.
    assert_eq!(mine.apply_company_setup().await.unwrap(), None);
}
