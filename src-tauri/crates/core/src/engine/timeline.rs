//! The engine's side of the token timeline: who this process is, recording events as they
//! happen, and reading them back for the Token panel, `thanksctl events` and the report.
//!
//! Recording never fails an operation: a timeline that can't be written (disk full, a
//! read-only home) is logged as a warning and the login, refresh or call goes on.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::Engine;
use crate::error::{Error, Result};
use crate::events::{Actor, Event, LastCall};
use crate::util::rfc3339;

/// A timeline event as shown: the profile it belongs to and its time in RFC 3339.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub profile: String,
    pub time: String,
    #[serde(flatten)]
    pub event: Event,
}

impl Engine {
    /// Names the process in the events it records (`app`, `thanksctl`); by default it is the
    /// executable's name.
    pub fn acting_as(mut self, process: &str) -> Self {
        self.actor = Actor::this_process(process);
        self
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Calls return without waiting for their last-call note to be on disk; it is written
    /// right after, in a task of its own. For a process that keeps running (the app): a
    /// console answer shouldn't wait on a file being synced for a note that only the Accounts
    /// view reads. That wait was most of the console's time over a bare request (a file
    /// created, synced and renamed per call; on Windows a `FlushFileBuffers` each).
    pub fn with_call_notes_in_background(mut self) -> Self {
        self.notes_in_background = true;
        self
    }

    /// Adds an event to the timeline of the profile with this uid.
    pub(crate) async fn record(&self, uid: &str, mut event: Event) {
        event.at = self.now();
        event.actor = self.actor.clone();
        let (log, uid) = (self.events.clone(), uid.to_string());
        let written = tokio::task::spawn_blocking(move || log.append(&uid, &event)).await;
        if !matches!(written, Ok(Ok(()))) {
            tracing::warn!("couldn't add to the token timeline; carrying on without it");
        }
    }

    /// Remembers how the last API request with this profile's token ended. Returns once a note
    /// at least as new as this one is on disk (`thanksctl call` exits right after), or at once
    /// with [`Self::with_call_notes_in_background`]. Calls that end together share one write:
    /// in a storm of 200 calls, 200 files created, synced and renamed into one directory were
    /// most of the calls' time (see bench/FINDINGS.md).
    pub(crate) async fn record_call(&self, uid: &str, status: Option<u16>, error: Option<&Error>) {
        let call = LastCall {
            at: self.now(),
            actor: self.actor.clone(),
            status,
            code: error.map(|e| e.code().to_string()),
        };
        // Numbered here, in the order the calls ended, whichever write then takes it.
        let slot = self.call_notes.slot(uid);
        let seq = slot.put(call);
        if self.notes_in_background {
            let (this, uid) = (self.clone(), uid.to_string());
            tokio::spawn(async move { this.write_call_note(&uid, &slot, seq).await });
            return;
        }
        self.write_call_note(uid, &slot, seq).await;
    }

    /// Returns once a note at least as new as note `seq` of `slot` is on disk.
    async fn write_call_note(&self, uid: &str, slot: &NoteSlot, seq: u64) {
        let mut written = slot.written.lock().await;
        if *written >= seq {
            // A write that took its note after ours was put has finished: ours is covered.
            return;
        }
        let Some((upto, call)) = slot.take() else {
            return;
        };
        // Marked before the write, so a caller dropped mid-write (the write itself goes on in
        // its blocking task) doesn't leave the next one looking for a note already taken.
        *written = upto;
        #[cfg(test)]
        slot.writes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (log, uid) = (self.events.clone(), uid.to_string());
        let done = tokio::task::spawn_blocking(move || log.set_last_call(&uid, &call)).await;
        if !matches!(done, Ok(Ok(()))) {
            tracing::warn!("couldn't note the last API call; carrying on without it");
        }
    }

    pub(crate) async fn last_call(&self, uid: &str) -> Option<LastCall> {
        let (log, uid) = (self.events.clone(), uid.to_string());
        tokio::task::spawn_blocking(move || log.last_call(&uid))
            .await
            .ok()
            .flatten()
    }

    /// One profile's timeline, oldest first.
    pub async fn events(&self, name: &str) -> Result<Vec<EventView>> {
        let config = self.config()?;
        let Some(profile) = config.get(name) else {
            // The implicit default profile has no history until it is saved.
            config.profile(name)?;
            return Ok(Vec::new());
        };
        self.read_events(&profile.name, &profile.uid).await
    }

    /// Every saved profile's timeline, merged, oldest first.
    pub async fn events_all(&self) -> Result<Vec<EventView>> {
        let config = self.config()?;
        let mut all = Vec::new();
        for name in config.names() {
            let p = config.profile(name)?;
            all.extend(self.read_events(&p.name, &p.uid).await?);
        }
        // Stable: events of one profile keep their file order within a second.
        all.sort_by_key(|e| e.event.at);
        Ok(all)
    }

    async fn read_events(&self, name: &str, uid: &str) -> Result<Vec<EventView>> {
        let (log, id) = (self.events.clone(), uid.to_string());
        let path = log.path(uid);
        let events = tokio::task::spawn_blocking(move || log.read(&id))
            .await
            .unwrap_or_else(|_| Err(std::io::Error::other("the reading task stopped")))
            .map_err(|e| Error::io("read", &path, e))?;
        Ok(events
            .into_iter()
            .map(|event| EventView {
                profile: name.to_string(),
                time: rfc3339(event.at),
                event,
            })
            .collect())
    }
}

/// Per profile uid, the newest last-call note not yet written and the number of the newest one
/// that has been. Notes are numbered as they are put; whoever holds `written` writes the newest
/// and so covers every note put before it.
#[derive(Debug, Default)]
pub(crate) struct CallNotes {
    slots: Mutex<HashMap<String, Arc<NoteSlot>>>,
}

#[derive(Debug, Default)]
pub(crate) struct NoteSlot {
    /// The number of the newest note put, and that note while no writer has taken it.
    newest: Mutex<(u64, Option<LastCall>)>,
    /// The number of the newest note taken for writing; held for the length of a write.
    written: tokio::sync::Mutex<u64>,
    #[cfg(test)]
    writes: std::sync::atomic::AtomicUsize,
}

impl CallNotes {
    fn slot(&self, uid: &str) -> Arc<NoteSlot> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(slots.entry(uid.to_string()).or_default())
    }
}

impl NoteSlot {
    /// Makes `call` the newest note and returns its number.
    fn put(&self, call: LastCall) -> u64 {
        let mut newest = self.newest.lock().unwrap_or_else(|e| e.into_inner());
        newest.0 += 1;
        newest.1 = Some(call);
        newest.0
    }

    /// The newest note and its number, for the holder of `written` to write.
    fn take(&self) -> Option<(u64, LastCall)> {
        let mut newest = self.newest.lock().unwrap_or_else(|e| e.into_inner());
        let n = newest.0;
        newest.1.take().map(|call| (n, call))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use super::*;
    use crate::config::ConfigHome;
    use crate::vault::{MemoryStore, Vault};

    fn engine(dir: &std::path::Path) -> Engine {
        Engine::new(
            ConfigHome::at(dir),
            Vault::new(Arc::new(MemoryStore::default())),
        )
    }

    #[tokio::test]
    async fn the_call_that_ended_last_is_the_note() {
        let dir = tempfile::tempdir().unwrap();
        let engine = engine(dir.path());
        engine.record_call("p-1", Some(200), None).await;
        engine.record_call("p-1", Some(503), None).await;
        assert_eq!(engine.last_call("p-1").await.unwrap().status, Some(503));
        assert_eq!(engine.last_call("p-2").await, None);
    }

    #[tokio::test]
    async fn in_the_background_calls_return_first_and_the_newest_note_follows() {
        let dir = tempfile::tempdir().unwrap();
        let engine = engine(dir.path()).with_call_notes_in_background();
        // A write in progress (another call's) holds the slot: a call that waited for the
        // note on disk would wait for it too.
        let slot = engine.call_notes.slot("p-1");
        let busy = slot.written.lock().await;
        for status in [200, 404, 201] {
            tokio::time::timeout(
                std::time::Duration::from_secs(2),
                engine.record_call("p-1", Some(status), None),
            )
            .await
            .expect("the call waited for its note to be written");
        }
        drop(busy);
        for _ in 0..400 {
            if let Some(note) = engine.last_call("p-1").await
                && note.status == Some(201)
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        panic!("the newest call's note never reached the disk");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn calls_that_end_together_share_writes_and_each_finds_a_note_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let engine = engine(dir.path());
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let engine = engine.clone();
                tokio::spawn(async move {
                    engine.record_call("p-1", Some(200), None).await;
                    engine.last_call("p-1").await.is_some()
                })
            })
            .collect();
        for t in tasks {
            assert!(
                t.await.unwrap(),
                "a call returned before any note was on disk"
            );
        }
        let slot = engine.call_notes.slot("p-1");
        let writes = slot.writes.load(Ordering::Relaxed);
        assert!((1..100).contains(&writes), "{writes} writes for 100 calls");
        // Every note was taken: the newest one put is the one written last.
        assert_eq!(*slot.written.lock().await, 100);
        assert!(slot.take().is_none());
    }
}
