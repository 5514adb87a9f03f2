//! `thanksctl status --all | events | validate | report`: the support desk on a terminal.

use std::path::PathBuf;

use thanks_core::report::{self, APP_IDENTIFIERS, ReportContext};
use thanks_core::tokens::AuthKind;
use thanks_core::{AccountView, Engine, Result, TokenState};

use crate::output::{duration, print_json};

pub async fn status_all(engine: &Engine, json: bool) -> Result<()> {
    let view = engine.accounts().await?;
    if json {
        print_json(&view);
        return Ok(());
    }
    let mut rows = vec![
        [
            "PROFILE",
            "STATE",
            "AUTH",
            "EXPIRES",
            "REFRESH TOKEN",
            "LAST REFRESH",
            "LAST API CALL",
            "KEYRING",
        ]
        .map(String::from),
    ];
    rows.extend(view.accounts.iter().map(row));
    let widths: Vec<usize> = (0..8)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        println!("{}", cells.join("  ").trim_end());
    }
    Ok(())
}

fn row(a: &AccountView) -> [String; 8] {
    let s = &a.status;
    let state = match s.state {
        TokenState::Connected => "connected",
        TokenState::Expired => "expired",
        TokenState::NeedsReconnect => "needs reconnect",
        TokenState::Disconnected => "disconnected",
    };
    let auth = match s.auth {
        Some(AuthKind::Oauth) => "OAuth",
        Some(AuthKind::PersonalToken) => "personal token",
        None => "—",
    };
    let expires = match s.expires_in_secs {
        Some(left) if left > 0 => format!("in {}", duration(left)),
        Some(left) => format!("{} ago", duration(left)),
        None if s.state == TokenState::Disconnected => "—".into(),
        None => "never".into(),
    };
    let refresh = match &s.last_refresh {
        None => "never".to_string(),
        Some(r) => {
            let result = if r.ok {
                "ok".to_string()
            } else {
                format!("failed [{}]", r.code.as_deref().unwrap_or("?"))
            };
            let how = r.trigger.map(report::trigger_words).unwrap_or("?");
            let by = r.by.as_ref().map_or("?", |b| b.process.as_str());
            format!("{result} {}, {how}, by {by}", ago(&r.at))
        }
    };
    let call = match &a.last_call {
        None => "—".to_string(),
        Some(c) => {
            let result = match (c.status, &c.code) {
                (Some(st), _) => format!("HTTP {st}"),
                (None, code) => format!("failed [{}]", code.as_deref().unwrap_or("?")),
            };
            format!(
                "{result} {} ago by {}",
                duration(c.age_secs),
                c.actor.process
            )
        }
    };
    let keyring = if s.keyring.ok {
        "ok".to_string()
    } else {
        s.keyring
            .code
            .clone()
            .unwrap_or_else(|| "unavailable".into())
    };
    [
        s.profile.clone(),
        state.into(),
        auth.into(),
        expires,
        if s.has_refresh_token { "yes" } else { "no" }.into(),
        refresh,
        call,
        keyring,
    ]
}

/// "3m 5s ago" for an RFC 3339 time, or the time itself if it can't be read.
fn ago(at: &str) -> String {
    let parsed = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339);
    match parsed {
        Ok(t) => {
            let secs = (time::OffsetDateTime::now_utc() - t).whole_seconds();
            format!("{} ago", duration(secs))
        }
        Err(_) => at.to_string(),
    }
}

/// One profile's timeline (`--profile`), or every profile's merged.
pub async fn events(
    engine: &Engine,
    profile: Option<&str>,
    json: bool,
    last: Option<usize>,
) -> Result<()> {
    let mut events = match profile {
        Some(p) => engine.events(p).await?,
        None => engine.events_all().await?,
    };
    if let Some(n) = last {
        events.drain(..events.len().saturating_sub(n));
    }
    if json {
        print_json(&events);
    } else if events.is_empty() {
        eprintln!("No events yet.");
    } else {
        for e in &events {
            println!("{}", report::event_line(e, profile.is_none()));
        }
    }
    Ok(())
}

pub async fn validate(engine: &Engine, profile: &str) -> Result<()> {
    let v = engine.validate(profile).await?;
    println!("{} ({} in {:.0} ms)", v.message, v.endpoint, v.ms);
    Ok(())
}

pub async fn report(engine: &Engine, output: Option<PathBuf>) -> Result<()> {
    let ctx = ReportContext {
        made_by: format!(
            "thanksctl {} ({})",
            env!("CARGO_PKG_VERSION"),
            report::build_kind()
        ),
        schemes: APP_IDENTIFIERS.map(String::from).to_vec(),
        log_dirs: report::system::app_log_dirs(&APP_IDENTIFIERS),
    };
    let r = engine.report(&ctx).await?;
    match output {
        None => print!("{}", r.text),
        Some(path) => {
            thanks_core::util::write_atomic(&path, r.text.as_bytes()).map_err(|e| {
                thanks_core::Error::InvalidInput {
                    field: "--output".into(),
                    problem: format!("couldn't write {}: {e}", path.display()),
                }
            })?;
            eprintln!("Diagnostic report written to {}.", path.display());
        }
    }
    Ok(())
}
