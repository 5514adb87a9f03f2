//! The history's one error type: a stable `code()` for the UI and plain words for people.
//! Messages name files and SQLite's own description of a failure, never a request's contents.

use std::path::Path;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("couldn't {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
    /// Found damaged while in use; already moved aside and replaced by a fresh, empty history.
    #[error(
        "the request history was damaged ({reason}); it was moved to {moved_to} and a new, empty history started"
    )]
    Damaged { reason: String, moved_to: String },
    #[error(
        "the request history is in use by another Thanks Connect process; try again in a moment"
    )]
    Busy,
    #[error("this history entry can't be sent again: {0}")]
    NotRerunnable(&'static str),
    #[error("the request history failed: {0}")]
    Database(rusqlite::Error),
}

impl Error {
    /// Stable, dotted code for the UI and for scripts. Never changes once released.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "history.io",
            Self::Damaged { .. } => "history.damaged",
            Self::Busy => "history.busy",
            Self::NotRerunnable(_) => "history.not_rerunnable",
            Self::Database(_) => "history.database",
        }
    }

    pub(crate) fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            action,
            path: path.display().to_string(),
            source,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked};
        match e.sqlite_error_code() {
            Some(DatabaseBusy | DatabaseLocked) => Self::Busy,
            _ => Self::Database(e),
        }
    }
}
