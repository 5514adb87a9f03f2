//! Showing a console response: status line, timings, size, the body (re-indented when it is
//! JSON, raw text otherwise) and the header tables. Everything is set as text, never as HTML.

import type { Pair, ResponseView } from '../ipc';
import { byId, h, show } from '../dom';
import { formatBytes, formatMs } from '../format';
import { checkJson, prettyJson } from '../json';

/** Above this, re-indenting would make the window sluggish for little gain; show it raw. */
const PRETTY_LIMIT = 2_000_000;

export function renderResponse(r: ResponseView): void {
  show(byId('response-empty'), false);
  show(byId('response-content'), true);

  const status = byId('response-status');
  status.textContent = `${r.status} ${r.reason}`.trim();
  status.dataset['class'] = `${Math.floor(r.status / 100)}xx`;
  byId('response-time').textContent = `${formatMs(r.timings.total_ms)} · first byte ${formatMs(r.timings.ttfb_ms)}`;
  byId('response-size').textContent = formatBytes(r.size);
  byId('response-url').textContent = `${r.method} ${r.url}`;
  show(byId('response-refreshed'), r.refreshed);

  const body = byId('response-body');
  body.textContent = bodyText(r);
  body.dataset['empty'] = String(r.body === '');
  body.scrollTop = 0;

  byId('response-headers').replaceChildren(...headerRows(r.headers));
  byId('request-headers').replaceChildren(...headerRows(r.request_headers));
}

function bodyText(r: ResponseView): string {
  if (r.body === '') return '';
  const isJson = r.headers.some(([k, v]) => k.toLowerCase() === 'content-type' && /\bjson\b/i.test(v)) || /^\s*[[{]/.test(r.body);
  if (isJson && r.body.length <= PRETTY_LIMIT && !checkJson(r.body)) return prettyJson(r.body);
  return r.body;
}

function headerRows(headers: Pair[]): HTMLTableRowElement[] {
  if (headers.length === 0) return [h('tr', {}, h('td', { class: 'muted' }, '(none)'))];
  return headers.map(([name, value]) => h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, value)));
}

/** While a request is in flight: spinner on, Send busy, Cancel offered. */
export function renderSending(sending: boolean): void {
  const send = byId<HTMLButtonElement>('btn-send');
  const cancel = byId<HTMLButtonElement>('btn-cancel-send');
  const focusWasOn = document.activeElement;
  send.disabled = sending;
  if (sending) send.setAttribute('aria-busy', 'true');
  else send.removeAttribute('aria-busy');
  show(cancel, sending);
  show(byId('send-spinner'), sending);
  byId('response').setAttribute('aria-busy', String(sending));
  if (sending && focusWasOn === send) cancel.focus();
  if (!sending && focusWasOn === cancel) send.focus();
}
