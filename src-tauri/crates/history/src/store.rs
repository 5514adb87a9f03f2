//! Opening the database file: checks, schema, and moving a damaged file aside.
//!
//! A history is a convenience, so a file we can't trust is never repaired in place and never
//! stops the app: it is renamed to `history.db.damaged-<unix time>` (its write-ahead log with
//! it) and a fresh one is created. Errors that are not about the file's contents (permissions,
//! a full disk, another process holding a lock) are reported as they are, and nothing moves.

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{Error, Result};

/// Bumped with every change to the tables; a file with another version is moved aside.
pub(crate) const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    profile TEXT NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER,
    reason TEXT NOT NULL,
    request_headers TEXT NOT NULL,
    request_body TEXT,
    request_body_truncated INTEGER NOT NULL,
    response_headers TEXT NOT NULL,
    response_body BLOB,
    response_body_truncated INTEGER NOT NULL,
    size INTEGER NOT NULL,
    ttfb_ms REAL,
    total_ms REAL,
    error_code TEXT,
    error_message TEXT,
    search_text TEXT NOT NULL,
    bytes INTEGER NOT NULL
);
CREATE INDEX entries_by_profile ON entries (profile, id);
";

const COLUMNS: [&str; 20] = [
    "id",
    "at",
    "profile",
    "method",
    "url",
    "status",
    "reason",
    "request_headers",
    "request_body",
    "request_body_truncated",
    "response_headers",
    "response_body",
    "response_body_truncated",
    "size",
    "ttfb_ms",
    "total_ms",
    "error_code",
    "error_message",
    "search_text",
    "bytes",
];

/// Why a file can't be used, in words for the report.
pub(crate) enum Unusable {
    Damaged(String),
    Failed(Error),
}

impl From<rusqlite::Error> for Unusable {
    fn from(e: rusqlite::Error) -> Self {
        match damage_reason(&e) {
            Some(reason) => Self::Damaged(reason.into()),
            None => Self::Failed(e.into()),
        }
    }
}

/// `Some(reason)` when the error means the file's contents can't be trusted.
pub(crate) fn damage_reason(e: &rusqlite::Error) -> Option<&'static str> {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Some("it is not a SQLite database"),
        Some(ErrorCode::DatabaseCorrupt) => Some("SQLite reports it as corrupt"),
        _ => None,
    }
}

/// Opens and checks the file, creating the tables in a new one.
pub(crate) fn open(path: &Path) -> std::result::Result<Connection, Unusable> {
    if let Some(dir) = path.parent() {
        thanks_core::util::create_private_dir_all(dir)
            .map_err(|e| Unusable::Failed(Error::io("create the folder of", path, e)))?;
    }
    create_private(path).map_err(|e| Unusable::Failed(Error::io("create", path, e)))?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    // The app and `thanksctl` may both write; SQLite serialises them, this makes them wait.
    conn.busy_timeout(Duration::from_secs(5))?;
    // The first read of the header: a file that isn't a database fails here.
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let problems: Vec<String> = {
        let mut stmt = conn.prepare("PRAGMA quick_check")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    if problems != ["ok"] {
        return Err(Unusable::Damaged("its integrity check failed".into()));
    }
    let tables: Vec<String> = {
        let mut stmt = conn.prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'sqlite_sequence'",
        )?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    match version {
        0 if tables.is_empty() => create(&conn)?,
        0 => {
            return Err(Unusable::Damaged(
                "it holds tables this app didn't create".into(),
            ));
        }
        SCHEMA_VERSION => {
            let columns: Vec<String> = {
                let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('entries')")?;
                stmt.query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            };
            if tables != ["entries"] || columns != COLUMNS {
                return Err(Unusable::Damaged(
                    "its tables are not the ones this version expects".into(),
                ));
            }
        }
        other => {
            return Err(Unusable::Damaged(format!(
                "it was written by another version of Thanks Connect (schema {other})"
            )));
        }
    }
    // WAL: readers don't block the writer. NORMAL is durable enough for a history: a power cut
    // can lose the last entries, never corrupt the file.
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "the history database could not switch to WAL mode");
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Deleted entries are overwritten, not just unlinked: "delete" should mean gone.
    conn.pragma_update(None, "secure_delete", "ON")?;
    // After a checkpoint the log shrinks back to this, so a 5 MB body doesn't leave a 5 MB log.
    conn.pragma_update(None, "journal_size_limit", 4 * 1024 * 1024)?;
    Ok(conn)
}

fn create(conn: &Connection) -> rusqlite::Result<()> {
    // Must come before the first table: lets `clear` give the space back to the file system.
    conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
    conn.execute_batch(&format!(
        "BEGIN; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
    ))
}

/// Creates the file readable by its owner only before SQLite does (SQLite would use the umask,
/// and gives its `-wal` and `-shm` files the database file's mode).
/// Creates the file 0600 (SQLite gives its journal the same mode), and narrows one an older
/// version left readable to others.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut opts = OpenOptions::new();
    opts.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        opts.mode(0o600);
        let file = opts.open(path)?;
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(fs::Permissions::from_mode(0o600))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    opts.open(path).map(drop)
}

/// Renames `path` (and its write-ahead log, which belongs to it) to
/// `<name>.damaged-<unix time>[-n]`, and removes its shared-memory index.
pub(crate) fn move_aside(path: &Path) -> Result<PathBuf> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "history.db".into());
    let mut target = path.with_file_name(format!("{name}.damaged-{now}"));
    let mut n = 1;
    while target.exists() {
        target = path.with_file_name(format!("{name}.damaged-{now}-{n}"));
        n += 1;
    }
    fs::rename(path, &target).map_err(|e| Error::io("move aside", path, e))?;
    for suffix in ["-wal", "-journal"] {
        let side = sidecar(path, suffix);
        if side.exists() {
            fs::rename(&side, sidecar(&target, suffix))
                .map_err(|e| Error::io("move aside", &side, e))?;
        }
    }
    let shm = sidecar(path, "-shm");
    if shm.exists() {
        fs::remove_file(&shm).map_err(|e| Error::io("remove", &shm, e))?;
    }
    Ok(target)
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}
