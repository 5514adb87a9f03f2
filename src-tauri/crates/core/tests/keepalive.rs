//! The app's background refresh against the sandbox, with the engine's clock moved by hand:
//! a token is renewed inside the refresh margin without any API call, failures back off
//! (30 s, 1 min, 2 min …) instead of hammering the token endpoint, and `needs reconnect`
//! stops the attempts.

mod support;

use std::sync::Arc;

use thanks_core::TokenState;
use thanks_core::clock::{Clock, ManualClock, SystemClock};
use thanks_core::engine::KeepAlive;
use thanks_core::tokens::REFRESH_MARGIN_SECS;
use thanks_sandbox::{Failure, Faults};

use support::PROFILE;

/// An engine connected to the sandbox whose clock the test moves; its token lives an hour.
async fn connected() -> (support::Connected, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::at(SystemClock.now()));
    let c = support::connected_with(clock.clone()).await;
    (c, clock)
}

/// Moves the clock to just inside the refresh margin of the current token.
async fn to_margin(c: &support::Connected, clock: &ManualClock) {
    let left = c
        .engine
        .status(PROFILE)
        .await
        .unwrap()
        .expires_in_secs
        .unwrap();
    clock.advance(left - REFRESH_MARGIN_SECS + 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_in_the_margin_is_renewed_without_an_api_call() {
    let (c, clock) = connected().await;
    let mut keep = KeepAlive::new();
    // Not due yet: nothing happens.
    let round = c.engine.keep_alive(&mut keep).await;
    assert!(round.renewed.is_empty() && round.failed.is_empty());
    assert_eq!(c.sandbox.stats().refresh_token_grants, 0);

    to_margin(&c, &clock).await;
    let round = c.engine.keep_alive(&mut keep).await;
    assert_eq!(round.renewed, [PROFILE]);
    let stats = c.sandbox.stats();
    assert_eq!(stats.successful_refreshes, 1);
    assert_eq!(stats.api_requests, 0, "renewing needs no API call");
    let status = c.engine.status(PROFILE).await.unwrap();
    assert_eq!(status.state, TokenState::Connected);
    assert!(status.expires_in_secs.unwrap() > 3000);
    // Renewed: the next round has nothing to do.
    let round = c.engine.keep_alive(&mut keep).await;
    assert!(round.renewed.is_empty());
    assert_eq!(c.sandbox.stats().refresh_token_grants, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_back_off_instead_of_hammering_the_token_endpoint() {
    let (c, clock) = connected().await;
    let mut keep = KeepAlive::new();
    to_margin(&c, &clock).await;
    c.sandbox.set_faults(Faults {
        token_failure: Some(Failure::Html502),
        ..Default::default()
    });
    let attempts = || c.sandbox.stats().token_requests;
    let start = attempts();

    let round = c.engine.keep_alive(&mut keep).await;
    assert_eq!(round.failed.len(), 1);
    assert_eq!(attempts(), start + 1);
    // Every 5 s tick of the next half minute passes without another request.
    for _ in 0..5 {
        clock.advance(5);
        let round = c.engine.keep_alive(&mut keep).await;
        assert!(round.failed.is_empty() && round.renewed.is_empty());
    }
    assert_eq!(attempts(), start + 1, "retried inside the first 30 s");
    clock.advance(5);
    c.engine.keep_alive(&mut keep).await;
    assert_eq!(attempts(), start + 2, "the second try comes after 30 s");
    // Then after a minute, not before.
    clock.advance(55);
    c.engine.keep_alive(&mut keep).await;
    assert_eq!(attempts(), start + 2);
    clock.advance(5);
    c.engine.keep_alive(&mut keep).await;
    assert_eq!(attempts(), start + 3);
    assert!(
        keep.backing_off(PROFILE, clock.now())
            .is_some_and(|left| left > 100)
    );

    // The endpoint is back: the next try renews and the backoff is forgotten.
    c.sandbox.set_faults(Faults::default());
    clock.advance(120);
    let round = c.engine.keep_alive(&mut keep).await;
    assert_eq!(round.renewed, [PROFILE]);
    assert_eq!(keep.backing_off(PROFILE, clock.now()), None);
    let status = c.engine.status(PROFILE).await.unwrap();
    assert_eq!(status.state, TokenState::Connected);
}

#[tokio::test(flavor = "multi_thread")]
async fn needs_reconnect_stops_the_attempts() {
    let (c, clock) = connected().await;
    let mut keep = KeepAlive::new();
    to_margin(&c, &clock).await;
    c.sandbox.set_faults(Faults {
        invalid_grant_next_refresh: true,
        ..Default::default()
    });
    let round = c.engine.keep_alive(&mut keep).await;
    assert_eq!(round.failed.len(), 1);
    assert_eq!(round.failed[0].1.code(), "session.needs_reconnect");
    assert_eq!(
        c.engine.status(PROFILE).await.unwrap().state,
        TokenState::NeedsReconnect
    );
    let attempts = c.sandbox.stats().token_requests;
    for _ in 0..10 {
        clock.advance(600);
        let round = c.engine.keep_alive(&mut keep).await;
        assert!(round.failed.is_empty() && round.renewed.is_empty());
    }
    assert_eq!(
        c.sandbox.stats().token_requests,
        attempts,
        "a profile that needs a reconnect was tried again"
    );
}
