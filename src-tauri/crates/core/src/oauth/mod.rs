//! The OAuth 2.0 authorization-code flow for a native app (RFC 6749, 7636, 8252, 9700).
//!
//! Written by hand rather than with the `oauth2` crate, deliberately: oauth2 5.0 is built on
//! reqwest 0.12 (we use 0.13, and two majors would ship twice the HTTP stack), and what we need
//! beyond the happy path is exactly what that crate leaves to its caller — `expires_in` as a
//! numeric string, a 200 carrying an error body, HTML error pages reported as an HTTP status,
//! a persisted pending login another process can finish, and secrets that never leave a
//! redacting type. The protocol part is small; the care goes into the edges.
//!
//! - [`authorize`]: state + PKCE + the authorize URL.
//! - [`callback`]: the redirect back, parsed as untrusted input.
//! - [`pending`]: logins in progress, persisted so any process can finish them.
//! - [`token`]: the token endpoint (code exchange, refresh, revocation) and its answers.
//! - [`loopback`]: the one-shot 127.0.0.1 listener for loopback redirects.
//! - [`redirect_form`]: whether thanks.io will accept a redirect URI, and which kind it is.

pub mod authorize;
pub mod callback;
pub mod loopback;
pub mod pending;
pub mod redirect_form;
pub mod token;
