//! What the app holds while it runs: the engine, the sandbox when the demo started one, and the
//! work in flight (logins waiting on a loopback port, console requests) so it can be cancelled.

use std::collections::{HashMap, VecDeque};
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
    /// The request history; `None` when it couldn't be opened (the notice says why).
    pub history: Option<Arc<thanks_history::History>>,
    /// Shown once by the window: the history was damaged and moved aside, or can't be opened.
    pub history_notice: Option<String>,
    /// The last few response bodies by console request id: the window fetches each once as
    /// raw bytes, and "copy body" and "save body" read them here without sending megabytes
    /// back over IPC. Oldest dropped past [`KEPT_RESPONSES`].
    pub responses: Mutex<VecDeque<(String, Vec<u8>)>>,
    /// Setups offered to the window (by link, file or drop), waiting for a confirmation.
    pub setups: crate::offers::Inbox,
}

/// The engine, with this build's default redirect URI (`<scheme>://oauth/callback`) for
/// profiles that don't name their own.
pub fn engine_for_scheme(engine: Engine, scheme: &str) -> Arc<Engine> {
    match url::Url::parse(&thanks_core::config::default_redirect_uri(scheme)) {
        Ok(uri) => Arc::new(engine.with_default_redirect(uri)),
        Err(_) => {
            tracing::warn!(%scheme, "the deep-link scheme can't form a redirect URI; profiles default to the release one");
            Arc::new(engine)
        }
    }
}

/// How many response bodies are kept for copy/save.
pub const KEPT_RESPONSES: usize = 8;

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
            history: None,
            history_notice: None,
            responses: Mutex::new(VecDeque::new()),
            setups: Default::default(),
        }
    }

    /// Opens (or recovers) the request history in the config home.
    pub fn with_history(mut self) -> Self {
        let path = self.engine.home().root().join(thanks_history::FILE_NAME);
        match thanks_history::History::open(&path) {
            Ok(opened) => {
                if let Some(r) = opened.recovered {
                    tracing::warn!(reason = %r.reason, "the request history was damaged and moved aside");
                    self.history_notice = Some(format!(
                        "Your request history was damaged ({}), so it was moved aside to {} and a new one was started.",
                        r.reason,
                        r.moved_to.display()
                    ));
                }
                self.history = Some(Arc::new(opened.history));
            }
            Err(e) => {
                tracing::warn!(code = e.code(), "the request history can't be opened");
                self.history_notice = Some(format!("Requests are not being kept: {e}"));
            }
        }
        self
    }

    pub fn keep_response(&self, request_id: &str, body: Vec<u8>) {
        let mut kept = self.responses.lock().expect("poisoned");
        kept.retain(|(id, _)| id != request_id);
        kept.push_back((request_id.to_string(), body));
        while kept.len() > KEPT_RESPONSES {
            kept.pop_front();
        }
    }

    pub fn kept_response(&self, request_id: &str) -> Option<Vec<u8>> {
        self.responses
            .lock()
            .expect("poisoned")
            .iter()
            .find(|(id, _)| id == request_id)
            .map(|(_, b)| b.clone())
    }

    /// This build's default redirect URI (`<scheme>://oauth/callback`).
    pub fn redirect_uri(&self) -> String {
        thanks_core::config::default_redirect_uri(&self.scheme)
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("scheme", &self.scheme)
            .finish_non_exhaustive()
    }
}
