//! PKCE (RFC 7636): the challenge remembered at /oauth/authorize and its check at /oauth/token.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use super::error::OAuthError;
use crate::random::same_secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    S256,
    Plain,
}

#[derive(Debug, Clone)]
pub(crate) struct Challenge {
    pub method: Method,
    pub value: String,
}

impl Method {
    /// RFC 7636 §4.3: absent means `plain`; anything but `S256`/`plain` is refused.
    pub(crate) fn parse(raw: Option<&str>) -> Option<Self> {
        match raw {
            None | Some("plain") => Some(Self::Plain),
            Some("S256") => Some(Self::S256),
            Some(_) => None,
        }
    }
}

/// 43–128 characters of `[A-Za-z0-9-._~]`, the syntax of both verifiers and challenges.
pub(crate) fn well_formed(value: &str) -> bool {
    (43..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

pub(crate) fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Every PKCE failure is `invalid_grant`, with a hint saying which check failed.
pub(crate) fn verify(challenge: &Challenge, verifier: Option<&str>) -> Result<(), OAuthError> {
    let Some(verifier) = verifier else {
        return Err(OAuthError::invalid_grant(
            "A code_challenge was sent to /oauth/authorize, so code_verifier is required",
        ));
    };
    if !well_formed(verifier) {
        return Err(OAuthError::invalid_grant(
            "code_verifier must be 43-128 characters of [A-Za-z0-9-._~]",
        ));
    }
    let derived = match challenge.method {
        Method::S256 => s256(verifier),
        Method::Plain => verifier.to_owned(),
    };
    if same_secret(&derived, &challenge.value) {
        Ok(())
    } else {
        Err(OAuthError::invalid_grant("Failed to verify code_verifier"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    #[test]
    fn rfc7636_appendix_b() {
        assert_eq!(
            s256(VERIFIER),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verification() {
        let s256_challenge = Challenge {
            method: Method::S256,
            value: s256(VERIFIER),
        };
        assert!(verify(&s256_challenge, Some(VERIFIER)).is_ok());
        assert!(verify(&s256_challenge, None).is_err());
        let other = "x".repeat(43);
        assert!(verify(&s256_challenge, Some(&other)).is_err());
        let plain = Challenge {
            method: Method::Plain,
            value: VERIFIER.to_owned(),
        };
        assert!(verify(&plain, Some(VERIFIER)).is_ok());
        assert!(verify(&plain, Some("short")).is_err());
    }

    #[test]
    fn methods() {
        assert_eq!(Method::parse(None), Some(Method::Plain));
        assert_eq!(Method::parse(Some("S256")), Some(Method::S256));
        assert_eq!(Method::parse(Some("s256")), None);
    }
}
