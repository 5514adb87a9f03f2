//! The redirect back from thanks.io, treated as untrusted input (RFC 8252 §8.6): any local
//! program can open our scheme or hit our loopback port. We cap its size, parse it into a typed
//! value, refuse ambiguity, and compare it with the redirect URI the login was started with.
//! Only the path is ever logged; the query holds the code and state.

use url::Url;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// Real callbacks are a few hundred bytes; anything far larger is not one.
pub const MAX_CALLBACK_LEN: usize = 4096;

#[derive(Debug)]
pub enum CallbackOutcome {
    Code(Secret),
    /// `error=` from the authorize step (RFC 6749 §4.1.2.1).
    Error {
        code: String,
        description: Option<String>,
    },
}

#[derive(Debug)]
pub struct Callback {
    /// The address without its query: safe to log.
    pub address: Url,
    pub state: Option<Secret>,
    pub outcome: CallbackOutcome,
}

impl Callback {
    pub fn parse(raw: &str) -> Result<Self> {
        let raw = raw.trim();
        if raw.len() > MAX_CALLBACK_LEN {
            return Err(Error::CallbackTooLong);
        }
        if raw.is_empty() {
            return Err(Error::CallbackMalformed("it is empty"));
        }
        let url = Url::parse(raw).map_err(|_| Error::CallbackMalformed("it is not a URL"))?;
        let (mut code, mut state, mut error, mut description) = (None, None, None, None);
        for (k, v) in url.query_pairs() {
            let slot = match k.as_ref() {
                "code" => &mut code,
                "state" => &mut state,
                "error" => &mut error,
                "error_description" => &mut description,
                _ => continue,
            };
            if slot.replace(v.into_owned()).is_some() {
                return Err(Error::CallbackMalformed("a parameter appears twice"));
            }
        }
        let outcome = match (code, error) {
            (Some(_), Some(_)) => {
                return Err(Error::CallbackMalformed("it has both a code and an error"));
            }
            (None, None) => {
                return Err(Error::CallbackMalformed(
                    "it has neither a sign-in code nor an error",
                ));
            }
            (Some(c), None) if c.is_empty() => {
                return Err(Error::CallbackMalformed("its code is empty"));
            }
            (Some(c), None) => CallbackOutcome::Code(Secret::new(c)),
            (None, Some(e)) => CallbackOutcome::Error {
                code: crate::error::clean_error_code(&e),
                description: description.and_then(|d| crate::error::clean_server_text(&d, &[])),
            },
        };
        let mut address = url;
        address.set_query(None);
        address.set_fragment(None);
        Ok(Self {
            address,
            state: state.filter(|s| !s.is_empty()).map(Secret::new),
            outcome,
        })
    }

    /// Scheme, host, port and path must equal the redirect URI the login used.
    pub fn check_matches(&self, redirect: &Url) -> Result<()> {
        address_matches(&self.address, redirect)
    }

    /// The error this callback reports, in plain words, if it reports one.
    pub fn error(&self) -> Option<Error> {
        match &self.outcome {
            CallbackOutcome::Code(_) => None,
            CallbackOutcome::Error { code, .. } if code == "access_denied" => Some(Error::Declined),
            CallbackOutcome::Error { code, description } => Some(Error::AuthorizeFailed {
                code: code.clone(),
                description: description.clone(),
            }),
        }
    }
}

/// A callback address must be the login's redirect URI, as exactly as thanks.io compares them:
/// the server redirects to the registered string, so the two private-use forms
/// (`scheme://oauth/callback`, host `oauth`, and `scheme:/oauth/callback`, no host) never match
/// each other, and `scheme:///oauth/callback` matches neither.
pub fn address_matches(a: &Url, redirect: &Url) -> Result<()> {
    if a.scheme() != redirect.scheme() {
        return Err(Error::CallbackMismatch("the scheme"));
    }
    if a.host_str() != redirect.host_str() {
        return Err(Error::CallbackMismatch("the host"));
    }
    if a.port_or_known_default() != redirect.port_or_known_default() {
        return Err(Error::CallbackMismatch("the port"));
    }
    if a.path() != redirect.path() || without_query(a) != without_query(redirect) {
        return Err(Error::CallbackMismatch("the path"));
    }
    Ok(())
}

/// Everything before the query: what a server's exact comparison looks at.
fn without_query(u: &Url) -> &str {
    &u[..url::Position::AfterPath]
}

#[cfg(test)]
mod tests {
    use super::*;

    const REDIRECT: &str = "dev.thanksconnect.app://oauth/callback";
    const SINGLE_SLASH: &str = "dev.thanksconnect.app:/oauth/callback";

    #[test]
    fn parses_code_and_state() {
        let cb = Callback::parse(&format!("{REDIRECT}?code=abc&state=xyz&extra=1")).unwrap();
        assert!(matches!(&cb.outcome, CallbackOutcome::Code(c) if c.expose() == "abc"));
        assert_eq!(cb.state.as_ref().unwrap().expose(), "xyz");
        assert_eq!(cb.address.as_str(), REDIRECT, "address carries no query");
        cb.check_matches(&Url::parse(REDIRECT).unwrap()).unwrap();
        assert!(cb.error().is_none());
        assert!(!format!("{cb:?}").contains("abc"));
    }

    #[test]
    fn maps_errors_in_plain_words() {
        let cb = Callback::parse(&format!("{REDIRECT}?error=access_denied&state=s")).unwrap();
        assert_eq!(cb.error().unwrap().code(), "auth.declined");
        let cb = Callback::parse(&format!(
            "{REDIRECT}?error=server_error&error_description=down%0Anow&state=s"
        ))
        .unwrap();
        let e = cb.error().unwrap();
        assert_eq!(e.code(), "auth.authorize_failed");
        assert_eq!(
            e.to_string(),
            "thanks.io did not grant access (server_error): thanks.io says \"downnow\""
        );
        let cb = Callback::parse(&format!("{REDIRECT}?error=%3Cscript%3E&state=s")).unwrap();
        assert!(
            cb.error()
                .unwrap()
                .to_string()
                .contains("unrecognised_error")
        );
    }

    #[test]
    fn refuses_bad_input() {
        let long = format!("{REDIRECT}?code={}&state=s", "a".repeat(MAX_CALLBACK_LEN));
        assert!(matches!(
            Callback::parse(&long),
            Err(Error::CallbackTooLong)
        ));
        for (raw, code) in [
            ("", "auth.callback_malformed"),
            ("not a url", "auth.callback_malformed"),
            (
                &format!("{REDIRECT}?code=a&code=b&state=s") as &str,
                "auth.callback_malformed",
            ),
            (
                &format!("{REDIRECT}?state=s&state=t&code=a"),
                "auth.callback_malformed",
            ),
            (
                &format!("{REDIRECT}?code=a&error=x&state=s"),
                "auth.callback_malformed",
            ),
            (&format!("{REDIRECT}?state=s"), "auth.callback_malformed"),
            (
                &format!("{REDIRECT}?code=&state=s"),
                "auth.callback_malformed",
            ),
        ] {
            assert_eq!(Callback::parse(raw).unwrap_err().code(), code, "{raw}");
        }
        let cb = Callback::parse(&format!("{REDIRECT}?code=a")).unwrap();
        assert!(cb.state.is_none());
    }

    #[test]
    fn must_match_the_redirect() {
        let loopback = Url::parse("http://127.0.0.1:53682/callback").unwrap();
        for (raw, what) in [
            ("http://127.0.0.1:53683/callback?code=a&state=s", "the port"),
            ("http://127.0.0.2:53682/callback?code=a&state=s", "the host"),
            ("http://127.0.0.1:53682/other?code=a&state=s", "the path"),
            (
                "https://127.0.0.1:53682/callback?code=a&state=s",
                "the scheme",
            ),
        ] {
            let e = Callback::parse(raw)
                .unwrap()
                .check_matches(&loopback)
                .unwrap_err();
            assert!(
                matches!(e, Error::CallbackMismatch(w) if w == what),
                "{raw}"
            );
        }
        let cb = Callback::parse("evil.app:/oauth/callback?code=a&state=s").unwrap();
        assert!(cb.check_matches(&Url::parse(REDIRECT).unwrap()).is_err());
    }

    #[test]
    fn both_private_use_forms_match_only_themselves() {
        let double = Url::parse(REDIRECT).unwrap();
        let single = Url::parse(SINGLE_SLASH).unwrap();
        let cb = |raw: &str| Callback::parse(&format!("{raw}?code=a&state=s")).unwrap();
        cb(REDIRECT).check_matches(&double).unwrap();
        cb(SINGLE_SLASH).check_matches(&single).unwrap();
        for (raw, redirect, what) in [
            (SINGLE_SLASH, &double, "the host"),
            (REDIRECT, &single, "the host"),
            (
                "dev.thanksconnect.app:///oauth/callback",
                &single,
                "the path",
            ),
            (
                "dev.thanksconnect.app:///oauth/callback",
                &double,
                "the host",
            ),
            (
                "dev.thanksconnect.app://OAuth/callback",
                &double,
                "the host",
            ),
            (
                "dev.thanksconnect.app://oauth/callback/",
                &double,
                "the path",
            ),
            (
                "dev.thanksconnect.app://oauth:1/callback",
                &double,
                "the port",
            ),
        ] {
            let e = cb(raw).check_matches(redirect).unwrap_err();
            assert!(
                matches!(e, Error::CallbackMismatch(w) if w == what),
                "{raw} vs {redirect}: {e}"
            );
        }
    }
}
