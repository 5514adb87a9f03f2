//! Desktop notifications for the alerts the core decides on (a profile needs reconnecting, a
//! refresh keeps failing), and what a click on one does: bring the window up on that profile.
//!
//! On Linux the notification goes to the desktop's notification daemon over D-Bus
//! (`org.freedesktop.Notifications`) through notify-rust, with a `default` action so that a
//! click on its body is reported back (`ActionInvoked`); a thread per notification waits for
//! that, and ends when the notification is clicked or closed. Elsewhere the notification
//! plugin shows it and the OS decides what a click does.

use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime};
use thanks_core::alerts::Notice;

/// Sent to the window when a notification was clicked: show this profile.
pub const NOTIFICATION_CLICKED: &str = "notification:clicked";

#[derive(Debug, Clone, Serialize)]
pub struct Clicked {
    pub profile: String,
}

/// Shows a notification; a failure (no notification service) is logged, never raised: the
/// window and the tray still show the state.
pub fn show<R: Runtime>(app: &AppHandle<R>, notice: Notice) {
    tracing::info!(profile = %notice.profile, alert = ?notice.alert, "notifying");
    platform::show(app, notice);
}

/// A click on a notification: the window comes to the front on the notice's profile.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn clicked<R: Runtime>(app: &AppHandle<R>, profile: String) {
    crate::callback::focus_main_window(app);
    if let Err(e) = app.emit(NOTIFICATION_CLICKED, Clicked { profile }) {
        tracing::warn!(error = %e, "couldn't tell the window about the click");
    }
}

#[cfg(target_os = "linux")]
mod platform {
    use notify_rust::{Hint, Notification};
    use tauri::{AppHandle, Runtime};
    use thanks_core::alerts::Notice;

    pub fn show<R: Runtime>(app: &AppHandle<R>, notice: Notice) {
        let app = app.clone();
        let name = app.package_info().name.clone();
        let identifier = app.config().identifier.clone();
        // Showing blocks on D-Bus and waiting blocks until a click or a close: its own thread.
        let spawned = std::thread::Builder::new()
            .name("notification".into())
            .spawn(move || {
                let shown = Notification::new()
                    .appname(&name)
                    .summary(&notice.title)
                    .body(&notice.body)
                    .icon(&identifier)
                    .hint(Hint::DesktopEntry(identifier.clone()))
                    .action("default", "Open")
                    .show();
                match shown {
                    Ok(handle) => handle.wait_for_action(|action| {
                        if action == "default" {
                            super::clicked(&app, notice.profile.clone());
                        }
                    }),
                    Err(e) => {
                        tracing::warn!(error = %e, "no notification could be shown");
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "couldn't start the notification thread");
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    use tauri::{AppHandle, Runtime};
    use tauri_plugin_notification::NotificationExt;
    use thanks_core::alerts::Notice;

    pub fn show<R: Runtime>(app: &AppHandle<R>, notice: Notice) {
        let shown = app
            .notification()
            .builder()
            .title(&notice.title)
            .body(&notice.body)
            .show();
        if let Err(e) = shown {
            tracing::warn!(error = %e, "no notification could be shown");
        }
    }
}
