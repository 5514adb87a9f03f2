//! How thanks.io (Laravel Passport) validates the redirect URIs of a client at registration.
//!
//! Passport's `RedirectRule` splits the `redirect` field on commas and checks each URI with
//! PHP's `filter_var($uri, FILTER_VALIDATE_URL)`. That filter first drops characters outside
//! the URL set (a URI that changes fails), then parses it: a scheme is required, a host is
//! required except for `mailto:`, `news:` and `file:`, and for `http`/`https` the host must be a
//! valid host name or address. This is an emulation of that server, not a client-side check:
//! Thanks Connect's own prediction lives in its core (`oauth::redirect_form`).

/// Passport's message when any redirect of a client fails the rule.
pub(crate) const INVALID_REDIRECT: &str = "One or more redirects have an invalid URL format.";

/// The URIs of a comma-separated `redirect` field, or Passport's message if one fails.
pub(crate) fn validate_redirects(field: &str) -> Result<Vec<String>, &'static str> {
    let uris: Vec<String> = field.split(',').map(|u| u.trim().to_owned()).collect();
    if uris.iter().all(|u| filter_validate_url(u)) {
        Ok(uris)
    } else {
        Err(INVALID_REDIRECT)
    }
}

/// PHP's `filter_var($value, FILTER_VALIDATE_URL)`, for the cases a redirect URI meets.
pub(crate) fn filter_validate_url(value: &str) -> bool {
    if value.is_empty() || !value.bytes().all(kept_by_sanitizer) {
        return false;
    }
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return false;
    }
    let host = rest.strip_prefix("//").map(|after| {
        let authority = after.split(['/', '?', '#']).next().unwrap_or("");
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if host_port.starts_with('[') {
            host_port
                .find(']')
                .map_or(host_port, |end| &host_port[..=end])
        } else {
            host_port.split(':').next().unwrap_or("")
        }
    });
    let host = host.filter(|h| !h.is_empty());
    let lower = scheme.to_ascii_lowercase();
    if lower == "http" || lower == "https" {
        return host.is_some_and(valid_host_name);
    }
    host.is_some() || matches!(scheme, "mailto" | "news" | "file")
}

/// `FILTER_SANITIZE_URL` keeps letters, digits and `$-_.+!*'(),{}|\^~[]`<>#%";/?:@&=`.
fn kept_by_sanitizer(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"$-_.+!*'(),{}|\\^~[]`<>#%\";/?:@&=".contains(&b)
}

/// `FILTER_FLAG_HOSTNAME`: labels of letters, digits and inner hyphens; or `[IPv6]`.
fn valid_host_name(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<std::net::Ipv6Addr>().is_ok();
    }
    host.len() <= 253
        && host.trim_end_matches('.').split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_as_php_applies_it() {
        for ok in [
            "dev.thanksconnect.app://oauth/callback",
            "http://127.0.0.1:53682/callback",
            "http://[::1]:8080/cb",
            "http://localhost:8080/cb",
            "https://example.com/cb?x=1",
            "myapp://cb",
            "mailto:a@b.test",
        ] {
            assert!(filter_validate_url(ok), "{ok}");
        }
        for bad in [
            "dev.thanksconnect.app:/oauth/callback",
            "dev.thanksconnect.app:///oauth/callback",
            "http:/example.com",
            "http://under_score.test/",
            "https://exa mple.com/",
            "https://exämple.com/",
            "/oauth/callback",
            "",
        ] {
            assert!(!filter_validate_url(bad), "{bad}");
        }
    }

    #[test]
    fn a_comma_separated_field_fails_as_a_whole() {
        assert_eq!(
            validate_redirects("dev.thanksconnect.app://oauth/callback, http://127.0.0.1/cb")
                .unwrap(),
            vec![
                "dev.thanksconnect.app://oauth/callback",
                "http://127.0.0.1/cb"
            ]
        );
        assert_eq!(
            validate_redirects("http://127.0.0.1/cb,dev.thanksconnect.app:/oauth/callback"),
            Err(INVALID_REDIRECT)
        );
    }
}
