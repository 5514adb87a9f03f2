//! UI preferences that outlive the window (last panel, last profile, close to tray), in `ui.json` in the config
//! home. Window size and position are the window-state plugin's job.

use serde::{Deserialize, Serialize};
use thanks_core::config::ConfigHome;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UiPrefs {
    pub last_profile: Option<String>,
    pub last_panel: Option<String>,
    /// Closing the window keeps the app in the tray (off unless someone turns it on).
    #[serde(default)]
    pub close_to_tray: bool,
}

fn path(home: &ConfigHome) -> std::path::PathBuf {
    home.root().join("ui.json")
}

pub fn load(home: &ConfigHome) -> UiPrefs {
    std::fs::read(path(home))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

pub fn save(home: &ConfigHome, prefs: &UiPrefs) -> std::io::Result<()> {
    thanks_core::util::write_atomic(
        &path(home),
        &serde_json::to_vec_pretty(prefs).expect("serializable"),
    )
}
