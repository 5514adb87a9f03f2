//! `thanksctl`: Thanks Connect's engine on the command line, for support staff, developers,
//! scripts and tests. Same config home, same keyring, same pending logins as the desktop app.
//!
//! Exit codes: 0 success; 1 `call` got an HTTP error status; 2 anything else went wrong (the
//! reason is one line on stderr), including a costly `call` that was declined or couldn't be
//! confirmed; 130 interrupted.

mod args;
mod browser;
mod cmd;
mod output;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use thanks_core::config::ConfigHome;
use thanks_core::vault::Vault;
use thanks_core::{Engine, EngineOptions};

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return output::fail(&format!("couldn't start: {e}"), "internal"),
    };
    let code = runtime.block_on(run(cli));
    // A read of stdin may still be parked on a blocking thread; don't wait for it.
    runtime.shutdown_background();
    code
}

async fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Sandbox(args) => return cmd::sandbox::run(args).await,
        Command::Endpoints { json } => return cmd::endpoints::run(json),
        _ => {}
    }
    let engine = match engine() {
        Ok(e) => Arc::new(e.acting_as("thanksctl")),
        Err(e) => return output::error(&e),
    };
    // A company build creates its baked-in profile on first use and makes it the default.
    if let Err(e) = engine.apply_company_setup().await {
        tracing::warn!(
            code = e.code(),
            "the company setup built into thanksctl can't be used: {e}"
        );
    }
    let company = thanks_core::setup::company::baked()
        .and_then(Result::ok)
        .map(|s| s.profile.name);
    let chosen = cli.profile.as_deref();
    let profile = chosen
        .or(company.as_deref())
        .unwrap_or(thanks_core::config::DEFAULT_PROFILE);
    let result = match cli.command {
        Command::Profile(c) => cmd::profile::run(&engine, profile, c).await,
        Command::Login(a) => return cmd::login::run(engine, profile, a).await,
        Command::Complete { callback_url } => cmd::login::complete(&engine, &callback_url).await,
        Command::Status { json, all: false } => cmd::status::status(&engine, profile, json).await,
        Command::Status { json, all: true } => cmd::support::status_all(&engine, json).await,
        Command::Events { json, last } => cmd::support::events(&engine, chosen, json, last).await,
        Command::Validate => cmd::support::validate(&engine, profile).await,
        Command::Report { output } => cmd::support::report(&engine, output).await,
        Command::Refresh => cmd::status::refresh(&engine, profile).await,
        Command::Call(a) => return cmd::call::run(&engine, profile, a).await,
        Command::Token => cmd::status::token(&engine, profile).await,
        Command::Doctor { json, scheme } => {
            return cmd::doctor::run(&engine, profile, json, scheme).await;
        }
        Command::Logout => cmd::status::logout(&engine, profile).await,
        Command::Sandbox(_) | Command::Endpoints { .. } => unreachable!("handled above"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => output::error(&e),
    }
}

/// The engine over the OS keyring. Timeouts can be shortened through the environment (tests do).
fn engine() -> thanks_core::Result<Engine> {
    let home = ConfigHome::from_env()?;
    let secs = |var: &str, default: u64| {
        std::env::var(var)
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(Duration::from_secs(default), Duration::from_secs)
    };
    let options = EngineOptions {
        token_timeout: secs("THANKS_CONNECT_TOKEN_TIMEOUT_SECS", 30),
        api_timeout: secs("THANKS_CONNECT_API_TIMEOUT_SECS", 60),
    };
    let vault = Vault::new(Arc::new(thanks_keyring::KeyringStore::new()));
    Ok(Engine::with(
        home,
        vault,
        Arc::new(thanks_core::clock::SystemClock),
        options,
    ))
}

/// Readable logs on stderr: `-v`/`-vv` or RUST_LOG choose the level of our own crates, while
/// libraries that can log raw protocol bytes stay capped at `warn` (see `CAPPED_LOG_TARGETS`).
fn init_logging(verbose: u8) {
    use tracing_subscriber::filter::{FilterExt, LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    use tracing_subscriber::{EnvFilter, fmt};
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let env = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let caps = Targets::new()
        .with_default(LevelFilter::TRACE)
        .with_targets(
            thanks_core::redact::CAPPED_LOG_TARGETS
                .iter()
                .map(|t| (*t, LevelFilter::WARN)),
        );
    let layer = fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_filter(env.and(caps));
    tracing_subscriber::registry().with(layer).init();
}
