//! The token timeline as the engine writes it, against the sandbox over loopback: what each
//! operation records, with which trigger and by which process, what the Accounts view shows,
//! and that no secret ends up in the timeline files.

mod support;

use thanks_core::config::ProfileUpdate;
use thanks_core::events::{EventKind, Trigger};
use thanks_core::{RequestSpec, Secret, TokenDestination, TokenState};
use thanks_sandbox::Faults;

use support::{PROFILE, connected};

fn kinds(events: &[thanks_core::EventView]) -> Vec<EventKind> {
    events.iter().map(|e| e.event.kind).collect()
}

fn get(path: &str) -> RequestSpec {
    RequestSpec {
        method: "GET".into(),
        path: path.into(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_leaves_its_event_with_trigger_and_process() {
    let c = connected().await;
    let (sandbox, engine) = (c.sandbox, c.engine.acting_as("timeline-test"));
    let events = engine.events(PROFILE).await.unwrap();
    assert_eq!(
        kinds(&events),
        [EventKind::LoginStarted, EventKind::LoginCompleted]
    );
    let pid = std::process::id();
    // The login ran before the engine was renamed: named after the executable.
    assert_eq!(events[0].event.actor.pid, pid);
    assert!(events.iter().all(|e| e.event.ok && e.profile == PROFILE));

    engine.refresh(PROFILE).await.unwrap();
    sandbox.expire_access_tokens();
    let view = engine.call(PROFILE, &get("orders/list")).await.unwrap();
    assert_eq!(view.status, 200);
    let events = engine.events(PROFILE).await.unwrap();
    let refreshes: Vec<_> = events
        .iter()
        .filter(|e| e.event.kind == EventKind::Refreshed)
        .map(|e| (e.event.trigger, e.event.actor.process.as_str()))
        .collect();
    assert_eq!(
        refreshes,
        [
            (Some(Trigger::Manual), "timeline-test"),
            (Some(Trigger::After401), "timeline-test")
        ]
    );
    let status = engine.status(PROFILE).await.unwrap();
    let last = status.last_refresh.unwrap();
    assert_eq!(last.trigger, Some(Trigger::After401));
    assert_eq!(last.by.unwrap().process, "timeline-test");

    let v = engine.validate(PROFILE).await.unwrap();
    assert!(v.ok, "{}", v.message);
    let token = engine
        .hand_out_token(PROFILE, TokenDestination::Clipboard)
        .await
        .unwrap();

    sandbox.set_faults(Faults {
        invalid_grant_next_refresh: true,
        ..Default::default()
    });
    let e = engine.refresh(PROFILE).await.unwrap_err();
    assert_eq!(e.code(), "session.needs_reconnect");
    let e = engine.validate(PROFILE).await.unwrap_err();
    assert_eq!(e.code(), "session.needs_reconnect");
    engine.logout(PROFILE).await.unwrap();

    let events = engine.events(PROFILE).await.unwrap();
    let tail: Vec<_> = events[events.len() - 6..]
        .iter()
        .map(|e| {
            (
                e.event.kind,
                e.event.ok,
                e.event.code.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        tail,
        [
            (EventKind::Validated, true, ""),
            (EventKind::TokenCopied, true, ""),
            (EventKind::RefreshFailed, false, "token.invalid_grant"),
            (EventKind::NeedsReconnect, false, "session.needs_reconnect"),
            (EventKind::Validated, false, "session.needs_reconnect"),
            (EventKind::Disconnected, true, ""),
        ]
    );
    assert_eq!(events[events.len() - 6].event.status, Some(200));
    assert_eq!(
        events[events.len() - 5].event.message.as_deref(),
        Some("copied to the clipboard")
    );

    // Nothing secret in the timeline: not the token handed out, not the client secret.
    let root = engine.home().root().join("events");
    for entry in std::fs::read_dir(&root).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains(token.expose()));
        assert!(!text.contains(sandbox.client_secret()));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_show_every_profile_with_its_last_call() {
    let c = connected().await;
    let (sandbox, engine) = (c.sandbox, c.engine.acting_as("app"));
    let update = ProfileUpdate {
        api_base: Some(sandbox.api_base()),
        ..Default::default()
    };
    engine.profile_set("second", update, None).await.unwrap();
    engine
        .login_with_token("second", Secret::new("pat-abc"))
        .await
        .unwrap();
    engine.call(PROFILE, &get("orders/list")).await.unwrap();

    let view = engine.accounts().await.unwrap();
    assert!(view.keyring.ok);
    let names: Vec<&str> = view
        .accounts
        .iter()
        .map(|a| a.status.profile.as_str())
        .collect();
    assert_eq!(names, ["default", "second"]);
    let first = &view.accounts[0];
    assert_eq!(first.status.state, TokenState::Connected);
    assert!(first.status.has_refresh_token);
    let call = first.last_call.as_ref().expect("a last call");
    assert_eq!(
        (call.status, call.actor.process.as_str()),
        (Some(200), "app")
    );
    assert!(call.age_secs >= 0);
    let second = &view.accounts[1];
    assert!(second.last_call.is_none());
    let json = serde_json::to_value(second).unwrap();
    assert_eq!(json["auth"], "personal_token");
    assert_eq!(json["profile"], "second");

    // The merged timeline names each event's profile, oldest first.
    let all = engine.events_all().await.unwrap();
    assert!(
        all.iter()
            .any(|e| e.profile == "second" && e.event.kind == EventKind::PersonalTokenSaved)
    );
    assert!(all.windows(2).all(|w| w[0].event.at <= w[1].event.at));

    // A removed profile's timeline goes with it.
    engine.profile_remove("second").await.unwrap();
    assert!(
        engine
            .events_all()
            .await
            .unwrap()
            .iter()
            .all(|e| e.profile == PROFILE)
    );
    assert_eq!(
        engine.events("nope").await.unwrap_err().code(),
        "profile.not_found"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn background_refresh_only_when_due_and_a_cancelled_login_is_a_failure() {
    let c = connected().await;
    let (sandbox, engine) = (c.sandbox, c.engine);
    assert!(
        !engine.refresh_if_due(PROFILE).await.unwrap(),
        "an hour-long token is not due"
    );
    // A 30-second token is inside the refresh margin at once.
    sandbox.set_access_token_ttl(std::time::Duration::from_secs(30));
    engine.refresh(PROFILE).await.unwrap();
    assert!(engine.refresh_if_due(PROFILE).await.unwrap());
    let last = engine.events(PROFILE).await.unwrap().pop().unwrap();
    assert_eq!(last.event.trigger, Some(Trigger::Background));
    let start = engine.login_start(PROFILE).await.unwrap();
    engine.login_cancel(&start.pending_id).await.unwrap();
    engine.login_cancel(&start.pending_id).await.unwrap();
    let events = engine.events(PROFILE).await.unwrap();
    let last: Vec<_> = events
        .iter()
        .rev()
        .take(2)
        .map(|e| (e.event.kind, e.event.code.clone()))
        .collect();
    assert_eq!(
        last,
        [
            (EventKind::LoginFailed, Some("login.cancelled".into())),
            (EventKind::LoginStarted, None)
        ],
        "one cancellation recorded, not two"
    );
}
