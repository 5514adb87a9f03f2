//! Noticing what another process changed in the config home, so the window can follow
//! `thanksctl` (and a second window can follow the first) without either telling the other.
//!
//! A light poll, not OS file notifications: a snapshot is the size and modification time of
//! `config.toml`, every `tokens/*.json` and every `events/*` file, a few dozen `stat` calls,
//! taken every second or two. Comparing two snapshots says whether anything changed and whose
//! tokens did. Locks, pending logins, the history and window preferences are left out: they
//! change often and say nothing about an account's state.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::config::ConfigHome;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    files: BTreeMap<PathBuf, (Option<SystemTime>, u64)>,
}

/// What changed between two snapshots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub any: bool,
    /// Profile uids whose token metadata appeared, changed or went away.
    pub token_uids: Vec<String>,
}

impl Snapshot {
    /// Blocking: a handful of `stat` calls.
    pub fn take(home: &ConfigHome) -> Self {
        let mut files = BTreeMap::new();
        let mut add = |p: &Path| {
            if let Ok(m) = std::fs::metadata(p) {
                files.insert(p.to_path_buf(), (m.modified().ok(), m.len()));
            }
        };
        add(&home.config_file());
        for dir in [home.tokens_dir(), home.root().join("events")] {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let name = entry.file_name();
                // Atomic writes pass through dot-files; they are not the data.
                if !name.to_string_lossy().starts_with('.') {
                    add(&entry.path());
                }
            }
        }
        Self { files }
    }

    pub fn changes_since(&self, older: &Self) -> Changes {
        if self == older {
            return Changes::default();
        }
        let mut token_uids: Vec<String> = self
            .files
            .keys()
            .chain(older.files.keys())
            .filter(|p| self.files.get(*p) != older.files.get(*p))
            .filter(|p| p.parent().and_then(Path::file_name) == Some("tokens".as_ref()))
            .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .collect();
        token_uids.sort();
        token_uids.dedup();
        Changes {
            any: true,
            token_uids,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_token_and_timeline_changes_and_ignores_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let home = ConfigHome::at(dir.path());
        let first = Snapshot::take(&home);
        assert_eq!(
            Snapshot::take(&home).changes_since(&first),
            Changes::default()
        );

        std::fs::create_dir_all(home.tokens_dir()).unwrap();
        std::fs::write(home.tokens_dir().join("p-1.json"), "{}").unwrap();
        let second = Snapshot::take(&home);
        let c = second.changes_since(&first);
        assert_eq!((c.any, c.token_uids), (true, vec!["p-1".to_string()]));

        std::fs::create_dir_all(home.locks_dir()).unwrap();
        std::fs::write(home.locks_dir().join("p-1.lock"), "").unwrap();
        std::fs::write(dir.path().join("ui.json"), "{}").unwrap();
        std::fs::write(home.tokens_dir().join(".p-1.json.x.tmp"), "").unwrap();
        assert!(!Snapshot::take(&home).changes_since(&second).any);

        std::fs::create_dir_all(dir.path().join("events")).unwrap();
        std::fs::write(dir.path().join("events/p-1.jsonl"), "{}\n").unwrap();
        let c = Snapshot::take(&home).changes_since(&second);
        assert!(c.any && c.token_uids.is_empty());

        std::fs::remove_file(home.tokens_dir().join("p-1.json")).unwrap();
        let c = Snapshot::take(&home).changes_since(&second);
        assert_eq!(c.token_uids, vec!["p-1".to_string()], "a disconnect counts");
    }
}
