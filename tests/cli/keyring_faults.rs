//! Keyring faults, end to end through `thanksctl`, with the tokens in a real Secret Service:
//! no Secret Service on the bus, a locked collection, entries deleted behind the app's back,
//! the daemon killed and restarted while a login waits.
//!
//! Each time: a clear error (its stable code, plain words that name the fix), nothing written
//! in the config home, no request sent with a missing token, no secret in any output or file;
//! and once the cause is fixed, the next command works, with the tokens that were there.

use std::path::PathBuf;

use thanks_sandbox::Stats;

use crate::harness::{Env, keyring_clear_on, keyring_lookup_on};
use crate::private_keyring::PrivateKeyring;

/// Runs a command that must fail with `code`; returns its stderr.
async fn fails_with(env: &Env, args: &[&str], stdin: &str, code: &str) -> String {
    let (rc, err) = env.fails(args, stdin).await;
    assert_eq!(rc, 2, "{args:?}: {err}");
    assert!(
        err.contains(&format!("[{code}]")),
        "{args:?}: expected {code}: {err}"
    );
    let reasons = err.lines().filter(|l| l.starts_with("thanksctl:")).count();
    assert_eq!(reasons, 1, "{args:?}: one line of reason: {err}");
    err
}

/// The config home's files and their contents, lock files aside (taking a lock is fine).
fn files(env: &Env) -> Vec<(PathBuf, String)> {
    let mut files: Vec<_> = env
        .files()
        .into_iter()
        .filter(|(p, _)| !p.to_string_lossy().contains("/locks/"))
        .collect();
    files.sort();
    files
}

/// The secrets a connected profile has in the keyring on `bus` (`None`: the harness's).
fn secrets(bus: Option<&str>, uid: &str) -> Vec<String> {
    let found: Vec<String> = ["access-token", "refresh-token", "client-secret"]
        .into_iter()
        .filter_map(|kind| keyring_lookup_on(bus, uid, kind))
        .collect();
    assert_eq!(found.len(), 3, "a connected profile has three secrets");
    found
}

/// Nothing reached thanks.io while the keyring was unusable.
fn assert_no_requests(before: Stats, after: Stats) {
    assert_eq!(
        before.token_requests, after.token_requests,
        "a token request went out"
    );
    assert_eq!(
        before.api_requests, after.api_requests,
        "an API request went out"
    );
}

/// Every command that needs a secret, with its stdin.
const NEED_A_SECRET: &[(&[&str], &str)] = &[
    (&["call", "GET", "ping"], ""),
    (&["refresh"], ""),
    (&["token"], ""),
    (&["logout"], ""),
    (&["login", "--with-token"], "a-personal-token\n"),
    (
        &["profile", "set", "--client-secret-stdin"],
        "a-new-secret\n",
    ),
    (&["login", "--no-browser", "--timeout", "5"], ""),
];

#[tokio::test(flavor = "multi_thread")]
async fn without_a_secret_service_every_command_says_so_and_the_tokens_wait() {
    let mut env = Env::start().await;
    env.login().await;
    let uid = env.profile_uid();
    let secrets = secrets(None, &uid);
    let (files_before, stats_before) = (files(&env), env.sandbox.stats());

    // The same user, on a session bus where no Secret Service runs (a minimal server, WSL).
    let bus = PrivateKeyring::bus_only();
    env.extra_env.push(bus.env());
    for (args, stdin) in NEED_A_SECRET {
        let err = fails_with(&env, args, stdin, "vault.unavailable").await;
        assert!(
            err.contains("No Secret Service") && err.contains("start gnome-keyring"),
            "{args:?}: the message names the cause and the fix: {err}"
        );
    }
    let status = env.status().await;
    assert_eq!(status["keyring"]["ok"], false);
    assert_eq!(status["keyring"]["code"], "vault.unavailable");
    assert_eq!(
        files(&env),
        files_before,
        "nothing in the config home changed"
    );
    assert_no_requests(stats_before, env.sandbox.stats());

    // The fix: the Secret Service is back. The tokens were never touched.
    env.extra_env.pop();
    env.ok(&["call", "GET", "ping"]).await;
    assert_eq!(self::secrets(None, &uid), secrets);
    env.assert_no_secret_anywhere(&secrets);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_locked_keyring_says_unlock_it_and_works_once_unlocked() {
    let mut keyring = PrivateKeyring::start();
    let bus = Some(keyring.address().to_string());
    let mut env = Env::start().await;
    env.extra_env.push(keyring.env());
    env.login().await;
    let uid = env.profile_uid();
    let secrets = secrets(bus.as_deref(), &uid);
    let (files_before, stats_before) = (files(&env), env.sandbox.stats());

    keyring.lock();
    for (args, stdin) in NEED_A_SECRET {
        let err = fails_with(&env, args, stdin, "vault.locked").await;
        assert!(
            err.contains("keyring is locked") && err.contains("unlock it first"),
            "{args:?}: the message names the cause and the fix: {err}"
        );
    }
    let status = env.status().await;
    assert_eq!(status["keyring"]["code"], "vault.locked");
    assert_eq!(
        files(&env),
        files_before,
        "nothing in the config home changed"
    );
    assert_no_requests(stats_before, env.sandbox.stats());

    // The fix: unlocking, as logging in again does (the daemon starts over the same keyring
    // file and unlocks it with the login password).
    keyring.kill_daemon();
    keyring.start_daemon();
    env.ok(&["call", "GET", "ping"]).await;
    env.ok(&["refresh"]).await;
    assert_eq!(
        keyring_lookup_on(bus.as_deref(), &uid, "client-secret").as_deref(),
        Some(secrets[2].as_str()),
        "the entries survived"
    );
    env.assert_no_secret_anywhere(&secrets);
}

#[tokio::test(flavor = "multi_thread")]
async fn entries_deleted_behind_the_apps_back_are_named_and_reconnecting_fixes_them() {
    let env = Env::start().await;
    env.login().await;
    let uid = env.profile_uid();
    let mut seen = secrets(None, &uid);

    // The access token alone: the refresh token gets a new one, and the call goes through.
    keyring_clear_on(None, &uid, "access-token");
    let refreshes = env.sandbox.stats().successful_refreshes;
    env.ok(&["call", "GET", "ping"]).await;
    assert_eq!(env.sandbox.stats().successful_refreshes, refreshes + 1);
    seen.extend(keyring_lookup_on(None, &uid, "access-token"));
    seen.extend(keyring_lookup_on(None, &uid, "refresh-token"));

    // The refresh token alone: calls go on with the access token; a refresh says what's
    // missing and how to get it back.
    keyring_clear_on(None, &uid, "refresh-token");
    env.ok(&["call", "GET", "ping"]).await;
    assert_eq!(env.status().await["has_refresh_token"], false);
    let err = fails_with(&env, &["refresh"], "", "session.no_refresh_token").await;
    assert!(
        err.contains("has no refresh token") && err.contains("connect again"),
        "{err}"
    );
    assert!(!err.contains("expired"), "nothing expired: {err}");
    env.login().await;
    env.ok(&["refresh"]).await;
    seen.extend(secrets(None, &uid));

    // Both: the status stops saying "connected", and a call names the keyring.
    let before = env.sandbox.stats();
    keyring_clear_on(None, &uid, "access-token");
    keyring_clear_on(None, &uid, "refresh-token");
    assert_eq!(env.status().await["state"], "needs_reconnect");
    let err = fails_with(&env, &["call", "GET", "ping"], "", "session.tokens_missing").await;
    assert!(
        err.contains("no longer in the keyring") && err.contains("connect again"),
        "{err}"
    );
    assert_no_requests(before, env.sandbox.stats());
    env.login().await;
    env.ok(&["call", "GET", "ping"]).await;
    seen.extend(secrets(None, &uid));

    // The client secret: thanks.io refuses the refresh; setting the secret again fixes it.
    keyring_clear_on(None, &uid, "client-secret");
    let err = fails_with(&env, &["refresh"], "", "token.invalid_client").await;
    assert!(err.contains("client secret"), "{err}");
    assert_eq!(
        env.status().await["state"],
        "connected",
        "nothing else is lost"
    );
    let secret = format!("{}\n", env.sandbox.client_secret());
    let out = env
        .run(&["profile", "set", "--client-secret-stdin"], &secret)
        .await;
    assert!(out.status.success());
    env.ok(&["refresh"]).await;
    env.ok(&["call", "GET", "ping"]).await;

    // A personal access token (one thanks.io accepts, since it is checked before it is kept:
    // another profile's access token, which the sandbox takes as a bearer).
    env.login_as("donor").await;
    // Printing a token is `token`'s job: run outside the transcript the canary search reads.
    let printed = env
        .command(&["--profile", "donor", "token"])
        .output()
        .await
        .unwrap();
    assert!(printed.status.success());
    let pat = String::from_utf8(printed.stdout)
        .unwrap()
        .trim()
        .to_string();
    let out = env
        .run(&["login", "--with-token"], &format!("{pat}\n"))
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    keyring_clear_on(None, &uid, "personal-token");
    assert_eq!(env.status().await["state"], "needs_reconnect");
    fails_with(&env, &["call", "GET", "ping"], "", "session.tokens_missing").await;

    seen.extend(keyring_lookup_on(None, &uid, "client-secret"));
    seen.push(pat);
    env.assert_no_secret_anywhere(&seen);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_keyring_daemon_restarted_while_a_login_waits_is_used_again() {
    let mut keyring = PrivateKeyring::start();
    let mut env = Env::start().await;
    env.extra_env.push(keyring.env());
    env.setup_profile().await;

    // The login's PKCE verifier is in the keyring when the daemon dies and comes back.
    let (mut child, url) = env.start_login().await;
    keyring.kill_daemon();
    keyring.start_daemon();
    let callback = env.consent(&url, false).await;
    {
        use tokio::io::AsyncWriteExt;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(format!("{callback}\n").as_bytes())
            .await
            .unwrap();
    }
    let out = env.finish(child).await;
    assert!(
        out.status.success(),
        "login after the restart: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    env.ok(&["call", "GET", "ping"]).await;

    // Dead when the callback arrives: a plain error, and nothing is stored anywhere else.
    let (mut child, url) = env.start_login().await;
    keyring.kill_daemon();
    let callback = env.consent(&url, false).await;
    {
        use tokio::io::AsyncWriteExt;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(format!("{callback}\n").as_bytes())
            .await
            .unwrap();
    }
    let out = env.finish(child).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("[vault.unavailable]") && err.contains("Secret Service"),
        "{err}"
    );
    keyring.start_daemon();
    env.login().await;
    env.ok(&["call", "GET", "ping"]).await;
    let uid = env.profile_uid();
    env.assert_no_secret_anywhere(&secrets(Some(keyring.address()), &uid));
}
