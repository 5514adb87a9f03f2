//! Will thanks.io let an admin register this redirect URI, and what kind is it?
//!
//! thanks.io's dashboard runs Laravel Passport. Current Passport validates each redirect URI of a
//! client with PHP's `filter_var(…, FILTER_VALIDATE_URL)`: a scheme and a host are required
//! (only `mailto:`, `news:` and `file:` may omit the host), `http`/`https` hosts must be valid
//! host names or IP addresses, and characters outside the URL set fail. So the RFC 8252
//! single-slash private-use form (`dev.thanksconnect.app:/oauth/callback`) has no host and is
//! refused, while `dev.thanksconnect.app://oauth/callback` passes. Older Passport used Laravel's
//! `url` rule, which knows only registered schemes and refuses custom ones outright; loopback
//! `http://127.0.0.1:PORT/PATH` passes every version, and league/oauth2-server ignores its port
//! when matching (for `127.0.0.1` and `[::1]`, not for `localhost`).
//!
//! This is a client-side prediction for settings screens and `thanksctl doctor`; it doesn't
//! decide what a profile may store (config validation does) and calls nothing.

use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The loopback redirect the docs recommend when thanks.io refuses a custom scheme.
pub const LOOPBACK_FALLBACK: &str = "http://127.0.0.1:53682/callback";

/// What kind of redirect URI a string is, from thanks.io's point of view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectForm {
    /// `<reverse.dns>://host/path`: passes current Passport; the deep link brings it back.
    PrivateUse,
    /// `<reverse.dns>:/path` (RFC 8252's form) or an empty host: current Passport refuses it.
    /// `suggestion` is the same address in the double-slash form.
    PrivateUseSingleSlash { suggestion: String },
    /// `http://127.0.0.1:PORT/…` or `http://[::1]:PORT/…`: accepted everywhere, port-agnostic.
    LoopbackIp,
    /// `http://localhost…`: accepted, but matched with its exact port and may not be local.
    Localhost,
    /// `https://…`: accepted, but nothing on this computer receives it.
    Https,
    /// Something Passport refuses or Thanks Connect can't receive.
    Unusable,
}

/// Classifies `uri` the way Passport's registration would see it.
pub fn classify(uri: &str) -> RedirectForm {
    let uri = uri.trim();
    if uri.is_empty() || !uri.bytes().all(url_safe) {
        return RedirectForm::Unusable;
    }
    let Some((scheme, rest)) = uri.split_once(':') else {
        return RedirectForm::Unusable;
    };
    if !valid_scheme(scheme) {
        return RedirectForm::Unusable;
    }
    let scheme = scheme.to_ascii_lowercase();
    let host = rest.strip_prefix("//").map(|after| {
        let authority = after.split(['/', '?', '#']).next().unwrap_or("");
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        strip_port(host_port)
    });
    match scheme.as_str() {
        "http" | "https" => {
            let Some(host) = host.filter(|h| valid_web_host(h)) else {
                return RedirectForm::Unusable;
            };
            let host = host.to_ascii_lowercase();
            match (scheme.as_str(), host.as_str()) {
                ("https", _) => RedirectForm::Https,
                (_, "127.0.0.1" | "[::1]") => RedirectForm::LoopbackIp,
                (_, "localhost") => RedirectForm::Localhost,
                _ => RedirectForm::Unusable,
            }
        }
        // A private-use scheme must be reverse-DNS (RFC 8252 §7.1).
        s if s.contains('.') => match host {
            Some(h) if !h.is_empty() => RedirectForm::PrivateUse,
            _ => RedirectForm::PrivateUseSingleSlash {
                suggestion: double_slash(&scheme, rest),
            },
        },
        _ => RedirectForm::Unusable,
    }
}

impl RedirectForm {
    /// A stable name for scripts and the UI.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::PrivateUse => "private_use",
            Self::PrivateUseSingleSlash { .. } => "private_use_single_slash",
            Self::LoopbackIp => "loopback_ip",
            Self::Localhost => "localhost",
            Self::Https => "https",
            Self::Unusable => "unusable",
        }
    }

    /// Whether current Passport's registration accepts it.
    pub fn accepted(&self) -> bool {
        !matches!(self, Self::PrivateUseSingleSlash { .. } | Self::Unusable)
    }

    /// One sentence for an admin: will it register, and what to do otherwise.
    pub fn advice(&self) -> String {
        match self {
            Self::PrivateUse => format!(
                "thanks.io accepts this form; register it exactly as written. If its dashboard \
                 refuses custom schemes (older Passport versions do), use {LOOPBACK_FALLBACK}."
            ),
            Self::PrivateUseSingleSlash { suggestion } => format!(
                "May be refused by thanks.io: its client registration needs a host after the \
                 scheme, so register {suggestion} instead (or the loopback {LOOPBACK_FALLBACK})."
            ),
            Self::LoopbackIp => "thanks.io accepts this form in every version and ignores its \
                 port when matching; Thanks Connect listens there only while you sign in."
                .into(),
            Self::Localhost => format!(
                "thanks.io accepts it but matches the port exactly, and localhost may not be this \
                 computer; use {LOOPBACK_FALLBACK} instead."
            ),
            Self::Https => "thanks.io accepts it, but nothing on this computer receives it: \
                 paste the address your browser lands on into Thanks Connect."
                .into(),
            Self::Unusable => format!(
                "thanks.io refuses it or Thanks Connect can't receive it; use \
                 dev.thanksconnect.app://oauth/callback or {LOOPBACK_FALLBACK}."
            ),
        }
    }
}

/// Serialized as `{"kind", "accepted", "advice"}` for the window and `--json` output.
impl Serialize for RedirectForm {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("RedirectForm", 3)?;
        st.serialize_field("kind", self.kind())?;
        st.serialize_field("accepted", &self.accepted())?;
        st.serialize_field("advice", &self.advice())?;
        st.end()
    }
}

/// The characters PHP's URL sanitizer keeps; anything else makes `filter_var` fail.
fn url_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"$-_.+!*'(),{}|\\^~[]`<>#%\";/?:@&=".contains(&b)
}

fn valid_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn strip_port(host_port: &str) -> &str {
    if host_port.starts_with('[') {
        return host_port
            .find(']')
            .map_or(host_port, |end| &host_port[..=end]);
    }
    host_port.split(':').next().unwrap_or("")
}

/// PHP's host-name check for http(s): dot-separated labels of letters, digits and inner
/// hyphens (which also covers IPv4), or a bracketed IPv6 address.
fn valid_web_host(h: &str) -> bool {
    if let Some(inner) = h.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return inner.parse::<std::net::Ipv6Addr>().is_ok();
    }
    !h.is_empty()
        && h.len() <= 253
        && h.trim_end_matches('.').split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// `scheme:/oauth/callback` → `scheme://oauth/callback` (the first path segment becomes the host).
fn double_slash(scheme: &str, rest: &str) -> String {
    let path = rest.trim_start_matches('/');
    let path = if path.is_empty() {
        "oauth/callback"
    } else {
        path
    };
    format!("{scheme}://{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_thanks_io_sees() {
        for (uri, kind, accepted) in [
            (
                "dev.thanksconnect.app://oauth/callback",
                "private_use",
                true,
            ),
            (
                "dev.thanksconnect.app.debug://oauth/callback",
                "private_use",
                true,
            ),
            (
                "dev.thanksconnect.app:/oauth/callback",
                "private_use_single_slash",
                false,
            ),
            (
                "dev.thanksconnect.app:///oauth/callback",
                "private_use_single_slash",
                false,
            ),
            ("http://127.0.0.1:53682/callback", "loopback_ip", true),
            ("http://[::1]:9/cb", "loopback_ip", true),
            ("HTTP://127.0.0.1/cb", "loopback_ip", true),
            ("http://localhost:8080/cb", "localhost", true),
            ("https://example.com/cb", "https", true),
            ("https:/example.com/cb", "unusable", false),
            ("http://10.0.0.2:80/cb", "unusable", false),
            ("http://under_score.test/cb", "unusable", false),
            ("myapp://callback", "unusable", false),
            ("dev.thanksconnect.app://oauth/call back", "unusable", false),
            ("dev.thanksconnect.app://oauth/callbäck", "unusable", false),
            ("/oauth/callback", "unusable", false),
            ("", "unusable", false),
        ] {
            let form = classify(uri);
            assert_eq!((form.kind(), form.accepted()), (kind, accepted), "{uri}");
            assert!(!form.advice().is_empty());
        }
    }

    #[test]
    fn single_slash_advice_names_the_form_to_register() {
        let form = classify("dev.thanksconnect.app:/oauth/callback");
        assert_eq!(
            form,
            RedirectForm::PrivateUseSingleSlash {
                suggestion: "dev.thanksconnect.app://oauth/callback".into()
            }
        );
        let advice = form.advice();
        assert!(
            advice.starts_with("May be refused by thanks.io"),
            "{advice}"
        );
        assert!(advice.contains("register dev.thanksconnect.app://oauth/callback"));
        assert!(advice.contains(LOOPBACK_FALLBACK));
    }

    #[test]
    fn serializes_as_kind_accepted_advice() {
        let v = serde_json::to_value(classify("http://127.0.0.1:1/cb")).unwrap();
        assert_eq!(v["kind"], "loopback_ip");
        assert_eq!(v["accepted"], true);
        assert!(v["advice"].as_str().unwrap().contains("port"));
    }
}
