//! Building the authorize URL: a fresh single-use `state` and PKCE S256 pair on every attempt.

use url::Url;

use crate::config::Profile;
use crate::secret::Secret;
use crate::util::sha256_b64url;

/// One login attempt's secrets and the URL to open in the system browser.
#[derive(Debug)]
pub struct AuthorizeRequest {
    /// Goes to the browser; it carries `state` and the PKCE challenge, never the verifier.
    pub url: Url,
    /// 256 random bits (RFC 6749 §10.12 asks for ≥128).
    pub state: Secret,
    /// 32 random bytes, base64url: 43 characters (RFC 7636 §4.1).
    pub verifier: Secret,
}

pub fn build(profile: &Profile) -> AuthorizeRequest {
    let state = Secret::random(32);
    let verifier = Secret::random(32);
    let challenge = sha256_b64url(verifier.expose());
    let mut url = profile.authorize_url.clone();
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code")
            .append_pair("client_id", &profile.client_id)
            .append_pair("redirect_uri", profile.redirect_uri.as_str())
            .append_pair("state", state.expose())
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        if let Some(scope) = &profile.scope {
            q.append_pair("scope", scope);
        }
    }
    AuthorizeRequest {
        url,
        state,
        verifier,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn url_has_everything_and_fresh_secrets() {
        let mut p = Profile::defaults("default");
        p.client_id = "client 1".into();
        let a = build(&p);
        let b = build(&p);
        let q: HashMap<_, _> = a.url.query_pairs().into_owned().collect();
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["client_id"], "client 1");
        assert_eq!(q["redirect_uri"], "dev.thanksconnect.app://oauth/callback");
        assert_eq!(q["state"], a.state.expose());
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["code_challenge"], sha256_b64url(a.verifier.expose()));
        assert!(
            !q.contains_key("scope"),
            "no scope unless the profile sets one"
        );
        assert!(!a.url.as_str().contains(a.verifier.expose()));
        assert_eq!(a.verifier.expose().len(), 43);
        assert!(a.state.expose().len() >= 22, "≥128 bits");
        assert_ne!(a.state, b.state);
        assert_ne!(a.verifier, b.verifier);
        assert!(
            a.url
                .as_str()
                .starts_with("https://dashboard.thanks.io/oauth/authorize?")
        );

        p.scope = Some("read write".into());
        let q: HashMap<_, _> = build(&p).url.query_pairs().into_owned().collect();
        assert_eq!(q["scope"], "read write");
    }
}
