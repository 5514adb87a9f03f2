//! Where the app keeps its log, per platform, as the README says: the platform's log
//! directory for the app's identifier. Run on Linux by the normal test run, on Windows under
//! Wine by scripts/windows.sh, and on a Mac by the CI's macOS job.

use std::path::PathBuf;

use tauri::Manager;
use tauri::test::{mock_builder, mock_context, noop_assets};

/// The identifier of the build the tests run against (the debug identity).
fn identifier() -> String {
    let config: serde_json::Value =
        serde_json::from_str(include_str!("../tauri.conf.json")).expect("tauri.conf.json");
    config["identifier"]
        .as_str()
        .expect("identifier")
        .to_owned()
}

fn env_dir(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

#[test]
fn the_log_directory_is_the_platform_one_for_the_app() {
    let identifier = identifier();
    let mut context = mock_context(noop_assets());
    context.config_mut().identifier = identifier.clone();
    let app = mock_builder().build(context).expect("app");
    let logs = app.path().app_log_dir().expect("a log directory");

    let expected = if cfg!(windows) {
        env_dir("LOCALAPPDATA")
            .expect("Windows sets LOCALAPPDATA")
            .join(&identifier)
            .join("logs")
    } else if cfg!(target_os = "macos") {
        env_dir("HOME")
            .expect("HOME")
            .join("Library/Logs")
            .join(&identifier)
    } else {
        env_dir("XDG_DATA_HOME")
            .unwrap_or_else(|| env_dir("HOME").expect("HOME").join(".local/share"))
            .join(&identifier)
            .join("logs")
    };
    assert_eq!(logs, expected);
}
