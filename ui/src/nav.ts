//! The left navigation: one visible panel at a time. The panels are whatever the side menu lists
//! (`.sidenav button[data-panel]`, each controlling `#panel-<name>`), so adding a panel is markup
//! plus an init function, not a change here. Remembers the panel for the next start, opens every
//! panel at its top, moves focus to the panel's heading when the user switched with the keyboard,
//! and offers Ctrl/Cmd+1…9 (in menu order) plus arrow keys inside the list. Panels can ask to
//! hear when they are shown.

import { byId } from './dom';
import * as state from './state';

/** A panel's name: `data-panel` of its menu button, `#panel-<name>` its section. */
export type Panel = string;

/** The panels in menu order, read from the markup. */
export function panels(): Panel[] {
  return [...document.querySelectorAll<HTMLButtonElement>('.sidenav button[data-panel]')]
    .map((b) => b.dataset['panel'] ?? '')
    .filter(Boolean);
}

export function isPanel(value: unknown): value is Panel {
  return typeof value === 'string' && panels().includes(value);
}

const shownListeners: ((panel: Panel) => void)[] = [];

/** Runs `fn` every time a panel is shown (also when it is shown again). */
export function onPanelShown(fn: (panel: Panel) => void): void {
  shownListeners.push(fn);
}

export function showPanel(panel: Panel, opts: { focus?: boolean; remember?: boolean } = {}): void {
  const previous = state.panel.value;
  const changed = previous !== panel;
  for (const p of panels()) {
    byId(`panel-${p}`).hidden = p !== panel;
    const button = byId(`nav-${p}`);
    if (p === panel) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  // The content pane is the only thing that scrolls; a panel always opens at its top rather than
  // where the previous one was left.
  // The first panel of a start is at its top already, and setting scrollTop would make the
  // window lay out now, before the profile's state is in it, and again when it is.
  if (changed && previous !== null) byId('main').scrollTop = 0;
  if (opts.focus) byId(`${panel}-title`).focus({ preventScroll: true });
  state.panel.set(panel);
  if (changed && opts.remember !== false) state.savePrefs();
  for (const fn of shownListeners) fn(panel);
}

export function initNav(): void {
  const names = panels();
  const buttons = names.map((p) => byId<HTMLButtonElement>(`nav-${p}`));
  buttons.forEach((button, i) => {
    const panel = names[i] as Panel;
    // detail === 0: activated from the keyboard, so take focus along to the panel.
    button.addEventListener('click', (e) => showPanel(panel, { focus: e.detail === 0 }));
    button.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
      if (!step) return;
      e.preventDefault();
      buttons[(i + step + buttons.length) % buttons.length]?.focus();
    });
    if (i < 9) button.setAttribute('aria-keyshortcuts', `Control+${i + 1}`);
  });
  document.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
    if (!/^[1-9]$/.test(e.key)) return;
    const panel = names[Number(e.key) - 1];
    if (!panel) return;
    e.preventDefault();
    showPanel(panel, { focus: true });
  });
}
