//! Redirect URI matching and building.
//!
//! Matching copies league/oauth2-server's `RedirectUriValidator`: exact string comparison,
//! except that for `http://127.0.0.1` and `http://[::1]` the port is ignored (RFC 8252 §7.3) so
//! a native app can listen on any free port. `localhost` gets no such leniency.

const LOOPBACKS: [&str; 2] = ["http://127.0.0.1", "http://[::1]"];

pub(crate) fn is_registered(candidate: &str, registered: &[String]) -> bool {
    registered.iter().any(|r| {
        r == candidate
            || matches!(
                (without_loopback_port(r), without_loopback_port(candidate)),
                (Some(a), Some(b)) if a == b
            )
    })
}

/// For a loopback URI, the same URI with its port removed; `None` for anything else.
fn without_loopback_port(uri: &str) -> Option<String> {
    LOOPBACKS.iter().find_map(|host| {
        let rest = uri.strip_prefix(host)?;
        let rest = match rest.strip_prefix(':') {
            Some(port_and_path) => {
                let digits = port_and_path.bytes().take_while(u8::is_ascii_digit).count();
                if digits == 0 {
                    return None;
                }
                &port_and_path[digits..]
            }
            None => rest,
        };
        (rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
            .then(|| format!("{host}{rest}"))
    })
}

/// Appends query parameters to a redirect URI, keeping the URI itself byte-for-byte (so custom
/// schemes such as `dev.thanksconnect.app:/oauth/callback` survive untouched).
pub(crate) fn with_params(uri: &str, params: &[(&str, &str)]) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    let separator = match uri.find('?') {
        None => "?",
        Some(_) if uri.ends_with('?') || uri.ends_with('&') => "",
        Some(_) => "&",
    };
    format!("{uri}{separator}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg() -> Vec<String> {
        vec![
            "dev.thanksconnect.app:/oauth/callback".into(),
            "http://127.0.0.1/callback".into(),
            "http://[::1]:1234/cb".into(),
            "http://localhost:8080/cb".into(),
        ]
    }

    #[test]
    fn exact_and_loopback_matching() {
        let r = reg();
        assert!(is_registered("dev.thanksconnect.app:/oauth/callback", &r));
        assert!(!is_registered("dev.thanksconnect.app:/oauth/callback/", &r));
        assert!(is_registered("http://127.0.0.1:53682/callback", &r));
        assert!(is_registered("http://127.0.0.1/callback", &r));
        assert!(!is_registered("http://127.0.0.1:53682/other", &r));
        assert!(!is_registered("http://127.0.0.1:/callback", &r));
        assert!(is_registered("http://[::1]/cb", &r));
        assert!(is_registered("http://[::1]:9/cb", &r));
        assert!(is_registered("http://localhost:8080/cb", &r));
        assert!(!is_registered("http://localhost:8081/cb", &r));
        assert!(!is_registered("http://127.0.0.1.evil.example/callback", &r));
        assert!(!is_registered("https://127.0.0.1:5/callback", &r));
    }

    #[test]
    fn building() {
        assert_eq!(
            with_params(
                "dev.thanksconnect.app:/oauth/callback",
                &[("code", "a b"), ("state", "s&t")]
            ),
            "dev.thanksconnect.app:/oauth/callback?code=a+b&state=s%26t"
        );
        assert_eq!(
            with_params("http://127.0.0.1:9/cb?x=1", &[("code", "c")]),
            "http://127.0.0.1:9/cb?x=1&code=c"
        );
        assert_eq!(
            with_params("http://127.0.0.1:9/cb?", &[("code", "c")]),
            "http://127.0.0.1:9/cb?code=c"
        );
    }
}
