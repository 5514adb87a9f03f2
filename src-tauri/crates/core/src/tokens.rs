//! Token metadata and token state.
//!
//! The secrets (access, refresh and personal tokens) are in the keyring; what is safe to show
//! lives beside the config in `tokens/<uid>.json`: when the tokens were obtained and expire,
//! their type and scope, the last refresh's result, and a `generation` counter that goes up on
//! every change so that refreshers can tell whether someone else already refreshed.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::binding::Binding;
use crate::config::{ConfigHome, Profile};
use crate::error::{Error, Result};
use crate::events::{Actor, Trigger};
use crate::util::{UnixTime, rfc3339, write_atomic};

/// How early an access token is refreshed before it expires (at most; see `should_refresh`).
pub const REFRESH_MARGIN_SECS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    Oauth,
    PersonalToken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenState {
    Connected,
    Expired,
    NeedsReconnect,
    /// A personal access token thanks.io refuses: only a new token helps.
    Rejected,
    Disconnected,
}

impl TokenState {
    /// Plain words, as the CLI and the report print them.
    pub fn words(self) -> &'static str {
        match self {
            Self::Connected => "connected",
            Self::Expired => "expired",
            Self::NeedsReconnect => "needs reconnect",
            Self::Rejected => "rejected",
            Self::Disconnected => "disconnected",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastRefresh {
    pub at: UnixTime,
    pub ok: bool,
    /// Stable error code, e.g. `token.invalid_grant`.
    pub code: Option<String>,
    /// The plain-word message (never contains a secret).
    pub error: Option<String>,
    /// The process that refreshed (absent in metadata written before the timeline existed).
    #[serde(default)]
    pub by: Option<Actor>,
    #[serde(default)]
    pub trigger: Option<Trigger>,
}

/// What is known about a profile's tokens, minus the tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenMeta {
    pub auth: AuthKind,
    pub generation: u64,
    pub obtained_at: UnixTime,
    pub expires_at: Option<UnixTime>,
    pub token_type: String,
    pub scope: Option<String>,
    pub has_refresh_token: bool,
    #[serde(default)]
    pub needs_reconnect: bool,
    /// A personal access token thanks.io refused on its last use.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rejected: bool,
    #[serde(default)]
    pub last_refresh: Option<LastRefresh>,
    /// The endpoints and client the tokens were issued for; `None` in metadata written before
    /// 0.2, bound to the profile's values on first use (see `Engine::bound_meta`).
    #[serde(default)]
    pub binding: Option<Binding>,
}

impl TokenMeta {
    /// What changed in the profile since these tokens were issued, in words; `None` when
    /// nothing did (or nothing is recorded yet).
    pub fn rebound(&self, profile: &Profile) -> Option<String> {
        let changes = self
            .binding
            .as_ref()?
            .changes(profile, self.auth == AuthKind::PersonalToken);
        (!changes.is_empty()).then(|| crate::binding::in_words(&changes))
    }

    pub fn state(&self, now: UnixTime) -> TokenState {
        if self.needs_reconnect {
            TokenState::NeedsReconnect
        } else if self.rejected && self.auth == AuthKind::PersonalToken {
            TokenState::Rejected
        } else if self.expires_at.is_some_and(|t| now >= t) {
            TokenState::Expired
        } else {
            TokenState::Connected
        }
    }

    /// Refresh policy: OAuth tokens are refreshed when they expire within the margin, which is
    /// 60 s or half the token's lifetime, whichever is shorter: a token that lives 30 s would
    /// otherwise be refreshed before every call.
    pub fn should_refresh(&self, now: UnixTime) -> bool {
        self.auth == AuthKind::Oauth
            && self.expires_at.is_some_and(|t| {
                let margin = REFRESH_MARGIN_SECS.min((t - self.obtained_at).max(0) / 2);
                now >= t - margin
            })
    }
}

impl AuthKind {
    pub fn words(self) -> &'static str {
        match self {
            Self::Oauth => "OAuth",
            Self::PersonalToken => "personal access token",
        }
    }
}

/// Reads and writes `tokens/<uid>.json`.
#[derive(Debug, Clone)]
pub struct MetaStore {
    dir: PathBuf,
}

impl MetaStore {
    pub fn new(home: &ConfigHome) -> Self {
        Self {
            dir: home.tokens_dir(),
        }
    }

    fn path(&self, profile: &Profile) -> PathBuf {
        self.dir.join(format!("{}.json", profile.uid))
    }

    pub fn load(&self, profile: &Profile) -> Result<Option<TokenMeta>> {
        let path = self.path(profile);
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|e| Error::ConfigInvalid {
                        file: path.display().to_string(),
                        key: "(token metadata)".into(),
                        problem: format!("{e}; disconnect and connect again to rewrite it"),
                    })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io("read", &path, e)),
        }
    }

    /// Which metadata file is on disk now, or None when there is none (see [`MetaStamp`]).
    pub fn stamp(&self, profile: &Profile) -> Option<MetaStamp> {
        let m = std::fs::metadata(self.path(profile)).ok()?;
        Some(MetaStamp {
            modified: m.modified().ok()?,
            len: m.len(),
            #[cfg(unix)]
            inode: std::os::unix::fs::MetadataExt::ino(&m),
        })
    }

    pub fn save(&self, profile: &Profile, meta: &TokenMeta) -> Result<()> {
        let path = self.path(profile);
        let bytes = serde_json::to_vec_pretty(meta).expect("serializable");
        write_atomic(&path, &bytes).map_err(|e| Error::io("write", &path, e))
    }

    pub fn remove(&self, profile: &Profile) -> Result<()> {
        let path = self.path(profile);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io("remove", &path, e)),
        }
    }
}

/// One version of a profile's metadata file. Every save writes a new file and renames it over
/// the old one, so a save by any process changes the file's identity (its inode) and its
/// modification time; a token kept in memory is used again only while this is unchanged
/// (`engine/reuse.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaStamp {
    modified: std::time::SystemTime,
    len: u64,
    #[cfg(unix)]
    inode: u64,
}

#[cfg(test)]
impl MetaStamp {
    /// A stamp for unit tests of what is kept against it; `n` tells stamps apart.
    pub(crate) fn test(n: u64) -> Self {
        MetaStamp {
            modified: std::time::UNIX_EPOCH,
            len: n,
            #[cfg(unix)]
            inode: n,
        }
    }
}

/// The status of a profile as shown to people and scripts. Never holds a token value.
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    pub profile: String,
    pub state: TokenState,
    pub auth: Option<AuthKind>,
    pub expires_at: Option<String>,
    /// Seconds until expiry (negative once expired), for countdowns.
    pub expires_in_secs: Option<i64>,
    pub has_refresh_token: bool,
    pub token_type: Option<String>,
    pub scope: Option<String>,
    pub obtained_at: Option<String>,
    pub last_refresh: Option<LastRefreshView>,
    pub keyring: KeyringView,
    /// Why the profile needs reconnecting when it isn't thanks.io's answer: its endpoints or
    /// client changed since it was connected (plain words).
    pub reconnect_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LastRefreshView {
    pub at: String,
    pub ok: bool,
    pub code: Option<String>,
    pub error: Option<String>,
    pub by: Option<Actor>,
    pub trigger: Option<Trigger>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyringView {
    pub backend: String,
    pub ok: bool,
    pub code: Option<String>,
    pub error: Option<String>,
}

impl StatusView {
    pub fn build(
        profile: &str,
        meta: Option<&TokenMeta>,
        has_refresh_token: bool,
        keyring: KeyringView,
        now: UnixTime,
    ) -> Self {
        let Some(m) = meta else {
            return Self {
                profile: profile.to_string(),
                state: TokenState::Disconnected,
                auth: None,
                expires_at: None,
                expires_in_secs: None,
                has_refresh_token: false,
                token_type: None,
                scope: None,
                obtained_at: None,
                last_refresh: None,
                keyring,
                reconnect_reason: None,
            };
        };
        Self {
            profile: profile.to_string(),
            state: m.state(now),
            auth: Some(m.auth),
            expires_at: m.expires_at.map(rfc3339),
            expires_in_secs: m.expires_at.map(|t| t - now),
            has_refresh_token,
            token_type: Some(m.token_type.clone()),
            scope: m.scope.clone(),
            obtained_at: Some(rfc3339(m.obtained_at)),
            last_refresh: m.last_refresh.as_ref().map(|r| LastRefreshView {
                at: rfc3339(r.at),
                ok: r.ok,
                code: r.code.clone(),
                error: r.error.clone(),
                by: r.by.clone(),
                trigger: r.trigger,
            }),
            keyring,
            reconnect_reason: None,
        }
    }

    /// Marks the view as needing a reconnect because the profile changed under its tokens.
    pub fn rebound(mut self, what: Option<String>) -> Self {
        if let Some(what) = what {
            self.state = TokenState::NeedsReconnect;
            self.reconnect_reason = Some(format!(
                "{} changed since this profile was connected; connect again (or change it back)",
                capitalise(&what)
            ));
        }
        self
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(expires_at: Option<i64>) -> TokenMeta {
        TokenMeta {
            auth: AuthKind::Oauth,
            generation: 1,
            obtained_at: 0,
            expires_at,
            token_type: "Bearer".into(),
            scope: None,
            has_refresh_token: true,
            needs_reconnect: false,
            rejected: false,
            last_refresh: None,
            binding: None,
        }
    }

    #[test]
    fn refresh_policy_uses_a_sixty_second_margin() {
        let m = meta(Some(1000));
        assert!(!m.should_refresh(939));
        assert!(m.should_refresh(940));
        assert!(m.should_refresh(2000));
        assert!(
            !meta(None).should_refresh(i64::MAX - 1),
            "no expiry, no proactive refresh"
        );
        let mut pat = meta(Some(1000));
        pat.auth = AuthKind::PersonalToken;
        assert!(!pat.should_refresh(2000), "personal tokens never refresh");
    }

    #[test]
    fn states() {
        let mut m = meta(Some(1000));
        assert_eq!(m.state(999), TokenState::Connected);
        assert_eq!(m.state(1000), TokenState::Expired);
        m.needs_reconnect = true;
        assert_eq!(m.state(0), TokenState::NeedsReconnect);
        let kv = KeyringView {
            backend: "x".into(),
            ok: true,
            code: None,
            error: None,
        };
        let v = StatusView::build("p", None, false, kv.clone(), 0);
        assert_eq!(v.state, TokenState::Disconnected);
        let v = StatusView::build("p", Some(&meta(Some(1000))), true, kv, 400);
        assert_eq!(v.expires_in_secs, Some(600));
        assert_eq!(v.expires_at.as_deref(), Some("1970-01-01T00:16:40Z"));
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["state"], "connected");
        assert_eq!(json["auth"], "oauth");
    }

    #[test]
    fn short_lifetimes_refresh_at_half_their_life() {
        // expires_in 30 s: a 60 s margin would refresh on every call; half the life is used.
        let mut m = meta(Some(1030));
        m.obtained_at = 1000;
        assert!(!m.should_refresh(1000));
        assert!(!m.should_refresh(1014));
        assert!(m.should_refresh(1015));
        // Long lifetimes keep the 60 s margin.
        let mut m = meta(Some(4600));
        m.obtained_at = 1000;
        assert!(!m.should_refresh(4539));
        assert!(m.should_refresh(4540));
    }
}
