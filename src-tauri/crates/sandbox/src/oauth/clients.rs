//! The OAuth clients the sandbox knows: the built-in one from [`crate::SandboxConfig`], and
//! any registered over `/__sandbox/clients` the way an admin registers one in thanks.io's
//! dashboard (a name and comma-separated redirect URIs, checked by Passport's rule).
//!
//! Redirect URIs are matched like league/oauth2-server (see [`super::redirect`]). By default the
//! built-in client also accepts RFC 8252's single-slash forms, which thanks.io itself would
//! never have registered; in strict-registration mode it accepts only what was registered
//! through Passport's rule, so a client that passes here would register on thanks.io too.

use std::collections::BTreeMap;

use super::passport;
use super::redirect;
use crate::random;

pub(crate) struct Client {
    pub name: String,
    secret: String,
    pub redirect_uris: Vec<String>,
}

pub(crate) struct Clients {
    by_id: BTreeMap<String, Client>,
    next_id: u64,
}

impl Clients {
    pub(crate) fn new(builtin_id: &str, builtin_secret: &str, redirect_uris: Vec<String>) -> Self {
        let mut by_id = BTreeMap::new();
        by_id.insert(
            builtin_id.to_owned(),
            Client {
                name: super::pages::CLIENT_NAME.to_owned(),
                secret: builtin_secret.to_owned(),
                redirect_uris,
            },
        );
        Self { by_id, next_id: 1 }
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Client> {
        self.by_id.get(id)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &Client)> {
        self.by_id.iter()
    }

    /// Whether `uri` may be used with this client; `None` when the client is unknown.
    pub(crate) fn accepts_redirect(&self, id: &str, uri: &str) -> Option<bool> {
        self.get(id)
            .map(|c| redirect::is_registered(uri, &c.redirect_uris))
    }

    pub(crate) fn secret_matches(&self, id: &str, candidate: &str) -> bool {
        self.get(id)
            .is_some_and(|c| random::same_secret(&c.secret, candidate))
    }

    /// Registers a new client (Passport's `POST /oauth/clients`); returns its id and secret.
    pub(crate) fn register(
        &mut self,
        name: &str,
        redirect: &str,
    ) -> Result<(String, String), &'static str> {
        let uris = passport::validate_redirects(redirect)?;
        let id = format!("sbx-client-{}", self.next_id);
        self.next_id += 1;
        let secret = random::b64url(30);
        self.by_id.insert(
            id.clone(),
            Client {
                name: name.to_owned(),
                secret: secret.clone(),
                redirect_uris: uris,
            },
        );
        Ok((id, secret))
    }

    /// Changes a client's name and redirect URIs (Passport's `PUT /oauth/clients/{id}`).
    /// `Ok(false)` when there is no such client.
    pub(crate) fn update(
        &mut self,
        id: &str,
        name: &str,
        redirect: &str,
    ) -> Result<bool, &'static str> {
        let uris = passport::validate_redirects(redirect)?;
        Ok(match self.by_id.get_mut(id) {
            Some(c) => {
                c.name = name.to_owned();
                c.redirect_uris = uris;
                true
            }
            None => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_validates_and_matching_is_exact() {
        let mut clients = Clients::new("builtin", "s", vec![]);
        assert_eq!(
            clients.accepts_redirect("builtin", "x.y://a/b"),
            Some(false)
        );
        assert_eq!(clients.accepts_redirect("nobody", "x.y://a/b"), None);
        let (id, secret) = clients
            .register(
                "App",
                "dev.thanksconnect.app://oauth/callback,http://127.0.0.1/cb",
            )
            .unwrap();
        assert!(clients.secret_matches(&id, &secret));
        assert!(!clients.secret_matches(&id, "nope"));
        let ok = |uri| clients.accepts_redirect(&id, uri);
        assert_eq!(ok("dev.thanksconnect.app://oauth/callback"), Some(true));
        assert_eq!(ok("dev.thanksconnect.app:/oauth/callback"), Some(false));
        assert_eq!(ok("http://127.0.0.1:5555/cb"), Some(true));
        assert_eq!(
            clients.register("App", "dev.thanksconnect.app:/oauth/callback"),
            Err(passport::INVALID_REDIRECT)
        );
        assert_eq!(
            clients.update("builtin", "App", "http://localhost:8080/cb"),
            Ok(true)
        );
        assert_eq!(
            clients.accepts_redirect("builtin", "http://localhost:8081/cb"),
            Some(false)
        );
        assert_eq!(
            clients.update("nobody", "App", "http://localhost/cb"),
            Ok(false)
        );
    }
}
