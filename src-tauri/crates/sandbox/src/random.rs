//! Unguessable values: tokens, codes, client secrets, ids of pending authorizations.
//!
//! Even in a sandbox these come from the OS random source, so a client can't pass its tests by
//! accidentally depending on predictable values.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// `bytes` random bytes, base64url without padding.
pub(crate) fn b64url(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // An OS without a random source can't run this sandbox meaningfully.
    getrandom::fill(&mut buf).expect("the OS random source is unavailable");
    URL_SAFE_NO_PAD.encode(buf)
}

/// An opaque credential with a recognisable prefix (`sbx_at_`, `sbx_rt_`, …) and 32 random bytes.
pub(crate) fn token(prefix: &str) -> String {
    format!("{prefix}{}", b64url(32))
}

/// `bytes` random bytes as lower-case hex.
pub(crate) fn hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the OS random source is unavailable");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets without stopping at the first differing byte.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_distinct() {
        let (a, b) = (token("sbx_at_"), token("sbx_at_"));
        assert_ne!(a, b);
        assert_eq!(a.len(), "sbx_at_".len() + 43);
    }

    #[test]
    fn secret_comparison() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
