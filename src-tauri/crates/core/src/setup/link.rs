//! Setup links: `<scheme>://setup?v=1&name=…&client_id=…&redirect_uri=…`, for a wiki page or
//! an email. The same fields as a setup file, never a secret: when the OAuth client has one,
//! the link says `secret=required` and the app asks for it. Endpoints left out are thanks.io's.
//!
//! A link can be opened by any program on the computer, so it is parsed like a callback:
//! size-capped, duplicate or unknown parameters refused, every value validated.

use url::Url;

use super::{Setup, SetupSecret, SetupSource, VERSION, api_base_text, validated};
use crate::config::{DEFAULT_API_BASE, DEFAULT_AUTHORIZE_URL, DEFAULT_TOKEN_URL, ProfileUpdate};
use crate::error::{Error, Result};

/// A setup link is a few hundred bytes; anything far larger is not one.
pub const MAX_LINK_LEN: usize = 4096;
/// The release app's deep-link scheme, the default for links made by `thanksctl`.
pub const APP_SCHEME: &str = "dev.thanksconnect.app";
/// The host part that marks a deep link as a setup link (`<scheme>://setup?…`).
pub const LINK_HOST: &str = "setup";

/// True when the URL is a setup link (whatever its content): the deep-link dispatch routes
/// these away from OAuth callbacks.
pub fn is_setup_link(url: &Url) -> bool {
    url.host_str() == Some(LINK_HOST)
}

impl Setup {
    /// Parses a setup link.
    pub fn parse_link(raw: &str) -> Result<Self> {
        let raw = raw.trim();
        if raw.len() > MAX_LINK_LEN {
            return Err(Error::SetupLinkInvalid("it is too long to be a setup link"));
        }
        let url = Url::parse(raw).map_err(|_| Error::SetupLinkInvalid("it is not a link"))?;
        if !is_setup_link(&url) || !matches!(url.path(), "" | "/") || url.fragment().is_some() {
            return Err(Error::SetupLinkInvalid("it is not a setup link"));
        }
        let mut fields = Fields::default();
        for (k, v) in url.query_pairs() {
            let slot = match k.as_ref() {
                "v" => &mut fields.v,
                "name" => &mut fields.name,
                "client_id" => &mut fields.client_id,
                "redirect_uri" => &mut fields.redirect_uri,
                "authorize_url" => &mut fields.authorize_url,
                "token_url" => &mut fields.token_url,
                "api_base" => &mut fields.api_base,
                "scope" => &mut fields.scope,
                "revocation_url" => &mut fields.revocation_url,
                "secret" => &mut fields.secret,
                "client_secret" | "secret_value" => {
                    return Err(Error::SetupLinkInvalid(
                        "a setup link must never carry a client secret; ask your team for a new link",
                    ));
                }
                _ => {
                    return Err(Error::SetupLinkInvalid(
                        "it has a parameter this version doesn't know",
                    ));
                }
            };
            if slot.replace(v.into_owned()).is_some() {
                return Err(Error::SetupLinkInvalid("a parameter appears twice"));
            }
        }
        match fields.v.as_deref().map(str::parse::<u64>) {
            Some(Ok(VERSION)) => {}
            Some(Ok(v)) if v > VERSION => return Err(Error::SetupNewerVersion(v)),
            _ => {
                return Err(Error::SetupLinkInvalid(
                    "its version (v=) is missing or unknown",
                ));
            }
        }
        let secret = match fields.secret.as_deref() {
            None => SetupSecret::None,
            Some("required") => SetupSecret::Ask,
            Some(_) => return Err(Error::SetupLinkInvalid("secret= may only say \"required\"")),
        };
        let name = fields
            .name
            .ok_or(Error::SetupLinkInvalid("it names no profile (name=)"))?;
        let redirect_uri = fields.redirect_uri.ok_or(Error::SetupLinkInvalid(
            "it has no redirect URI (redirect_uri=)",
        ))?;
        let or_default = |v: Option<String>, d: &str| Some(v.unwrap_or_else(|| d.to_string()));
        let update = ProfileUpdate {
            authorize_url: or_default(fields.authorize_url, DEFAULT_AUTHORIZE_URL),
            token_url: or_default(fields.token_url, DEFAULT_TOKEN_URL),
            api_base: or_default(fields.api_base, DEFAULT_API_BASE),
            client_id: fields.client_id,
            redirect_uri: Some(redirect_uri),
            scope: fields.scope,
            revocation_url: fields.revocation_url,
        };
        Ok(Self {
            profile: validated(&name, update)?,
            secret,
            source: SetupSource::Link,
        })
    }

    /// The setup as a link for `scheme` (this build's deep-link scheme). Never a secret:
    /// `secret=required` when the client has one. Endpoints equal to thanks.io's are left out.
    pub fn to_link(&self, scheme: &str) -> String {
        let p = &self.profile;
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("v", &VERSION.to_string())
            .append_pair("name", &p.name)
            .append_pair("client_id", &p.client_id)
            .append_pair("redirect_uri", p.redirect_uri.as_str());
        let api_base = api_base_text(&p.api_base);
        for (key, value, default) in [
            (
                "authorize_url",
                p.authorize_url.as_str(),
                DEFAULT_AUTHORIZE_URL,
            ),
            ("token_url", p.token_url.as_str(), DEFAULT_TOKEN_URL),
            ("api_base", api_base.as_str(), DEFAULT_API_BASE),
        ] {
            if value != default {
                q.append_pair(key, value);
            }
        }
        if let Some(s) = &p.scope {
            q.append_pair("scope", s);
        }
        if let Some(r) = &p.revocation_url {
            q.append_pair("revocation_url", r.as_str());
        }
        if !matches!(self.secret, SetupSecret::None) {
            q.append_pair("secret", "required");
        }
        format!("{scheme}://{LINK_HOST}?{}", q.finish())
    }
}

#[derive(Default)]
struct Fields {
    v: Option<String>,
    name: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    authorize_url: Option<String>,
    token_url: Option<String>,
    api_base: Option<String>,
    scope: Option<String>,
    revocation_url: Option<String>,
    secret: Option<String>,
}
