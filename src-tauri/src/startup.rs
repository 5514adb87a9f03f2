//! The start-up timeline: when each step between `main` and the first meaningful paint
//! happened, so a slow start can be split into the app's own setup, the page loading and the
//! page's IPC calls without a profiler. The steps before logging exists are kept in memory;
//! the whole timeline, Rust's steps and the page's marks on one clock (milliseconds since
//! `main`), is logged once at debug level (`RUST_LOG=thanks_connect_app::startup=debug`) when
//! the page reports its paint. Also that moment itself: background work the first window
//! doesn't need waits for it ([`after_paint`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Deserialize;

/// When this process started: the monotonic instant and the same moment on the wall clock
/// (the page's marks come in wall-clock time).
static STARTED: OnceLock<(Instant, f64)> = OnceLock::new();
static STEPS: Mutex<Vec<(&'static str, f64)>> = Mutex::new(Vec::new());
/// Whether the page has reported its first meaningful paint, and the tasks waiting for it
/// ([`after_paint`]).
static PAINTED: AtomicBool = AtomicBool::new(false);
static PAINT_REPORTED: tokio::sync::Notify = tokio::sync::Notify::const_new();

fn unix_ms_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Marks the start of the process; the first call wins.
pub fn begin() {
    STARTED.get_or_init(|| (Instant::now(), unix_ms_now()));
}

/// Milliseconds since [`begin`].
pub fn elapsed_ms() -> f64 {
    STARTED
        .get()
        .map_or(0.0, |(at, _)| at.elapsed().as_secs_f64() * 1000.0)
}

/// Records that `step` finished now.
pub fn mark(step: &'static str) {
    let at = elapsed_ms();
    STEPS.lock().expect("poisoned").push((step, at));
}

/// The page has painted its first meaningful content.
pub fn painted() {
    PAINTED.store(true, Ordering::SeqCst);
    PAINT_REPORTED.notify_waiters();
}

/// How long work that waits for the paint waits at most (a page that never reports its paint
/// mustn't hold anything back for good).
const PAINT_WAIT_LIMIT: Duration = Duration::from_secs(10);

/// Returns once the page has painted, or after [`PAINT_WAIT_LIMIT`]: background work the first
/// window doesn't need (keyring tidying, the first keep-alive round, the watcher's first pass)
/// would otherwise take the CPU and the keyring daemon from the page's own calls while it loads.
pub async fn after_paint() {
    // Registered before the flag is read, so a paint reported in between still wakes it.
    let reported = PAINT_REPORTED.notified();
    if PAINTED.load(Ordering::SeqCst) {
        return;
    }
    let _ = tokio::time::timeout(PAINT_WAIT_LIMIT, reported).await;
}

/// The page's marks, as `ui/src/startup.ts` sends them: its time origin on the wall clock and
/// each mark in milliseconds from that origin.
#[derive(Debug, Default, Deserialize)]
pub struct PageTimeline {
    pub origin_unix_ms: f64,
    pub marks: Vec<(String, f64)>,
}

/// Logs the whole timeline once, Rust's steps and the page's marks on the clock of `main`,
/// ending with the paint the page reported at `painted_unix_ms`.
pub fn log(painted_unix_ms: f64, page: &PageTimeline) {
    if !tracing::enabled!(tracing::Level::DEBUG) {
        return;
    }
    let Some((_, started_unix)) = STARTED.get() else {
        return;
    };
    let mut all: Vec<(String, f64)> = STEPS
        .lock()
        .expect("poisoned")
        .iter()
        .map(|(s, at)| (format!("rust:{s}"), *at))
        .collect();
    let shift = page.origin_unix_ms - started_unix;
    // The page's names are ours, but they arrive over IPC: only short plain names are logged.
    let plain = |name: &str| {
        name.len() <= 40
            && name.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | ' ' | '<' | '>' | '.')
            })
    };
    all.extend(
        page.marks
            .iter()
            .take(64)
            .filter(|(name, _)| plain(name))
            .map(|(name, at)| (format!("page:{name}"), at + shift)),
    );
    all.push(("page:painted".into(), painted_unix_ms - started_unix));
    all.sort_by(|a, b| a.1.total_cmp(&b.1));
    let line = all
        .iter()
        .map(|(name, at)| format!("{}={at:.0}", name.replace(' ', "_")))
        .collect::<Vec<_>>()
        .join(" ");
    tracing::debug!(timeline = %line, "start-up timeline");
}

#[cfg(test)]
mod tests {
    use super::*;

    // The only test touching the paint flag (it is process-wide): a waiter woken by the report,
    // one that comes after it not waiting at all, both well inside the 10 s limit.
    #[tokio::test]
    async fn work_waiting_for_the_paint_goes_when_it_is_reported() {
        let waiter = tokio::spawn(after_paint());
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiter.is_finished(), "went before the paint");
        painted();
        tokio::time::timeout(Duration::from_secs(2), waiter)
            .await
            .expect("still waiting after the paint")
            .unwrap();
        tokio::time::timeout(Duration::from_millis(100), after_paint())
            .await
            .expect("a waiter after the paint waited");
    }
}
