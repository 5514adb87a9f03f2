//! Thanks Connect's desktop shell. Deliberately thin: every decision about OAuth, tokens and
//! requests is in `thanks-core`; this crate wires it to a window.
//!
//! - Plugins, in the order deep links need: single-instance (which forwards a second launch's
//!   URL), deep-link, opener, clipboard, window-state.
//! - Commands (`commands/`) are adapters; errors reach the UI as `{code, message}`; events
//!   (`events.rs`) carry status views only.
//! - The callback comes back by deep link (warm start through single-instance, cold start
//!   through `get_current()`), by the loopback listener, or pasted (`callback.rs`).
//! - The support desk: `watcher.rs` follows the config home (whoever changes it) and feeds
//!   the window (`accounts:changed`, `token:changed`), the tray (`tray.rs`) and the desktop
//!   notifications (`notices.rs`).

pub mod callback;
mod clipboard;
pub mod commands;
pub mod error;
pub mod events;
mod keepalive;
#[cfg(target_os = "linux")]
mod linux_scheme;
mod logging;
mod notices;
pub mod offers;
pub mod prefs;
pub mod startup;
pub mod state;
mod tray;
pub mod watcher;

use std::sync::Arc;

use tauri::{Manager, Runtime};
use tauri_plugin_deep_link::DeepLinkExt;
use thanks_core::Engine;
use thanks_core::config::ConfigHome;
use thanks_core::vault::Vault;

pub use state::AppState;

/// Registers the commands: shared by the real app and the mock-runtime tests.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    use commands::*;
    builder.invoke_handler(tauri::generate_handler![
        app::app_info,
        app::app_painted,
        app::ui_prefs_set,
        app::endpoints_list,
        app::sandbox_start,
        profile::profile_list,
        profile::profile_get,
        profile::profile_save,
        profile::profile_remove,
        profile::profile_copy_redirect,
        auth::auth_start,
        auth::auth_cancel,
        auth::auth_copy_url,
        auth::auth_paste,
        auth::auth_with_token,
        auth::auth_logout,
        token::token_status,
        token::token_refresh,
        token::token_validate,
        token::token_copy,
        console::console_send,
        console::console_cancel,
        console::response_body,
        console::response_copy,
        console::response_save,
        kit::mailers_list,
        kit::console_inspect,
        kit::cost_check,
        kit::curl_copy,
        kit::curl_import,
        previews::preview_images,
        previews::preview_open,
        history::history_list,
        history::history_get,
        history::history_delete,
        history::history_clear,
        history::history_rerun,
        support::accounts_list,
        support::events_list,
        support::report_get,
        support::report_copy,
        support::report_save,
        setup::setup_pending,
        setup::setup_pick,
        setup::setup_import,
        setup::setup_dismiss,
        setup::setup_export,
        setup::setup_link_copy,
        doctor::doctor_run,
        doctor::doctor_fix,
    ])
}

/// The deep-link scheme this build declares (release and debug builds use different ones so
/// they never take each other's links).
fn configured_scheme(config: &tauri::Config) -> String {
    config
        .plugins
        .0
        .get("deep-link")
        .and_then(|v| v.pointer("/desktop/schemes/0"))
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .unwrap_or_else(|| config.identifier.clone())
}

/// Marks the page `<html data-os="linux">` before it is parsed, so its style sheet can choose
/// Linux's fonts for the very first layout (a script of the page's own would run after it), and
/// ui/src/warmup.ts knows to make fonts early. WebKitGTK looks every family of a font list up
/// in fontconfig, for each size and weight, until one is found (bench/FINDINGS.md).
#[cfg(target_os = "linux")]
fn linux_page_mark<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("page-mark")
        .js_init_script(
            "document.documentElement && (document.documentElement.dataset.os = 'linux');"
                .to_string(),
        )
        .build()
}

pub fn run() {
    startup::begin();
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            // The URL in a second launch's arguments reaches us through the deep-link plugin's
            // event (single-instance's `deep-link` feature), and the callback handler decides
            // whether it deserves the front (a forged one doesn't); a plain second launch does.
            // A setup file is ours to open.
            offers::handle_args(app, &argv);
            if !callback::carries_a_link(app, &argv) {
                callback::focus_main_window(app);
            }
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_window_state::Builder::default().build());
    #[cfg(not(target_os = "linux"))]
    let builder = builder.plugin(tauri_plugin_notification::init());
    #[cfg(target_os = "linux")]
    let builder = builder.plugin(linux_page_mark());
    let result = with_commands(builder)
        .on_window_event(offers::on_window_event)
        .on_page_load(|_, payload| {
            startup::mark(match payload.event() {
                tauri::webview::PageLoadEvent::Started => "page load started",
                tauri::webview::PageLoadEvent::Finished => "page load finished",
            })
        })
        .setup(|app| {
            // Tauri creates the window from the config just before this hook.
            startup::mark("window created");
            if let Some(guard) = app
                .path()
                .app_log_dir()
                .ok()
                .and_then(|dir| logging::init(&dir))
            {
                app.manage(LogGuard(guard));
            }
            startup::mark("logging");
            let home = ConfigHome::from_env()?;
            let scheme = configured_scheme(app.config());
            let engine = state::engine_for_scheme(
                Engine::new(
                    home,
                    Vault::new(Arc::new(thanks_keyring::KeyringStore::new())),
                )
                .acting_as("app")
                .with_call_notes_in_background(),
                &scheme,
            );
            startup::mark("engine");
            tracing::info!(%scheme, version = %app.package_info().version, "starting");
            register_scheme(app, &scheme);
            // Verifiers a crash left in the keyring go now, not at the next Connect (once the
            // window has painted: the page's status read needs the keyring first).
            let tidy = engine.clone();
            tauri::async_runtime::spawn(async move {
                startup::after_paint().await;
                tidy.tidy_logins().await
            });
            // A company build's first start creates its baked-in profile.
            if let Err(e) = tauri::async_runtime::block_on(engine.apply_company_setup()) {
                tracing::warn!(
                    code = e.code(),
                    "the company setup built into the app can't be used: {e}"
                );
            }
            startup::mark("company setup");
            // The keyring check behind status views (a write, a read, a delete) runs now, while
            // the window starts, instead of between the page loading and the profile's state
            // appearing: the page's first status read finds its result, or waits for it.
            let warm = Arc::clone(&engine);
            tauri::async_runtime::spawn(async move {
                warm.keyring_view().await;
                startup::mark("keyring checked");
            });
            app.manage(AppState::new(engine, scheme).with_history());
            // Renews tokens before they expire while the app runs.
            keepalive::spawn(app.handle());
            if std::env::var("THANKS_CONNECT_DEMO").is_ok_and(|v| v == "1") {
                // Before the page loads, so the UI comes up on the Sandbox profile.
                let state = app.state::<AppState>();
                if let Err(e) = tauri::async_runtime::block_on(commands::app::start_demo(&state)) {
                    tracing::warn!(code = %e.code, "the demo sandbox didn't start");
                }
            }
            startup::mark("state");
            let handle = app.handle().clone();
            app.deep_link()
                .on_open_url(move |event| callback::handle_deep_links(&handle, event.urls()));
            // Cold start: the OS launched us with the callback URL.
            if let Ok(Some(urls)) = app.deep_link().get_current() {
                callback::handle_deep_links(app.handle(), urls);
            }
            startup::mark("deep links");
            if let Err(e) = tray::build(app.handle()) {
                tracing::warn!(error = %e, "no tray icon on this desktop; closing the window quits");
            }
            startup::mark("tray");
            watcher::spawn(app.handle().clone());
            // Cold start by a double-clicked setup file.
            offers::handle_args(app.handle(), &std::env::args().collect::<Vec<_>>());
            startup::mark("setup done");
            Ok(())
        })
        .on_window_event(tray::on_window_event)
        .build(tauri::generate_context!());
    startup::mark("built");
    let result = result.map(|app| app.run(|_, _| {}));
    if let Err(e) = result {
        eprintln!("Thanks Connect couldn't start: {e}");
        std::process::exit(1);
    }
}

/// Makes this build the handler of its scheme where that happens at run time. Linux: its own
/// desktop entry, or none where an installed package's entry already runs this executable
/// (`linux_scheme.rs`), on a thread of its own since it runs `xdg-mime`. Windows: the plugin's
/// per-user registry keys at every start, since the installers' registration has been
/// unreliable upstream. macOS: nothing to do, the bundle's Info.plist declares the scheme.
fn register_scheme(app: &tauri::App, scheme: &str) {
    let fallback =
        "couldn't register the deep-link scheme; use the loopback redirect or paste the address";
    #[cfg(target_os = "linux")]
    {
        let (scheme, name) = (scheme.to_owned(), app.package_info().name.clone());
        std::thread::spawn(move || match linux_scheme::register(&scheme, &name) {
            Ok(outcome) => tracing::info!(?outcome, "deep-link scheme registered"),
            Err(error) => tracing::warn!(%error, "{fallback}"),
        });
    }
    #[cfg(windows)]
    if let Err(error) = app.deep_link().register_all() {
        tracing::warn!(%error, scheme, "{fallback}");
    }
    #[cfg(not(any(target_os = "linux", windows)))]
    let _ = (app, scheme, fallback);
}

/// Keeps the log writer flushing until the app exits.
struct LogGuard(#[allow(dead_code)] tracing_appender::non_blocking::WorkerGuard);
