//! Setup files and setup links: how an admin hands a ready-made profile to the rest of a team.
//!
//! A **setup file** (`.thanksconnect`) is JSON with a format name and a version: the profile's
//! name, endpoints, client id, redirect URI and scope, and optionally the OAuth client secret
//! encrypted with a passphrase ([`crypto`], age's scrypt mode). A **setup link**
//! (`<scheme>://setup?v=1&…`, [`link`]) carries the same fields minus any secret. A **company
//! build** can carry one setup baked in at compile time ([`company`]).
//!
//! Everything here is untrusted input, parsed the way callbacks are: size-capped before it is
//! read, strict schema (unknown fields refused), every value validated by the same rules as
//! the profile settings, and plain errors with stable codes. Parsing changes nothing; the
//! engine's `setup_import` does the change, and only after everything has been checked. A setup
//! never holds a token, and its secret appears only encrypted.

pub mod company;
pub mod crypto;
pub mod link;

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::config::{Config, Profile, ProfileUpdate, check_profile_name};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// The `format` value that marks a JSON document as a Thanks Connect setup.
pub const FORMAT: &str = "thanks-connect-setup";
/// The newest setup version this build reads and the one it writes.
pub const VERSION: u64 = 1;
/// The file extension the desktop entry registers.
pub const EXTENSION: &str = "thanksconnect";
/// The MIME type the `.deb` registers for setup files.
pub const MIME_TYPE: &str = "application/x-thanksconnect";
/// A real setup is about a kilobyte; anything far larger is refused before it is read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024;

/// Where a setup came from; the confirmation says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SetupSource {
    File,
    Link,
    Company,
}

/// The client secret a setup brings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupSecret {
    /// The OAuth client has no secret (a public client: PKCE only).
    None,
    /// The client has a secret the setup doesn't carry: ask the person importing it.
    Ask,
    /// The secret, age-encrypted with a passphrase and ASCII-armored.
    Encrypted(String),
    /// Only in a company build (RFC 8252 §8.5: a secret shipped inside an app is not secret).
    Plain(Secret),
}

/// A parsed, validated setup: a profile ready to be created, and its secret.
#[derive(Debug, Clone)]
pub struct Setup {
    /// Validated by the profile rules; its `uid` is meaningless until imported.
    pub profile: Profile,
    pub secret: SetupSecret,
    pub source: SetupSource,
}

/// What kind of server the setup's endpoints belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoints {
    /// Every endpoint is https on thanks.io or a subdomain of it.
    ThanksIo,
    /// Every endpoint is on this computer (127.0.0.1 / [::1]): the sandbox.
    LocalSandbox,
    /// Anything else: a warning is shown.
    Other,
}

/// What the confirmation shows before anything is created. No secret in it.
#[derive(Debug, Clone, Serialize)]
pub struct SetupPreview {
    pub profile: String,
    pub source: SetupSource,
    pub authorize_url: String,
    pub token_url: String,
    pub api_base: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: Option<String>,
    pub endpoints: Endpoints,
    /// Plain words about the endpoints: a warning (other servers) or a note (sandbox).
    pub endpoints_note: Option<String>,
    /// "none" | "passphrase" (the setup's encrypted secret) | "client_secret" (ask for it).
    pub asks_for: &'static str,
    /// A profile of that name exists: importing replaces its settings (asked first).
    pub exists: bool,
}

/// The setup file's JSON, version 1, exactly as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileV1 {
    format: String,
    version: u64,
    profile: String,
    authorize_url: String,
    token_url: String,
    api_base: String,
    client_id: String,
    redirect_uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revocation_url: Option<String>,
    /// The client needs a secret this file doesn't carry.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    needs_client_secret: bool,
    /// The client secret, age-encrypted with a passphrase, ASCII-armored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    encrypted_client_secret: Option<String>,
}

impl Setup {
    /// Reads a setup file. Its size is checked before its content: a huge file is refused
    /// without being read.
    pub fn read_file(path: &Path) -> Result<Self> {
        let file = std::fs::File::open(path).map_err(|e| Error::io("open", path, e))?;
        let len = file
            .metadata()
            .map_err(|e| Error::io("read", path, e))?
            .len();
        if len > MAX_FILE_BYTES {
            return Err(Error::SetupTooLarge);
        }
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("read", path, e))?;
        Self::parse(&bytes)
    }

    /// Parses a setup file's bytes.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(Error::SetupTooLarge);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| Error::SetupForeign)?;
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            // Ours, cut short or edited by hand; anything else is not a setup at all.
            Err(_) if text.contains(FORMAT) => {
                return Err(Error::SetupDamaged(
                    "it ends early or is not valid JSON".into(),
                ));
            }
            Err(_) => return Err(Error::SetupForeign),
        };
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(Error::SetupForeign);
        }
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(VERSION) => {}
            Some(v) if v > VERSION => return Err(Error::SetupNewerVersion(v)),
            _ => {
                return Err(Error::SetupDamaged(
                    "its version is missing or not a positive whole number".into(),
                ));
            }
        }
        let file: FileV1 =
            serde_json::from_value(value).map_err(|e| Error::SetupDamaged(serde_problem(&e)))?;
        let secret = match (file.encrypted_client_secret, file.needs_client_secret) {
            (Some(armored), _) => SetupSecret::Encrypted(crypto::check_armor(armored)?),
            (None, true) => SetupSecret::Ask,
            (None, false) => SetupSecret::None,
        };
        let update = ProfileUpdate {
            authorize_url: Some(file.authorize_url),
            token_url: Some(file.token_url),
            api_base: Some(file.api_base),
            client_id: Some(file.client_id),
            redirect_uri: Some(file.redirect_uri),
            scope: file.scope,
            revocation_url: file.revocation_url,
        };
        Ok(Self {
            profile: validated(&file.profile, update)?,
            secret,
            source: SetupSource::File,
        })
    }

    /// The setup file's text (pretty JSON). Writes the secret only in its encrypted form; a
    /// plain secret (company builds) is never written out.
    pub fn to_file_json(&self) -> String {
        let p = &self.profile;
        let file = FileV1 {
            format: FORMAT.into(),
            version: VERSION,
            profile: p.name.clone(),
            authorize_url: p.authorize_url.to_string(),
            token_url: p.token_url.to_string(),
            api_base: api_base_text(&p.api_base),
            client_id: p.client_id.clone(),
            redirect_uri: p.redirect_uri.to_string(),
            scope: p.scope.clone(),
            revocation_url: p.revocation_url.as_ref().map(Url::to_string),
            needs_client_secret: matches!(self.secret, SetupSecret::Ask | SetupSecret::Plain(_)),
            encrypted_client_secret: match &self.secret {
                SetupSecret::Encrypted(a) => Some(a.clone()),
                _ => None,
            },
        };
        let mut text = serde_json::to_string_pretty(&file).expect("a setup serializes");
        text.push('\n');
        text
    }

    /// Every setting of the profile, as an update (empty scope and revocation URL clear them).
    pub fn update(&self) -> ProfileUpdate {
        let p = &self.profile;
        ProfileUpdate {
            authorize_url: Some(p.authorize_url.to_string()),
            token_url: Some(p.token_url.to_string()),
            api_base: Some(api_base_text(&p.api_base)),
            client_id: Some(p.client_id.clone()),
            redirect_uri: Some(p.redirect_uri.to_string()),
            scope: Some(p.scope.clone().unwrap_or_default()),
            revocation_url: Some(
                p.revocation_url
                    .as_ref()
                    .map(Url::to_string)
                    .unwrap_or_default(),
            ),
        }
    }

    /// What the confirmation shows; `exists` says whether a profile of that name is there.
    pub fn preview(&self, exists: bool) -> SetupPreview {
        let p = &self.profile;
        let endpoints = classify(p);
        SetupPreview {
            profile: p.name.clone(),
            source: self.source,
            authorize_url: p.authorize_url.to_string(),
            token_url: p.token_url.to_string(),
            api_base: api_base_text(&p.api_base),
            client_id: p.client_id.clone(),
            redirect_uri: p.redirect_uri.to_string(),
            scope: p.scope.clone(),
            endpoints,
            endpoints_note: endpoints_note(p, endpoints),
            asks_for: match self.secret {
                SetupSecret::Encrypted(_) => "passphrase",
                SetupSecret::Ask => "client_secret",
                SetupSecret::None | SetupSecret::Plain(_) => "none",
            },
            exists,
        }
    }
}

/// The profile a setup describes, checked by the same rules as the settings form.
pub(crate) fn validated(name: &str, update: ProfileUpdate) -> Result<Profile> {
    check_profile_name(name).map_err(|_| Error::SetupInvalid {
        field: "profile".into(),
        problem: "a profile name is 1–64 letters, digits, '-' or '_'".into(),
    })?;
    if update
        .client_id
        .as_deref()
        .is_none_or(|c| c.trim().is_empty())
    {
        return Err(Error::SetupInvalid {
            field: "client_id".into(),
            problem: "is missing".into(),
        });
    }
    Config::default().apply(name, update).map_err(|e| match e {
        Error::InvalidInput { field, problem } => Error::SetupInvalid { field, problem },
        other => other,
    })
}

fn api_base_text(u: &Url) -> String {
    u.as_str().trim_end_matches('/').to_string()
}

/// thanks.io's own hosts: `thanks.io` and its subdomains, over https.
fn is_thanks_io(u: &Url) -> bool {
    u.scheme() == "https"
        && u.host_str()
            .is_some_and(|h| h == "thanks.io" || h.ends_with(".thanks.io"))
}

fn is_loopback(u: &Url) -> bool {
    match u.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    }
}

fn endpoint_urls(p: &Profile) -> impl Iterator<Item = &Url> {
    [&p.authorize_url, &p.token_url, &p.api_base]
        .into_iter()
        .chain(p.revocation_url.as_ref())
}

pub fn classify(p: &Profile) -> Endpoints {
    if endpoint_urls(p).all(is_thanks_io) {
        Endpoints::ThanksIo
    } else if endpoint_urls(p).all(is_loopback) {
        Endpoints::LocalSandbox
    } else {
        Endpoints::Other
    }
}

fn endpoints_note(p: &Profile, kind: Endpoints) -> Option<String> {
    match kind {
        Endpoints::ThanksIo => None,
        Endpoints::LocalSandbox => Some(
            "These endpoints are a local sandbox on this computer: nothing goes to thanks.io, \
             and nothing is printed or mailed."
                .into(),
        ),
        Endpoints::Other => {
            let mut hosts: Vec<&str> = endpoint_urls(p)
                .filter(|u| !is_thanks_io(u))
                .filter_map(Url::host_str)
                .collect();
            hosts.dedup();
            Some(format!(
                "These endpoints are not thanks.io's ({}). Whoever runs them will see your \
                 sign-in; continue only if your team told you to use them.",
                hosts.join(", ")
            ))
        }
    }
}

/// serde's message without any value from the file: only the field name it is about.
fn serde_problem(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    for prefix in ["unknown field", "missing field", "duplicate field"] {
        if msg.starts_with(prefix) {
            let field = msg.split('`').nth(1).unwrap_or("?");
            let field: String = field.chars().filter(|c| !c.is_control()).take(40).collect();
            return format!("{prefix} \"{field}\"");
        }
    }
    "a field has a value of the wrong type".into()
}

#[cfg(test)]
mod tests;
