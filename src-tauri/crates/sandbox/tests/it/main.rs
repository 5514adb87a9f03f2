//! Integration tests: a real sandbox on loopback, driven over HTTP with reqwest, the way the
//! app, `thanksctl` and the WebDriver suite will use it. One binary so the crate links once.

mod api;
mod authorize;
mod catalog;
mod common;
mod control;
mod faults;
mod official;
mod orders;
mod registration;
mod resources;
mod token;
