//! Masking of sensitive HTTP headers wherever a request or response is shown, stored or logged.

use crate::secret::MASK;
use crate::util::hex_byte;

/// Libraries whose debug and trace output can contain raw protocol bytes (D-Bus messages that
/// carry keyring secrets, HTTP bodies, TLS records). Every binary caps them at `warn`, whatever
/// `RUST_LOG` says: more logging must never mean a secret in a log file.
pub const CAPPED_LOG_TARGETS: &[&str] = &[
    "zbus",
    "zvariant",
    "hyper",
    "hyper_util",
    "h2",
    "reqwest",
    "rustls",
    "rustls_platform_verifier",
    "tokio_util",
    "tower",
    "tower_http",
    "axum",
    "keyring",
    "keyring_core",
    "secret_service",
    "dbus_secret_service",
    "zbus_secret_service_keyring_store",
    "async_io",
    "polling",
    "mio",
];

/// Headers whose values are credentials.
pub fn is_sensitive_header(name: &str) -> bool {
    const SENSITIVE: [&str; 7] = [
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "x-auth-token",
        "x-csrf-token",
    ];
    SENSITIVE.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// Authentication schemes worth showing: IANA's HTTP Authentication Scheme Registry and the
/// common unregistered ones. Compared case-insensitively.
const AUTH_SCHEMES: [&str; 19] = [
    "Basic",
    "Bearer",
    "Concealed",
    "Digest",
    "DPoP",
    "GNAP",
    "HOBA",
    "Mutual",
    "Negotiate",
    "NTLM",
    "OAuth",
    "PrivateToken",
    "SCRAM-SHA-1",
    "SCRAM-SHA-256",
    "vapid",
    "Token",
    "ApiKey",
    "AWS4-HMAC-SHA256",
    "Hawk",
];

/// The value as it may be displayed: credentials masked, keeping only the auth scheme. The
/// first word is kept only when it is a known scheme: otherwise it may be the credential
/// itself (`Authorization: <token>`, with a trailing space or more after it).
pub fn mask_header(name: &str, value: &str) -> String {
    if !is_sensitive_header(name) {
        return value.to_string();
    }
    match value.split_once(' ') {
        Some((scheme, _))
            if name.to_ascii_lowercase().ends_with("authorization")
                && AUTH_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)) =>
        {
            format!("{scheme} {MASK}")
        }
        _ => MASK.to_string(),
    }
}

/// Masks every occurrence of each secret in `text`, written plainly or URL-encoded: `%XX`
/// escapes in either hex case, `+` for a space, or any mix of the two (servers echo form fields
/// back as they received them, or decoded, or re-encoded). Secrets shorter than four characters
/// are skipped: they would mask ordinary words.
pub fn mask_secrets(text: &str, secrets: &[&str]) -> String {
    let secrets: Vec<&[u8]> = secrets
        .iter()
        .filter(|s| s.len() >= 4)
        .map(|s| s.as_bytes())
        .collect();
    if secrets.is_empty() {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut masked = vec![false; bytes.len()];
    for plus_is_space in [false, true] {
        // The text decoded, each decoded byte remembering the span of `text` it came from.
        let mut decoded = Vec::with_capacity(bytes.len());
        let mut spans = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let escaped = (bytes[i] == b'%' && i + 2 < bytes.len())
                .then(|| hex_byte(bytes[i + 1], bytes[i + 2]))
                .flatten();
            match escaped {
                Some(b) => {
                    decoded.push(b);
                    spans.push((i, i + 3));
                    i += 3;
                }
                None => {
                    decoded.push(if plus_is_space && bytes[i] == b'+' {
                        b' '
                    } else {
                        bytes[i]
                    });
                    spans.push((i, i + 1));
                    i += 1;
                }
            }
        }
        for secret in &secrets {
            let mut from = 0;
            while let Some(at) = find(&decoded[from..], secret) {
                let (start, end) = (spans[from + at].0, spans[from + at + secret.len() - 1].1);
                masked[start..end].iter_mut().for_each(|m| *m = true);
                from += at + 1;
            }
        }
    }
    // Secrets are whole UTF-8 strings and escapes are ASCII, so masked spans start and end on
    // character boundaries.
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if masked[i] {
            out.push_str(MASK);
            while i < bytes.len() && masked[i] {
                i += 1;
            }
        } else {
            let end = (i + 1..=bytes.len())
                .find(|&e| text.is_char_boundary(e))
                .unwrap_or(bytes.len());
            out.push_str(&text[i..end]);
            i = end;
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_credentials_only() {
        assert_eq!(
            mask_header("Authorization", "Bearer abc.def"),
            "Bearer ••••••"
        );
        assert_eq!(mask_header("authorization", "abc"), "••••••");
        assert_eq!(mask_header("Cookie", "a=b"), "••••••");
        assert_eq!(
            mask_header("Accept", "application/json"),
            "application/json"
        );
    }

    /// Found by the history_mask fuzz target: the first word of an `Authorization` value was
    /// kept as "the scheme" even when it was the credential itself.
    #[test]
    fn only_a_real_scheme_is_kept() {
        for value in [
            "abc123secret ",
            "abc123secret extra",
            "abc123secret; Path=/",
            " abc123secret",
            "Bearer\tabc123secret",
        ] {
            assert_eq!(mask_header("Authorization", value), MASK, "{value:?}");
        }
        assert_eq!(mask_header("Authorization", "bearer abc"), "bearer ••••••");
        assert_eq!(
            mask_header("Proxy-Authorization", "Basic dXNlcjpwYXNz"),
            "Basic ••••••"
        );
        assert_eq!(mask_header("authorization", "Token abc"), "Token ••••••");
        assert_eq!(
            mask_header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=x, Signature=y"
            ),
            "AWS4-HMAC-SHA256 ••••••"
        );
    }
}
