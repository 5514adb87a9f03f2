//! Log lines on stderr are coloured only on a terminal, and never with `NO_COLOR` set: a log
//! redirected to a file or a pipe holds plain text, not escape codes.

#[cfg(target_os = "linux")]
use std::process::Stdio;

use crate::harness::Env;

const ESC: &str = "\u{1b}[";

/// Runs `thanksctl -v refresh` (which logs the token request) with its output on a pseudo-terminal (util-linux `script`), and
/// returns what the terminal received. Linux only, like the test that uses it (`script` is
/// util-linux's).
#[cfg(target_os = "linux")]
async fn on_a_terminal(env: &Env, extra: &[(&str, &str)]) -> String {
    let line = format!("{} -v refresh", env!("CARGO_BIN_EXE_thanksctl"));
    let mut c = tokio::process::Command::new("script");
    c.args(["-qec", &line, "/dev/null"])
        .env("THANKS_CONNECT_HOME", env.home.path())
        .env("RUST_LOG", "debug")
        .env_remove("NO_COLOR")
        .env_remove("THANKS_CONNECT_PROFILE")
        .stdin(Stdio::null());
    for (k, v) in extra {
        c.env(k, v);
    }
    let out = c.output().await.expect("script (util-linux) runs");
    let seen = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        seen.contains("DEBUG") || seen.contains("INFO"),
        "no log lines reached the terminal: {seen}"
    );
    seen
}

#[tokio::test(flavor = "multi_thread")]
async fn logs_redirected_away_from_a_terminal_are_plain_text() {
    let env = Env::start().await;
    env.login().await;
    let out = env.run(&["-v", "refresh"], "").await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("DEBUG") || stderr.contains("INFO"),
        "no log lines: {stderr}"
    );
    assert!(
        !stderr.contains(ESC),
        "colour codes in a redirected log: {stderr:?}"
    );
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread")]
async fn logs_on_a_terminal_are_coloured_unless_no_color_is_set() {
    let env = Env::start().await;
    env.login().await;
    let coloured = on_a_terminal(&env, &[]).await;
    assert!(
        coloured.contains(ESC),
        "no colour on a terminal: {coloured:?}"
    );
    let plain = on_a_terminal(&env, &[("NO_COLOR", "1")]).await;
    assert!(!plain.contains(ESC), "colour despite NO_COLOR: {plain:?}");
    // An empty NO_COLOR means "not set" (no-color.org).
    let empty = on_a_terminal(&env, &[("NO_COLOR", "")]).await;
    assert!(
        empty.contains(ESC),
        "an empty NO_COLOR turned colour off: {empty:?}"
    );
}
