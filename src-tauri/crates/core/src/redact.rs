//! Masking of sensitive HTTP headers wherever a request or response is shown, stored or logged.

use crate::secret::MASK;

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

/// The value as it may be displayed: credentials masked, keeping only the auth scheme.
pub fn mask_header(name: &str, value: &str) -> String {
    if !is_sensitive_header(name) {
        return value.to_string();
    }
    match value.split_once(' ') {
        Some((scheme, _)) if name.to_ascii_lowercase().ends_with("authorization") => {
            format!("{scheme} {MASK}")
        }
        _ => MASK.to_string(),
    }
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
}
