//! Thanks Connect's engine, shared by the desktop app, `thanksctl` and the tests.
//!
//! It holds the OAuth client (authorize URL, callback validation, code exchange, refresh), the
//! profiles and config home, the token lifecycle (state, single-flight refresh serialized across
//! processes), the API client for thanks.io's `/api/v2`, and redaction. It deliberately knows
//! nothing of Tauri or of any keyring: side effects come in through small traits
//! ([`vault::SecretStore`], [`clock::Clock`]) so it is tested with in-memory fakes.

pub mod alerts;
pub mod api;
pub mod auth_failure;
pub mod catalog;
pub mod clock;
pub mod config;
pub mod costguard;
pub mod curl;
pub mod doctor;
pub mod engine;
pub mod error;
pub mod events;
pub mod mailers;
pub mod oauth;
pub mod redact;
pub mod report;
pub mod secret;
pub mod setup;
pub mod tokens;
pub mod util;
pub mod vault;
pub mod watch;

pub use api::{RequestSpec, ResponseView};
pub use engine::{
    AccountView, AccountsView, Engine, EngineOptions, EventView, LoginStart, ProfileView,
    SetupAnswers, TokenDestination, ValidateView,
};
pub use error::{Error, Result};
pub use secret::Secret;
pub use tokens::{StatusView, TokenState};
