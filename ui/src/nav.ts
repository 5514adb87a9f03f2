//! The left navigation: four panels, one visible. Remembers the panel for the next start,
//! moves focus to the panel's heading when the user switched with the keyboard, and offers
//! Ctrl/Cmd+1…4 plus arrow keys inside the list. Panels can ask to hear when they are shown.

import { byId } from './dom';
import * as state from './state';

export const PANELS = ['account', 'token', 'console', 'history'] as const;
export type Panel = (typeof PANELS)[number];

export function isPanel(value: unknown): value is Panel {
  return typeof value === 'string' && (PANELS as readonly string[]).includes(value);
}

const shownListeners: ((panel: Panel) => void)[] = [];

/** Runs `fn` every time a panel is shown (also when it is shown again). */
export function onPanelShown(fn: (panel: Panel) => void): void {
  shownListeners.push(fn);
}

export function showPanel(panel: Panel, opts: { focus?: boolean; remember?: boolean } = {}): void {
  for (const p of PANELS) {
    byId(`panel-${p}`).hidden = p !== panel;
    const button = byId(`nav-${p}`);
    if (p === panel) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  if (opts.focus) byId(`${panel}-title`).focus();
  const changed = state.panel.value !== panel;
  state.panel.set(panel);
  if (changed && opts.remember !== false) state.savePrefs();
  for (const fn of shownListeners) fn(panel);
}

export function initNav(): void {
  const buttons = PANELS.map((p) => byId<HTMLButtonElement>(`nav-${p}`));
  buttons.forEach((button, i) => {
    const panel = PANELS[i] as Panel;
    // detail === 0: activated from the keyboard, so take focus along to the panel.
    button.addEventListener('click', (e) => showPanel(panel, { focus: e.detail === 0 }));
    button.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
      if (!step) return;
      e.preventDefault();
      buttons[(i + step + buttons.length) % buttons.length]?.focus();
    });
  });
  document.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
    const index = ['1', '2', '3', '4'].indexOf(e.key);
    if (index < 0) return;
    e.preventDefault();
    showPanel(PANELS[index] as Panel, { focus: true });
  });
}
