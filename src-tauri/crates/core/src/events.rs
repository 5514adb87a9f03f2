//! The token timeline: a bounded event log per profile, shared by every process.
//!
//! Each profile has `events/<uid>.jsonl` in the config home, one JSON object a line, written
//! by the engine whichever process runs it (the app, `thanksctl`), so support staff can see
//! what happened to a token and who did it. Appends and compaction happen under
//! `locks/events-<uid>.lock`, so concurrent processes neither interleave nor lose lines. The
//! file never holds more than [`MAX_EVENTS`]: when full, the oldest tenth is dropped in one
//! atomic rewrite (so a full log costs one rewrite per 50 events, not one per event). A line
//! that doesn't
//! parse (a crash mid-append, a hand edit) is skipped on read and dropped at the next
//! compaction, never an error.
//!
//! Events hold kinds, stable codes, HTTP statuses and the engine's plain-word messages (which
//! never carry a secret), never a token, code, verifier or URL query. The API call that
//! happened last is kept apart, in `events/<uid>.call.json`: it changes on every request and
//! would otherwise push the interesting events out of the log.
//!
//! Blocking file I/O: the engine calls this on tokio's blocking pool.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::config::ConfigHome;
use crate::util::{FileLock, UnixTime, write_atomic};

/// How many events a profile's log keeps.
pub const MAX_EVENTS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    LoginStarted,
    LoginCompleted,
    LoginFailed,
    Refreshed,
    RefreshFailed,
    NeedsReconnect,
    Disconnected,
    PersonalTokenSaved,
    TokenCopied,
    Validated,
}

impl EventKind {
    /// Plain words for the CLI and the report (the window has its own).
    pub fn words(self) -> &'static str {
        match self {
            Self::LoginStarted => "login started",
            Self::LoginCompleted => "login completed",
            Self::LoginFailed => "login failed",
            Self::Refreshed => "refreshed",
            Self::RefreshFailed => "refresh failed",
            Self::NeedsReconnect => "needs reconnect",
            Self::Disconnected => "disconnected",
            Self::PersonalTokenSaved => "personal token saved",
            Self::TokenCopied => "token copied",
            Self::Validated => "validated",
        }
    }
}

/// Why a refresh happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trigger {
    /// The token was about to expire when something needed it.
    #[serde(rename = "proactive")]
    Proactive,
    /// thanks.io answered 401 and the request was retried once.
    #[serde(rename = "after_401")]
    After401,
    /// Someone asked: *Refresh now*, `thanksctl refresh`.
    #[serde(rename = "manual")]
    Manual,
    /// The app's background refresher, with nobody waiting on it.
    #[serde(rename = "background")]
    Background,
}

/// Which process did something: the app, `thanksctl`, or another program on the engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub process: String,
    pub pid: u32,
}

impl Actor {
    pub fn this_process(process: &str) -> Self {
        Self {
            process: process.to_string(),
            pid: std::process::id(),
        }
    }

    /// Named after the running executable, for engines nobody named.
    pub fn from_executable() -> Self {
        let name = std::env::current_exe()
            .ok()
            .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "unknown".into());
        Self::this_process(&name)
    }
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (pid {})", self.process, self.pid)
    }
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: UnixTime,
    pub kind: EventKind,
    pub ok: bool,
    pub actor: Actor,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Trigger>,
    /// Stable error code of a failure, e.g. `token.invalid_grant`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// HTTP status, for validations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Plain words (an engine error message, or what was done); never a secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Event {
    /// An event that went well; the engine fills in `at` and `actor` when it records it.
    pub fn new(kind: EventKind) -> Self {
        Self {
            at: 0,
            kind,
            ok: true,
            actor: Actor::this_process("unknown"),
            trigger: None,
            code: None,
            status: None,
            message: None,
        }
    }

    /// A failure, with the error's stable code and plain-word message.
    pub fn failed(kind: EventKind, error: &crate::Error) -> Self {
        Self {
            ok: false,
            code: Some(error.code().into()),
            message: Some(error.to_string()),
            ..Self::new(kind)
        }
    }

    pub fn trigger(mut self, trigger: Trigger) -> Self {
        self.trigger = Some(trigger);
        self
    }

    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }
}

/// The last API request made with a profile's token: when, by whom, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastCall {
    pub at: UnixTime,
    pub actor: Actor,
    /// The HTTP status, when a response came back.
    pub status: Option<u16>,
    /// The error code, when none did (network, not connected, …).
    pub code: Option<String>,
}

/// The per-profile logs in the config home.
#[derive(Debug, Clone)]
pub struct EventLog {
    dir: PathBuf,
    locks: PathBuf,
    max: usize,
}

impl EventLog {
    pub fn new(home: &ConfigHome) -> Self {
        Self::with_cap(home, MAX_EVENTS)
    }

    /// A log with another cap (tests).
    pub fn with_cap(home: &ConfigHome, max: usize) -> Self {
        Self {
            dir: home.root().join("events"),
            locks: home.locks_dir(),
            max: max.max(1),
        }
    }

    pub fn path(&self, uid: &str) -> PathBuf {
        self.dir.join(format!("{uid}.jsonl"))
    }

    fn call_path(&self, uid: &str) -> PathBuf {
        self.dir.join(format!("{uid}.call.json"))
    }

    fn lock(&self, uid: &str) -> std::io::Result<FileLock> {
        FileLock::acquire(&self.locks.join(format!("events-{uid}.lock")))
    }

    /// Adds an event, dropping the oldest past the cap.
    pub fn append(&self, uid: &str, event: &Event) -> std::io::Result<()> {
        let mut line = serde_json::to_string(event).expect("serializable");
        line.push('\n');
        let path = self.path(uid);
        let _lock = self.lock(uid)?;
        let existing = match fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e),
        };
        let lines = existing.lines().count();
        let torn = !existing.is_empty() && !existing.ends_with('\n');
        if lines < self.max && !torn {
            return append_private(&path, line.as_bytes());
        }
        // Compaction: keep the newest events that still parse, leaving a tenth of the cap free.
        let mut kept: Vec<&str> = existing.lines().filter(|l| parses(l)).collect();
        let room = self.max - self.max / 10;
        let drop = (kept.len() + 1).saturating_sub(room);
        kept.drain(..drop);
        let mut out = kept.join("\n");
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&line);
        write_atomic(&path, out.as_bytes())
    }

    /// The profile's events, oldest first.
    pub fn read(&self, uid: &str) -> std::io::Result<Vec<Event>> {
        let path = self.path(uid);
        let _lock = self.lock(uid)?;
        match fs::read_to_string(&path) {
            Ok(s) => Ok(s
                .lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    pub fn set_last_call(&self, uid: &str, call: &LastCall) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(call).expect("serializable");
        write_atomic(&self.call_path(uid), &bytes)
    }

    pub fn last_call(&self, uid: &str) -> Option<LastCall> {
        let bytes = fs::read(self.call_path(uid)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Forgets a removed profile's timeline.
    pub fn remove(&self, uid: &str) -> std::io::Result<()> {
        let _lock = self.lock(uid)?;
        for path in [self.path(uid), self.call_path(uid)] {
            match fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        // The lock file stays: another process may be waiting on it.
        Ok(())
    }
}

fn parses(line: &str) -> bool {
    serde_json::from_str::<Event>(line).is_ok()
}

/// Appends with one write to a file created 0600 (the log is nobody else's business either).
/// No fsync: the lock already keeps writers apart, and losing the last event to a power cut
/// is cheaper than a disk flush on every refresh.
fn append_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut opts = OpenOptions::new();
    opts.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)?.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(cap: usize) -> (tempfile::TempDir, EventLog) {
        let dir = tempfile::tempdir().unwrap();
        let log = EventLog::with_cap(&ConfigHome::at(dir.path()), cap);
        (dir, log)
    }

    fn numbered(n: i64) -> Event {
        Event {
            at: n,
            ..Event::new(EventKind::Refreshed).trigger(Trigger::After401)
        }
    }

    #[test]
    fn appends_in_order_and_caps_at_the_newest() {
        let (_d, log) = log(5);
        for n in 0..12 {
            log.append("p-1", &numbered(n)).unwrap();
        }
        // 0..=4 fill it; 5 compacts to the newest five (a tenth of 5 rounds down to nothing).
        let at: Vec<i64> = log.read("p-1").unwrap().iter().map(|e| e.at).collect();
        assert_eq!(at, vec![7, 8, 9, 10, 11]);
        let (_d, log) = super::tests::log(20);
        for n in 0..25 {
            log.append("p-1", &numbered(n)).unwrap();
        }
        // Full at 20: event 20 leaves 3..=20 (18, a tenth free), 21 and 22 fill it again,
        // event 23 leaves 6..=23, and 24 is appended.
        let at: Vec<i64> = log.read("p-1").unwrap().iter().map(|e| e.at).collect();
        assert_eq!(at, (6..25).collect::<Vec<_>>());
        assert!(log.read("p-other").unwrap().is_empty());
    }

    #[test]
    fn the_file_is_private_and_readable_json_lines() {
        let (_d, log) = log(500);
        log.append("p-1", &Event::new(EventKind::LoginStarted))
            .unwrap();
        let text = fs::read_to_string(log.path("p-1")).unwrap();
        assert!(text.starts_with("{\"at\":0,\"kind\":\"login_started\",\"ok\":true"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(log.path("p-1")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let json = serde_json::to_value(numbered(1)).unwrap();
        assert_eq!(json["trigger"], "after_401");
        assert!(json.get("code").is_none(), "empty fields are left out");
    }

    #[test]
    fn a_torn_or_foreign_line_is_skipped_then_compacted_away() {
        let (_d, log) = log(500);
        log.append("p-1", &numbered(1)).unwrap();
        let path = log.path("p-1");
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"at\":2,\"ki").unwrap();
        drop(f);
        assert_eq!(log.read("p-1").unwrap().len(), 1);
        log.append("p-1", &numbered(3)).unwrap();
        let at: Vec<i64> = log.read("p-1").unwrap().iter().map(|e| e.at).collect();
        assert_eq!(at, vec![1, 3]);
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2, "the torn line is gone: {text}");
    }

    #[test]
    fn threads_appending_at_once_lose_nothing() {
        let (_d, log) = log(500);
        std::thread::scope(|s| {
            for t in 0..4 {
                let log = &log;
                s.spawn(move || {
                    for n in 0..50 {
                        log.append("p-1", &numbered(t * 1000 + n)).unwrap();
                    }
                });
            }
        });
        let events = log.read("p-1").unwrap();
        assert_eq!(events.len(), 200);
        for t in 0..4 {
            let mine: Vec<i64> = events
                .iter()
                .map(|e| e.at)
                .filter(|a| a / 1000 == t)
                .collect();
            assert_eq!(mine, (0..50).map(|n| t * 1000 + n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn last_call_and_removal() {
        let (_d, log) = log(500);
        assert_eq!(log.last_call("p-1"), None);
        let call = LastCall {
            at: 5,
            actor: Actor::this_process("app"),
            status: Some(200),
            code: None,
        };
        log.set_last_call("p-1", &call).unwrap();
        log.append("p-1", &numbered(1)).unwrap();
        assert_eq!(log.last_call("p-1"), Some(call));
        log.remove("p-1").unwrap();
        assert_eq!(log.last_call("p-1"), None);
        assert!(log.read("p-1").unwrap().is_empty());
        log.remove("p-1").unwrap();
    }
}
