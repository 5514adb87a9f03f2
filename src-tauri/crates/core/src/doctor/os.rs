//! The real [`SystemProbes`]: on Linux, `xdg-mime` for the link handler (its desktop entry's
//! `Exec` must run this app) and `xdg-open` / `$BROWSER` for the browser; macOS and Windows
//! register schemes from the installed bundle and always have an opener.

use std::path::{Path, PathBuf};

use super::{Handler, SystemProbes};

/// The app's executable name; a desktop entry whose `Exec` runs it is ours.
pub const APP_BINARY: &str = "thanks-connect";

#[derive(Debug, Default)]
pub struct OsProbes;

impl SystemProbes for OsProbes {
    fn link_handler(&self, scheme: &str) -> Handler {
        #[cfg(target_os = "linux")]
        {
            linux_handler(scheme)
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = scheme;
            Handler::NotApplicable(
                "This system registers the link scheme from the installed app itself.",
            )
        }
    }

    fn browser_opener(&self) -> Result<String, String> {
        if cfg!(target_os = "linux") {
            if let Some(b) = std::env::var_os("BROWSER").filter(|b| !b.is_empty()) {
                return Ok(format!("$BROWSER ({})", b.to_string_lossy()));
            }
            find_on_path("xdg-open")
                .map(|p| format!("xdg-open ({})", p.display()))
                .ok_or_else(|| "xdg-open is not installed (package xdg-utils)".to_string())
        } else {
            Ok("the system's default browser".into())
        }
    }
}

#[cfg(target_os = "linux")]
fn linux_handler(scheme: &str) -> Handler {
    let out = std::process::Command::new("xdg-mime")
        .args(["query", "default", &format!("x-scheme-handler/{scheme}")])
        .output();
    let out = match out {
        Ok(o) => o,
        Err(_) => return Handler::Unknown("xdg-mime is not installed".into()),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let entry = stdout.lines().next().map(str::trim).unwrap_or("");
    // xdg-mime exits 4 ("action failed") or prints nothing when no handler is set.
    if entry.is_empty() {
        return Handler::Nobody;
    }
    match desktop_entry_exec(entry) {
        Some(exec) if runs_app(&exec) => Handler::Ours(entry.to_string()),
        Some(_) => Handler::Other(entry.to_string()),
        None => Handler::Other(format!("{entry}, which is not installed")),
    }
}

/// The `Exec` line of a desktop entry found in the XDG data directories.
fn desktop_entry_exec(entry: &str) -> Option<String> {
    if entry.contains('/') {
        return None;
    }
    data_dirs()
        .into_iter()
        .map(|d| d.join("applications").join(entry))
        .find_map(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| {
            text.lines()
                .skip_while(|l| l.trim() != "[Desktop Entry]")
                .find_map(|l| l.strip_prefix("Exec=").map(str::to_string))
        })
}

fn data_dirs() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let mut dirs: Vec<PathBuf> = match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(d) => vec![PathBuf::from(d)],
        None => home.map(|h| h.join(".local/share")).into_iter().collect(),
    };
    let system = std::env::var("XDG_DATA_DIRS")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "/usr/local/share:/usr/share".into());
    dirs.extend(
        system
            .split(':')
            .filter(|d| !d.is_empty())
            .map(PathBuf::from),
    );
    dirs
}

/// Whether an `Exec` value starts this app (by name, or a path to it, quoted or not).
pub fn runs_app(exec: &str) -> bool {
    let program = exec
        .trim()
        .strip_prefix('"')
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| exec.split_whitespace().next().unwrap_or(""));
    Path::new(program)
        .file_name()
        .is_some_and(|n| n == APP_BINARY)
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::runs_app;

    #[test]
    fn exec_lines_that_run_the_app() {
        assert!(runs_app("thanks-connect %u"));
        assert!(runs_app("/usr/bin/thanks-connect %u"));
        assert!(runs_app("\"/opt/Thanks Connect/thanks-connect\" %u"));
        assert!(!runs_app("firefox %u"));
        assert!(!runs_app("/usr/bin/thanks-connect-other %u"));
        assert!(!runs_app(""));
    }
}
