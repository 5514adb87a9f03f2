//! Is the profile's redirect URI a form thanks.io's client registration accepts?
//!
//! thanks.io runs Laravel Passport, which validates a client's redirect URIs as URLs with a
//! scheme and a host (PHP's `FILTER_VALIDATE_URL`): RFC 8252's single-slash private-use form
//! (`scheme:/path`) has no host and is refused; `scheme://host/path` and loopback addresses
//! pass (see shared/THANKSIO_API.md and issue 7).

use url::Url;

use super::{Outcome, fail, ok, warn};

pub(super) fn assess(uri: &Url) -> Outcome {
    let host = uri.host_str().filter(|h| !h.is_empty());
    let fallback = format!(
        "http://127.0.0.1:{}/callback",
        super::FALLBACK_LOOPBACK_PORT
    );
    match (uri.scheme(), host) {
        ("http", Some("127.0.0.1" | "[::1]")) => ok(format!(
            "{uri} is a loopback address; thanks.io accepts it (register exactly this one)."
        )),
        ("https", Some(_)) => warn(
            format!(
                "{uri} is a web address: thanks.io accepts it, but the browser won't hand the sign-in back to this app."
            ),
            format!(
                "Use {fallback} or this app's own link address unless you mean to paste the address after signing in."
            ),
        ),
        (scheme, Some(_)) if scheme.contains('.') => ok(format!(
            "{uri} has a scheme and a host, the form thanks.io's client registration accepts."
        )),
        (scheme, None) if scheme.contains('.') => fail(
            format!(
                "{uri} has no host (single slash after the scheme): thanks.io's client registration refuses this form."
            ),
            format!(
                "Use {scheme}://oauth/callback or {fallback}, and register exactly that one on thanks.io."
            ),
            None,
        ),
        _ => fail(
            format!("{uri} is not a form thanks.io accepts for a desktop app."),
            format!("Use {fallback}, and register exactly that one on thanks.io."),
            None,
        ),
    }
}
