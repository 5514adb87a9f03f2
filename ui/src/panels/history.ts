//! The History panel: every request the console sent (Rust records them, masked), newest first,
//! searchable, each labelled (Estimate, Preview, Send with its order) with the path as the console
//! shows it, its details, Load (fills the console with it; nothing is sent), and delete; or
//! clear them all after a confirmation. A damaged history database that Rust moved aside at
//! start-up is reported once (`app_info.history_notice`).

import * as ipc from '../ipc';
import type { HistoryEntry, HistorySummary, Pair } from '../ipc';
import { busy, byId, h, message, show } from '../dom';
import { formatBytes, formatDateTime, formatMs } from '../format';
import { checkJson, prettyJson } from '../json';
import { onPanelShown, showPanel } from '../nav';
import { announce, toast } from '../notify';
import * as state from '../state';
import * as consolePanel from './console';

const PAGE = 100;
/** Bodies in the details are cut here; Copy/Save on a fresh run give the whole thing. */
const DETAIL_CHARS = 100_000;

let items: HistorySummary[] = [];
let stale = true;
let searchTimer: number | undefined;
let loadSeq = 0;
let noticeShown = false;
let afterRerun: () => void = () => undefined;

const visible = () => !byId('panel-history').hidden;
const searchInput = () => byId<HTMLInputElement>('history-search');
const onlyProfile = () => byId<HTMLInputElement>('history-only-profile');

export function initHistory(rerunDone: () => void): void {
  afterRerun = rerunDone;
  onPanelShown((panel) => {
    if (panel === 'history' && stale) void reload();
  });
  consolePanel.requestRecorded.subscribe(() => {
    stale = true;
    if (visible()) void reload();
  });
  state.currentProfile.subscribe((p) => {
    byId('history-profile').textContent = `“${p}”`;
    if (onlyProfile().checked) void reload();
  });
  byId('history-profile').textContent = `“${state.currentProfile.value}”`;
  searchInput().addEventListener('input', () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => void reload(), 200);
  });
  onlyProfile().addEventListener('change', () => void reload());
  byId('history-more').addEventListener('click', () => void loadMore());

  const clear = byId<HTMLButtonElement>('history-clear');
  clear.addEventListener('click', () => {
    show(byId('history-clear-confirm'), true);
    byId('btn-history-clear-cancel').focus();
  });
  byId('btn-history-clear-cancel').addEventListener('click', () => {
    show(byId('history-clear-confirm'), false);
    clear.focus();
  });
  const confirm = byId<HTMLButtonElement>('btn-history-clear-confirm');
  confirm.addEventListener('click', () => void busy(confirm, async () => {
    try {
      await ipc.historyClear();
      show(byId('history-clear-confirm'), false);
      toast('History cleared.');
      await reload();
      searchInput().focus();
    } catch (e) {
      message(byId('history-error'), ipc.errorText(e), 'error');
    }
  }));

  byId('history-list').addEventListener('click', (e) => {
    const button = (e.target as Element | null)?.closest<HTMLButtonElement>('button[data-action]');
    const li = button?.closest<HTMLElement>('[data-history-id]');
    if (!button || !li) return;
    const id = Number(li.dataset['historyId']);
    const action = button.dataset['action'];
    if (action === 'delete') void remove(id, li);
    else if (action === 'rerun') void busy(button, () => rerun(id));
    else if (action === 'details') void toggleDetails(id, li, button);
  });
  byId('history-notice-dismiss').addEventListener('click', () => {
    show(byId('history-notice'), false);
    byId('history-title').focus();
  });
}

/** Shows `app_info.history_notice` (once per start). */
export function showNotice(notice: string | null): void {
  if (!notice || noticeShown) return;
  noticeShown = true;
  byId('history-notice-text').textContent = notice;
  show(byId('history-notice'), true);
  toast(notice, 'error');
}

function query(offset: number): ipc.HistoryQuery {
  const text = searchInput().value.trim();
  return { text: text || null, profile: onlyProfile().checked ? state.currentProfile.value : null, limit: PAGE, offset };
}

async function reload(): Promise<void> {
  const seq = ++loadSeq;
  stale = false;
  try {
    const page = await ipc.historyList(query(0));
    if (seq !== loadSeq) return;
    items = page;
    message(byId('history-error'), null);
    render(page.length === PAGE);
  } catch (e) {
    if (seq !== loadSeq) return;
    stale = true;
    message(byId('history-error'), `The history could not be read: ${ipc.errorText(e)}`, 'error');
  }
}

async function loadMore(): Promise<void> {
  const seq = ++loadSeq;
  try {
    const page = await ipc.historyList(query(items.length));
    if (seq !== loadSeq) return;
    items = items.concat(page);
    render(page.length === PAGE);
  } catch (e) {
    message(byId('history-error'), ipc.errorText(e), 'error');
  }
}

function render(more: boolean): void {
  const list = byId('history-list');
  const searching = searchInput().value.trim() !== '' || onlyProfile().checked;
  message(byId('history-empty'), items.length ? null : searching ? 'No request matches.' : 'No requests yet: what the console sends shows up here.');
  list.replaceChildren(...items.map(itemView));
  show(byId('history-more'), more);
  byId<HTMLButtonElement>('history-clear').disabled = items.length === 0 && !searching;
}

function statusText(item: HistorySummary): { text: string; cls: string } {
  if (item.error) return { text: 'failed', cls: 'error' };
  if (item.status === null) return { text: '—', cls: '' };
  return { text: `${item.status}`, cls: `${Math.floor(item.status / 100)}xx` };
}

/** What a mailer request was: Estimate, Preview, or Send (with the order it made); null otherwise. */
export function kindLabel(item: Pick<HistorySummary, 'method' | 'path' | 'preview' | 'order_id' | 'status' | 'error'>): string | null {
  if (item.method !== 'POST') return null;
  if (/^\/estimate\//.test(item.path)) return 'Estimate';
  if (!/^\/send\//.test(item.path)) return null;
  if (item.preview) return 'Preview';
  return item.order_id !== null && !item.error ? `Send · order ${item.order_id}` : 'Send';
}

function itemView(item: HistorySummary): HTMLLIElement {
  const status = statusText(item);
  const when = formatDateTime(new Date(item.at * 1000).toISOString());
  const facts = [when, item.profile, item.total_ms !== null ? formatMs(item.total_ms) : null, item.error ? null : formatBytes(item.size)].filter(Boolean).join(' · ');
  const kind = kindLabel(item);
  const label = `${kind ? `${kind}: ` : ''}${item.method} ${item.path}`;
  return h('li', { class: 'history-item', 'data-history-id': String(item.id) },
    h('div', { class: 'history-line' },
      h('span', { class: 'method', 'data-method': item.method }, item.method),
      h('span', { class: 'status-code', 'data-class': status.cls }, status.text),
      kind ? h('span', { class: 'history-kind', 'data-kind': kind.split(' ')[0]?.toLowerCase() }, kind) : null,
      h('span', { class: 'history-url mono', title: item.url }, item.path),
      h('span', { class: 'actions history-actions' },
        h('button', { type: 'button', class: 'quiet', 'data-action': 'details', 'aria-expanded': 'false', 'aria-label': `Details of ${label}` }, 'Details'),
        h('button', { type: 'button', 'data-action': 'rerun', 'aria-label': `Load ${label} into the console (nothing is sent)` }, 'Load'),
        h('button', { type: 'button', class: 'danger-quiet icon', 'data-action': 'delete', 'aria-label': `Delete ${label} from the history`, title: 'Delete' }, '×'))),
    h('p', { class: 'hint' }, facts, item.error ? h('span', { class: 'fact-error' }, item.error.message) : null));
}

async function remove(id: number, li: HTMLElement): Promise<void> {
  try {
    await ipc.historyDelete(id);
  } catch (e) {
    message(byId('history-error'), ipc.errorText(e), 'error');
    return;
  }
  const at = items.findIndex((i) => i.id === id);
  if (at >= 0) items.splice(at, 1);
  // Focus the neighbour, so the keyboard stays in the list.
  const next = (li.nextElementSibling ?? li.previousElementSibling) as HTMLElement | null;
  li.remove();
  announce('Deleted from the history.');
  if (items.length === 0) render(false);
  (next?.querySelector<HTMLButtonElement>('[data-action="rerun"]') ?? searchInput()).focus();
}

async function rerun(id: number): Promise<void> {
  try {
    const spec = await ipc.historyRerun(id, state.currentProfile.value);
    afterRerun();
    consolePanel.fill(spec);
    showPanel('console', { focus: false });
    byId('btn-send').focus();
    toast(`Loaded ${spec.method} ${spec.path} into the console; nothing was sent. Press Send to run it again.`);
  } catch (e) {
    message(byId('history-error'), ipc.errorText(e), 'error');
  }
}

async function toggleDetails(id: number, li: HTMLElement, button: HTMLButtonElement): Promise<void> {
  const open = li.querySelector('.history-detail');
  if (open) {
    open.remove();
    button.setAttribute('aria-expanded', 'false');
    return;
  }
  let entry: HistoryEntry;
  try {
    entry = await ipc.historyGet(id);
  } catch (e) {
    message(byId('history-error'), ipc.errorText(e), 'error');
    return;
  }
  button.setAttribute('aria-expanded', 'true');
  li.append(h('div', { class: 'history-detail' },
    entry.error ? h('p', { class: 'callout error' }, `${entry.error.message} (${entry.error.code})`) : null,
    h('p', { class: 'hint' }, [
      entry.status !== null ? `${entry.status} ${entry.reason}` : null,
      entry.total_ms !== null ? `total ${formatMs(entry.total_ms)}` : null,
      entry.ttfb_ms !== null ? `first byte ${formatMs(entry.ttfb_ms)}` : null,
      `${formatBytes(entry.size)}`,
    ].filter(Boolean).join(' · ')),
    h('h3', { class: 'sub-title' }, 'Request headers'), headerTable(entry.request_headers),
    h('h3', { class: 'sub-title' }, 'Request body'), bodyView(entry.request_body, entry.request_body_truncated),
    h('h3', { class: 'sub-title' }, 'Response headers'), headerTable(entry.response_headers),
    h('h3', { class: 'sub-title' }, 'Response body'), bodyView(entry.response_body, entry.response_body_truncated)));
}

function headerTable(headers: Pair[]): HTMLTableElement {
  const rows = headers.length
    ? headers.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v)))
    : [h('tr', {}, h('td', { class: 'muted' }, '(none)'))];
  return h('table', { class: 'headers' }, ...rows);
}

function bodyView(body: string | null, truncated: boolean): HTMLElement {
  if (body === null || body === '') return h('p', { class: 'muted' }, '(no body)');
  const shown = body.length > DETAIL_CHARS ? body.slice(0, DETAIL_CHARS) : body;
  const text = shown === body && !truncated && body.length < 200_000 && !checkJson(body) ? prettyJson(body) : shown;
  return h('div', {},
    h('pre', { class: 'code', tabindex: '0' }, text),
    truncated || shown !== body ? h('p', { class: 'hint' }, 'The body is cut here; the history keeps only the start of long bodies.') : null);
}
