//! Opening the system browser (RFC 8252 §4: never an embedded web view).
//!
//! `$BROWSER` wins when set (the freedesktop convention; tests use it to play the user), then
//! the platform opener. The opener is not waited on in the login's path: a real browser may
//! keep running. A quick failure is reported so the user can copy the URL instead.

use std::process::Stdio;

use tokio::process::Command;

/// Starts the browser; resolves with a plain reason if it could not be started or failed.
pub async fn open(url: &str) -> Result<(), String> {
    let mut cmd = match std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty())
    {
        Some(b) => {
            // $BROWSER may be a ':'-separated list; the first entry is used.
            let first = b.split(':').next().unwrap_or_default().to_string();
            let mut parts = first.split_whitespace();
            let program = parts.next().unwrap_or_default().to_string();
            let mut c = Command::new(program);
            let args: Vec<&str> = parts.collect();
            if args.iter().any(|a| a.contains("%s")) {
                c.args(args.iter().map(|a| a.replace("%s", url)));
            } else {
                c.args(args).arg(url);
            }
            c
        }
        None if cfg!(target_os = "macos") => {
            let mut c = Command::new("open");
            c.arg(url);
            c
        }
        None if cfg!(windows) => {
            let mut c = Command::new("rundll32");
            c.args(["url.dll,FileProtocolHandler", url]);
            c
        }
        None => {
            let mut c = Command::new("xdg-open");
            c.arg(url);
            c
        }
    };
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(false);
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("couldn't start a browser ({e})"))?;
    match child.wait().await {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("the browser command failed ({status})")),
        Err(e) => Err(format!("the browser command failed ({e})")),
    }
}
