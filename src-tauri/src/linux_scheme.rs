//! Makes this build the handler of its deep-link scheme on Linux, in the form every way of
//! opening a link can run.
//!
//! Why not the deep-link plugin's `register_all()`: it writes `<bin>-handler.desktop` with
//! `Exec="/usr/bin/thanks-connect" %u` and makes it the default handler, even over the correct
//! entry the `.deb` installed. xdg-utils' generic mode (every desktop `xdg-open` doesn't
//! recognise: i3, sway, Hyprland, a bare X session) takes Exec's first word as it stands,
//! quotes included, and fails with "Permission denied".
//!
//! At every start instead:
//! - if an installed entry (the `.deb`'s or `.rpm`'s, or any in the XDG data directories)
//!   declares the scheme and runs this very executable, it is the handler: nothing is written,
//!   and the entry an earlier version wrote is removed, its default handed back to the package;
//! - otherwise (a build run from its target directory, a copied binary) it writes an entry of
//!   its own, `Exec` unquoted whenever the path allows it, and makes it the default.
//!
//! It deliberately touches no entry but its own, and runs on Linux only: macOS takes the scheme
//! from the bundle's `CFBundleURLTypes`, Windows from the per-user registry keys the plugin
//! writes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What registering found and did, for the log.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// An installed entry handles the scheme with this executable.
    Packaged { entry: PathBuf, removed_ours: bool },
    /// Our own entry is (now) the handler.
    Own { entry: PathBuf, changed: bool },
}

/// Registers this executable for `scheme`. Blocking (it runs `xdg-mime` and
/// `update-desktop-database`): call it off the UI thread.
pub fn register(scheme: &str, app_name: &str) -> Result<Outcome, String> {
    let exe = match std::env::var_os("APPIMAGE") {
        Some(appimage) => PathBuf::from(appimage),
        None => std::env::current_exe().map_err(|e| format!("can't find this executable: {e}"))?,
    };
    let bin = exe
        .file_name()
        .ok_or("this executable has no file name")?
        .to_string_lossy()
        .into_owned();
    let ours = format!("{bin}-handler.desktop");
    let home_apps = data_home().join("applications");
    let mime = format!("x-scheme-handler/{scheme}");
    let search_path = std::env::var_os("PATH").unwrap_or_default();

    let mut dirs = vec![home_apps.clone()];
    dirs.extend(data_dirs().into_iter().map(|d| d.join("applications")));
    if let Some(entry) = packaged_entry(&dirs, &ours, &mime, &exe, &search_path) {
        let own_file = home_apps.join(&ours);
        let removed_ours = own_file.exists();
        if removed_ours {
            fs::remove_file(&own_file)
                .map_err(|e| format!("can't remove {}: {e}", own_file.display()))?;
            refresh_cache(&home_apps);
        }
        if default_handler(&mime).as_deref() == Some(ours.as_str()) {
            let name = entry.file_name().unwrap_or_default().to_string_lossy();
            set_default(&name, &mime)?;
        }
        return Ok(Outcome::Packaged {
            entry,
            removed_ours,
        });
    }

    let entry = home_apps.join(&ours);
    let text = handler_entry(app_name, &exec_field(&exe), &mime);
    let changed = fs::read_to_string(&entry).ok().as_deref() != Some(text.as_str());
    if changed {
        fs::create_dir_all(&home_apps)
            .and_then(|()| fs::write(&entry, &text))
            .map_err(|e| format!("can't write {}: {e}", entry.display()))?;
        refresh_cache(&home_apps);
    }
    if changed || default_handler(&mime).as_deref() != Some(ours.as_str()) {
        set_default(&ours, &mime)?;
    }
    Ok(Outcome::Own { entry, changed })
}

fn data_home() -> PathBuf {
    match std::env::var_os("XDG_DATA_HOME") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => dirs_home().join(".local/share"),
    }
}

fn dirs_home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default()
}

fn data_dirs() -> Vec<PathBuf> {
    let dirs = std::env::var("XDG_DATA_DIRS").unwrap_or_default();
    let dirs = if dirs.is_empty() {
        "/usr/local/share:/usr/share"
    } else {
        &dirs
    };
    dirs.split(':')
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .collect()
}

/// The first entry in `dirs` (other than `ours`) that declares `mime` and whose program is
/// `exe`.
pub(crate) fn packaged_entry(
    dirs: &[PathBuf],
    ours: &str,
    mime: &str,
    exe: &Path,
    search_path: &std::ffi::OsStr,
) -> Option<PathBuf> {
    let exe = fs::canonicalize(exe).ok()?;
    dirs.iter()
        .filter_map(|dir| fs::read_dir(dir).ok())
        .flat_map(|entries| entries.flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "desktop"))
        .filter(|p| p.file_name().is_some_and(|n| n != ours))
        .find(|p| {
            let Ok(text) = fs::read_to_string(p) else {
                return false;
            };
            let entry = DesktopEntry::parse(&text);
            entry.handles(mime)
                && entry
                    .program()
                    .and_then(|program| resolve(&program, search_path))
                    .is_some_and(|found| found == exe)
        })
}

/// `program` as a canonical path: itself when it has a slash, else looked up in `search_path`.
fn resolve(program: &str, search_path: &std::ffi::OsStr) -> Option<PathBuf> {
    if program.contains('/') {
        return fs::canonicalize(program).ok();
    }
    std::env::split_paths(search_path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .and_then(|found| fs::canonicalize(found).ok())
}

/// The keys of a desktop entry's `[Desktop Entry]` group that decide who handles a link.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct DesktopEntry {
    exec: Option<String>,
    mime_types: Vec<String>,
    hidden: bool,
}

impl DesktopEntry {
    pub(crate) fn parse(text: &str) -> Self {
        let mut entry = Self::default();
        let mut in_main_group = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with('[') {
                in_main_group = line == "[Desktop Entry]";
                continue;
            }
            let Some((key, value)) = line.split_once('=').filter(|_| in_main_group) else {
                continue;
            };
            match key.trim() {
                "Exec" => entry.exec = Some(value.trim().to_owned()),
                "MimeType" => {
                    entry.mime_types = value
                        .split(';')
                        .map(str::trim)
                        .filter(|m| !m.is_empty())
                        .map(str::to_owned)
                        .collect()
                }
                "Hidden" => entry.hidden = value.trim() == "true",
                _ => {}
            }
        }
        entry
    }

    fn handles(&self, mime: &str) -> bool {
        !self.hidden && self.mime_types.iter().any(|m| m == mime)
    }

    /// The program `Exec` runs: its first argument, unescaped and unquoted as the spec says
    /// (the string value's escapes first, then the quoting, then `%%` for a literal `%`).
    pub(crate) fn program(&self) -> Option<String> {
        let exec = unescape_value(self.exec.as_deref()?);
        let exec = exec.trim_start();
        let Some(quoted) = exec.strip_prefix('"') else {
            return exec
                .split_whitespace()
                .next()
                .map(|word| word.replace("%%", "%"));
        };
        let mut program = String::new();
        let mut chars = quoted.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(program.replace("%%", "%")),
                '\\' => program.push(chars.next()?),
                c => program.push(c),
            }
        }
        None
    }
}

/// A string value with the desktop entry escapes (`\s`, `\n`, `\t`, `\r`, `\\`) resolved.
fn unescape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('s') => out.push(' '),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// `path` as the first argument of an `Exec` key: bare when every character is safe both for
/// the spec and for xdg-utils (which splits on spaces and never unquotes), else quoted and
/// escaped as the spec says (GNOME and KDE then run it; generic xdg-open can't).
pub(crate) fn exec_field(path: &Path) -> String {
    let text = path.to_string_lossy();
    let bare = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._+-".contains(c));
    if bare {
        return text.into_owned();
    }
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            // Escaped for the quoting rules, then each backslash once more for the string
            // value's own escaping.
            '"' | '`' | '$' => quoted.push_str(&format!("\\\\{c}")),
            '\\' => quoted.push_str("\\\\\\\\"),
            '%' => quoted.push_str("%%"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Our handler entry: hidden from menus, only there to take the links.
pub(crate) fn handler_entry(app_name: &str, exec: &str, mime: &str) -> String {
    format!(
        "[Desktop Entry]\nType=Application\nName={app_name}\nExec={exec} %u\nTerminal=false\n\
         NoDisplay=true\nMimeType={mime};\n"
    )
}

/// The file name `xdg-mime` reports as the default handler of `mime`, if any.
fn default_handler(mime: &str) -> Option<String> {
    let out = Command::new("xdg-mime")
        .args(["query", "default", mime])
        .output()
        .ok()?;
    let name = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()?
        .trim()
        .to_owned();
    (out.status.success() && !name.is_empty()).then_some(name)
}

fn set_default(entry_name: &str, mime: &str) -> Result<(), String> {
    let status = Command::new("xdg-mime")
        .args(["default", entry_name, mime])
        .status()
        .map_err(|e| format!("can't run xdg-mime (install xdg-utils): {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`xdg-mime default {entry_name} {mime}` failed ({status})"
        ))
    }
}

/// Refreshes the MIME cache generic xdg-open falls back on; only an optimisation, so a
/// missing `update-desktop-database` (desktop-file-utils) is no error.
fn refresh_cache(dir: &Path) {
    let _ = Command::new("update-desktop-database").arg(dir).status();
}

#[cfg(test)]
#[path = "linux_scheme_tests.rs"]
mod tests;
