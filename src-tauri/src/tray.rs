//! The tray icon: the app's icon with a dot in the colour of the worst state across profiles,
//! the same words in its tooltip and in the first (inert) line of its menu, then *Open Thanks
//! Connect* and *Quit*. Linux trays (StatusNotifierItem, through libayatana-appindicator)
//! show no tooltips, which is why the words are in the menu too.
//!
//! Closing the window keeps the app running in the tray when the *close to tray* setting is
//! on (off by default), so the background refresh and the alerts go on; only when the tray
//! exists, or there would be no way back to the window.

use std::sync::Mutex;

use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime, Window, WindowEvent};
use thanks_core::alerts::{Level, TraySummary};

/// The app's icon the dot is drawn on.
const BASE_ICON: &[u8] = include_bytes!("../../icons/64x64.png");

/// The tray once built; absent when the platform refused one.
pub struct Tray<R: Runtime> {
    icon: TrayIcon<R>,
    status: MenuItem<R>,
    shown: Mutex<Option<TraySummary>>,
}

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let start = TraySummary {
        level: Level::Idle,
        text: String::new(),
        tooltip: "Thanks Connect".into(),
    };
    let status = MenuItem::with_id(app, "status", &start.tooltip, false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", "Open Thanks Connect", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit Thanks Connect", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&status, &separator, &open, &quit])?;
    let icon = TrayIconBuilder::with_id("main")
        .icon(icon_for(start.level))
        .tooltip(&start.tooltip)
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "open" => crate::callback::focus_main_window(app),
            "quit" => app.exit(0),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                crate::callback::focus_main_window(tray.app_handle());
            }
        })
        .build(app)?;
    app.manage(Tray {
        icon,
        status,
        shown: Mutex::new(Some(start)),
    });
    Ok(())
}

/// Shows a new summary; nothing happens when it is the one already shown.
pub fn show<R: Runtime>(app: &AppHandle<R>, summary: &TraySummary) {
    let Some(tray) = app.try_state::<Tray<R>>() else {
        return;
    };
    let mut shown = tray.shown.lock().expect("poisoned");
    if shown.as_ref() == Some(summary) {
        return;
    }
    let result = tray
        .icon
        .set_icon(Some(icon_for(summary.level)))
        .and_then(|()| tray.icon.set_tooltip(Some(&summary.tooltip)))
        .and_then(|()| tray.status.set_text(&summary.tooltip));
    match result {
        Ok(()) => *shown = Some(summary.clone()),
        Err(e) => tracing::warn!(error = %e, "couldn't update the tray icon"),
    }
}

/// The window's close button: hide to the tray when asked to and a tray exists.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    let app = window.app_handle();
    let Some(state) = app.try_state::<crate::AppState>() else {
        return;
    };
    if app.try_state::<Tray<R>>().is_some() && crate::prefs::load(state.engine.home()).close_to_tray
    {
        api.prevent_close();
        let _ = window.hide();
        tracing::info!("window closed to the tray; the app keeps running");
    }
}

/// The app icon with a dot for the level in its lower right corner (none when idle).
pub fn icon_for(level: Level) -> Image<'static> {
    let base = Image::from_bytes(BASE_ICON).expect("the bundled icon is a PNG");
    let (w, h) = (base.width(), base.height());
    let mut rgba = base.rgba().to_vec();
    let Some(color) = dot_color(level) else {
        return Image::new_owned(rgba, w, h);
    };
    // A dot of a third of the icon, with a white ring so it stands out on any panel.
    let r = w as f32 / 6.0;
    let (cx, cy) = (w as f32 - r - 1.0, h as f32 - r - 1.0);
    for y in 0..h {
        for x in 0..w {
            let d = ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt();
            let px = if d <= r - 2.0 {
                [color[0], color[1], color[2], 255]
            } else if d <= r {
                [255, 255, 255, 255]
            } else {
                continue;
            };
            let i = ((y * w + x) * 4) as usize;
            rgba[i..i + 4].copy_from_slice(&px);
        }
    }
    Image::new_owned(rgba, w, h)
}

pub fn dot_color(level: Level) -> Option<[u8; 3]> {
    match level {
        Level::Idle => None,
        Level::Ok => Some([0x2e, 0x7d, 0x32]),
        Level::Warning => Some([0xf9, 0xa8, 0x25]),
        Level::Error => Some([0xc6, 0x28, 0x28]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dot_has_the_level_colour() {
        for level in [Level::Ok, Level::Warning, Level::Error] {
            let img = icon_for(level);
            let (w, h) = (img.width(), img.height());
            let r = w / 6;
            let (x, y) = (w - r - 1, h - r - 1);
            let i = ((y * w + x) * 4) as usize;
            let c = dot_color(level).unwrap();
            assert_eq!(&img.rgba()[i..i + 4], &[c[0], c[1], c[2], 255]);
        }
        let plain = Image::from_bytes(BASE_ICON).unwrap();
        assert_eq!(icon_for(Level::Idle).rgba(), plain.rgba());
    }
}
