//! Tauri commands: thin adapters that take the state, call one engine method and map the error.
//! Nothing secret goes back to the web view: status views, profile views without secrets,
//! responses with credentials masked.

pub mod app;
pub mod auth;
pub mod console;
pub mod doctor;
pub mod history;
pub mod kit;
pub mod profile;
pub mod setup;
pub mod token;
