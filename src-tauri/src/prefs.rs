//! UI preferences that outlive the window (last panel, last profile, theme, the console's split),
//! in `ui.json` in the config home. Window size and position are the window-state plugin's job.

use serde::{Deserialize, Serialize};
use thanks_core::config::ConfigHome;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UiPrefs {
    pub last_profile: Option<String>,
    pub last_panel: Option<String>,
    /// "system", "light" or "dark"; absent means like the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// The console's request pane share of the width, 0.2–0.8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console_split: Option<f64>,
}

/// The themes the window knows.
pub const THEMES: [&str; 3] = ["system", "light", "dark"];

/// The console split is kept within these bounds, whatever the window sends.
pub const SPLIT_RANGE: std::ops::RangeInclusive<f64> = 0.2..=0.8;

fn path(home: &ConfigHome) -> std::path::PathBuf {
    home.root().join("ui.json")
}

pub fn load(home: &ConfigHome) -> UiPrefs {
    std::fs::read(path(home))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Changes the stored preferences in one step: the window saves several of them at once (the
/// panel, the theme, the console split), and two overlapping read-change-write rounds would
/// otherwise drop one of the changes.
pub fn update(home: &ConfigHome, change: impl FnOnce(&mut UiPrefs)) -> std::io::Result<()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _held = LOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut prefs = load(home);
    change(&mut prefs);
    save(home, &prefs)
}

fn save(home: &ConfigHome, prefs: &UiPrefs) -> std::io::Result<()> {
    thanks_core::util::write_atomic(
        &path(home),
        &serde_json::to_vec_pretty(prefs).expect("serializable"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each thread changes its own preference at the same time; every change must survive.
    #[test]
    fn overlapping_updates_keep_every_change() {
        let dir = tempfile::tempdir().unwrap();
        let home = ConfigHome::at(dir.path());
        for round in 0..20 {
            let panel = format!("panel-{round}");
            std::thread::scope(|s| {
                s.spawn(|| update(&home, |p| p.last_panel = Some(panel.clone())).unwrap());
                s.spawn(|| update(&home, |p| p.theme = Some("dark".into())).unwrap());
                s.spawn(|| update(&home, |p| p.console_split = Some(0.7)).unwrap());
            });
            let p = load(&home);
            assert_eq!(p.last_panel.as_deref(), Some(panel.as_str()));
            assert_eq!(p.theme.as_deref(), Some("dark"));
            assert_eq!(p.console_split, Some(0.7));
            update(&home, |p| *p = UiPrefs::default()).unwrap();
        }
    }
}
