//! `thanksctl doctor`: the same checks as the window's *Check this computer*.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use thanks_core::Engine;
use thanks_core::doctor::os::OsProbes;
use thanks_core::doctor::{CheckStatus, DoctorInput};
use thanks_core::setup::link::APP_SCHEME;

use crate::output::{self, EXIT_FAILURE, print_json};

pub async fn run(engine: &Engine, profile: &str, json: bool, scheme: Option<String>) -> ExitCode {
    let config = match engine.config() {
        Ok(c) => c,
        Err(e) => return output::error(&e),
    };
    let profile = config.get(profile).cloned();
    // The app's own scheme is what the profile redirects to, when it uses one.
    let scheme = scheme.unwrap_or_else(|| {
        profile
            .as_ref()
            .map(|p| p.redirect_uri.scheme())
            .filter(|s| !matches!(*s, "http" | "https"))
            .unwrap_or(APP_SCHEME)
            .to_string()
    });
    let input = DoctorInput {
        profile,
        scheme,
        timeout: Duration::from_secs(10),
    };
    let report = engine.doctor(input, Arc::new(OsProbes)).await;
    if json {
        print_json(&report);
    } else {
        match &report.profile {
            Some(p) => println!("Checking this computer for profile \"{p}\":"),
            None => println!("Checking this computer (no profile yet: its checks are skipped):"),
        }
        for c in &report.checks {
            let mark = match c.status {
                CheckStatus::Ok => "ok  ",
                CheckStatus::Warn => "warn",
                CheckStatus::Fail => "FAIL",
                CheckStatus::Skipped => "skip",
            };
            println!("{mark}  {:<14} {}", c.title, c.detail);
            if let Some(fix) = &c.fix {
                println!("      {:<14} Fix: {fix}", "");
            }
        }
    }
    if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILURE)
    }
}
