//! How `thanksctl` speaks: results on stdout, one-line reasons on stderr.

use std::process::ExitCode;

use thanks_core::{Error, StatusView, TokenState};

/// Exit status for "something went wrong" (not an HTTP error status).
pub const EXIT_FAILURE: u8 = 2;

pub fn error(e: &Error) -> ExitCode {
    fail(&e.to_string(), e.code())
}

pub fn fail(message: &str, code: &str) -> ExitCode {
    eprintln!("thanksctl: {message} [{code}]");
    ExitCode::from(EXIT_FAILURE)
}

pub fn print_json(value: &impl serde::Serialize) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("serializable")
    );
}

pub use thanks_core::util::human_duration as duration;

pub fn print_status(v: &StatusView) {
    let state = match v.state {
        TokenState::Connected => "connected",
        TokenState::Expired => "expired",
        TokenState::NeedsReconnect => "needs reconnect",
        TokenState::Disconnected => "disconnected",
    };
    let expiry = match (&v.expires_at, v.expires_in_secs) {
        (Some(at), Some(left)) if left > 0 => format!("in {} ({at})", duration(left)),
        (Some(at), Some(left)) => format!("{} ago ({at})", duration(left)),
        _ if v.state == TokenState::Disconnected => "—".into(),
        _ => "never (no expiry given)".into(),
    };
    let auth = match v.auth {
        Some(thanks_core::tokens::AuthKind::Oauth) => "OAuth",
        Some(thanks_core::tokens::AuthKind::PersonalToken) => "personal access token",
        None => "—",
    };
    let last = match &v.last_refresh {
        None => "never".to_string(),
        Some(r) if r.ok => format!("{} ok", r.at),
        Some(r) => format!(
            "{} failed: {}",
            r.at,
            r.error.as_deref().unwrap_or("unknown error")
        ),
    };
    let keyring = if v.keyring.ok {
        format!("{}: available", v.keyring.backend)
    } else {
        format!(
            "{}: {}",
            v.keyring.backend,
            v.keyring.error.as_deref().unwrap_or("unavailable")
        )
    };
    let dash = |o: &Option<String>| o.clone().unwrap_or_else(|| "—".into());
    println!("Profile        {}", v.profile);
    println!("State          {state}");
    println!("Auth           {auth}");
    println!("Expires        {expiry}");
    println!("Obtained       {}", dash(&v.obtained_at));
    println!("Token type     {}", dash(&v.token_type));
    println!("Scope          {}", dash(&v.scope));
    println!(
        "Refresh token  {}",
        if v.has_refresh_token {
            "present"
        } else {
            "none"
        }
    );
    println!("Last refresh   {last}");
    println!("Keyring        {keyring}");
}
