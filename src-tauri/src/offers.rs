//! Setups arriving from outside the window: a setup link by deep link (warm start through
//! single-instance, cold start from the launch URL), a setup file double-clicked in the file
//! manager (its path or `file://` URL in the launch arguments), or dropped on the window. Each
//! becomes an *offer* the window confirms (`setup:offered`), or a plain error; nothing is
//! created until the person confirms (`setup_import`).
//!
//! Any local program can launch us with a link or a file, so offers are only ever shown, never
//! acted on, and at most a few are kept.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use tauri::{AppHandle, DragDropEvent, Emitter, Manager, Runtime, WindowEvent};
use thanks_core::setup::{EXTENSION, Setup, SetupPreview};

use crate::error::IpcError;
use crate::state::AppState;

/// Offers kept for the window; older ones are dropped.
const KEPT_OFFERS: usize = 4;

/// What the window shows: a setup to confirm, or why it can't be used.
#[derive(Debug, Clone, Serialize)]
pub struct SetupOffer {
    /// Refers to the parsed setup kept here (the window never sends the setup back).
    pub id: Option<String>,
    pub preview: Option<SetupPreview>,
    pub error: Option<IpcError>,
}

#[derive(Debug, Default)]
pub struct Inbox {
    offers: Mutex<VecDeque<(String, Setup)>>,
    /// The last offer not yet seen by the window (a cold start arrives before it listens).
    unseen: Mutex<Option<SetupOffer>>,
}

impl Inbox {
    pub fn get(&self, id: &str) -> Option<Setup> {
        let offers = self.offers.lock().expect("poisoned");
        offers.iter().find(|(i, _)| i == id).map(|(_, s)| s.clone())
    }

    pub fn remove(&self, id: &str) {
        self.offers
            .lock()
            .expect("poisoned")
            .retain(|(i, _)| i != id);
        let mut unseen = self.unseen.lock().expect("poisoned");
        if unseen.as_ref().is_some_and(|o| o.id.as_deref() == Some(id)) {
            *unseen = None;
        }
    }

    /// The offer the window hasn't seen yet, once.
    pub fn take_unseen(&self) -> Option<SetupOffer> {
        self.unseen.lock().expect("poisoned").take()
    }

    /// Keeps a parsed setup (or its error) and says what the window should show.
    pub fn offer(
        &self,
        engine: &thanks_core::Engine,
        parsed: thanks_core::Result<Setup>,
    ) -> SetupOffer {
        let offer = match parsed.and_then(|s| engine.setup_preview(&s).map(|p| (s, p))) {
            Ok((setup, preview)) => {
                let id = thanks_core::util::random_b64url(12);
                let mut offers = self.offers.lock().expect("poisoned");
                offers.push_back((id.clone(), setup));
                while offers.len() > KEPT_OFFERS {
                    offers.pop_front();
                }
                SetupOffer {
                    id: Some(id),
                    preview: Some(preview),
                    error: None,
                }
            }
            Err(e) => SetupOffer {
                id: None,
                preview: None,
                error: Some(e.into()),
            },
        };
        *self.unseen.lock().expect("poisoned") = Some(offer.clone());
        offer
    }
}

/// Tells the window about an offer and brings it to the front.
fn announce<R: Runtime>(app: &AppHandle<R>, offer: SetupOffer) {
    match &offer.preview {
        Some(p) => tracing::info!(profile = %p.profile, source = ?p.source, "setup offered"),
        None => tracing::info!(
            code = offer.error.as_ref().map(|e| e.code.as_str()),
            "a setup couldn't be read"
        ),
    }
    let _ = app.emit("setup:offered", &offer);
    crate::callback::focus_main_window(app);
}

/// A setup link from the deep-link dispatch (the scheme was already checked).
pub fn offer_link<R: Runtime>(app: &AppHandle<R>, url: &url::Url) {
    let state = app.state::<AppState>();
    let offer = state
        .setups
        .offer(&state.engine, Setup::parse_link(url.as_str()));
    announce(app, offer);
}

/// A setup file: read (size-capped) and offered.
pub fn offer_file<R: Runtime>(app: &AppHandle<R>, path: &Path) -> SetupOffer {
    let state = app.state::<AppState>();
    tracing::info!(file = %path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(), "setup file opened");
    let offer = state.setups.offer(&state.engine, Setup::read_file(path));
    announce(app, offer.clone());
    offer
}

/// The launch arguments (ours at a cold start, a second launch's through single-instance): a
/// lone setup file, as a path or a `file://` URL, is offered. Deep links are not ours to take
/// here (the deep-link plugin delivers them).
pub fn handle_args<R: Runtime>(app: &AppHandle<R>, args: &[String]) {
    let [_, arg] = args else { return };
    let path = match url::Url::parse(arg) {
        Ok(u) if u.scheme() == "file" => u.to_file_path().ok(),
        Ok(_) => None,
        Err(_) => Some(PathBuf::from(arg)),
    };
    if let Some(path) = path.filter(|p| is_setup_file(p)) {
        offer_file(app, &path);
    }
}

/// A file dropped on the window: the first one is offered (whatever its name, so a wrong file
/// gets a plain "not a setup file" rather than nothing).
pub fn on_window_event<R: Runtime>(window: &tauri::Window<R>, event: &WindowEvent) {
    if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event
        && let Some(first) = paths.first()
    {
        offer_file(window.app_handle(), first);
    }
}

fn is_setup_file(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(EXTENSION))
}
