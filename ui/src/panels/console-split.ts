//! The console's two panes, the way API clients lay them out: request and response side by side
//! with a divider between them when the content pane is wide enough, stacked (request, then
//! response) when it isn't. The decision is made here from the content pane's width and written
//! as `#panel-console[data-layout="side"|"stacked"]`, which the CSS and the tests read.
//!
//! The divider is a `role="separator"`: drag it, or focus it and use ←/→ (Home/End for the
//! limits, Enter or a double-click for half and half). The split is kept in `ui.json`.

import * as ipc from '../ipc';
import { byId } from '../dom';

/** Content-pane width (CSS px) from which both panes fit side by side. */
export const SIDE_BY_SIDE_FROM = 880;
/** Neither pane gets narrower than this while dragging. */
const MIN_PANE_PX = 340;
const DEFAULT_SPLIT = 0.5;
/** The divider's width in console.css. */
const DIVIDER_PX = 12;
const KEY_STEP = 0.05;

/** What the user chose (dragged, keyed, or remembered). */
let wish = DEFAULT_SPLIT;
/** What is shown: the wish, clamped so both panes fit the current width. */
let split = DEFAULT_SPLIT;
let saveTimer: number | undefined;

const panel = () => byId('panel-console');
const splitEl = () => byId('console-split');
const divider = () => byId('console-divider');

export type ConsoleLayout = 'side' | 'stacked';

export function layout(): ConsoleLayout {
  return panel().dataset['layout'] === 'side' ? 'side' : 'stacked';
}

export function initConsoleSplit(saved: number | null): void {
  if (saved !== null && Number.isFinite(saved)) wish = saved;
  const main = byId('main');
  const decide = () => {
    panel().dataset['layout'] = main.clientWidth >= SIDE_BY_SIDE_FROM ? 'side' : 'stacked';
    // A narrower window squeezes the split; a wider one gives back what the user chose.
    apply(wish);
  };
  // The content pane decides the layout; the split itself changes size when the panel is shown.
  const watcher = new ResizeObserver(decide);
  watcher.observe(main);
  watcher.observe(splitEl());
  decide();

  const d = divider();
  d.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || layout() !== 'side') return;
    e.preventDefault();
    d.setPointerCapture(e.pointerId);
    d.dataset['dragging'] = 'true';
  });
  const dragging = () => d.dataset['dragging'] === 'true';
  d.addEventListener('pointermove', (e) => {
    if (!dragging()) return;
    const box = splitEl().getBoundingClientRect();
    choose((e.clientX - box.left - DIVIDER_PX / 2) / (box.width - DIVIDER_PX));
  });
  // However the drag ends (button up, capture lost, cancelled), keep where it ended.
  const end = (e: PointerEvent) => {
    if (!dragging()) return;
    if (d.hasPointerCapture(e.pointerId)) d.releasePointerCapture(e.pointerId);
    delete d.dataset['dragging'];
    remember();
  };
  for (const type of ['pointerup', 'pointercancel', 'lostpointercapture'] as const) d.addEventListener(type, end);
  d.addEventListener('dblclick', () => {
    choose(DEFAULT_SPLIT);
    remember();
  });
  d.addEventListener('keydown', (e) => {
    const next = e.key === 'ArrowLeft' ? split - KEY_STEP
      : e.key === 'ArrowRight' ? split + KEY_STEP
      : e.key === 'Home' ? 0
      : e.key === 'End' ? 1
      : e.key === 'Enter' ? DEFAULT_SPLIT
      : null;
    if (next === null) return;
    e.preventDefault();
    choose(next);
    remember();
  });
}

/** The user moved the divider: this is the new wish, as far as the width allows. */
function choose(wanted: number): void {
  apply(wanted);
  wish = split;
}

/** Sets the request pane's share of the width, kept so both panes stay usable. */
function apply(wanted: number): void {
  // The panes share the width less the divider's.
  const width = splitEl().getBoundingClientRect().width - DIVIDER_PX;
  // Before the first layout (hidden panel) there is no width: keep the wish, clamp later.
  const min = width > 0 ? Math.min(0.5, MIN_PANE_PX / width) : 0.25;
  split = Math.min(1 - min, Math.max(min, wanted));
  splitEl().style.setProperty('--split', String(split));
  const d = divider();
  if (width > 0) {
    d.setAttribute('aria-valuemin', String(Math.round(min * 100)));
    d.setAttribute('aria-valuemax', String(Math.round((1 - min) * 100)));
  }
  d.setAttribute('aria-valuenow', String(Math.round(split * 100)));
  d.setAttribute('aria-valuetext', `Request ${Math.round(split * 100)}%, response ${100 - Math.round(split * 100)}%`);
}

function remember(): void {
  window.clearTimeout(saveTimer);
  saveTimer = window.setTimeout(() => void ipc.uiPrefsSet({ consoleSplit: wish }).catch(() => undefined), 300);
}

/** Stacked: scrolls the response's head to the top of the content pane (under the request line). */
export function bringResponseIntoView(): void {
  if (layout() === 'side') return;
  const calm = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  // After this turn's focus moves (Cancel → Send), which would otherwise stop the scroll.
  requestAnimationFrame(() => byId('response').scrollIntoView({ block: 'start', behavior: calm ? 'auto' : 'smooth' }));
}
