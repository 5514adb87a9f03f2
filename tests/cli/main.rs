//! End-to-end tests of `thanksctl` against the sandbox, over real loopback HTTP, with tokens in
//! the real Secret Service. Run through `scripts/test.sh`, which starts a private D-Bus session
//! with an unlocked gnome-keyring; run bare, these tests fail and say so.
//!
//! One binary (ripgrep-style) with a module per concern; every test gets its own sandbox and
//! its own config home, so they run in parallel without sharing anything but the keyring
//! (whose entries are keyed by random profile ids).

mod harness;

mod auth_failures;
mod concurrency;
mod costguard;
mod doctor;
mod failures;
mod login;
mod registration;
mod secrets;
mod setup;
mod support;
#[cfg(windows)]
mod windows;
