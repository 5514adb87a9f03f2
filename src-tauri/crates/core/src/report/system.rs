//! What the report says about the computer: the OS, whether the sign-in link scheme has a
//! handler, and the app's newest log lines (scrubbed once more on the way in, in case a line
//! ever carried a credential; the app's logging rules say it never does).

use std::path::{Path, PathBuf};

/// A one-line description of the OS: distribution or version, family, architecture.
pub fn os_description() -> String {
    let base = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    let pretty = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .ok()
        .map(|k| format!("kernel {}", k.trim()));
    [pretty, Some(base), kernel]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ")
}

/// Which program the desktop opens `scheme:` links with. Only Linux can be asked (xdg-mime);
/// elsewhere the report says it wasn't checked. Blocking: runs a short process.
pub fn scheme_handler(scheme: &str) -> String {
    if !cfg!(target_os = "linux") {
        return "not checked on this system".into();
    }
    let out = std::process::Command::new("xdg-mime")
        .args(["query", "default", &format!("x-scheme-handler/{scheme}")])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let handler = String::from_utf8_lossy(&o.stdout).trim().to_string();
            if handler.is_empty() {
                "no handler registered".into()
            } else {
                handler
            }
        }
        Ok(_) => "no handler registered".into(),
        Err(_) => "unknown (xdg-mime is not installed)".into(),
    }
}

/// Where the desktop app writes its logs, for each identifier (release and debug builds have
/// their own), following Tauri's `app_log_dir` rules.
pub fn app_log_dirs(identifiers: &[&str]) -> Vec<PathBuf> {
    let base = if cfg!(target_os = "macos") {
        dirs::home_dir().map(|h| h.join("Library/Logs"))
    } else {
        dirs::data_local_dir()
    };
    let Some(base) = base else { return Vec::new() };
    identifiers
        .iter()
        .map(|id| {
            if cfg!(target_os = "macos") {
                base.join(id)
            } else {
                base.join(id).join("logs")
            }
        })
        .collect()
}

/// The last `n` lines of the newest `thanks-connect*.log` in these folders, and its path.
pub fn recent_log_lines(dirs: &[PathBuf], n: usize) -> Option<(PathBuf, Vec<String>)> {
    let newest = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("thanks-connect") && name.ends_with(".log")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max_by_key(|(t, _)| *t)?
        .1;
    let text = read_tail(&newest, 256 * 1024)?;
    let lines: Vec<String> = text.lines().map(scrub).collect();
    let skip = lines.len().saturating_sub(n);
    Some((newest, lines.into_iter().skip(skip).collect()))
}

/// The last `max` bytes of a file, from the first whole line.
fn read_tail(path: &Path, max: u64) -> Option<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path).ok()?;
    let len = f.metadata().ok()?.len();
    let start = len.saturating_sub(max);
    f.seek(SeekFrom::Start(start)).ok()?;
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).ok()?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Some(match (start > 0, text.find('\n')) {
        (true, Some(i)) => text[i + 1..].to_string(),
        _ => text,
    })
}

/// Names after which a value is a credential, in a URL query, a form or a log field.
const CREDENTIAL_KEYS: [&str; 9] = [
    "code=",
    "state=",
    "access_token=",
    "refresh_token=",
    "client_secret=",
    "code_verifier=",
    "token=",
    "password=",
    "Bearer ",
];

/// Masks what follows a credential name, up to the next separator; drops control characters.
pub fn scrub(line: &str) -> String {
    let mut out: String = line.chars().filter(|c| !c.is_control()).collect();
    for key in CREDENTIAL_KEYS {
        let mut from = 0;
        while let Some(i) = out[from..].find(key).map(|i| i + from) {
            let start = i + key.len();
            let end = out[start..]
                .find(['&', ' ', '"', '\'', ',', ';', ')', ']', '}'])
                .map_or(out.len(), |e| start + e);
            from = start;
            if end > start {
                out.replace_range(start..end, crate::secret::MASK);
                from += crate::secret::MASK.len();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_log_lines_are_masked() {
        let m = crate::secret::MASK;
        assert_eq!(
            scrub("GET /cb?code=abc123&state=xyz HTTP/1.1"),
            format!("GET /cb?code={m}&state={m} HTTP/1.1")
        );
        assert_eq!(
            scrub("Authorization: Bearer sbx_at_1, next"),
            format!("Authorization: Bearer {m}, next")
        );
        assert_eq!(
            scrub("x refresh_token=r1\u{1b}[0m access_token=a"),
            format!("x refresh_token={m} access_token={m}")
        );
        assert_eq!(scrub("code= nothing"), "code= nothing");
        assert_eq!(scrub("plain words"), "plain words");
    }

    #[test]
    fn newest_log_and_its_last_lines() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("thanks-connect.2026-01-01.log");
        std::fs::write(&old, "old\n").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let new = dir.path().join("thanks-connect.2026-01-02.log");
        let text: String = (0..100).map(|i| format!("line {i} state=s{i}\n")).collect();
        std::fs::write(&new, text).unwrap();
        std::fs::write(dir.path().join("other.txt"), "x").unwrap();
        let (path, lines) = recent_log_lines(&[dir.path().to_path_buf()], 3).unwrap();
        assert_eq!(path, new);
        let m = crate::secret::MASK;
        assert_eq!(
            lines,
            [97, 98, 99].map(|i| format!("line {i} state={m}")).to_vec()
        );
        assert!(recent_log_lines(&[dir.path().join("missing")], 3).is_none());
    }
}
