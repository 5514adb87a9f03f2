//! Thanks Connect's request history: every console call kept in a SQLite file in the config
//! home (`history.db`), searchable, re-runnable, deletable one by one or all at once.
//!
//! Three promises. Nothing secret is stored: [`History::record`] masks every entry itself
//! (credential headers, credential query parameters and body fields, user info), whatever its
//! caller did. It stays small: after each insert the oldest entries go until at most 1,000
//! entries and 50 MB remain, and each body is capped at 5 MB ([`Limits`]). It never takes the
//! app down: a file that is not a database, fails SQLite's integrity check or has an unknown
//! schema is moved aside and a fresh history started, and the caller is told so.
//!
//! The API is blocking (SQLite is); the app calls it through `spawn_blocking`. One connection
//! behind a mutex makes [`History`] `Send + Sync`. It knows nothing of Tauri or the keyring.

mod error;
mod mask;
mod model;
mod row;
mod store;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde::Serialize;

pub use error::{Error, Result};
pub use model::{Entry, EntrySummary, Failure, Limits, NewEntry, Query, Stats};
#[cfg(fuzzing)]
pub use row::stored_texts;

/// The history's file name in the config home.
pub const FILE_NAME: &str = "history.db";

#[derive(Debug)]
pub struct History {
    conn: Mutex<Connection>,
    path: PathBuf,
    limits: Limits,
}

/// An opened history, and what happened to a damaged file it replaced.
#[derive(Debug)]
pub struct Opened {
    pub history: History,
    pub recovered: Option<Recovered>,
}

/// A damaged history file that was moved aside (tell the user; the file is theirs to delete).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recovered {
    pub moved_to: PathBuf,
    pub reason: String,
}

impl History {
    /// Opens (or creates) the history at `path` with the default [`Limits`].
    pub fn open(path: &Path) -> Result<Opened> {
        Self::open_with(path, Limits::default())
    }

    pub fn open_with(path: &Path, limits: Limits) -> Result<Opened> {
        let (conn, recovered) = match store::open(path) {
            Ok(conn) => (conn, None),
            Err(store::Unusable::Failed(e)) => return Err(e),
            Err(store::Unusable::Damaged(reason)) => {
                let moved_to = store::move_aside(path)?;
                tracing::warn!(moved_to = %moved_to.display(), %reason, "the history database was damaged; started a new one");
                (open_fresh(path)?, Some(Recovered { moved_to, reason }))
            }
        };
        Ok(Opened {
            history: Self {
                conn: Mutex::new(conn),
                path: path.to_path_buf(),
                limits,
            },
            recovered,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Masks, caps and stores one request, then drops the oldest entries past the limits.
    /// Returns the new entry's id (ids are never reused).
    pub fn record(&self, e: &NewEntry) -> Result<i64> {
        let row = row::StoredRow::new(e, self.limits.max_body_bytes);
        let limits = self.limits;
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.prepare_cached(
                "INSERT INTO entries (at, profile, method, url, status, reason, request_headers,
                    request_body, request_body_truncated, response_headers, response_body,
                    response_body_truncated, size, ttfb_ms, total_ms, error_code, error_message,
                    search_text, bytes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19)",
            )?
            .execute(params![
                e.at,
                row.profile,
                row.method,
                row.url,
                e.status,
                row.reason,
                row.request_headers,
                row.request_body,
                row.request_body_truncated,
                row.response_headers,
                row.response_body,
                row.response_body_truncated,
                i64::try_from(e.size).unwrap_or(i64::MAX),
                e.ttfb_ms,
                e.total_ms,
                row.error_code,
                row.error_message,
                row.search_text,
                row.bytes,
            ])?;
            let id = tx.last_insert_rowid();
            // The newest entry always stays, even if it alone is past the byte limit.
            tx.prepare_cached(
                "DELETE FROM entries WHERE id < ?3 AND id <= (
                    SELECT id FROM (
                        SELECT id,
                            SUM(bytes) OVER (ORDER BY id DESC) AS kept_bytes,
                            ROW_NUMBER() OVER (ORDER BY id DESC) AS kept_entries
                        FROM entries)
                    WHERE kept_bytes > ?2 OR kept_entries > ?1
                    ORDER BY id DESC LIMIT 1)",
            )?
            .execute(params![
                i64::try_from(limits.max_entries).unwrap_or(i64::MAX),
                i64::try_from(limits.max_bytes).unwrap_or(i64::MAX),
                id
            ])?;
            tx.commit()?;
            Ok(id)
        })
    }

    /// Entries matching `q`, newest first.
    pub fn list(&self, q: &Query) -> Result<Vec<EntrySummary>> {
        let pattern = q
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| format!("%{}%", like_escape(&t.to_lowercase())));
        let limit = match q.limit {
            0 => 100,
            n => n.min(1_000),
        };
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, at, profile, method, url, status, reason, size, total_ms, error_code,
                    error_message,
                    CASE WHEN json_valid(request_body)
                        THEN json_extract(request_body, '$.preview') END,
                    CASE WHEN json_valid(CAST(response_body AS TEXT)) THEN COALESCE(
                        json_extract(CAST(response_body AS TEXT), '$.id'),
                        json_extract(CAST(response_body AS TEXT), '$.data.id'),
                        json_extract(CAST(response_body AS TEXT), '$.order.id')) END
                 FROM entries
                 WHERE (?1 IS NULL OR profile = ?1)
                   AND (?2 IS NULL OR search_text LIKE ?2 ESCAPE '\\')
                 ORDER BY id DESC LIMIT ?3 OFFSET ?4",
            )?;
            stmt.query_map(params![q.profile, pattern, limit, q.offset], |r| {
                Ok(EntrySummary {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    profile: r.get(2)?,
                    method: r.get(3)?,
                    url: r.get(4)?,
                    status: r.get(5)?,
                    reason: r.get(6)?,
                    size: get_u64(r, 7)?,
                    total_ms: r.get(8)?,
                    error: failure(r, 9)?,
                    // JSON `true` comes back as the integer 1 (a string "true" is not a preview).
                    preview: matches!(r.get(11)?, rusqlite::types::Value::Integer(1)),
                    order_id: scalar_text(r.get(12)?),
                })
            })?
            .collect()
        })
    }

    pub fn get(&self, id: i64) -> Result<Option<Entry>> {
        self.with_conn(|conn| {
            conn.prepare_cached(
                "SELECT id, at, profile, method, url, request_headers, request_body,
                    request_body_truncated, status, reason, response_headers, response_body,
                    response_body_truncated, size, ttfb_ms, total_ms, error_code, error_message
                 FROM entries WHERE id = ?1",
            )?
            .query_row([id], |r| {
                let body: Option<Vec<u8>> = r.get(11)?;
                Ok(Entry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    profile: r.get(2)?,
                    method: r.get(3)?,
                    url: r.get(4)?,
                    request_headers: headers_from_json(r, 5)?,
                    request_body: r.get(6)?,
                    request_body_truncated: r.get(7)?,
                    status: r.get(8)?,
                    reason: r.get(9)?,
                    response_headers: headers_from_json(r, 10)?,
                    response_body: body.map(|b| String::from_utf8_lossy(&b).into_owned()),
                    response_body_truncated: r.get(12)?,
                    size: get_u64(r, 13)?,
                    ttfb_ms: r.get(14)?,
                    total_ms: r.get(15)?,
                    error: failure(r, 16)?,
                })
            })
            .optional()
        })
    }

    /// Deletes one entry; `false` if there was none with that id.
    pub fn delete(&self, id: i64) -> Result<bool> {
        self.with_conn(|conn| {
            let n = conn
                .prepare_cached("DELETE FROM entries WHERE id = ?1")?
                .execute([id])?;
            forget_log(conn);
            Ok(n > 0)
        })
    }

    /// Deletes every entry and gives the space back. Returns how many there were.
    pub fn clear(&self) -> Result<u64> {
        self.with_conn(|conn| {
            let n = conn.execute("DELETE FROM entries", [])?;
            // Frees one page per step, so it is stepped to the end.
            conn.prepare("PRAGMA incremental_vacuum")?
                .query_map([], |_| Ok(()))?
                .collect::<rusqlite::Result<()>>()?;
            forget_log(conn);
            Ok(n as u64)
        })
    }

    pub fn stats(&self) -> Result<Stats> {
        self.with_conn(|conn| {
            let (entries, bytes) = conn
                .prepare_cached("SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM entries")?
                .query_row([], |r| Ok((get_u64(r, 0)?, get_u64(r, 1)?)))?;
            let file_bytes = conn.query_row(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
                [],
                |r| get_u64(r, 0),
            )?;
            Ok(Stats {
                entries,
                bytes,
                file_bytes,
            })
        })
    }

    /// Runs `f` on the connection. If SQLite finds the file damaged while in use, the file is
    /// moved aside and a fresh history takes its place before the error is returned.
    fn with_conn<T>(&self, f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let err = match f(&mut conn) {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let Some(reason) = store::damage_reason(&err) else {
            return Err(err.into());
        };
        // Close the damaged file before renaming it (Windows can't rename an open file).
        *conn = Connection::open_in_memory()?;
        let moved_to = store::move_aside(&self.path)?;
        tracing::warn!(moved_to = %moved_to.display(), reason, "the history database was damaged while in use; started a new one");
        *conn = open_fresh(&self.path)?;
        Err(Error::Damaged {
            reason: reason.into(),
            moved_to: moved_to.display().to_string(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic mid-call rolled its transaction back when the guard dropped; the connection
        // itself is still sound.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Opens a file just created or just moved away from; failing now is not about old contents.
fn open_fresh(path: &Path) -> Result<Connection> {
    store::open(path).map_err(|e| match e {
        store::Unusable::Failed(e) => e,
        store::Unusable::Damaged(reason) => Error::Damaged {
            reason,
            moved_to: String::new(),
        },
    })
}

/// Moves the write-ahead log into the file and truncates it, so deleted entries don't live on
/// in old log frames. Best effort: a reader in another process can hold it back.
fn forget_log(conn: &Connection) {
    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())) {
        tracing::debug!(error = %e, "history checkpoint after a delete failed");
    }
}

/// A JSON scalar SQLite extracted (a number or a string id), as text; nothing for the rest.
fn scalar_text(v: rusqlite::types::Value) -> Option<String> {
    use rusqlite::types::Value;
    match v {
        Value::Integer(n) => Some(n.to_string()),
        Value::Text(t) if !t.is_empty() && !t.starts_with(['{', '[']) => Some(t),
        _ => None,
    }
}

/// SQLite integers are signed; sizes and counts are never negative.
fn get_u64(r: &Row<'_>, at: usize) -> rusqlite::Result<u64> {
    Ok(u64::try_from(r.get::<_, i64>(at)?).unwrap_or(0))
}

fn failure(r: &Row<'_>, at: usize) -> rusqlite::Result<Option<Failure>> {
    let code: Option<String> = r.get(at)?;
    let message: Option<String> = r.get(at + 1)?;
    Ok(code.map(|code| Failure {
        code,
        message: message.unwrap_or_default(),
    }))
}

fn headers_from_json(r: &Row<'_>, at: usize) -> rusqlite::Result<Vec<(String, String)>> {
    let text: String = r.get(at)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(at, rusqlite::types::Type::Text, e.into())
    })
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
