//! The Console panel: build a request (method, path with suggestions from `endpoints_list`,
//! query parameters, headers, JSON body), send it as the current profile, cancel it, show the
//! response. An invalid JSON body is flagged while typing and blocks Send: nothing is sent.
//! Rust adds the token; this panel never sees it.

import * as ipc from '../ipc';
import type { EndpointView, RequestSpec } from '../ipc';
import { byId, h, message } from '../dom';
import { formatMs } from '../format';
import { checkJson, type JsonProblem } from '../json';
import { announce } from '../notify';
import * as state from '../state';
import { KvEditor } from './kv-editor';
import { renderResponse, renderSending } from './response';

let endpoints: EndpointView[] = [];
let inFlight: string | null = null;
let query: KvEditor;
let headers: KvEditor;

const methodSelect = () => byId<HTMLSelectElement>('console-method');
const pathInput = () => byId<HTMLInputElement>('console-path');
const bodyInput = () => byId<HTMLTextAreaElement>('console-body');

export function initConsole(): void {
  query = new KvEditor(byId('query-editor'), 'query', 'query parameter', byId<HTMLButtonElement>('btn-add-query'));
  headers = new KvEditor(byId('headers-editor'), 'header', 'header', byId<HTMLButtonElement>('btn-add-header'));

  byId<HTMLFormElement>('console-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void send();
  });
  byId('btn-cancel-send').addEventListener('click', () => void cancel());
  byId('panel-console').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    } else if (e.key === 'Escape' && inFlight) {
      e.preventDefault();
      void cancel();
    }
  });
  bodyInput().addEventListener('input', () => showBodyProblem(currentBodyProblem()));
  // A "Not sent: …" message is about the request as it was; editing it makes the message stale.
  byId('console-form').addEventListener('input', () => showError(null));
  pathInput().addEventListener('input', matchEndpoint);
  methodSelect().addEventListener('change', matchEndpoint);

  state.profileView.subscribe((view) => {
    byId('console-base').textContent = view?.api_base ?? '';
  });
  state.currentProfile.subscribe(renderProfile);
  renderProfile();
  void loadEndpoints();
}

function renderProfile(): void {
  byId('console-profile').textContent = state.currentProfile.value;
}

async function loadEndpoints(): Promise<void> {
  try {
    endpoints = await ipc.endpointsList();
  } catch {
    endpoints = []; // Suggestions are a convenience; typing a path still works.
  }
  byId('endpoint-list').replaceChildren(
    ...endpoints.map((e) => h('option', { value: e.path, label: `${e.method} · ${e.purpose}` })),
  );
}

/** Shows what the typed path is for, and picks its method when the current one doesn't fit. */
function matchEndpoint(e: Event): void {
  const path = pathInput().value.trim();
  const matches = endpoints.filter((ep) => ep.path === path);
  const method = methodSelect().value;
  const first = matches[0];
  if (e.target === pathInput() && first && !matches.some((ep) => ep.method === method)) {
    methodSelect().value = first.method;
  }
  const current = matches.find((ep) => ep.method === methodSelect().value);
  const purpose = byId('endpoint-purpose');
  purpose.textContent = current ? `${current.method} ${current.path}: ${current.purpose}` : '';
  if (!current) purpose.append(h('span', { class: 'kbd-hint' }, 'Ctrl+Enter sends from anywhere in the console.'));
}

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

async function send(): Promise<void> {
  if (inFlight) return;
  const path = pathInput().value.trim();
  if (!path) {
    showError('Not sent: enter a path first, for example /ping.');
    pathInput().focus();
    return;
  }
  const problem = currentBodyProblem();
  if (problem) {
    showBodyProblem(problem);
    showError(`Not sent: the body is not valid JSON (line ${problem.line}, column ${problem.column}). Fix it, or clear the body to send none.`);
    bodyInput().focus();
    bodyInput().setSelectionRange(problem.offset, problem.offset);
    return;
  }
  const body = bodyInput().value;
  const spec: RequestSpec = {
    method: methodSelect().value,
    path,
    query: query.values(),
    headers: headers.values(),
    body: body.trim() === '' ? null : body,
  };
  const id = newRequestId();
  inFlight = id;
  showError(null);
  renderSending(true);
  announce(`Sending ${spec.method} ${spec.path}…`);
  try {
    const response = await ipc.consoleSend(state.currentProfile.value, id, spec);
    if (inFlight !== id) return;
    renderResponse(response);
    announce(`Response ${response.status} ${response.reason} in ${formatMs(response.timings.total_ms)}.`);
  } catch (e) {
    if (inFlight !== id) return;
    showError(ipc.errorText(e));
  } finally {
    if (inFlight === id) {
      inFlight = null;
      renderSending(false);
    }
  }
}

/** Stops waiting at once; a late answer for the cancelled request is ignored. */
async function cancel(): Promise<void> {
  const id = inFlight;
  if (!id) return;
  inFlight = null;
  renderSending(false);
  showError('Request cancelled. If thanks.io had already received it, it may still take effect.', 'info');
  try {
    await ipc.consoleCancel(id);
  } catch {
    // It finished meanwhile: nothing left to cancel.
  }
}
