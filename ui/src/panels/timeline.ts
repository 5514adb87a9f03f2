//! The Token panel's timeline: what happened to the current profile's token, newest first,
//! whichever process did it, with a filter (problems, sign-ins, refreshes, use). It reloads
//! when the profile changes, when the panel is shown, and on `accounts:changed` (Rust sends
//! that whenever a timeline file changes, whoever wrote it).

import * as ipc from '../ipc';
import type { EventView } from '../ipc';
import { byId, h, message, show } from '../dom';
import { formatAgo, formatDateTime } from '../format';
import { onPanelShown } from '../nav';
import * as state from '../state';
import { TRIGGER_WORDS, actorWords, eventTitle, isEventFilter, matchesFilter } from '../support';

let events: EventView[] = [];
let loadedFor: string | null = null;

export function initTimeline(): void {
  byId('timeline-filter').addEventListener('change', render);
  state.currentProfile.subscribe(() => {
    events = [];
    loadedFor = null;
    render();
    void load();
  });
  onPanelShown((panel) => {
    if (panel === 'token') void load();
  });
}

export async function load(): Promise<void> {
  const profile = state.currentProfile.value;
  try {
    const list = await ipc.eventsList(profile);
    if (profile !== state.currentProfile.value) return;
    events = list;
    loadedFor = profile;
    message(byId('timeline-error'), null);
  } catch (e) {
    if (profile === state.currentProfile.value) message(byId('timeline-error'), ipc.errorText(e), 'error');
  }
  render();
}

function render(): void {
  const value = byId<HTMLSelectElement>('timeline-filter').value;
  const filter = isEventFilter(value) ? value : 'all';
  const shown = events.filter((e) => matchesFilter(e, filter)).reverse();
  byId('timeline-list').replaceChildren(...shown.map(item));
  const empty = byId('timeline-empty');
  empty.textContent = loadedFor === null ? 'Loading…' : events.length === 0 ? 'Nothing has happened to this profile’s token yet.' : 'No event of this kind.';
  show(empty, shown.length === 0);
}

function item(e: EventView): HTMLLIElement {
  const why = e.trigger ? TRIGGER_WORDS[e.trigger] : null;
  return h('li', { class: 'timeline-item', 'data-kind': e.kind, 'data-ok': String(e.ok) },
    h('span', { class: 'timeline-dot', 'aria-hidden': 'true' }),
    h('div', { class: 'timeline-body' },
      h('div', { class: 'timeline-line' },
        h('strong', { class: 'timeline-what' }, eventTitle(e)),
        why ? h('span', { class: 'timeline-why' }, why) : null,
        e.status !== undefined ? h('span', { class: 'metric' }, `HTTP ${e.status}`) : null,
        e.code ? h('code', { class: 'timeline-code' }, e.code) : null),
      h('div', { class: 'timeline-meta' },
        h('time', { datetime: e.time, title: formatDateTime(e.time) }, `${formatDateTime(e.time)} · ${formatAgo(e.time)}`),
        ` · by ${actorWords(e.actor)}`),
      e.message && !e.ok ? h('p', { class: 'timeline-message' }, e.message) : null));
}
