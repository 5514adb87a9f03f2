//! Showing a console response: status line, what thanks.io's body says in plain words (errors,
//! a 200 that failed anyway, 401/429), rate-limit headers, timings, the body (pretty JSON with
//! folding and a JSON-path filter, or raw), copy and save (done by Rust, which still holds the
//! body), the next page of a paginated list, and the header tables. Text only, never HTML.

import * as ipc from '../ipc';
import type { Pair, ResponseView } from '../ipc';
import { byId, busy, h, message, show } from '../dom';
import { formatBytes, formatMs } from '../format';
import { MAX_MATCHES, matchesText, parsePath, PathError, searchPath, type Segment } from '../jsonview/jsonpath';
import { runInSlices, type SliceJob } from '../jsonview/slices';
import { nextPageUrl, parseSmall, rateLimitText, summarise } from '../jsonview/summary';
import { announce, toast } from '../notify';
import { JsonViewer, type ViewStatus } from './viewer';

interface Shown {
  r: ResponseView;
  requestId: string;
  json: boolean;
  next: string | null;
}

let viewer: JsonViewer;
let shown: Shown | null = null;
let filterJob: SliceJob | null = null;
let filterTimer: number | undefined;
/** True while the viewer shows the whole body, pretty (so its shallow values are the body's). */
let showingWhole = false;
let goNextPage: (url: string) => void = () => undefined;

const filterInput = () => byId<HTMLInputElement>('response-filter');
const rawButton = () => byId<HTMLButtonElement>('response-raw');

export function initResponse(nextPage: (url: string) => void): void {
  goNextPage = nextPage;
  viewer = new JsonViewer(byId('response-body'));
  viewer.onStatus = onViewStatus;
  filterInput().addEventListener('input', () => {
    window.clearTimeout(filterTimer);
    filterTimer = window.setTimeout(applyView, 250);
  });
  filterInput().addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      window.clearTimeout(filterTimer);
      applyView();
    }
  });
  rawButton().addEventListener('click', () => {
    const raw = rawButton().getAttribute('aria-pressed') !== 'true';
    rawButton().setAttribute('aria-pressed', String(raw));
    applyView();
  });
  byId('btn-expand-all').addEventListener('click', () => viewer.expandAll());
  byId('btn-collapse-all').addEventListener('click', () => viewer.collapseAll());
  const copy = byId<HTMLButtonElement>('btn-copy-body');
  copy.addEventListener('click', () => {
    const id = shown?.requestId;
    if (!id) return;
    void busy(copy, async () => {
      try {
        await ipc.responseCopy(id);
        toast('Response body copied to the clipboard.');
      } catch (e) {
        toast(ipc.errorText(e), 'error');
      }
    });
  });
  const save = byId<HTMLButtonElement>('btn-save-body');
  save.addEventListener('click', () => {
    const id = shown?.requestId;
    if (!id) return;
    void busy(save, async () => {
      try {
        const result = await ipc.responseSave(id);
        if (result.saved) toast(result.path ? `Response body saved to ${result.path}.` : 'Response body saved.');
      } catch (e) {
        toast(ipc.errorText(e), 'error');
      }
    });
  });
  byId('btn-next-page').addEventListener('click', () => {
    if (shown?.next) goNextPage(shown.next);
  });
}

export function renderResponse(r: ResponseView, requestId: string): void {
  show(byId('response-empty'), false);
  show(byId('response-content'), true);
  markStale(false);
  renderOutcome(`${r.status} ${r.reason}`.trim() + ` · ${formatMs(r.timings.total_ms)}`, `${Math.floor(r.status / 100)}xx`);

  const status = byId('response-status');
  status.textContent = `${r.status} ${r.reason}`.trim();
  status.dataset['class'] = `${Math.floor(r.status / 100)}xx`;
  byId('response-time').textContent = `${formatMs(r.timings.total_ms)} · first byte ${formatMs(r.timings.ttfb_ms)}`;
  byId('response-size').textContent = formatBytes(r.size);
  byId('response-url').textContent = `${r.method} ${r.url}`;
  show(byId('response-refreshed'), r.refreshed);
  byId('timing-total').textContent = formatMs(r.timings.total_ms);
  byId('timing-ttfb').textContent = formatMs(r.timings.ttfb_ms);
  byId('timing-size').textContent = `${formatBytes(r.size)} (${r.size.toLocaleString()} bytes)`;

  const json = r.body !== '' && (r.headers.some(([k, v]) => k.toLowerCase() === 'content-type' && /\bjson\b/i.test(v)) || /^\s*[[{]/.test(r.body.slice(0, 64)));
  const parsed = json ? parseSmall(r.body) : undefined;
  renderSummary(r.status, r.headers, parsed);
  const limit = rateLimitText(r.headers);
  message(byId('response-ratelimit'), limit);

  let next: string | null = null;
  if (parsed !== undefined) {
    const obj = parsed as Record<string, unknown>;
    next = nextPageUrl((path) => {
      const [a, b] = path.split('.') as [string, string | undefined];
      const v = b === undefined ? obj?.[a] : (obj?.[a] as Record<string, unknown> | undefined)?.[b];
      return v === undefined ? undefined : JSON.stringify(v);
    });
  }
  shown = { r, requestId, json, next };
  show(byId('btn-next-page'), next !== null);

  rawButton().disabled = !json;
  filterInput().disabled = !json;
  filterInput().placeholder = json ? 'Filter: $.data[0].id, data[*].status, meta.total' : 'Filter (JSON bodies only)';
  for (const id of ['btn-expand-all', 'btn-collapse-all']) byId<HTMLButtonElement>(id).disabled = !json;
  const hasBody = r.body !== '';
  byId<HTMLButtonElement>('btn-copy-body').disabled = !hasBody;
  byId<HTMLButtonElement>('btn-save-body').disabled = !hasBody;

  byId('response-headers').replaceChildren(...headerRows(r.headers));
  byId('request-headers').replaceChildren(...headerRows(r.request_headers));
  applyView();
}

function renderSummary(status: number, headers: Pair[], parsed: unknown): void {
  const el = byId('response-summary');
  const summary = summarise(status, headers, parsed);
  if (!summary) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  el.dataset['kind'] = summary.kind === 'warn' ? 'warn' : 'error';
  el.replaceChildren(h('p', { class: 'strong' }, summary.title));
  if (summary.details.length) el.append(h('ul', {}, ...summary.details.map((d) => h('li', {}, d))));
  el.hidden = false;
}

/** Shows the body the way the controls say: raw, filtered or whole. */
function applyView(): void {
  filterJob?.cancel();
  filterJob = null;
  const s = shown;
  if (!s) return;
  const raw = rawButton().getAttribute('aria-pressed') === 'true';
  const filter = filterInput().value.trim();
  filterInput().removeAttribute('aria-invalid');
  showingWhole = false;
  if (!s.json) {
    filterStatus(null);
    viewer.show(s.r.body, 'raw');
    return;
  }
  if (raw) {
    filterStatus(filter ? 'The filter applies to the formatted view; Raw shows the body exactly as received.' : null);
    viewer.show(s.r.body, 'raw');
    return;
  }
  if (!filter) {
    filterStatus(null);
    showingWhole = true;
    viewer.show(s.r.body, 'pretty');
    return;
  }
  let segments: Segment[];
  try {
    segments = parsePath(filter);
  } catch (e) {
    if (!(e instanceof PathError)) throw e;
    filterInput().setAttribute('aria-invalid', 'true');
    filterStatus(`Column ${e.column}: ${e.message}.`, 'error');
    return;
  }
  const body = s.r.body;
  const search = searchPath(body, segments);
  filterStatus('Filtering…');
  const job = runInSlices((deadline) => search.step(deadline));
  filterJob = job;
  job.done.then((finished) => {
    if (!finished || filterJob !== job) return;
    filterJob = null;
    const n = search.starts.length;
    const note = n === 0 ? 'No match.' : search.truncated ? `The first ${MAX_MATCHES.toLocaleString()} matches.` : `${n.toLocaleString()} ${n === 1 ? 'match' : 'matches'}.`;
    filterStatus(note);
    announce(`Filter: ${note}`);
    viewer.show(matchesText(body, segments, search.starts, search.ends), 'pretty');
  }, () => {
    if (filterJob !== job) return;
    filterJob = null;
    filterStatus('The body is not valid JSON, so it cannot be filtered.', 'error');
  });
}

function filterStatus(text: string | null, kind: 'error' | 'info' = 'info'): void {
  message(byId('response-filter-status'), text, kind);
}

function onViewStatus(status: ViewStatus): void {
  const progress = byId('response-progress');
  if (status.state === 'building') {
    progress.textContent = status.mode === 'pretty' ? `formatting… ${Math.round(status.progress * 100)}%` : 'loading…';
    progress.hidden = false;
  } else {
    progress.hidden = true;
  }
  if (status.invalid && shown?.json) {
    filterStatus(`Not valid JSON (line ${status.invalid.line}, column ${status.invalid.column}: ${status.invalid.message}), so it is shown as received.`, 'error');
  }
  // Bodies too big for the quick parse: take the next page from the formatted lines.
  if (showingWhole && shown && shown.next === null && status.state === 'ready' && status.shallow) {
    const next = nextPageUrl((path) => status.shallow?.get(path));
    if (next) {
      shown.next = next;
      show(byId('btn-next-page'), true);
    }
  }
}

/** The rows of a header table (also laid out ahead of time by warmup.ts). */
export function headerRows(headers: Pair[]): HTMLTableRowElement[] {
  if (headers.length === 0) return [h('tr', {}, h('td', { class: 'muted' }, '(none)'))];
  return headers.map(([name, value]) => h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, value)));
}

/** While a request is in flight: the status line next to Send says what is happening, Send is
 * busy and Cancel offered. */
export function renderSending(sending: boolean, what = 'Sending…'): void {
  const send = byId<HTMLButtonElement>('btn-send');
  const cancel = byId<HTMLButtonElement>('btn-cancel-send');
  const focusWasOn = document.activeElement;
  send.disabled = sending;
  if (sending) send.setAttribute('aria-busy', 'true');
  else send.removeAttribute('aria-busy');
  show(cancel, sending);
  byId('send-spinner-text').textContent = what;
  show(byId('send-spinner'), sending);
  if (sending) show(byId('send-outcome'), false);
  byId('response').setAttribute('aria-busy', String(sending));
  if (sending && focusWasOn === send) cancel.focus({ preventScroll: true });
  if (!sending && focusWasOn === cancel) send.focus({ preventScroll: true });
}

/**
 * The status line's last word after a send: the response's status and time, or why there is
 * none (`kind` "error" | "info"). A button: it brings the response into view.
 */
export function renderOutcome(text: string | null, kind = 'info'): void {
  const el = byId('send-outcome');
  el.textContent = text ?? '';
  el.dataset['class'] = kind;
  show(el, !!text);
}

/**
 * Greys out the response shown when the last send failed or wasn't sent, so an old answer is
 * never read as the answer to the request now in the editor.
 */
export function markStale(stale: boolean): void {
  const response = byId('response');
  if (stale && shown) response.dataset['stale'] = 'true';
  else delete response.dataset['stale'];
  show(byId('response-stale'), stale && !!shown);
}
