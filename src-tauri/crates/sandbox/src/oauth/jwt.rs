//! Tokens shaped like Laravel Passport's, so clients meet real sizes and formats.
//!
//! Passport's access tokens are JWTs signed RS256 with a 4096-bit key (what `passport:keys`
//! makes): a base64url header, a payload with `aud` (the client id), `jti` (an 80-hex-digit
//! token id), `iat`, `nbf`, `exp` (seconds, with microseconds), `sub` (the user id) and
//! `scopes`, and a 512-byte signature — about 1,000 characters in all. Its refresh tokens are
//! opaque encrypted payloads, a `def502…` hex string of several hundred characters, and so are
//! its authorization codes. The
//! sandbox signs nothing (its own store decides what is valid); the signature is random bytes
//! of the right length, so no client can pass by verifying it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

use crate::random;

/// The one resource owner's user id.
const SUBJECT: &str = "1";

pub(crate) fn access_token(client_id: &str, issued_at_unix: f64, ttl_secs: u64) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"RS256"}"#);
    let payload = json!({
        "aud": client_id,
        "jti": random::hex(40),
        "iat": issued_at_unix,
        "nbf": issued_at_unix,
        "exp": issued_at_unix + ttl_secs as f64,
        "sub": SUBJECT,
        "scopes": [],
    });
    let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
    format!("{header}.{payload}.{}", random::b64url(512))
}

/// A refresh token: `def50200` is the version header of the encrypted payloads league writes.
pub(crate) fn refresh_token() -> String {
    format!("def50200{}", random::hex(380))
}

/// An authorization code: league encrypts those too, so a real callback carries several
/// hundred characters of code.
pub(crate) fn authorization_code() -> String {
    format!("def50200{}", random::hex(300))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_tokens_are_realistic_jwts() {
        let t = access_token("client-7", 1_767_225_600.123_456, 31_536_000);
        assert!((900..=1200).contains(&t.len()), "{}", t.len());
        let parts: Vec<&str> = t.split('.').collect();
        assert_eq!(parts.len(), 3);
        let payload: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(payload["aud"], "client-7");
        assert_eq!(payload["jti"].as_str().unwrap().len(), 80);
        assert_eq!(payload["sub"], "1");
        assert!(payload["exp"].as_f64().unwrap() > payload["iat"].as_f64().unwrap());
        assert_ne!(
            t,
            access_token("client-7", 1_767_225_600.123_456, 31_536_000)
        );
    }

    #[test]
    fn refresh_tokens_are_long_and_opaque() {
        let r = refresh_token();
        assert!(r.starts_with("def50200") && (700..=1000).contains(&r.len()));
        assert!(r.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}
