//! Named steps of a login and a refresh where a test can freeze the process, kill it there,
//! and check what a crash at that moment leaves behind (`tests/cli/crash.rs`: never a
//! half-written file, never a lost refresh token).
//!
//! Only debug builds look at [`PAUSE_ENV`]: in a release build [`reached`] is an empty
//! function, so nothing in the product's environment can freeze it. In a debug build, when
//! the variable names the step being reached, the process writes `paused at <step>` on stderr
//! and waits there forever (the rest of the process keeps running, as it would while a slow
//! call is in flight); the test then sends SIGKILL.

/// The environment variable a debug build reads: the name of one step of [`STEPS`].
pub const PAUSE_ENV: &str = "THANKS_CONNECT_PAUSE_AT";

/// Every step, in the order a login and then a refresh reach them.
pub const STEPS: &[&str] = &[
    // The callback was accepted: its state matched a pending login, which is now used.
    "login.callback_accepted",
    // The token endpoint answered the code exchange (the code is spent); nothing read yet.
    "login.code_sent",
    // The answer was read into tokens; nothing stored yet.
    "login.tokens_received",
    "login.refresh_token_stored",
    "login.access_token_stored",
    "login.metadata_written",
    // The waiting process can now see how the login ended.
    "login.outcome_recorded",
    // Both refresh locks are held and the metadata re-read; no request yet.
    "refresh.locked",
    // The token endpoint answered (the old refresh token is spent); nothing read yet.
    "refresh.request_sent",
    "refresh.tokens_received",
    "refresh.refresh_token_stored",
    "refresh.access_token_stored",
    // The new generation is on disk; the locks are still held.
    "refresh.metadata_written",
];

/// Marks `step` as reached; in a debug build told to pause there, never returns.
pub async fn reached(step: &'static str) {
    #[cfg(debug_assertions)]
    if pause_here(step) {
        std::future::pending::<()>().await;
    }
    #[cfg(not(debug_assertions))]
    let _ = step;
}

#[cfg(debug_assertions)]
fn pause_here(step: &'static str) -> bool {
    debug_assert!(STEPS.contains(&step), "unknown crash point {step}");
    if std::env::var(PAUSE_ENV).as_deref() != Ok(step) {
        return false;
    }
    // stderr, not the log: the test waits for this exact line whatever the log level.
    eprintln!("thanks-connect: paused at {step}");
    true
}
