//! Profiles and the config home.
//!
//! The config home is the platform config directory (`~/.config/thanks-connect` on Linux),
//! or `$THANKS_CONNECT_HOME` when set (tests and portable setups use it). It holds
//! `config.toml` (profiles, human-readable), `tokens/` (non-secret token metadata), `pending/`
//! (logins in progress) and `locks/`. Secrets are never here: they are in the OS keyring,
//! keyed by each profile's random `uid`.
//!
//! Loading goes raw (serde) → validated; every problem names the file, the key and what's wrong.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};
use crate::util::{random_b64url, write_atomic};

pub const ENV_HOME: &str = "THANKS_CONNECT_HOME";
pub const DEFAULT_PROFILE: &str = "default";
pub const DEFAULT_AUTHORIZE_URL: &str = "https://dashboard.thanks.io/oauth/authorize";
pub const DEFAULT_TOKEN_URL: &str = "https://dashboard.thanks.io/oauth/token";
pub const DEFAULT_API_BASE: &str = "https://api.thanks.io/api/v2";
/// The release build's private-use scheme (RFC 8252 §7.1) in the double-slash form, the one
/// thanks.io's client registration accepts (see [`crate::oauth::redirect_form`]). Each build
/// uses its own scheme: see [`default_redirect_uri`].
pub const DEFAULT_REDIRECT_URI: &str = "dev.thanksconnect.app://oauth/callback";
/// What config.toml stored before the default changed: files that name exactly one of these
/// (and predate `version = 2`) were never customised, so they follow the current default.
const OLD_DEFAULT_REDIRECT_URIS: [&str; 2] = [
    "dev.thanksconnect.app:/oauth/callback",
    "dev.thanksconnect.app.debug:/oauth/callback",
];
/// config.toml's format; 2 = a profile names `redirect_uri` only when it was customised.
const CONFIG_VERSION: u32 = 2;

/// The default redirect URI of a build whose deep-link scheme is `scheme`.
pub fn default_redirect_uri(scheme: &str) -> String {
    format!("{scheme}://oauth/callback")
}

/// Where Thanks Connect keeps its files.
#[derive(Debug, Clone)]
pub struct ConfigHome {
    root: PathBuf,
}

impl ConfigHome {
    /// `$THANKS_CONNECT_HOME`, else the platform config directory.
    pub fn from_env() -> Result<Self> {
        match std::env::var_os(ENV_HOME) {
            Some(p) if !p.is_empty() => Ok(Self::at(PathBuf::from(p))),
            _ => dirs::config_dir()
                .map(|d| Self::at(d.join("thanks-connect")))
                .ok_or(Error::NoConfigHome),
        }
    }

    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn config_file(&self) -> PathBuf {
        self.root.join("config.toml")
    }
    pub fn tokens_dir(&self) -> PathBuf {
        self.root.join("tokens")
    }
    pub fn pending_dir(&self) -> PathBuf {
        self.root.join("pending")
    }
    pub fn locks_dir(&self) -> PathBuf {
        self.root.join("locks")
    }
}

/// A validated profile: everything needed to connect one thanks.io account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    /// Random id that keys this profile's keyring entries and metadata files.
    pub uid: String,
    pub authorize_url: Url,
    pub token_url: Url,
    pub api_base: Url,
    pub client_id: String,
    /// The redirect URI in use: the profile's own, or the build's default.
    pub redirect_uri: Url,
    /// True when the profile names its own redirect URI; false when it follows the default.
    pub redirect_uri_custom: bool,
    pub scope: Option<String>,
    /// RFC 7009 revocation endpoint, if the profile sets one (thanks.io documents none).
    pub revocation_url: Option<Url>,
}

/// What a person can change in a profile; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileUpdate {
    pub authorize_url: Option<String>,
    pub token_url: Option<String>,
    pub api_base: Option<String>,
    pub client_id: Option<String>,
    /// `Some("")`, or the default itself, makes the profile follow the default.
    pub redirect_uri: Option<String>,
    /// `Some("")` clears the scope.
    pub scope: Option<String>,
    /// `Some("")` clears it.
    pub revocation_url: Option<String>,
}

/// How a profile is written in config.toml.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    uid: String,
    authorize_url: String,
    token_url: String,
    api_base: String,
    #[serde(default)]
    client_id: String,
    /// Absent: the build's default redirect URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    redirect_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revocation_url: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    /// Absent in files written before the redirect default changed (see `OLD_DEFAULT_REDIRECT_URIS`).
    #[serde(default)]
    version: u32,
    #[serde(default)]
    profiles: BTreeMap<String, RawProfile>,
}

/// All profiles, validated, and the redirect URI that profiles without their own one use.
#[derive(Debug, Clone)]
pub struct Config {
    profiles: BTreeMap<String, Profile>,
    default_redirect: Url,
}

impl Default for Config {
    fn default() -> Self {
        Self::empty(Url::parse(DEFAULT_REDIRECT_URI).expect("built-in URL is valid"))
    }
}

impl Config {
    fn empty(default_redirect: Url) -> Self {
        Self {
            profiles: BTreeMap::new(),
            default_redirect,
        }
    }

    /// Reads and validates config.toml; a missing file is an empty config. Profiles without
    /// their own redirect URI get [`DEFAULT_REDIRECT_URI`].
    pub fn load(home: &ConfigHome) -> Result<Self> {
        Self::load_with(home, &Config::default().default_redirect)
    }

    /// Like [`Config::load`], for a build whose default redirect URI is `default_redirect`.
    pub fn load_with(home: &ConfigHome, default_redirect: &Url) -> Result<Self> {
        let path = home.config_file();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self::empty(default_redirect.clone()));
            }
            Err(e) => return Err(Error::io("read", &path, e)),
        };
        Self::parse(&text, &path, default_redirect)
    }

    fn parse(text: &str, path: &Path, default_redirect: &Url) -> Result<Self> {
        let file = path.display().to_string();
        let raw: RawConfig = toml::from_str(text).map_err(|e| Error::ConfigInvalid {
            file: file.clone(),
            key: toml_error_key(&e),
            problem: e.message().to_string(),
        })?;
        let mut config = Self::empty(default_redirect.clone());
        for (name, mut rp) in raw.profiles {
            if raw.version < CONFIG_VERSION
                && rp
                    .redirect_uri
                    .as_deref()
                    .is_some_and(|r| OLD_DEFAULT_REDIRECT_URIS.contains(&r))
            {
                // Written by an older version that stored its default in every profile.
                rp.redirect_uri = None;
            }
            let p = config
                .validate(&name, rp)
                .map_err(|(key, problem)| Error::ConfigInvalid {
                    file: file.clone(),
                    key: format!("profiles.{name}.{key}"),
                    problem,
                })?;
            config.profiles.insert(name, p);
        }
        Ok(config)
    }

    /// The redirect URI of profiles that don't name their own.
    pub fn default_redirect(&self) -> &Url {
        &self.default_redirect
    }

    pub fn save(&self, home: &ConfigHome) -> Result<()> {
        let raw = RawConfig {
            version: CONFIG_VERSION,
            profiles: self
                .profiles
                .iter()
                .map(|(n, p)| (n.clone(), to_raw(p)))
                .collect(),
        };
        let body = toml::to_string_pretty(&raw).map_err(|e| Error::InvalidInput {
            field: "config".into(),
            problem: e.to_string(),
        })?;
        let text = format!(
            "# Thanks Connect profiles. Secrets are not stored here: tokens and client secrets\n\
             # live in the OS keyring, keyed by each profile's uid.\n\n{body}"
        );
        let path = home.config_file();
        write_atomic(&path, text.as_bytes()).map_err(|e| Error::io("write", &path, e))
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The named profile; "default" exists implicitly (thanks.io production, no client id yet)
    /// so that a first `status` works before anything is configured.
    pub fn profile(&self, name: &str) -> Result<Profile> {
        match self.profiles.get(name) {
            Some(p) => Ok(p.clone()),
            None if name == DEFAULT_PROFILE => Ok(self.defaults(name)),
            None => Err(Error::ProfileNotFound(name.to_string())),
        }
    }

    /// Creates or changes a profile; values are validated before anything is kept.
    pub fn apply(&mut self, name: &str, update: ProfileUpdate) -> Result<Profile> {
        check_profile_name(name)?;
        let mut raw = self
            .profiles
            .get(name)
            .map(to_raw)
            .unwrap_or_else(|| to_raw(&self.defaults(name)));
        let set = |slot: &mut String, v: Option<String>| {
            if let Some(v) = v {
                *slot = v.trim().to_string();
            }
        };
        set(&mut raw.authorize_url, update.authorize_url);
        set(&mut raw.token_url, update.token_url);
        set(&mut raw.api_base, update.api_base);
        set(&mut raw.client_id, update.client_id);
        if let Some(r) = update.redirect_uri {
            let r = r.trim();
            let is_default = Url::parse(r).is_ok_and(|u| u == self.default_redirect);
            raw.redirect_uri = (!r.is_empty() && !is_default).then(|| r.to_string());
        }
        if let Some(s) = update.scope {
            raw.scope = Some(s.trim().to_string()).filter(|s| !s.is_empty());
        }
        if let Some(s) = update.revocation_url {
            raw.revocation_url = Some(s.trim().to_string()).filter(|s| !s.is_empty());
        }
        let p = self
            .validate(name, raw)
            .map_err(|(field, problem)| Error::InvalidInput { field, problem })?;
        self.profiles.insert(name.to_string(), p.clone());
        Ok(p)
    }

    pub fn remove(&mut self, name: &str) -> Option<Profile> {
        self.profiles.remove(name)
    }

    fn defaults(&self, name: &str) -> Profile {
        let mut p = Profile::defaults(name);
        p.redirect_uri = self.default_redirect.clone();
        p
    }

    fn validate(&self, name: &str, raw: RawProfile) -> std::result::Result<Profile, Invalid> {
        let custom = raw.redirect_uri.is_some();
        let redirect_uri = match &raw.redirect_uri {
            Some(r) => redirect_url(r)?,
            None => self.default_redirect.clone(),
        };
        let mut p = validate(name, raw)?;
        p.redirect_uri = redirect_uri;
        p.redirect_uri_custom = custom;
        Ok(p)
    }
}

impl Profile {
    /// thanks.io production endpoints, the app's redirect URI, a fresh uid, no client id.
    pub fn defaults(name: &str) -> Self {
        let parse = |s: &str| Url::parse(s).expect("built-in URL is valid");
        Self {
            name: name.to_string(),
            uid: new_uid(),
            authorize_url: parse(DEFAULT_AUTHORIZE_URL),
            token_url: parse(DEFAULT_TOKEN_URL),
            api_base: parse(DEFAULT_API_BASE),
            client_id: String::new(),
            redirect_uri: parse(DEFAULT_REDIRECT_URI),
            redirect_uri_custom: false,
            scope: None,
            revocation_url: None,
        }
    }

    /// The redirect is a loopback address the app listens on itself (RFC 8252 §7.3).
    pub fn uses_loopback_redirect(&self) -> bool {
        is_loopback_http(&self.redirect_uri)
    }
}

fn new_uid() -> String {
    format!("p-{}", random_b64url(12))
}

fn to_raw(p: &Profile) -> RawProfile {
    RawProfile {
        uid: p.uid.clone(),
        authorize_url: p.authorize_url.to_string(),
        token_url: p.token_url.to_string(),
        api_base: p.api_base.to_string().trim_end_matches('/').to_string(),
        client_id: p.client_id.clone(),
        redirect_uri: p.redirect_uri_custom.then(|| p.redirect_uri.to_string()),
        scope: p.scope.clone(),
        revocation_url: p.revocation_url.as_ref().map(Url::to_string),
    }
}

pub(crate) fn check_profile_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidInput {
            field: "profile name".into(),
            problem: "use 1–64 letters, digits, '-' or '_'".into(),
        })
    }
}

type Invalid = (String, String);

fn validate(name: &str, raw: RawProfile) -> std::result::Result<Profile, Invalid> {
    let bad = |key: &str, problem: String| (key.to_string(), problem);
    if raw.uid.len() < 8
        || !raw
            .uid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(bad(
            "uid",
            "must be the random id Thanks Connect wrote; don't edit it".into(),
        ));
    }
    let authorize_url = endpoint_url("authorize_url", &raw.authorize_url)?;
    let token_url = endpoint_url("token_url", &raw.token_url)?;
    let api_base = endpoint_url("api_base", raw.api_base.trim_end_matches('/'))?;
    let revocation_url = raw
        .revocation_url
        .as_deref()
        .map(|u| endpoint_url("revocation_url", u))
        .transpose()?;
    if raw
        .client_id
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad(
            "client_id",
            "must not contain spaces or control characters".into(),
        ));
    }
    if let Some(scope) = &raw.scope
        && scope
            .chars()
            .any(|c| c.is_control() || c == '"' || c == '\\')
    {
        return Err(bad("scope", "must be space-separated scope names".into()));
    }
    Ok(Profile {
        name: name.to_string(),
        uid: raw.uid,
        authorize_url,
        token_url,
        api_base,
        client_id: raw.client_id,
        // Filled in by `Config::validate`, which knows the default.
        redirect_uri: Url::parse(DEFAULT_REDIRECT_URI).expect("built-in URL is valid"),
        redirect_uri_custom: false,
        scope: raw.scope.filter(|s| !s.is_empty()),
        revocation_url,
    })
}

fn is_loopback_http(u: &Url) -> bool {
    u.scheme() == "http"
        && matches!(u.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback() && ip.octets() == [127, 0, 0, 1])
        || u.scheme() == "http" && matches!(u.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback())
}

/// https, or http only on 127.0.0.1 / [::1]; no credentials, no fragment.
fn endpoint_url(key: &str, s: &str) -> std::result::Result<Url, Invalid> {
    let bad = |p: &str| (key.to_string(), p.to_string());
    let u = Url::parse(s).map_err(|e| (key.to_string(), format!("\"{s}\" is not a URL ({e})")))?;
    match u.scheme() {
        "https" => {}
        "http" if is_loopback_http(&u) => {}
        "http" => {
            return Err(bad(
                "must use https (plain http is allowed only for 127.0.0.1 and [::1])",
            ));
        }
        _ => return Err(bad("must be an https URL")),
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err(bad("must not contain a user name or password"));
    }
    if u.fragment().is_some() {
        return Err(bad("must not contain a #fragment"));
    }
    Ok(u)
}

/// A private-use scheme in reverse-DNS form (`scheme://host/path`, which thanks.io registers, or
/// RFC 8252's `scheme:/path`, kept as a choice), a loopback http address with an explicit port,
/// or an https address (RFC 8252 §7). `localhost` is refused: it may resolve off the machine.
fn redirect_url(s: &str) -> std::result::Result<Url, Invalid> {
    let key = "redirect_uri";
    let bad = |p: String| (key.to_string(), p);
    let u = Url::parse(s).map_err(|e| bad(format!("\"{s}\" is not a URL ({e})")))?;
    if u.fragment().is_some() {
        return Err(bad("must not contain a #fragment".into()));
    }
    match u.scheme() {
        "https" => Ok(u),
        "http" if is_loopback_http(&u) => {
            if u.port().is_none() {
                return Err(bad("a loopback redirect needs an explicit port, e.g. http://127.0.0.1:53682/callback".into()));
            }
            Ok(u)
        }
        "http" if u.host_str() == Some("localhost") => {
            Err(bad("use http://127.0.0.1:PORT/… instead of localhost (RFC 8252 §8.3)".into()))
        }
        "http" => Err(bad("plain http is allowed only for 127.0.0.1 and [::1]".into())),
        scheme if scheme.contains('.') => {
            if u.host_str() == Some("") || u.as_str().starts_with(&format!("{scheme}:///")) {
                return Err(bad(format!(
                    "write {scheme}://oauth/callback (or RFC 8252's {scheme}:/oauth/callback), not three slashes"
                )));
            }
            Ok(u)
        }
        _ => Err(bad("a custom-scheme redirect must use a reverse-DNS scheme such as dev.thanksconnect.app://oauth/callback".into())),
    }
}

/// Best-effort name of the key a TOML error is about (the parser reports it in the message).
fn toml_error_key(e: &toml::de::Error) -> String {
    let msg = e.message();
    msg.split('`')
        .nth(1)
        .map(str::to_string)
        .unwrap_or_else(|| {
            e.span()
                .map(|s| format!("at byte {}", s.start))
                .unwrap_or_else(|| "(file)".into())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home() -> (tempfile::TempDir, ConfigHome) {
        let d = tempfile::tempdir().unwrap();
        let h = ConfigHome::at(d.path());
        (d, h)
    }

    #[test]
    fn round_trips_and_defaults() {
        let (_d, h) = home();
        let mut c = Config::load(&h).unwrap();
        assert!(c.get("default").is_none());
        assert_eq!(
            c.profile("default").unwrap().api_base.as_str(),
            DEFAULT_API_BASE
        );
        let p = c
            .apply(
                "work",
                ProfileUpdate {
                    client_id: Some("abc".into()),
                    scope: Some("".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        c.save(&h).unwrap();
        let again = Config::load(&h).unwrap();
        assert_eq!(again.get("work"), Some(&p));
        assert!(matches!(c.profile("nope"), Err(Error::ProfileNotFound(_))));
    }

    #[test]
    fn refuses_plain_http_except_loopback() {
        let mut c = Config::default();
        let e = c
            .apply(
                "x",
                ProfileUpdate {
                    token_url: Some("http://example.com/oauth/token".into()),
                    ..Default::default()
                },
            )
            .unwrap_err();
        assert_eq!(e.code(), "input.invalid");
        assert!(e.to_string().starts_with("token_url: must use https"));
        for ok in [
            "http://127.0.0.1:8080/oauth/token",
            "http://[::1]:9/t",
            "https://x.test/t",
        ] {
            c.apply(
                "x",
                ProfileUpdate {
                    token_url: Some(ok.into()),
                    ..Default::default()
                },
            )
            .unwrap();
        }
        let e = c
            .apply(
                "x",
                ProfileUpdate {
                    api_base: Some("http://localhost:1/api".into()),
                    ..Default::default()
                },
            )
            .unwrap_err();
        assert!(e.to_string().contains("https"));
    }

    #[test]
    fn redirect_rules() {
        let ok = [
            "dev.thanksconnect.app://oauth/callback",
            "dev.thanksconnect.app:/oauth/callback",
            "http://127.0.0.1:53682/callback",
            "https://x.test/cb",
        ];
        for r in ok {
            redirect_url(r).unwrap();
        }
        for (r, why) in [
            ("http://localhost:5000/cb", "localhost"),
            ("http://127.0.0.1/cb", "explicit port"),
            ("myapp:/cb", "reverse-DNS"),
            ("dev.thanksconnect.app:///oauth/callback", "three slashes"),
            ("http://10.0.0.2:80/cb", "only for 127.0.0.1"),
        ] {
            let (_, problem) = redirect_url(r).unwrap_err();
            assert!(problem.contains(why), "{r}: {problem}");
        }
    }

    const OLD_FILE: &str = "[profiles.default]\nuid = \"p-abcdefgh\"\nauthorize_url = \"https://a.test/a\"\ntoken_url = \"https://a.test/t\"\napi_base = \"https://a.test/api\"\n";

    #[test]
    fn old_files_that_stored_the_old_default_follow_the_new_one() {
        let (_d, h) = home();
        let debug = Url::parse(&default_redirect_uri("dev.thanksconnect.app.debug")).unwrap();
        for stored in OLD_DEFAULT_REDIRECT_URIS {
            std::fs::write(
                h.config_file(),
                format!("{OLD_FILE}redirect_uri = \"{stored}\"\n"),
            )
            .unwrap();
            let p = Config::load(&h).unwrap().profile("default").unwrap();
            assert_eq!(p.redirect_uri.as_str(), DEFAULT_REDIRECT_URI, "{stored}");
            assert!(!p.redirect_uri_custom);
            let p = Config::load_with(&h, &debug)
                .unwrap()
                .profile("default")
                .unwrap();
            assert_eq!(p.redirect_uri, debug, "each build follows its own default");
        }
        // Anything else an old file names was chosen by someone, and is kept.
        std::fs::write(
            h.config_file(),
            format!("{OLD_FILE}redirect_uri = \"http://127.0.0.1:9/cb\"\n"),
        )
        .unwrap();
        let c = Config::load(&h).unwrap();
        let p = c.profile("default").unwrap();
        assert_eq!(
            (p.redirect_uri.as_str(), p.redirect_uri_custom),
            ("http://127.0.0.1:9/cb", true)
        );
        // Saving writes the new format: the old default is gone, a chosen URI stays.
        c.save(&h).unwrap();
        let text = std::fs::read_to_string(h.config_file()).unwrap();
        assert!(
            text.contains("version = 2") && text.contains("127.0.0.1:9"),
            "{text}"
        );
    }

    #[test]
    fn a_chosen_single_slash_uri_survives_a_save_and_the_default_is_not_pinned() {
        let (_d, h) = home();
        let mut c = Config::load(&h).unwrap();
        let set = |c: &mut Config, r: &str| {
            c.apply(
                "work",
                ProfileUpdate {
                    redirect_uri: Some(r.into()),
                    ..Default::default()
                },
            )
            .unwrap()
        };
        let p = set(&mut c, OLD_DEFAULT_REDIRECT_URIS[0]);
        assert!(p.redirect_uri_custom);
        c.save(&h).unwrap();
        let again = Config::load(&h).unwrap().profile("work").unwrap();
        assert_eq!(again.redirect_uri.as_str(), OLD_DEFAULT_REDIRECT_URIS[0]);
        assert!(
            again.redirect_uri_custom,
            "a new file's single-slash URI is a choice"
        );

        for follow in ["", DEFAULT_REDIRECT_URI] {
            let p = set(&mut c, follow);
            assert_eq!(p.redirect_uri.as_str(), DEFAULT_REDIRECT_URI);
            assert!(!p.redirect_uri_custom, "{follow:?}");
        }
        c.save(&h).unwrap();
        let text = std::fs::read_to_string(h.config_file()).unwrap();
        assert!(!text.contains("redirect_uri"), "{text}");
    }

    #[test]
    fn load_errors_name_file_key_and_problem() {
        let (_d, h) = home();
        std::fs::write(
            h.config_file(),
            "[profiles.default]\nuid = \"p-abcdefgh\"\nauthorize_url = \"https://a.test/a\"\ntoken_url = \"ftp://a.test/t\"\napi_base = \"https://a.test/api\"\nredirect_uri = \"http://127.0.0.1:1/cb\"\n",
        )
        .unwrap();
        let e = Config::load(&h).unwrap_err().to_string();
        assert!(
            e.contains("config.toml: profiles.default.token_url: must be an https URL"),
            "{e}"
        );

        std::fs::write(
            h.config_file(),
            "[profiles.default]\nuid = \"p-abcdefgh\"\ncolour = 1\n",
        )
        .unwrap();
        let e = Config::load(&h).unwrap_err().to_string();
        assert!(e.contains("config.toml") && e.contains("colour"), "{e}");
    }
}
