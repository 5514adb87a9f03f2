//! What the app holds while it runs: the engine, the sandbox when the demo started one, and the
//! work in flight (logins waiting on a loopback port, console requests) so it can be cancelled.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use thanks_core::{Engine, Secret};
use tokio::task::AbortHandle;

use crate::events::AuthChanged;

pub struct AppState {
    pub engine: Arc<Engine>,
    /// The deep-link scheme of this build (release and debug builds differ).
    pub scheme: String,
    pub sandbox: tokio::sync::Mutex<Option<thanks_sandbox::Sandbox>>,
    /// Loopback listeners of logins in progress, by pending id.
    pub logins: Mutex<HashMap<String, AbortHandle>>,
    /// Console requests in flight, by request id.
    pub requests: Mutex<HashMap<String, AbortHandle>>,
    /// Authorize URLs of logins in progress, for "copy the sign-in address" (memory only).
    pub urls: Mutex<HashMap<String, Secret>>,
    /// The last login outcome, for a window that wasn't listening yet when it happened (a cold
    /// start completes the login while the page is still loading).
    pub last_auth: Mutex<Option<AuthChanged>>,
}

impl AppState {
    pub fn new(engine: Arc<Engine>, scheme: String) -> Self {
        Self {
            engine,
            scheme,
            sandbox: tokio::sync::Mutex::new(None),
            logins: Mutex::new(HashMap::new()),
            requests: Mutex::new(HashMap::new()),
            urls: Mutex::new(HashMap::new()),
            last_auth: Mutex::new(None),
        }
    }

    pub fn redirect_uri(&self) -> String {
        format!("{}:/oauth/callback", self.scheme)
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("scheme", &self.scheme)
            .finish_non_exhaustive()
    }
}
