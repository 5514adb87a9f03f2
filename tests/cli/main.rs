//! End-to-end tests of `thanksctl` against the sandbox, over real loopback HTTP, with tokens in
//! the real Secret Service. Run through `scripts/test.sh`, which starts a private D-Bus session
//! with an unlocked gnome-keyring; run bare, these tests fail and say so.
//!
//! One binary (ripgrep-style) with a module per concern; every test gets its own sandbox and
//! its own config home, so they run in parallel without sharing anything but the keyring
//! (whose entries are keyed by random profile ids).

mod harness;
// A gnome-keyring of the test's own on a bus of its own, and SIGKILL at a named step: Linux's
// (the Windows stage runs the rest under Wine; Credential Manager's faults are the keyring
// store's own tests there).
#[cfg(target_os = "linux")]
mod private_keyring;

mod auth_failures;
mod binding;
mod colour;
mod concurrency;
mod costguard;
#[cfg(target_os = "linux")]
mod crash;
mod doctor;
mod failures;
#[cfg(target_os = "linux")]
mod keyring_faults;
mod login;
mod names;
mod personal;
mod proxy;
mod registration;
mod secrets;
mod setup;
mod support;
#[cfg(windows)]
mod windows;
