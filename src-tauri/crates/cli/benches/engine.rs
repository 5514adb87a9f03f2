//! Engine figures for scripts/bench.sh, against a running sandbox and a profile already
//! connected to it (real login, tokens in the real keyring). Not a criterion benchmark: these
//! are latency distributions measured in alternation with a reference, and the suite wants
//! every run, not a summary.
//!
//! ```text
//! engine console --home DIR --profile P [--rounds 7] [--calls 200]
//!     GET /ping through Engine::call as the app's console runs it (its last-call note
//!     written after the answer) and as `thanksctl call` does (the note on disk first), against
//!     the same request from a bare reqwest client holding the same token; per round the median.
//! engine storm --home DIR --profile P --sandbox URL [--rounds 7] [--concurrency 200]
//!     the access token expired (on the sandbox, and on the engine's clock): one call alone
//!     (one refresh, then the request) against N calls at once (must still be one refresh);
//!     after each storm the same N calls on the good token, the storm's own reference. The
//!     engine is set up as the app's is.
//! ```
//! Prints one JSON object on stdout; exits 2 with a reason on stderr when it can't measure.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use thanks_core::clock::ManualClock;
use thanks_core::config::ConfigHome;
use thanks_core::vault::Vault;
use thanks_core::{Engine, EngineOptions, RequestSpec};
use thanks_keyring::KeyringStore;

struct Args {
    mode: String,
    home: String,
    profile: String,
    sandbox: String,
    rounds: usize,
    count: usize,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        mode: String::new(),
        home: String::new(),
        profile: String::new(),
        sandbox: String::new(),
        rounds: 7,
        count: 200,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "console" | "storm" => a.mode = arg.clone(),
            "--home" => a.home = value()?,
            "--profile" => a.profile = value()?,
            "--sandbox" => a.sandbox = value()?,
            "--rounds" => a.rounds = value()?.parse().map_err(|_| "bad --rounds")?,
            "--calls" | "--concurrency" => a.count = value()?.parse().map_err(|_| "bad count")?,
            // What `cargo bench` passes to every bench target.
            "--bench" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.mode.is_empty() {
        return Ok(a);
    }
    if a.home.is_empty() || a.profile.is_empty() {
        return Err("--home and --profile are needed".into());
    }
    Ok(a)
}

fn ping() -> RequestSpec {
    RequestSpec {
        method: "GET".into(),
        path: "/ping".into(),
        ..RequestSpec::default()
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

/// An engine over `home` and the real keyring: as the app sets it up (`app`), or as
/// `thanksctl` does.
fn engine(home: &str, clock: Arc<ManualClock>, app: bool) -> Arc<Engine> {
    let vault = Vault::new(Arc::new(KeyringStore::new()));
    let engine = Engine::with(ConfigHome::at(home), vault, clock, EngineOptions::default());
    Arc::new(if app {
        engine.with_call_notes_in_background()
    } else {
        engine
    })
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

async fn console(a: &Args) -> Result<serde_json::Value, String> {
    let clock = Arc::new(ManualClock::at(now()));
    let engine = engine(&a.home, Arc::clone(&clock), true);
    let cli = self::engine(&a.home, clock, false);
    let profile = engine.profile(&a.profile).map_err(|e| e.to_string())?;
    let token = engine
        .access_token(&a.profile)
        .await
        .map_err(|e| e.to_string())?;
    let url = format!("{}/ping", profile.api_base.as_str().trim_end_matches('/'));
    // The reference: what any HTTP client does for the same request, nothing else.
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())?;
    let spec = ping();
    let via = async |engine: &Engine| -> Result<f64, String> {
        let t = Instant::now();
        let r = engine
            .call(&a.profile, &spec)
            .await
            .map_err(|e| e.to_string())?;
        if r.status != 200 {
            return Err(format!("GET /ping answered {}", r.status));
        }
        Ok(ms(t.elapsed()))
    };
    let via_engine = async || via(&engine).await;
    let via_cli = async || via(&cli).await;
    let via_reqwest = async || -> Result<f64, String> {
        let t = Instant::now();
        let r = bare
            .get(&url)
            .bearer_auth(token.expose())
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| e.without_url().to_string())?;
        let status = r.status();
        r.bytes().await.map_err(|e| e.without_url().to_string())?;
        if status != 200 {
            return Err(format!("GET /ping answered {status}"));
        }
        Ok(ms(t.elapsed()))
    };
    // Where the engine's extra time goes: the token lookup (config, metadata, keyring read).
    let lookup = async || -> Result<f64, String> {
        let t = Instant::now();
        engine
            .access_token(&a.profile)
            .await
            .map_err(|e| e.to_string())?;
        Ok(ms(t.elapsed()))
    };
    for _ in 0..20 {
        via_engine().await?;
        via_cli().await?;
        via_reqwest().await?;
    }
    let (mut e_rounds, mut c_rounds, mut r_rounds, mut l_rounds) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..a.rounds {
        let (mut e, mut c, mut r, mut l) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        // The three in turn, each round starting with the next one (engine, thanksctl's
        // engine, reqwest; then thanksctl's, reqwest, engine; …).
        for part in 0..3 {
            for _ in 0..a.count {
                match (part + round) % 3 {
                    0 => e.push(via_engine().await?),
                    1 => c.push(via_cli().await?),
                    _ => r.push(via_reqwest().await?),
                }
            }
        }
        for _ in 0..a.count.min(50) {
            l.push(lookup().await?);
        }
        e_rounds.push(median(e));
        c_rounds.push(median(c));
        r_rounds.push(median(r));
        l_rounds.push(median(l));
    }
    Ok(serde_json::json!({
        "calls_per_round": a.count,
        "engine_ms": e_rounds,
        "engine_note_first_ms": c_rounds,
        "reqwest_ms": r_rounds,
        "token_lookup_ms": l_rounds,
    }))
}

async fn stats(http: &reqwest::Client, sandbox: &str) -> Result<serde_json::Value, String> {
    let body = http
        .get(format!("{sandbox}/__sandbox/stats"))
        .send()
        .await
        .map_err(|e| e.without_url().to_string())?
        .bytes()
        .await
        .map_err(|e| e.without_url().to_string())?;
    serde_json::from_slice(&body).map_err(|e| format!("the sandbox's stats: {e}"))
}

fn refreshes(before: &serde_json::Value, after: &serde_json::Value) -> i64 {
    let n = |v: &serde_json::Value| v["refresh_token_grants"].as_i64().unwrap_or(0);
    n(after) - n(before)
}

async fn storm(a: &Args) -> Result<serde_json::Value, String> {
    if a.sandbox.is_empty() {
        return Err("storm needs --sandbox URL".into());
    }
    let clock = Arc::new(ManualClock::at(now()));
    let engine = engine(&a.home, Arc::clone(&clock), true);
    let http = reqwest::Client::new();
    // Expired everywhere: the sandbox refuses the old token, and the engine's clock is past
    // its expiry (so the engine refreshes first instead of learning it from a 401).
    let expire = async || -> Result<(), String> {
        http.post(format!("{}/__sandbox/expire-access-tokens", a.sandbox))
            .send()
            .await
            .map_err(|e| e.without_url().to_string())?;
        clock.advance(2 * 3600);
        Ok(())
    };
    let single = async || -> Result<(f64, i64), String> {
        expire().await?;
        let before = stats(&http, &a.sandbox).await?;
        let t = Instant::now();
        let r = engine
            .call(&a.profile, &ping())
            .await
            .map_err(|e| e.to_string())?;
        let took = ms(t.elapsed());
        if r.status != 200 || !r.refreshed {
            return Err(format!(
                "expected a refreshed 200, got {} (refreshed: {})",
                r.status, r.refreshed
            ));
        }
        Ok((took, refreshes(&before, &stats(&http, &a.sandbox).await?)))
    };
    // The same calls on a token that is still good: what 200 requests at once cost by
    // themselves, so the storm's price for its one refresh can be told apart from theirs.
    let many = async |expired: bool| -> Result<(Vec<f64>, i64), String> {
        if expired {
            expire().await?;
        }
        let before = stats(&http, &a.sandbox).await?;
        let start = Instant::now();
        let tasks: Vec<_> = (0..a.count)
            .map(|_| {
                let engine = Arc::clone(&engine);
                let profile = a.profile.clone();
                tokio::spawn(async move {
                    let r = engine.call(&profile, &ping()).await;
                    (
                        start.elapsed(),
                        r.map(|v| v.status).map_err(|e| e.to_string()),
                    )
                })
            })
            .collect();
        let mut latencies = Vec::new();
        for t in tasks {
            let (took, status) = t.await.map_err(|e| e.to_string())?;
            match status {
                Ok(200) => latencies.push(ms(took)),
                Ok(s) => return Err(format!("a storm call answered {s}")),
                Err(e) => return Err(format!("a storm call failed: {e}")),
            }
        }
        Ok((
            latencies,
            refreshes(&before, &stats(&http, &a.sandbox).await?),
        ))
    };
    single().await?;
    let mut out = serde_json::json!({"concurrency": a.count, "single_ms": [], "single_refreshes": [],
        "storm_p50_ms": [], "storm_p99_ms": [], "storm_max_ms": [], "storm_refreshes": [],
        "calm_p50_ms": [], "calm_p99_ms": [], "calm_refreshes": []});
    let push = |out: &mut serde_json::Value, key: &str, v: serde_json::Value| {
        out[key].as_array_mut().expect("array").push(v);
    };
    for round in 0..a.rounds {
        for part in 0..2 {
            if (part == 0) == (round % 2 == 0) {
                let (took, n) = single().await?;
                push(&mut out, "single_ms", took.into());
                push(&mut out, "single_refreshes", n.into());
            } else {
                let (lat, n) = many(true).await?;
                push(&mut out, "storm_p50_ms", median(lat.clone()).into());
                push(
                    &mut out,
                    "storm_p99_ms",
                    percentile(lat.clone(), 99.0).into(),
                );
                push(&mut out, "storm_max_ms", percentile(lat, 100.0).into());
                push(&mut out, "storm_refreshes", n.into());
                // Right after, on the token that storm got.
                let (lat, n) = many(false).await?;
                push(&mut out, "calm_p50_ms", median(lat.clone()).into());
                push(&mut out, "calm_p99_ms", percentile(lat, 99.0).into());
                push(&mut out, "calm_refreshes", n.into());
            }
        }
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("engine bench: {e}");
            return ExitCode::from(2);
        }
    };
    if args.mode.is_empty() {
        // A plain `cargo bench`: there is no sandbox or connected profile to measure against.
        eprintln!("engine bench: skipped (scripts/bench.sh runs it with `console` or `storm`)");
        return ExitCode::SUCCESS;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let result = rt.block_on(async {
        match args.mode.as_str() {
            "console" => console(&args).await,
            _ => storm(&args).await,
        }
    });
    match result {
        Ok(v) => {
            println!("{v}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("engine bench: {e}");
            ExitCode::from(2)
        }
    }
}
