//! The app's log: a file in the platform log directory, rotated daily, seven kept. The same
//! redaction rules as everywhere: our code logs no secrets, and libraries that can print raw
//! protocol bytes are capped at `warn` whatever RUST_LOG says.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::filter::{FilterExt, LevelFilter, Targets};
use tracing_subscriber::prelude::*;
use tracing_subscriber::{EnvFilter, fmt};

/// Starts logging to `dir`; keep the guard alive for as long as the app runs.
pub fn init(dir: &Path) -> Option<WorkerGuard> {
    std::fs::create_dir_all(dir).ok()?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("thanks-connect")
        .filename_suffix("log")
        .max_log_files(7)
        .build(dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let env = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let caps = Targets::new()
        .with_default(LevelFilter::TRACE)
        .with_targets(
            thanks_core::redact::CAPPED_LOG_TARGETS
                .iter()
                .map(|t| (*t, LevelFilter::WARN)),
        );
    let layer = fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_filter(env.and(caps));
    tracing_subscriber::registry().with(layer).try_init().ok()?;
    Some(guard)
}
