//! The support desk's operations: every profile's state at once, validating a token against
//! thanks.io, and handing out an access token on request (each leaves a trace in the timeline).
//!
//! [`Engine::accounts`] checks the keyring once for the whole list, not once per profile: the
//! check can write a probe entry, and the Accounts view refreshes often.

use std::time::Instant;

use serde::Serialize;

use super::Engine;
use crate::api::RequestSpec;
use crate::error::Result;
use crate::events::{Actor, Event, EventKind};
use crate::secret::Secret;
use crate::tokens::{KeyringView, StatusView};
use crate::util::rfc3339;

/// One row of the Accounts view and of `thanksctl status --all`.
#[derive(Debug, Clone, Serialize)]
pub struct AccountView {
    #[serde(flatten)]
    pub status: StatusView,
    pub api_base: String,
    pub last_call: Option<LastCallView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LastCallView {
    pub at: String,
    /// Seconds since the call, for "2 min ago".
    pub age_secs: i64,
    pub actor: Actor,
    pub status: Option<u16>,
    pub code: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountsView {
    pub keyring: KeyringView,
    pub accounts: Vec<AccountView>,
}

/// What a validation found: whether thanks.io accepts the profile's token.
#[derive(Debug, Clone, Serialize)]
pub struct ValidateView {
    pub endpoint: String,
    pub status: u16,
    pub ok: bool,
    pub ms: f64,
    pub message: String,
    /// Whether the token was refreshed on the way.
    pub refreshed: bool,
}

/// Where an access token went when someone asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenDestination {
    Clipboard,
    CurlClipboard,
    Stdout,
}

impl TokenDestination {
    fn words(self) -> &'static str {
        match self {
            Self::Clipboard => "copied to the clipboard",
            Self::CurlClipboard => "copied to the clipboard inside a cURL command",
            Self::Stdout => "printed by `thanksctl token`",
        }
    }
}

impl Engine {
    /// Every saved profile's state (the implicit default profile only when none is saved).
    pub async fn accounts(&self) -> Result<AccountsView> {
        let config = self.config()?;
        let mut names: Vec<&str> = config.names().collect();
        if names.is_empty() {
            names.push(crate::config::DEFAULT_PROFILE);
        }
        let keyring = self.keyring_health().await;
        let mut accounts = Vec::with_capacity(names.len());
        for name in names {
            let profile = config.profile(name)?;
            let status = self.status_with(&profile, keyring.clone()).await?;
            let now = self.now();
            let last_call = self.last_call(&profile.uid).await.map(|c| LastCallView {
                at: rfc3339(c.at),
                age_secs: now - c.at,
                actor: c.actor,
                status: c.status,
                code: c.code,
            });
            accounts.push(AccountView {
                status,
                api_base: profile.api_base.to_string().trim_end_matches('/').into(),
                last_call,
            });
        }
        Ok(AccountsView { keyring, accounts })
    }

    /// Asks thanks.io whether it accepts the token: `GET /ping` (what thanks.io's own n8n node
    /// uses), falling back to `GET /sub-accounts/` (documented, cheap) where ping isn't
    /// answered. The result goes on the timeline either way.
    pub async fn validate(&self, name: &str) -> Result<ValidateView> {
        let profile = self.profile(name)?;
        let started = Instant::now();
        let mut endpoint = "/ping";
        let mut result = self
            .call_profile(&profile, &RequestSpec::get(endpoint))
            .await;
        if let Ok(v) = &result
            && (v.status == 404 || v.status == 405)
        {
            endpoint = "/sub-accounts/";
            result = self
                .call_profile(&profile, &RequestSpec::get(endpoint))
                .await;
        }
        let view = match result {
            Ok(v) => v,
            Err(e) => {
                self.record(&profile.uid, Event::failed(EventKind::Validated, &e))
                    .await;
                return Err(e);
            }
        };
        let ok = (200..300).contains(&view.status);
        let message = match view.status {
            s if ok => format!("thanks.io accepted the token (HTTP {s})."),
            s if crate::auth_failure::means_expired_token(s, &view.body) => {
                let personal = self
                    .meta
                    .load(&profile)
                    .ok()
                    .flatten()
                    .is_some_and(|m| m.auth == crate::tokens::AuthKind::PersonalToken);
                if personal {
                    format!(
                        "thanks.io refused the personal access token (HTTP {s}); paste a new one."
                    )
                } else {
                    format!("thanks.io refused the token (HTTP {s}); reconnect the profile.")
                }
            }
            // Any other 403 is about permission, not the token (see `auth_failure`).
            403 => "thanks.io accepted the token but refused this request (HTTP 403): the account may lack permission.".into(),
            429 => {
                "thanks.io is rate-limiting this token (HTTP 429); try again in a minute.".into()
            }
            s => format!("thanks.io answered HTTP {s}."),
        };
        let event = Event {
            ok,
            status: Some(view.status),
            ..Event::new(EventKind::Validated).message(message.clone())
        };
        self.record(&profile.uid, event).await;
        Ok(ValidateView {
            endpoint: endpoint.into(),
            status: view.status,
            ok,
            ms: started.elapsed().as_secs_f64() * 1000.0,
            message,
            refreshed: view.refreshed,
        })
    }

    /// The access token for someone who asked to copy or print it (refreshed first if
    /// needed); the timeline notes that it left and where to, never the token.
    pub async fn hand_out_token(&self, name: &str, to: TokenDestination) -> Result<Secret> {
        let profile = self.profile(name)?;
        let token = self.usable_token(&profile).await?.token;
        self.record(
            &profile.uid,
            Event::new(EventKind::TokenCopied).message(to.words()),
        )
        .await;
        Ok(token)
    }
}
