//! The core's one error type. Every variant has a stable `code()` the UI and scripts switch on,
//! and a plain-word message that says what happened and what to do. Messages never contain a
//! token, code, verifier, secret, response body or callback query string; text that comes from
//! thanks.io (`error_description`) is cleaned and shortened before it gets here.

use crate::vault::StoreError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // --- config and profiles ---
    #[error("{file}: {key}: {problem}")]
    ConfigInvalid {
        file: String,
        key: String,
        problem: String,
    },
    #[error("couldn't {action} {path}: {source}")]
    ConfigIo {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error("no configuration directory could be found for this user; set THANKS_CONNECT_HOME")]
    NoConfigHome,
    #[error(
        "there is no profile named \"{0}\"; create it with `thanksctl --profile {0} profile set …`"
    )]
    ProfileNotFound(String),
    #[error(
        "profile \"{profile}\" has no {what} yet; set it in the profile settings (`thanksctl profile set`)"
    )]
    ProfileIncomplete { profile: String, what: &'static str },
    #[error("{field}: {problem}")]
    InvalidInput { field: String, problem: String },

    // --- the keyring ---
    #[error(transparent)]
    Vault(#[from] StoreError),

    // --- the browser callback (untrusted input) ---
    #[error("the callback address is too long to be a sign-in callback")]
    CallbackTooLong,
    #[error("the callback address is not valid: {0}")]
    CallbackMalformed(&'static str),
    #[error("the callback address doesn't match this login's redirect URI ({0} differs)")]
    CallbackMismatch(&'static str),
    #[error(
        "the callback has no state parameter, so it can't be tied to a login; start Connect again"
    )]
    StateMissing,
    #[error("the callback's state doesn't match any login started here; start Connect again")]
    StateUnknown,
    #[error("this login expired (logins are valid for 10 minutes); start Connect again")]
    StateExpired,
    #[error("this callback was already used; a sign-in link works only once")]
    StateUsed,
    #[error("you declined access on thanks.io, so nothing was connected")]
    Declined,
    #[error("thanks.io did not grant access ({code}){}", describe(description))]
    AuthorizeFailed {
        code: String,
        description: Option<String>,
    },

    // --- the token endpoint ---
    #[error("{}{}", token_error_text(code), describe(description))]
    TokenRejected {
        code: String,
        description: Option<String>,
    },
    #[error("thanks.io answered HTTP {status} instead of tokens; try again in a moment")]
    TokenHttp { status: u16 },
    #[error("thanks.io's token answer could not be understood: {0}")]
    TokenMalformed(&'static str),

    // --- the network, for both endpoints ---
    #[error("{what} timed out; check your connection and try again")]
    Timeout { what: &'static str },
    #[error("couldn't reach {what}: {detail}")]
    Network { what: &'static str, detail: String },

    // --- token lifecycle ---
    #[error("profile \"{0}\" is not connected; click Connect (or run `thanksctl login`)")]
    NotConnected(String),
    #[error(
        "profile \"{0}\" needs to be reconnected: thanks.io no longer accepts its refresh token"
    )]
    NeedsReconnect(String),
    #[error(
        "the access token of profile \"{0}\" expired and there is no refresh token; connect again"
    )]
    NoRefreshToken(String),
    #[error("no callback arrived within {0} seconds; start the login again")]
    LoginTimeout(u64),
    #[error("the login was cancelled")]
    LoginCancelled,
    /// Another process handled this login's callback and it failed there.
    #[error("{0}")]
    LoginFailedElsewhere(String),

    // --- the API client ---
    #[error(
        "{url_origin} is not this profile's API ({api_origin}); the access token is only sent to the API"
    )]
    ForeignOrigin {
        url_origin: String,
        api_origin: String,
    },
    #[error("the request is not valid: {0}")]
    BadRequest(String),

    // --- setup files and links (untrusted input; nothing changes on any of these) ---
    #[error("this file is too large to be a Thanks Connect setup; nothing was changed")]
    SetupTooLarge,
    #[error("this is not a Thanks Connect setup file; nothing was changed")]
    SetupForeign,
    #[error("this setup file is damaged ({0}); ask for a new one. Nothing was changed")]
    SetupDamaged(String),
    #[error(
        "this setup was made by a newer version of Thanks Connect (setup version {0}); update the app to open it. Nothing was changed"
    )]
    SetupNewerVersion(u64),
    #[error("this setup can't be used: {field} {problem}. Nothing was changed")]
    SetupInvalid { field: String, problem: String },
    #[error("this setup link can't be used: {0}. Nothing was changed")]
    SetupLinkInvalid(&'static str),
    #[error(
        "that passphrase doesn't open this setup's client secret; check it with whoever sent the setup. Nothing was changed"
    )]
    SetupWrongPassphrase,
    #[error("this setup's client secret is locked: enter the passphrase your team gave you")]
    SetupNeedsPassphrase,
    #[error("this setup needs the OAuth client secret, which your team gives you separately")]
    SetupNeedsSecret,
    #[error(
        "a profile named \"{0}\" already exists; replacing its settings needs your confirmation (thanksctl: --force)"
    )]
    ProfileExists(String),

    // --- cURL import and export ---
    /// A fixed phrase or an option name; never a piece of the command (it may hold a token).
    #[error("the cURL command can't be used: {0}")]
    CurlInvalid(String),
}

impl Error {
    /// Stable, dotted code for the UI and for scripts. Never changes once released.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ConfigInvalid { .. } => "config.invalid",
            Self::ConfigIo { .. } => "config.io",
            Self::NoConfigHome => "config.no_home",
            Self::ProfileNotFound(_) => "profile.not_found",
            Self::ProfileIncomplete { .. } => "profile.incomplete",
            Self::InvalidInput { .. } => "input.invalid",
            Self::Vault(e) => e.code(),
            Self::CallbackTooLong => "auth.callback_too_long",
            Self::CallbackMalformed(_) => "auth.callback_malformed",
            Self::CallbackMismatch(_) => "auth.callback_mismatch",
            Self::StateMissing => "auth.state_missing",
            Self::StateUnknown => "auth.state_unknown",
            Self::StateExpired => "auth.state_expired",
            Self::StateUsed => "auth.state_used",
            Self::Declined => "auth.declined",
            Self::AuthorizeFailed { .. } => "auth.authorize_failed",
            Self::TokenRejected { code, .. } => match code.as_str() {
                "invalid_request" => "token.invalid_request",
                "invalid_client" => "token.invalid_client",
                "invalid_grant" => "token.invalid_grant",
                "unauthorized_client" => "token.unauthorized_client",
                "unsupported_grant_type" => "token.unsupported_grant_type",
                "invalid_scope" => "token.invalid_scope",
                _ => "token.rejected",
            },
            Self::TokenHttp { .. } => "token.http_status",
            Self::TokenMalformed(_) => "token.malformed",
            Self::Timeout { .. } => "net.timeout",
            Self::Network { .. } => "net.unreachable",
            Self::NotConnected(_) => "session.not_connected",
            Self::NeedsReconnect(_) => "session.needs_reconnect",
            Self::NoRefreshToken(_) => "session.no_refresh_token",
            Self::LoginTimeout(_) => "login.timeout",
            Self::LoginCancelled => "login.cancelled",
            Self::LoginFailedElsewhere(_) => "login.failed",
            Self::ForeignOrigin { .. } => "api.foreign_origin",
            Self::BadRequest(_) => "api.bad_request",
            Self::CurlInvalid(_) => "curl.invalid",
            Self::SetupTooLarge => "setup.too_large",
            Self::SetupForeign => "setup.not_a_setup",
            Self::SetupDamaged(_) => "setup.damaged",
            Self::SetupNewerVersion(_) => "setup.newer_version",
            Self::SetupInvalid { .. } => "setup.invalid",
            Self::SetupLinkInvalid(_) => "setup.link_invalid",
            Self::SetupWrongPassphrase => "setup.wrong_passphrase",
            Self::SetupNeedsPassphrase => "setup.needs_passphrase",
            Self::SetupNeedsSecret => "setup.needs_client_secret",
            Self::ProfileExists(_) => "setup.profile_exists",
        }
    }

    /// A duplicate delivery of a callback that was already handled: the app ignores these
    /// quietly (the OS may deliver a deep link twice), the CLI reports them.
    pub fn is_duplicate_callback(&self) -> bool {
        matches!(self, Self::StateUsed)
    }

    pub(crate) fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        Self::ConfigIo {
            action,
            path: path.display().to_string(),
            source,
        }
    }
}

fn describe(description: &Option<String>) -> String {
    match description {
        Some(d) if !d.is_empty() => format!(": thanks.io says \"{d}\""),
        _ => String::new(),
    }
}

/// Plain words for RFC 6749 §5.2 error codes.
fn token_error_text(code: &str) -> String {
    match code {
        "invalid_request" => "thanks.io rejected the request as incomplete or malformed (invalid_request)".into(),
        "invalid_client" => "thanks.io did not accept the client id or client secret (invalid_client); check the profile's OAuth client settings".into(),
        "invalid_grant" => "thanks.io refused the sign-in code or refresh token (invalid_grant): it was already used, expired or revoked; connect again".into(),
        "unauthorized_client" => "this OAuth client is not allowed to sign in this way (unauthorized_client); check the client's settings on thanks.io".into(),
        "unsupported_grant_type" => "thanks.io does not support this kind of sign-in (unsupported_grant_type)".into(),
        "invalid_scope" => "thanks.io refused the requested scope (invalid_scope); clear or fix the profile's scope".into(),
        other => format!("thanks.io refused the request ({other})"),
    }
}

/// OAuth error codes are short ASCII tokens (RFC 6749 §4.1.2.1, §5.2); anything else that
/// arrives in their place is not echoed back into a message.
pub(crate) fn clean_error_code(code: &str) -> String {
    let token = !code.is_empty()
        && code.len() <= 64
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    if token {
        code.to_string()
    } else {
        "unrecognised_error".into()
    }
}

/// Cleans text that came from the server before it goes into a message: control characters
/// removed, length capped, and any secret we sent in the same exchange masked out.
pub(crate) fn clean_server_text(text: &str, secrets: &[&str]) -> Option<String> {
    let mut s: String = text.chars().filter(|c| !c.is_control()).take(300).collect();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        s = s.replace(secret, crate::secret::MASK);
    }
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declined_is_calm_and_coded() {
        let e = Error::Declined;
        assert_eq!(e.code(), "auth.declined");
        assert_eq!(
            e.to_string(),
            "you declined access on thanks.io, so nothing was connected"
        );
    }

    #[test]
    fn token_errors_have_plain_words_and_codes() {
        let e = Error::TokenRejected {
            code: "invalid_grant".into(),
            description: Some("revoked".into()),
        };
        assert_eq!(e.code(), "token.invalid_grant");
        assert!(e.to_string().contains("already used, expired or revoked"));
        assert!(e.to_string().ends_with("thanks.io says \"revoked\""));
        let e = Error::TokenHttp { status: 502 };
        assert_eq!(
            e.to_string(),
            "thanks.io answered HTTP 502 instead of tokens; try again in a moment"
        );
    }

    #[test]
    fn server_text_is_cleaned_and_secrets_masked() {
        let t = clean_server_text("bad code sbx_code_123\n\u{7}!", &["sbx_code_123"]).unwrap();
        assert_eq!(t, "bad code ••••••!");
        assert_eq!(clean_server_text("   ", &[]), None);
        assert_eq!(
            clean_server_text(&"x".repeat(1000), &[]).unwrap().len(),
            300
        );
    }
}
