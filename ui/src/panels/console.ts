//! The Console panel's request: method, path (with fields for a catalog entry's path
//! parameters), query parameters, headers and a JSON body; sending it through the cost guard;
//! cancelling it; showing the response. Other parts of the panel (catalog, mailer kit, cURL,
//! history) fill it through `fill`/`fillFromEndpoint` and send through `dispatch`.
//!
//! Every send first asks Rust's `cost_check` (no network unless the request can print or
//! charge); when it says `needs_confirmation`, the dialog asks, and only a confirmed request is
//! sent with `confirmed: true`. An invalid JSON body or an unfilled path parameter blocks Send:
//! nothing is sent. Rust adds the token; this panel never sees it.

import * as ipc from '../ipc';
import type { Endpoint, RequestSpec, ResponseView } from '../ipc';
import { byId, h, message } from '../dom';
import { formatMs } from '../format';
import { checkJson, type JsonProblem, prettyJson } from '../json';
import { announce } from '../notify';
import * as state from '../state';
import { confirmCost, dismissCost, renderBadge } from './guard';
import { renderInspectionView } from './inspection';
import { KvEditor } from './kv-editor';
import * as pathParams from './path-params';
import { bringResponseIntoView } from './console-split';
import { initResponse, markStale, renderOutcome, renderResponse, renderSending } from './response';

/** The catalog, once loaded (the catalog list and the method guess use it). */
export const endpoints = new state.Observable<Endpoint[]>([]);
/** Fires after any change to method, path or body, typed or filled in. */
export const requestChanged = new state.Observable<number>(0);
/** Fires after every send attempt (the history may have a new entry). */
export const requestRecorded = new state.Observable<number>(0);

let inFlight: string | null = null;
let query: KvEditor;
let headers: KvEditor;
let inspectTimer: number | undefined;
let inspectSeq = 0;

const methodSelect = () => byId<HTMLSelectElement>('console-method');
const pathInput = () => byId<HTMLInputElement>('console-path');
const bodyInput = () => byId<HTMLTextAreaElement>('console-body');

export function initConsole(): void {
  query = new KvEditor(byId('query-editor'), 'query', 'query parameter', byId<HTMLButtonElement>('btn-add-query'));
  headers = new KvEditor(byId('headers-editor'), 'header', 'header', byId<HTMLButtonElement>('btn-add-header'));
  initResponse((url) => void nextPage(url));
  pathParams.initPathParams(pathInput(), changed, () => showError(null));

  byId<HTMLFormElement>('console-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void sendForm();
  });
  byId('btn-cancel-send').addEventListener('click', () => void cancel());
  byId('panel-console').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void sendForm();
    } else if (e.key === 'Escape' && inFlight) {
      e.preventDefault();
      void cancel();
    }
  });
  bodyInput().addEventListener('input', () => {
    showBodyProblem(currentBodyProblem());
    changed();
  });
  // A "Not sent: …" message is about the request as it was; editing it makes the message stale.
  // (Listened on the panel: method and path sit in the request line, outside the form's box.)
  byId('panel-console').addEventListener('input', (e) => {
    const target = e.target as HTMLElement;
    if (!target.closest('#curl-import') && !target.closest('#response')) showError(null);
  });
  byId('send-outcome').addEventListener('click', () => {
    const error = byId('console-error');
    if (!error.hidden) error.scrollIntoView({ block: 'center' });
    else bringResponseIntoView();
  });
  pathInput().addEventListener('input', (e) => {
    pathParams.follow();
    matchEndpoint(e);
    changed();
  });
  methodSelect().addEventListener('change', (e) => {
    matchEndpoint(e);
    changed();
  });

  state.profileView.subscribe((view) => {
    byId('console-base').textContent = view?.api_base ?? '';
  });
  state.currentProfile.subscribe(() => {
    renderProfile();
    renderBadge(null);
  });
  renderProfile();
  void loadEndpoints();
}

function renderProfile(): void {
  byId('console-profile').textContent = state.currentProfile.value;
}

async function loadEndpoints(): Promise<void> {
  let list: Endpoint[] = [];
  try {
    list = await ipc.endpointsList();
  } catch {
    // Suggestions are a convenience; typing a path still works.
  }
  byId('endpoint-list').replaceChildren(
    ...list.map((e) => h('option', { value: e.path, label: `${e.method} · ${e.purpose}` })),
  );
  endpoints.set(list);
}

/**
 * A catalog path typed or picked from the suggestions: pick its method when the current one
 * doesn't fit, and offer fields for its path parameters.
 */
function matchEndpoint(e: Event): void {
  const path = pathInput().value.trim();
  const matches = endpoints.value.filter((ep) => ep.path === path);
  const first = matches[0];
  if (e.target === pathInput() && first && !matches.some((ep) => ep.method === methodSelect().value)) {
    setMethod(first.method);
  }
  const current = matches.find((ep) => ep.method === methodSelect().value);
  if (current?.path_params.length) pathParams.useTemplate(current.path, current.path_params);
}

function setMethod(method: string): void {
  const select = methodSelect();
  const upper = method.toUpperCase();
  if (![...select.options].some((o) => o.value === upper)) select.append(h('option', {}, upper));
  select.value = upper;
}

function changed(): void {
  requestChanged.set(requestChanged.value + 1);
  window.clearTimeout(inspectTimer);
  inspectTimer = window.setTimeout(() => void inspect(), 200);
}

// ---- the request as data ----

export function currentSpec(): RequestSpec {
  const body = bodyInput().value;
  return {
    method: methodSelect().value,
    path: pathInput().value.trim(),
    query: query.values(),
    headers: headers.values(),
    body: body.trim() === '' ? null : body,
  };
}

export function bodyText(): string {
  return bodyInput().value;
}

/** Replaces the body (the mailer form edits it); validation and inspection follow. */
export function setBody(text: string): void {
  bodyInput().value = text;
  showBodyProblem(currentBodyProblem());
  changed();
}

/** Fills the whole request (history re-run, cURL import, next page, a mailer). */
export function fill(spec: RequestSpec): void {
  setMethod(spec.method || 'GET');
  pathInput().value = spec.path;
  query.set(spec.query);
  headers.set(spec.headers);
  bodyInput().value = spec.body === null ? '' : readable(spec.body);
  pathParams.useTemplate(null);
  showBodyProblem(currentBodyProblem());
  showError(null);
  changed();
}

/** Compact JSON re-indented for editing (numbers kept exactly); anything else as it is. */
function readable(body: string): string {
  if (body.length > 200_000 || body.includes('\n') || checkJson(body)) return body;
  return prettyJson(body);
}

/** Fills method, path (with path-parameter fields) and the entry's body template. */
export function fillFromEndpoint(ep: Endpoint): void {
  setMethod(ep.method);
  pathInput().value = ep.path;
  query.set([]);
  headers.set([]);
  bodyInput().value = ep.body_template === undefined ? '' : JSON.stringify(ep.body_template, null, 2);
  showBodyProblem(null);
  showError(null);
  pathParams.useTemplate(ep.path, ep.path_params);
  changed();
  (pathParams.firstField() ?? pathInput()).focus();
}

// ---- inspection (no network) ----

async function inspect(): Promise<void> {
  const seq = ++inspectSeq;
  const spec = currentSpec();
  if (!spec.path) {
    renderInspectionView(null);
    return;
  }
  try {
    const result = await ipc.consoleInspect(spec);
    if (seq === inspectSeq) renderInspectionView(result);
  } catch {
    if (seq === inspectSeq) renderInspectionView(null);
  }
}

// ---- sending ----

function currentBodyProblem(): JsonProblem | null {
  const text = bodyInput().value;
  return text.trim() === '' ? null : checkJson(text);
}

function showBodyProblem(problem: JsonProblem | null): void {
  const text = problem ? `Line ${problem.line}, column ${problem.column}: ${problem.message}.` : null;
  message(byId('console-body-error'), text, 'error');
  if (problem) bodyInput().setAttribute('aria-invalid', 'true');
  else bodyInput().removeAttribute('aria-invalid');
}

function showError(text: string | null, kind: 'error' | 'info' = 'error'): void {
  message(byId('console-error'), text, kind);
  if (text) announce(text, kind === 'error');
}

function newRequestId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Insecure-context fallback (randomUUID needs one); same shape, same randomness source.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const x = Array.from(b, (n) => n.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Why the console's request can't be sent as it is (and where to look), or null. */
function problemWith(spec: RequestSpec): string | null {
  if (!spec.path) {
    pathInput().focus();
    return 'Not sent: enter a path first, for example /ping.';
  }
  const unfilled = /\{([^}]+)\}/.exec(spec.path)?.[1];
  if (unfilled) {
    (pathParams.field(unfilled) ?? pathInput()).focus();
    return `Not sent: fill in the path parameter “${unfilled}”.`;
  }
  const problem = currentBodyProblem();
  if (problem) {
    showBodyProblem(problem);
    bodyInput().focus();
    bodyInput().setSelectionRange(problem.offset, problem.offset);
    return `Not sent: the body is not valid JSON (line ${problem.line}, column ${problem.column}). Fix it, or clear the body to send none.`;
  }
  return null;
}

export type Outcome =
  | { kind: 'response'; response: ResponseView }
  | { kind: 'failed'; message: string }
  /** Not sent: invalid, declined in the cost dialog, cancelled, or another request in flight. */
  | { kind: 'not_sent'; message: string };

async function sendForm(): Promise<void> {
  await dispatch(currentSpec());
}

/**
 * Sends `spec` as the current profile through the cost guard, shows the response, and tells
 * what happened. The body must be the console's (it is validated and focused there).
 */
export async function dispatch(spec: RequestSpec): Promise<Outcome> {
  if (inFlight) return { kind: 'not_sent', message: 'Another request is still running; wait for it or cancel it.' };
  const problem = problemWith(spec);
  if (problem) {
    showError(problem);
    notSent('Not sent', 'error');
    return { kind: 'not_sent', message: problem };
  }
  const profile = state.currentProfile.value;
  const id = newRequestId();
  inFlight = id;
  showError(null);
  renderSending(true, 'Checking the cost…');
  let confirmed = false;
  try {
    for (let attempt = 0; ; attempt++) {
      const check = await ipc.costCheck(profile, spec);
      if (inFlight !== id) return { kind: 'not_sent', message: 'Request cancelled.' };
      renderBadge(check);
      if (check.needs_confirmation) {
        renderSending(true, 'Waiting for your answer…');
        confirmed = await confirmCost(check);
        if (inFlight !== id) return { kind: 'not_sent', message: 'Request cancelled.' };
        if (!confirmed) {
          const text = 'Not sent: you chose not to send it. Nothing was printed, mailed or charged.';
          showError(text, 'info');
          notSent('Not sent', 'info');
          return { kind: 'not_sent', message: text };
        }
      }
      renderSending(true, 'Sending…');
      announce(`Sending ${spec.method} ${spec.path}…`);
      try {
        const response = await ipc.consoleSend(profile, id, spec, confirmed);
        if (inFlight !== id) return { kind: 'not_sent', message: 'Request cancelled.' };
        renderResponse(response, id);
        bringResponseIntoView();
        announce(`Response ${response.status} ${response.reason} in ${formatMs(response.timings.total_ms)}.`);
        return { kind: 'response', response };
      } catch (e) {
        // The situation changed since the check (test mode switched off, say): check again.
        if (e instanceof ipc.IpcError && e.code === 'console.needs_confirmation' && !confirmed && attempt === 0) continue;
        throw e;
      }
    }
  } catch (e) {
    if (inFlight !== id) return { kind: 'not_sent', message: 'Request cancelled.' };
    const text = ipc.errorText(e);
    showError(text);
    notSent('Failed: no response', 'error');
    return { kind: 'failed', message: text };
  } finally {
    if (inFlight === id) {
      inFlight = null;
      renderSending(false);
    }
    requestRecorded.set(requestRecorded.value + 1);
  }
}

/** The status line says why there is no new response; the one on screen is an earlier one. */
function notSent(text: string, kind: 'error' | 'info'): void {
  renderOutcome(text, kind);
  markStale(true);
}

/** Stops waiting at once; a late answer for the cancelled request is ignored. */
async function cancel(): Promise<void> {
  const id = inFlight;
  if (!id) return;
  inFlight = null;
  dismissCost();
  renderSending(false);
  showError('Request cancelled. If thanks.io had already received it, it may still take effect.', 'info');
  notSent('Cancelled', 'info');
  try {
    await ipc.consoleCancel(id);
  } catch {
    // It finished meanwhile: nothing left to cancel.
  }
}

/** "Next page": the URL from `links.next` / `next_page_url`, split into path and query, sent. */
async function nextPage(url: string): Promise<void> {
  let path = url;
  let pairs: [string, string][] = [];
  try {
    const u = new URL(url);
    pairs = [...u.searchParams];
    const base = state.profileView.value?.api_base;
    const b = base ? new URL(base) : null;
    const prefix = b ? b.pathname.replace(/\/$/, '') : '';
    if (b && u.origin === b.origin && u.pathname.startsWith(`${prefix}/`)) path = u.pathname.slice(prefix.length);
    else path = `${u.origin}${u.pathname}`;
  } catch {
    // Not an absolute URL: use it as the path.
  }
  fill({ method: 'GET', path, query: pairs, headers: headers.values(), body: null });
  await dispatch(currentSpec());
}
