//! Which endpoints and client a set of tokens (or a login in progress) belongs to.
//!
//! Tokens are only good where they were issued: the bearer for the API base it was issued for,
//! the refresh token (with the client secret) for the token URL and client id that issued it.
//! The engine records a [`Binding`] with the token metadata and with each pending login, and
//! refuses to send anything secret when the profile's current values differ — whether they were
//! changed in the window, by `thanksctl profile set`, or in config.toml by hand. Nothing is
//! deleted on a mismatch: changing the value back makes the tokens usable again.

use serde::{Deserialize, Serialize};

use crate::config::Profile;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    pub token_url: String,
    pub api_base: String,
    pub client_id: String,
    /// Where the tokens may be revoked: revocation happens only at the address bound here.
    #[serde(default)]
    pub revocation_url: Option<String>,
}

impl Binding {
    pub fn of(profile: &Profile) -> Self {
        Self {
            token_url: profile.token_url.to_string(),
            api_base: api_base_text(profile),
            client_id: profile.client_id.clone(),
            revocation_url: profile.revocation_url.as_ref().map(ToString::to_string),
        }
    }

    /// What differs between the binding and the profile now, in words ("the API base"); only
    /// the API base counts for a personal access token, which is sent nowhere else.
    pub fn changes(&self, profile: &Profile, personal_token: bool) -> Vec<&'static str> {
        let now = Self::of(profile);
        let mut changed = Vec::new();
        if !personal_token && self.token_url != now.token_url {
            changed.push("the token URL");
        }
        if self.api_base != now.api_base {
            changed.push("the API base");
        }
        if !personal_token && self.client_id != now.client_id {
            changed.push("the client id");
        }
        changed
    }
}

/// "the API base", "the token URL and the API base", "a, b and c".
pub fn in_words(changes: &[&str]) -> String {
    match changes {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn api_base_text(profile: &Profile) -> String {
    profile.api_base.as_str().trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_what_changed() {
        let p = Profile::defaults("p");
        let b = Binding::of(&p);
        assert!(b.changes(&p, false).is_empty());
        assert_eq!(b.api_base, "https://api.thanks.io/api/v2");
        let mut q = p.clone();
        q.token_url = url::Url::parse("https://evil.example/token").unwrap();
        q.client_id = "other".into();
        assert_eq!(b.changes(&q, false), ["the token URL", "the client id"]);
        assert!(
            b.changes(&q, true).is_empty(),
            "a personal token only goes to the API"
        );
        assert_eq!(
            in_words(&b.changes(&q, false)),
            "the token URL and the client id"
        );
        assert_eq!(in_words(&["a", "b", "c"]), "a, b and c");
    }
}
