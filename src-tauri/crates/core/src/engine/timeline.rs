//! The engine's side of the token timeline: who this process is, recording events as they
//! happen, and reading them back for the Token panel, `thanksctl events` and the report.
//!
//! Recording never fails an operation: a timeline that can't be written (disk full, a
//! read-only home) is logged as a warning and the login, refresh or call goes on.

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

    /// Remembers how the last API request with this profile's token ended.
    pub(crate) async fn record_call(&self, uid: &str, status: Option<u16>, error: Option<&Error>) {
        let call = LastCall {
            at: self.now(),
            actor: self.actor.clone(),
            status,
            code: error.map(|e| e.code().to_string()),
        };
        let (log, uid) = (self.events.clone(), uid.to_string());
        let written = tokio::task::spawn_blocking(move || log.set_last_call(&uid, &call)).await;
        if !matches!(written, Ok(Ok(()))) {
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
