//! Crash safety: `thanksctl` killed with SIGKILL at each step of a login and of a refresh.
//!
//! A debug build stops at the step named in `THANKS_CONNECT_PAUSE_AT` and says so on stderr
//! (`thanks_core::crashpoint`); the test kills it there, as a power cut or the OOM killer
//! would. Then, whatever the step:
//! - every file in the config home parses (JSON-lines files line by line) and no temporary
//!   file is left (writes are atomic);
//! - no secret is in any file or anything `thanksctl` printed;
//! - the profile is either connected with working tokens (a real API call to the sandbox
//!   succeeds, and the refresh token in the keyring is the one the sandbox considers current),
//!   or not connected, or cleanly needs reconnecting with a plain message: never connected
//!   with a refresh token the server has already spent;
//! - connecting again works.
//!
//! Each step also has the one outcome it must have, so a change in the order of the writes
//! shows up here. Two steps can't do better than "needs reconnecting": once thanks.io has
//! answered a refresh it has spent the old refresh token, and if the process dies before it
//! stores the new one, that one is gone with the process (no client can close that window;
//! the next call finds out and says so).

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use thanks_core::crashpoint::{PAUSE_ENV, STEPS};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::harness::{Env, keyring_lookup};

/// What the profile is after the crash, as the next `thanksctl call` finds it.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum After {
    /// The call works, with the keyring's tokens.
    Connected,
    /// `[session.not_connected]`: a first login that died before it finished.
    NotConnected,
    /// `[session.needs_reconnect]`, with the reason in plain words.
    NeedsReconnect,
}

/// Runs `thanksctl ARGS` with the pause set to `step` (for a `login`: approves its authorize
/// URL on the sandbox's consent page and pastes the callback), waits for it to reach the step,
/// and kills it with SIGKILL.
async fn kill_at(env: &Env, args: &[&str], step: &str, login: bool) {
    assert!(STEPS.contains(&step), "{step} is not a crash point");
    let mut child = env
        .command(args)
        .env(PAUSE_ENV, step)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    if login {
        let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = tokio::time::timeout(Duration::from_secs(20), out.next_line())
            .await
            .expect("the authorize URL is printed")
            .unwrap()
            .unwrap();
        let callback = env.consent(&url, false).await;
        stdin
            .write_all(format!("{callback}\n").as_bytes())
            .await
            .unwrap();
    }
    let marker = format!("thanks-connect: paused at {step}");
    let mut err = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut transcript = String::new();
    let reached = tokio::time::timeout(Duration::from_secs(30), async {
        while let Ok(Some(line)) = err.next_line().await {
            let found = line == marker;
            transcript.push_str(&line);
            transcript.push('\n');
            if found {
                return true;
            }
        }
        false
    })
    .await;
    assert!(
        matches!(reached, Ok(true)),
        "thanksctl {args:?} never reached {step}:\n{transcript}"
    );
    // Once the outcome is recorded, the waiting part of `login` may see it and exit on its
    // own before the signal lands; at any other step it can't get further.
    let _ = child.start_kill();
    let status = child.wait().await.unwrap();
    {
        use std::os::unix::process::ExitStatusExt;
        let finished_anyway = step == "login.outcome_recorded" && status.success();
        assert!(
            status.signal() == Some(9) || finished_anyway,
            "thanksctl wasn't killed at {step}: {status}"
        );
    }
    env.transcript.lock().unwrap().push((
        format!("{} [stderr, killed at {step}]", args.join(" ")),
        transcript,
    ));
}

/// Everything the crash may have left in the config home, checked; returns what the profile
/// turned out to be.
async fn inspect(env: &Env, step: &str) -> After {
    let uid = env.profile_uid();
    let secrets: Vec<String> = ["access-token", "refresh-token", "client-secret"]
        .into_iter()
        .filter_map(|kind| keyring_lookup(&uid, kind))
        .collect();
    for (path, text) in env.files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            !name.ends_with(".tmp"),
            "{step}: a temporary file was left: {}",
            path.display()
        );
        // JSON files whole, JSON-lines files (the timeline) line by line.
        let documents: Vec<&str> = if name.ends_with(".json") {
            vec![text.as_str()]
        } else if name.ends_with(".jsonl") {
            text.lines().collect()
        } else {
            Vec::new()
        };
        for doc in documents {
            serde_json::from_str::<Value>(doc)
                .unwrap_or_else(|e| panic!("{step}: {} doesn't parse: {e}", path.display()));
        }
    }
    env.assert_no_secret_anywhere(&secrets);
    // config.toml: the CLI reads it (and every profile in it) on each start.
    env.ok(&["profile", "show", "--json"]).await;
    let before = env.status().await;

    let out = env.run(&["call", "GET", "ping"], "").await;
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.success() {
        assert_eq!(before["state"], "connected", "{step}: {before}");
        let refresh = keyring_lookup(&uid, "refresh-token").expect("a refresh token");
        assert!(
            env.sandbox.refresh_token_is_live(&refresh),
            "{step}: the keyring's refresh token is not the one thanks.io considers current"
        );
        return After::Connected;
    }
    let after = env.status().await;
    if err.contains("[session.not_connected]") {
        assert_eq!(after["state"], "disconnected", "{step}: {after}");
        return After::NotConnected;
    }
    assert!(
        err.contains("[session.needs_reconnect]") && err.contains("needs to be reconnected"),
        "{step}: neither working nor cleanly broken: {err}"
    );
    assert_eq!(after["state"], "needs_reconnect", "{step}: {after}");
    let reason = after["last_refresh"]["error"].as_str().unwrap_or_default();
    assert!(reason.contains("connect again"), "{step}: {after}");
    After::NeedsReconnect
}

/// Connecting again fixes whatever the crash left, and the new tokens work.
async fn reconnect(env: &Env) {
    env.login().await;
    env.ok(&["call", "GET", "ping"]).await;
    assert_eq!(env.status().await["state"], "connected");
}

async fn first_login_killed_at(step: &str, expected: After) {
    let env = Env::start().await;
    env.setup_profile().await;
    kill_at(
        &env,
        &["login", "--no-browser", "--timeout", "60"],
        step,
        true,
    )
    .await;
    assert_eq!(inspect(&env, step).await, expected, "{step}");
    reconnect(&env).await;
}

async fn second_login_killed_at(step: &str) {
    let env = Env::start().await;
    env.login().await;
    kill_at(
        &env,
        &["login", "--no-browser", "--timeout", "60"],
        step,
        true,
    )
    .await;
    // A login that dies half-way never costs the connection the profile already had.
    assert_eq!(inspect(&env, step).await, After::Connected, "{step}");
    reconnect(&env).await;
}

async fn refresh_killed_at(step: &str, expected: After) {
    let env = Env::start().await;
    env.login().await;
    kill_at(&env, &["refresh"], step, false).await;
    assert_eq!(inspect(&env, step).await, expected, "{step}");
    reconnect(&env).await;
}

macro_rules! crash_tests {
    ($($name:ident: $run:expr;)*) => {$(
        #[tokio::test(flavor = "multi_thread")]
        async fn $name() {
            $run.await
        }
    )*};
}

crash_tests! {
    first_login_killed_after_the_callback_was_accepted:
        first_login_killed_at("login.callback_accepted", After::NotConnected);
    first_login_killed_after_the_code_was_sent:
        first_login_killed_at("login.code_sent", After::NotConnected);
    first_login_killed_after_the_tokens_arrived:
        first_login_killed_at("login.tokens_received", After::NotConnected);
    first_login_killed_after_the_refresh_token_was_stored:
        first_login_killed_at("login.refresh_token_stored", After::NotConnected);
    first_login_killed_after_the_access_token_was_stored:
        first_login_killed_at("login.access_token_stored", After::NotConnected);
    first_login_killed_after_the_metadata_was_written:
        first_login_killed_at("login.metadata_written", After::Connected);
    first_login_killed_after_the_outcome_was_recorded:
        first_login_killed_at("login.outcome_recorded", After::Connected);

    second_login_killed_after_the_code_was_sent:
        second_login_killed_at("login.code_sent");
    second_login_killed_after_the_refresh_token_was_stored:
        second_login_killed_at("login.refresh_token_stored");
    second_login_killed_after_the_access_token_was_stored:
        second_login_killed_at("login.access_token_stored");

    refresh_killed_holding_the_locks:
        refresh_killed_at("refresh.locked", After::Connected);
    refresh_killed_after_the_request_was_answered:
        refresh_killed_at("refresh.request_sent", After::NeedsReconnect);
    refresh_killed_after_the_tokens_arrived:
        refresh_killed_at("refresh.tokens_received", After::NeedsReconnect);
    refresh_killed_after_the_refresh_token_was_stored:
        refresh_killed_at("refresh.refresh_token_stored", After::Connected);
    refresh_killed_after_the_access_token_was_stored:
        refresh_killed_at("refresh.access_token_stored", After::Connected);
    refresh_killed_after_the_metadata_was_written:
        refresh_killed_at("refresh.metadata_written", After::Connected);
}

/// Every crash point is exercised above, so a new one can't be added without a test.
#[test]
fn every_step_has_a_crash_test() {
    let source = include_str!("crash.rs");
    for step in STEPS {
        assert!(
            source.contains(&format!("_at(\"{step}\"")),
            "no crash test kills thanksctl at {step}"
        );
    }
}
