//! Light or dark: like the system (the default), or chosen in the side menu and remembered in
//! `ui.json`. The page always carries the resolved theme as `<html data-theme="light|dark">`, so
//! the CSS has one rule per theme and tests can force either without touching the OS setting.

import * as ipc from './ipc';
import { byId } from './dom';

export type ThemePref = 'system' | 'light' | 'dark';

const dark = window.matchMedia('(prefers-color-scheme: dark)');
let pref: ThemePref = 'system';

export function isThemePref(value: unknown): value is ThemePref {
  return value === 'system' || value === 'light' || value === 'dark';
}

function apply(): void {
  const resolved = pref === 'system' ? (dark.matches ? 'dark' : 'light') : pref;
  document.documentElement.dataset['theme'] = resolved;
  document.documentElement.dataset['themePref'] = pref;
}

/** Applies the system's theme at once (before `app_info` arrives) and wires the chooser. */
export function initTheme(): void {
  apply();
  dark.addEventListener('change', apply);
  const select = byId<HTMLSelectElement>('theme-select');
  select.value = pref;
  select.addEventListener('change', () => {
    if (!isThemePref(select.value)) return;
    setTheme(select.value);
    // Only a lost convenience if it can't be stored.
    void ipc.uiPrefsSet({ theme: pref }).catch(() => undefined);
  });
}

/** Sets the preference (from `app_info` at start, or the chooser). */
export function setTheme(value: ThemePref): void {
  pref = value;
  byId<HTMLSelectElement>('theme-select').value = value;
  apply();
}
