//! The support desk on the command line: `status --all`, `events`, `report`, and the timeline
//! written by several `thanksctl` processes at once.

use std::time::Duration;

use serde_json::Value;
use thanks_sandbox::{Faults, SandboxConfig};

use crate::harness::{Env, keyring_lookup};

fn invalid_grant_next() -> Faults {
    Faults {
        invalid_grant_next_refresh: true,
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn status_all_shows_three_profiles_in_three_states() {
    let env = Env::start().await;
    env.login_as("good").await;
    env.sandbox.set_access_token_ttl(Duration::from_secs(1));
    env.login_as("stale").await;
    env.sandbox.set_access_token_ttl(Duration::from_secs(3600));
    env.login_as("broken").await;
    env.sandbox.set_faults(invalid_grant_next());
    env.fails(&["--profile", "broken", "refresh"], "").await;
    env.ok(&["--profile", "good", "call", "GET", "ping"]).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;

    let json: Value = serde_json::from_str(&env.ok(&["status", "--all", "--json"]).await).unwrap();
    assert_eq!(json["keyring"]["ok"], true);
    let rows = json["accounts"].as_array().unwrap();
    let summary: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["profile"].as_str().unwrap(), r["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        summary,
        [
            ("broken", "needs_reconnect"),
            ("good", "connected"),
            ("stale", "expired")
        ]
    );
    assert_eq!(
        rows[2]["has_refresh_token"], true,
        "expired, with a refresh token"
    );
    let refresh = &rows[0]["last_refresh"];
    assert_eq!(refresh["ok"], false);
    assert_eq!(refresh["code"], "token.invalid_grant");
    assert_eq!(refresh["trigger"], "manual");
    assert_eq!(refresh["by"]["process"], "thanksctl");
    assert_eq!(rows[1]["last_call"]["status"], 200);
    assert_eq!(rows[1]["last_call"]["actor"]["process"], "thanksctl");
    assert!(rows[2]["last_call"].is_null());

    let text = env.ok(&["status", "--all"]).await;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("PROFILE") && lines[0].contains("LAST API CALL"));
    assert!(lines[1].starts_with("broken") && lines[1].contains("needs reconnect"));
    assert!(lines[1].contains("failed [token.invalid_grant]"), "{text}");
    assert!(lines[2].contains("connected") && lines[2].contains("HTTP 200"));
    assert!(
        lines[3].contains("expired") && lines[3].contains("ago"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn events_tell_what_happened_why_and_who() {
    let env = Env::start().await;
    env.login().await;
    env.ok(&["refresh"]).await;
    env.sandbox.expire_access_tokens();
    env.ok(&["call", "GET", "orders/list"]).await;
    env.ok(&["validate"]).await;
    env.sandbox.set_faults(invalid_grant_next());
    env.fails(&["refresh"], "").await;
    env.ok(&["logout"]).await;

    let json: Value = serde_json::from_str(&env.ok(&["events", "--json"]).await).unwrap();
    let events = json.as_array().unwrap();
    let seen: Vec<String> = events
        .iter()
        .map(|e| {
            let mut s = e["kind"].as_str().unwrap().to_string();
            if let Some(t) = e["trigger"].as_str() {
                s = format!("{s}/{t}");
            }
            if let Some(c) = e["code"].as_str() {
                s = format!("{s}/{c}");
            }
            s
        })
        .collect();
    assert_eq!(
        seen,
        [
            "login_started",
            "login_completed",
            "refreshed/manual",
            "refreshed/after_401",
            "validated",
            "refresh_failed/manual/token.invalid_grant",
            "needs_reconnect/session.needs_reconnect",
            "disconnected",
        ]
    );
    assert!(events.iter().all(|e| e["profile"] == "default"
        && e["actor"]["process"] == "thanksctl"
        && e["time"].as_str().unwrap().ends_with('Z')));
    // Each event names the process that wrote it: one run, one pid.
    assert_ne!(events[2]["actor"]["pid"], events[3]["actor"]["pid"]);
    assert_eq!(events[4]["status"], 200);

    let text = env
        .ok(&["--profile", "default", "events", "--last", "3"])
        .await;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0]
            .contains("refresh failed (manual) failed [token.invalid_grant] by thanksctl (pid ")
    );
    assert!(lines[2].contains("disconnected"));
    assert!(
        !lines[2].contains("[default]"),
        "one profile: not named on each line"
    );
    let all = env.ok(&["events", "--last", "1"]).await;
    assert!(all.contains("[default]  disconnected"), "{all}");

    let (code, err) = env.fails(&["--profile", "nope", "events"], "").await;
    assert_eq!(code, 2);
    assert!(err.contains("[profile.not_found]"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_report_has_everything_support_needs_and_no_secret() {
    let client_secret = "CANARY-report-secret-51c2";
    let mut env = Env::with(SandboxConfig {
        client_secret: client_secret.into(),
        ..Default::default()
    })
    .await;
    // The app's log where the report looks for it, with credentials a careless line could hold.
    let data = tempfile::tempdir().unwrap();
    let logs = data.path().join("dev.thanksconnect.app.debug/logs");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(
        logs.join("thanks-connect.2026-01-01.log"),
        "INFO started\nWARN callback /oauth/callback?code=CANARYCODE9&state=CANARYSTATE9 odd\n",
    )
    .unwrap();
    env.extra_env
        .push(("XDG_DATA_HOME".into(), data.path().display().to_string()));
    env.login().await;
    let uid = env.profile_uid();
    let mut tokens: Vec<String> = ["access-token", "refresh-token"]
        .iter()
        .filter_map(|k| keyring_lookup(&uid, k))
        .collect();
    env.ok(&["refresh"]).await;
    tokens.extend(
        ["access-token", "refresh-token"]
            .iter()
            .filter_map(|k| keyring_lookup(&uid, k)),
    );
    env.sandbox.set_faults(invalid_grant_next());
    env.fails(&["refresh"], "").await;

    let text = env.ok(&["report"]).await;
    for expected in [
        "Thanks Connect diagnostic report",
        "Made by         thanksctl 0.1.0 (debug build)",
        "Keyring         Secret Service: available",
        "Links dev.thanksconnect.app:",
        "Profiles (1)",
        "[default]",
        &format!("Client id       {}", env.sandbox.client_id()),
        "Client secret   set (in the keyring)",
        &format!("API base        {}", env.sandbox.api_base()),
        "State           needs reconnect",
        "Last refresh",
        "Timeline (last 5 of 5 events):",
        "refresh failed (manual) failed [token.invalid_grant]",
        "token.invalid_grant: 1×",
        "Recent log lines (",
        "callback /oauth/callback?code=••••••&state=•••••• odd",
    ] {
        assert!(
            text.contains(expected),
            "the report lacks {expected:?}:\n{text}"
        );
    }
    let callback = env.last_callback.lock().unwrap().clone().unwrap();
    let query = callback.split_once('?').unwrap().1.to_string();
    let mut canaries: Vec<String> = query
        .split('&')
        .filter_map(|p| p.split_once('=').map(|(_, v)| v.to_string()))
        .collect();
    canaries.extend(tokens);
    canaries.extend(["CANARYCODE9", "CANARYSTATE9", client_secret].map(String::from));
    assert!(canaries.len() >= 7);
    for c in &canaries {
        assert!(!text.contains(c.as_str()), "a secret is in the report");
    }

    let out = env.home.path().join("report.txt");
    let err = env.run(&["report", "-o", out.to_str().unwrap()], "").await;
    assert!(err.status.success());
    let saved = std::fs::read_to_string(&out).unwrap();
    assert!(saved.starts_with("Thanks Connect diagnostic report"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn five_thanksctl_processes_write_one_timeline_without_losing_a_line() {
    const WRITERS: usize = 5;
    const EACH: usize = 8;
    let env = Env::start().await;
    env.setup_profile().await;
    let writers = (0..WRITERS).map(|w| {
        let env = &env;
        async move {
            for n in 0..EACH {
                let out = env
                    .run(&["login", "--with-token"], &format!("pat-{w}-{n}\n"))
                    .await;
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    });
    futures_join_all(writers).await;

    let file = env
        .home
        .path()
        .join("events")
        .join(format!("{}.jsonl", env.profile_uid()));
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.ends_with('\n'));
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("torn line {l:?}: {e}")))
        .collect();
    assert_eq!(lines.len(), WRITERS * EACH, "one event per run, none lost");
    let mut pids: Vec<u64> = lines
        .iter()
        .map(|e| {
            assert_eq!(e["kind"], "personal_token_saved");
            e["actor"]["pid"].as_u64().unwrap()
        })
        .collect();
    pids.sort_unstable();
    pids.dedup();
    assert_eq!(pids.len(), WRITERS * EACH, "forty processes, forty events");
}

/// Runs the futures concurrently on this task (no extra dependency for join_all).
async fn futures_join_all<F: std::future::Future<Output = ()>>(futures: impl Iterator<Item = F>) {
    let mut set: Vec<std::pin::Pin<Box<F>>> = futures.map(Box::pin).collect();
    std::future::poll_fn(|cx| {
        set.retain_mut(|f| f.as_mut().poll(cx).is_pending());
        if set.is_empty() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
}
