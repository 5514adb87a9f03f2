//! The timeline under five writer processes at once: no line lost, none torn or interleaved,
//! and the cap kept with the newest events. The writers are real processes (this test binary
//! run again in writer mode), so the file lock is tested across processes, not threads.
//!
//! `harness = false`: `main` is either the test or, when spawned by it, one writer.

use std::process::Command;

use thanks_core::config::ConfigHome;
use thanks_core::events::{Actor, Event, EventKind, EventLog, MAX_EVENTS};

const WRITER_ENV: &str = "THANKS_TIMELINE_WRITER";
const WRITERS: i64 = 5;
const UID: &str = "p-concurrency";

fn main() {
    if let Ok(spec) = std::env::var(WRITER_ENV) {
        return write_events(&spec);
    }
    let home = tempfile::tempdir().unwrap();
    // 5 × 90 = 450 fits under the cap: every event must be there.
    run_writers(home.path(), 0, 90);
    let events = check_file(home.path());
    assert_eq!(events.len(), 450, "no event lost");
    for w in 0..WRITERS {
        assert_eq!(seqs(&events, w), (0..90).collect::<Vec<_>>());
    }
    // 5 × 100 more: 950 written; never more than 500 kept (a full log drops its oldest tenth).
    run_writers(home.path(), 90, 100);
    let events = check_file(home.path());
    assert!(
        (MAX_EVENTS - MAX_EVENTS / 10..=MAX_EVENTS).contains(&events.len()),
        "the cap holds: {} events",
        events.len()
    );
    for w in 0..WRITERS {
        let mine = seqs(&events, w);
        let first = *mine.first().expect("each writer's newest events are kept");
        assert_eq!(
            mine,
            (first..190).collect::<Vec<_>>(),
            "writer {w}: a contiguous run of its newest events, in order"
        );
    }
    println!("timeline_processes: 5 writer processes, 950 events, ok");
}

/// Starts the writers together and waits for all of them.
fn run_writers(home: &std::path::Path, from: i64, count: i64) {
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..WRITERS)
        .map(|w| {
            Command::new(&exe)
                .env(WRITER_ENV, format!("{w}:{from}:{count}:{}", home.display()))
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success(), "a writer failed");
    }
}

/// Every line of the file is one whole event.
fn check_file(home: &std::path::Path) -> Vec<Event> {
    let log = EventLog::new(&ConfigHome::at(home));
    let text = std::fs::read_to_string(log.path(UID)).unwrap();
    assert!(text.ends_with('\n'));
    let parsed: Vec<Event> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("torn line {l:?}: {e}")))
        .collect();
    assert_eq!(parsed, log.read(UID).unwrap());
    parsed
}

fn seqs(events: &[Event], writer: i64) -> Vec<i64> {
    events
        .iter()
        .filter(|e| e.at / 100_000 == writer)
        .map(|e| e.at % 100_000)
        .collect()
}

/// Writer mode: `WRITER:FROM:COUNT:HOME`.
fn write_events(spec: &str) {
    let mut parts = spec.splitn(4, ':');
    let mut num = || parts.next().unwrap().parse::<i64>().unwrap();
    let (writer, from, count) = (num(), num(), num());
    let home = spec.splitn(4, ':').nth(3).unwrap();
    let log = EventLog::new(&ConfigHome::at(home));
    for seq in from..from + count {
        let event = Event {
            at: writer * 100_000 + seq,
            actor: Actor::this_process("writer"),
            ..Event::new(EventKind::Refreshed).message(format!("writer {writer} event {seq}"))
        };
        log.append(UID, &event).unwrap();
    }
}
