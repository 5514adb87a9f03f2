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
    #[error(
        "the callback says it comes from another server than this login's sign-in page, so it was refused (RFC 9207); start Connect again"
    )]
    IssuerMismatch,
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
        "thanks.io didn't accept this token (HTTP {status}), so it wasn't saved; paste a new token"
    )]
    PersonalTokenRefused { status: u16 },
    #[error("couldn't reach thanks.io to check the token ({why}), so it wasn't saved; try again")]
    PersonalTokenUnchecked { why: String },
    #[error(
        "profile \"{0}\" has no refresh token (none was issued, or it was removed from the keyring), so its access token can't be renewed; connect again"
    )]
    NoRefreshToken(String),
    #[error(
        "the tokens of profile \"{0}\" are no longer in the keyring (they were removed outside Thanks Connect); connect again"
    )]
    TokensMissing(String),
    /// The profile's endpoints or client changed since its tokens (or this login) were issued.
    #[error(
        "profile \"{profile}\": {what} changed since it was connected, so its tokens are not sent there; connect again (or change it back)"
    )]
    EndpointsChanged { profile: String, what: String },
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
    #[error(
        "the path leaves the profile's API ({base}); only addresses under it are called with the token"
    )]
    OutsideApiBase { base: String },
    /// `_method` or an `X-HTTP-Method-Override`-style header: the server would act on another
    /// method than the one the cost guard judged.
    #[error(
        "the request asks the server to treat it as another method ({0}); use that method itself"
    )]
    MethodOverride(&'static str),

    // --- the cost guard ---
    #[error(
        "this request can print, mail or charge money; check its estimate and confirm it first"
    )]
    NeedsConfirmation,
    #[error(
        "this confirmation is not valid for this request (it changed after the estimate, the confirmation expired or was already used); check the cost again"
    )]
    ConfirmationInvalid,

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

    // --- preview thumbnails ---
    /// A plain reason; never the image's bytes.
    #[error("the preview image couldn't be loaded: {0}")]
    PreviewImage(String),
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
            Self::IssuerMismatch => "auth.issuer_mismatch",
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
            Self::PersonalTokenRefused { .. } => "auth.token_rejected",
            Self::PersonalTokenUnchecked { .. } => "auth.token_unchecked",
            Self::NoRefreshToken(_) => "session.no_refresh_token",
            Self::EndpointsChanged { .. } => "auth.endpoints_changed",
            Self::TokensMissing(_) => "session.tokens_missing",
            Self::LoginTimeout(_) => "login.timeout",
            Self::LoginCancelled => "login.cancelled",
            Self::LoginFailedElsewhere(_) => "login.failed",
            Self::ForeignOrigin { .. } => "api.foreign_origin",
            Self::BadRequest(_) => "api.bad_request",
            Self::OutsideApiBase { .. } => "api.outside_base",
            Self::MethodOverride(_) => "api.method_override",
            Self::NeedsConfirmation => "guard.needs_confirmation",
            Self::ConfirmationInvalid => "guard.confirmation_invalid",
            Self::CurlInvalid(_) => "curl.invalid",
            Self::PreviewImage(_) => "preview.image",
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
/// removed, any secret we sent in the same exchange masked out (plain or URL-encoded), then the
/// length capped. Masking comes before the cut, so a secret straddling it leaves no prefix.
pub(crate) fn clean_server_text(text: &str, secrets: &[&str]) -> Option<String> {
    let s: String = text.chars().filter(|c| !c.is_control()).collect();
    let s: String = crate::redact::mask_secrets(&s, secrets)
        .chars()
        .take(300)
        .collect();
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

    #[test]
    fn masking_happens_before_the_cut_and_catches_encoded_echoes() {
        // A secret straddling the 300-character cut leaves no prefix behind.
        let secret = "sbx_cs_AbCdEfGhIjKlMnOp";
        let text = format!("{}{secret} and more", "x".repeat(290));
        let t = clean_server_text(&text, &[secret]).unwrap();
        assert!(
            !t.contains("sbx_cs_"),
            "a prefix of the secret survived: {t}"
        );
        assert!(t.ends_with(crate::secret::MASK) || t.contains(crate::secret::MASK));
        // Percent-encoded (either hex case), form-encoded and partly encoded echoes.
        let secret = "a+b/c=d e&f";
        for echo in [
            "a%2Bb%2Fc%3Dd%20e%26f",
            "a%2bb%2fc%3dd%20e%26f",
            "a%2Bb%2Fc%3Dd+e%26f",
            "a%2Bb/c%3Dd e&f",
            "%61%2B%62%2F%63%3D%64%20%65%26%66",
        ] {
            let t = clean_server_text(&format!("bad client secret {echo}!"), &[secret]).unwrap();
            assert_eq!(t, "bad client secret ••••••!", "{echo}");
        }
        // Text that only looks encoded is left alone.
        assert_eq!(
            clean_server_text("100% sure %zz", &["secret-x"]).unwrap(),
            "100% sure %zz"
        );
    }
}
