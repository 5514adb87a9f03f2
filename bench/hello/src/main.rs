//! The benchmark floor: what any Tauri 2 app with deep links pays before its own code runs.
//! Set up the way PLATFORM.md and Thanks Connect do it (single-instance first, then deep-link;
//! `register_all`, `get_current`, `on_open_url`), with nothing else. The page reports when it
//! has painted; the line on stdout is what scripts/bench.sh reads.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::time::Instant;

use tauri_plugin_deep_link::DeepLinkExt;

static STARTED: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// The page painted its content at `at_unix_ms` (the page's wall clock, which the benchmark
/// compares with the time it started this process).
#[tauri::command]
fn painted(at_unix_ms: f64) {
    let ms = STARTED.get().map_or(0, |s| s.elapsed().as_millis());
    println!("first paint ms={ms} unix_ms={at_unix_ms:.0}");
}

fn main() {
    STARTED.get_or_init(Instant::now);
    tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|_, _, _| {}))
        .plugin(tauri_plugin_deep_link::init())
        .invoke_handler(tauri::generate_handler![painted])
        .setup(|app| {
            #[cfg(any(target_os = "linux", all(debug_assertions, windows)))]
            if let Err(e) = app.deep_link().register_all() {
                eprintln!("couldn't register the deep-link scheme: {e}");
            }
            app.deep_link()
                .on_open_url(|event| println!("opened {} link(s)", event.urls().len()));
            if let Ok(Some(urls)) = app.deep_link().get_current() {
                println!("started with {} link(s)", urls.len());
            }
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the floor app runs");
}
