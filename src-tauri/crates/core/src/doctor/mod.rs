//! *Check this computer* (`thanksctl doctor`, the Account panel's button): the things outside
//! the app that a sign-in depends on, each checked for real and, when it fails, explained with
//! the fix in one sentence.
//!
//! The checks: the keyring answers a write, read and delete; this build's link scheme is the
//! default handler (Linux: `xdg-mime`); a browser opener exists; the loopback port is free;
//! this computer's clock agrees with the token endpoint's `Date` header; the profile's redirect
//! URI is a form thanks.io accepts. What depends on the operating system comes in through
//! [`SystemProbes`] ([`os::OsProbes`] for the real one), so the checks are tested with fakes.
//! Nothing here changes anything; fixes the app can make itself are named by `action`.

pub mod os;

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use url::Url;

use crate::Engine;
use crate::config::Profile;

/// A loopback redirect's documented fallback port (README, *Connecting a real thanks.io account*).
pub const FALLBACK_LOOPBACK_PORT: u16 = 53682;
/// Past this, token expiry times computed here are wrong enough to break refresh.
pub const MAX_CLOCK_SKEW_SECS: i64 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Ok,
    /// Could not tell, or works with a caveat.
    Warn,
    Fail,
    /// Does not apply here (another platform, no profile).
    Skipped,
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Stable id: keyring | link_handler | browser | loopback_port | clock | redirect_uri.
    pub id: &'static str,
    pub title: &'static str,
    pub status: CheckStatus,
    /// What was found, in plain words.
    pub detail: String,
    /// The fix in one sentence, when the check did not pass.
    pub fix: Option<String>,
    /// A fix the app can make itself: "register_link_handler".
    pub action: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DoctorReport {
    /// True when no check failed (warnings allowed).
    pub ok: bool,
    pub profile: Option<String>,
    pub checks: Vec<Check>,
}

/// Who handles a link scheme, as the desktop says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handler {
    /// This app (the desktop entry's name).
    Ours(String),
    /// Another program's entry.
    Other(String),
    Nobody,
    /// The platform registers schemes from the installed bundle; nothing to check at run time.
    NotApplicable(&'static str),
    /// The probe itself failed (e.g. `xdg-mime` missing); why.
    Unknown(String),
}

/// The operating-system facts the checks need. Blocking: called on a blocking thread.
pub trait SystemProbes: Send + Sync + 'static {
    fn link_handler(&self, scheme: &str) -> Handler;
    /// `Ok(what opens web pages)` or `Err(why nothing can)`.
    fn browser_opener(&self) -> Result<String, String>;
}

/// What to check: the profile (optional) and the link scheme of the app in question.
#[derive(Debug, Clone)]
pub struct DoctorInput {
    pub profile: Option<Profile>,
    pub scheme: String,
    /// Timeout for the clock check's request.
    pub timeout: Duration,
}

impl Engine {
    /// Runs every check; never fails as a whole (a check that can't run says so).
    pub async fn doctor(&self, input: DoctorInput, probes: Arc<dyn SystemProbes>) -> DoctorReport {
        let keyring = self.check_keyring().await;
        let scheme = input.scheme.clone();
        let p2 = Arc::clone(&probes);
        let (handler, browser) =
            tokio::task::spawn_blocking(move || (p2.link_handler(&scheme), p2.browser_opener()))
                .await
                .unwrap_or_else(|_| {
                    (
                        Handler::Unknown("the check stopped".into()),
                        Err("the check stopped".into()),
                    )
                });
        let profile = input.profile.as_ref();
        let checks = vec![
            keyring,
            check_handler(&input.scheme, handler),
            check_browser(browser),
            check_port(profile).await,
            check_clock(profile, self.now(), input.timeout).await,
            check_redirect(profile),
        ];
        DoctorReport {
            ok: checks.iter().all(|c| c.status != CheckStatus::Fail),
            profile: profile.map(|p| p.name.clone()),
            checks,
        }
    }

    async fn check_keyring(&self) -> Check {
        let backend = self.vault().backend_name();
        match self.vault().check().await {
            Ok(()) => check(
                "keyring",
                ok(format!("{backend} answered a write, a read and a delete.")),
            ),
            Err(e) => check(
                "keyring",
                fail(
                    format!("{backend} didn't answer: {e}"),
                    "Start or unlock the system keyring (gnome-keyring or KWallet on Linux), then run the check again.",
                    None,
                ),
            ),
        }
    }
}

struct Outcome {
    status: CheckStatus,
    detail: String,
    fix: Option<String>,
    action: Option<&'static str>,
}

fn ok(detail: impl Into<String>) -> Outcome {
    Outcome {
        status: CheckStatus::Ok,
        detail: detail.into(),
        fix: None,
        action: None,
    }
}
fn skipped(detail: impl Into<String>) -> Outcome {
    Outcome {
        status: CheckStatus::Skipped,
        detail: detail.into(),
        fix: None,
        action: None,
    }
}
fn warn(detail: impl Into<String>, fix: impl Into<String>) -> Outcome {
    Outcome {
        status: CheckStatus::Warn,
        detail: detail.into(),
        fix: Some(fix.into()),
        action: None,
    }
}
fn fail(
    detail: impl Into<String>,
    fix: impl Into<String>,
    action: Option<&'static str>,
) -> Outcome {
    Outcome {
        status: CheckStatus::Fail,
        detail: detail.into(),
        fix: Some(fix.into()),
        action,
    }
}

fn check(id: &'static str, o: Outcome) -> Check {
    let title = match id {
        "keyring" => "Keyring",
        "link_handler" => "Link handler",
        "browser" => "Browser",
        "loopback_port" => "Loopback port",
        "clock" => "Clock",
        _ => "Redirect URI",
    };
    Check {
        id,
        title,
        status: o.status,
        detail: o.detail,
        fix: o.fix,
        action: o.action,
    }
}

fn check_handler(scheme: &str, handler: Handler) -> Check {
    let register = "Use Register the link handler (in the app's Check this computer) or reinstall \
                    the app's package, so sign-in and setup links open Thanks Connect.";
    let o = match handler {
        Handler::Ours(entry) => ok(format!("{scheme}: links open Thanks Connect ({entry}).")),
        Handler::Other(entry) => fail(
            format!("{scheme}: links open another program ({entry})."),
            register,
            Some("register_link_handler"),
        ),
        Handler::Nobody => fail(
            format!("{scheme}: no program is registered for these links."),
            register,
            Some("register_link_handler"),
        ),
        Handler::NotApplicable(why) => skipped(why),
        Handler::Unknown(why) => warn(
            format!("{scheme}: couldn't tell who opens these links ({why})."),
            "Install xdg-utils, or use a loopback redirect URI (http://127.0.0.1:PORT/…).",
        ),
    };
    check("link_handler", o)
}

fn check_browser(found: Result<String, String>) -> Check {
    let o = match found {
        Ok(what) => ok(format!("Web pages open with {what}.")),
        Err(why) => fail(
            format!("Nothing here can open a web page: {why}."),
            "Install a web browser (and xdg-utils), or use Copy sign-in address and open it yourself.",
            None,
        ),
    };
    check("browser", o)
}

async fn check_port(profile: Option<&Profile>) -> Check {
    let (port, whose) = match profile {
        Some(p) if p.uses_loopback_redirect() => (
            p.redirect_uri.port().unwrap_or(FALLBACK_LOOPBACK_PORT),
            format!("profile \"{}\"'s redirect URI", p.name),
        ),
        _ => (FALLBACK_LOOPBACK_PORT, "the loopback fallback".to_string()),
    };
    let o = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => {
            drop(listener);
            ok(format!("127.0.0.1:{port} ({whose}) is free."))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => fail(
            format!("127.0.0.1:{port} ({whose}) is in use by another program."),
            "Close the program using that port, or choose another port in the redirect URI and register that one on thanks.io.",
            None,
        ),
        Err(e) => warn(
            format!("Couldn't listen on 127.0.0.1:{port}: {e}."),
            "Check that no firewall or sandbox blocks listening on 127.0.0.1.",
        ),
    };
    check("loopback_port", o)
}

async fn check_clock(profile: Option<&Profile>, now: i64, timeout: Duration) -> Check {
    let Some(p) = profile else {
        return check("clock", skipped("No profile to compare clocks with."));
    };
    let o = match server_time(&p.token_url, timeout).await {
        Ok(server) => {
            let skew = now - server;
            let host = p
                .token_url
                .host_str()
                .unwrap_or("the token endpoint")
                .to_string();
            if skew.abs() > MAX_CLOCK_SKEW_SECS {
                let mins = skew.abs() / 60;
                let dir = if skew > 0 { "ahead of" } else { "behind" };
                fail(
                    format!(
                        "This computer's clock is {mins} minutes {dir} {host}'s; token expiry times would be wrong."
                    ),
                    "Turn on automatic date and time (network time) in the system settings.",
                    None,
                )
            } else {
                ok(format!(
                    "This computer's clock agrees with {host}'s (off by {} s).",
                    skew.abs()
                ))
            }
        }
        Err(why) => warn(
            format!("Couldn't compare clocks: {why}."),
            "Check the connection to thanks.io, then run the check again.",
        ),
    };
    check("clock", o)
}

/// The `Date` header of the token endpoint (any answer carries one; no credentials are sent).
async fn server_time(token_url: &Url, timeout: Duration) -> Result<i64, String> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout);
    if matches!(token_url.host_str(), Some("127.0.0.1" | "[::1]")) {
        builder = builder.no_proxy();
    }
    let client = builder.build().map_err(|_| "no HTTP client".to_string())?;
    let response = client.head(token_url.clone()).send().await.map_err(|e| {
        if e.is_timeout() {
            format!(
                "{} didn't answer in time",
                token_url.host_str().unwrap_or("the server")
            )
        } else {
            format!(
                "{} can't be reached",
                token_url.host_str().unwrap_or("the server")
            )
        }
    })?;
    let date = response
        .headers()
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .ok_or("the answer had no Date header")?;
    parse_http_date(date).ok_or_else(|| "the answer's Date header isn't a date".to_string())
}

/// An IMF-fixdate (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`, as Unix time.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(s.trim(), format)
        .ok()
        .map(|t| t.assume_utc().unix_timestamp())
}

fn check_redirect(profile: Option<&Profile>) -> Check {
    let Some(p) = profile else {
        return check("redirect_uri", skipped("No profile to check."));
    };
    check("redirect_uri", redirect::assess(&p.redirect_uri))
}

mod redirect;

#[cfg(test)]
mod tests;
