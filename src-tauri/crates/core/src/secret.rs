//! Secrets as a type.
//!
//! Tokens, client secrets, PKCE verifiers, authorization codes and `state` values all live in
//! [`Secret`]. It has no `Display` and no `Serialize`, and its `Debug` prints `Secret([redacted])`,
//! so a secret can't reach a log line, an error message or an IPC payload by accident: the only
//! way out is an explicit, greppable [`Secret::expose`].

use std::fmt;

/// A string that must never be printed, logged or serialized.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The raw value, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Fresh random bytes, base64url without padding (RFC 7636 §4.1 alphabet).
    pub fn random(bytes: usize) -> Self {
        Self(crate::util::random_b64url(bytes))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

/// Masks a secret for display: keeps nothing of it but its presence.
pub const MASK: &str = "••••••";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts() {
        assert_eq!(format!("{:?}", Secret::new("t0ken")), "Secret([redacted])");
        let nested = Some(Secret::new("t0ken"));
        assert!(!format!("{nested:?}").contains("t0ken"));
    }

    #[test]
    fn random_has_requested_entropy() {
        let a = Secret::random(32);
        let b = Secret::random(32);
        assert_eq!(a.expose().len(), 43);
        assert_ne!(a, b);
    }
}
