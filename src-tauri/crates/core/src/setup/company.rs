//! Company builds: one setup baked into the app and `thanksctl` at compile time, so a company's
//! own build starts with its profile ready and **Connect** is the first click.
//!
//! Build with the setup file's text in `THANKS_CONNECT_COMPANY_SETUP` (and, only when the OAuth
//! client has one, its secret in `THANKS_CONNECT_COMPANY_CLIENT_SECRET`):
//!
//! ```sh
//! THANKS_CONNECT_COMPANY_SETUP="$(cat company.thanksconnect)" \
//! THANKS_CONNECT_COMPANY_CLIENT_SECRET="$(cat client-secret.txt)" scripts/…build…
//! ```
//!
//! A secret compiled into a program is not secret (RFC 8252 §8.5): anyone with the binary can
//! read it. Bake one in only for a client that is registered for this app alone, where leaking
//! it lets nobody do more than the app itself can; prefer a client without a secret (PKCE).
//!
//! The baked setup is read with the same strict parser as any setup file; it may not carry an
//! encrypted secret (nobody would have the passphrase).

use super::{Setup, SetupSecret, SetupSource};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// The setup text this build was compiled with, if any.
const BAKED_SETUP: Option<&str> = option_env!("THANKS_CONNECT_COMPANY_SETUP");
const BAKED_SECRET: Option<&str> = option_env!("THANKS_CONNECT_COMPANY_CLIENT_SECRET");

/// This build's company setup: `None` in an ordinary build, an error when the baked text is
/// not a usable setup.
pub fn baked() -> Option<Result<Setup>> {
    BAKED_SETUP
        .filter(|t| !t.trim().is_empty())
        .map(|text| parse(text, BAKED_SECRET))
}

/// Parses a company setup and its optional plain secret (what [`baked`] does with the text
/// compiled in).
pub fn parse(text: &str, client_secret: Option<&str>) -> Result<Setup> {
    let mut setup = Setup::parse(text.as_bytes())?;
    setup.source = SetupSource::Company;
    let secret = client_secret.map(str::trim).filter(|s| !s.is_empty());
    setup.secret = match (setup.secret, secret) {
        (SetupSecret::Encrypted(_), _) => {
            return Err(Error::SetupInvalid {
                field: "encrypted_client_secret".into(),
                problem: "a company build can't use an encrypted secret (nobody could type its \
                          passphrase); give the secret in THANKS_CONNECT_COMPANY_CLIENT_SECRET"
                    .into(),
            });
        }
        (_, Some(s)) if s.chars().any(char::is_control) => {
            return Err(Error::SetupInvalid {
                field: "THANKS_CONNECT_COMPANY_CLIENT_SECRET".into(),
                problem: "has control characters".into(),
            });
        }
        (_, Some(s)) => SetupSecret::Plain(Secret::new(s)),
        (SetupSecret::Ask, None) => {
            return Err(Error::SetupInvalid {
                field: "needs_client_secret".into(),
                problem: "the setup says its client needs a secret; give it in \
                          THANKS_CONNECT_COMPANY_CLIENT_SECRET"
                    .into(),
            });
        }
        (other, None) => other,
    };
    Ok(setup)
}
