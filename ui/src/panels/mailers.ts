//! The mailer test kit: ready-made mailers (postcards 4x6/6x9/6x11, windowed and windowless
//! letters, notecard, gift card), each a valid body with a sample recipient and message. Choosing
//! one fills the console (POST to its send path, the body as JSON); the form here edits the
//! recipient, the message and the creative field inside that JSON, and the JSON stays editable
//! in the console for everything else. Three actions: Estimate (the free estimate path),
//! Preview (the send with `"preview": true`, nothing ordered; its images shown as thumbnails
//! that Rust fetched, each with Open) and Send (through the cost guard).

import * as ipc from '../ipc';
import type { Mailer, RequestSpec } from '../ipc';
import { busy, byId, h, message, show } from '../dom';
import { toast } from '../notify';
import { parseSmall, summarise } from '../jsonview/summary';
import * as consolePanel from './console';
import { dollars } from './guard';

let mailers: Mailer[] = [];
let active: Mailer | null = null;
/** True while this module writes the body, so its own change doesn't refill the form. */
let writing = false;

type Body = Record<string, unknown>;

/** Where a mailer's picture or document goes; letters have only an optional background. */
function creativeField(m: Mailer): { key: string; label: string; hint: string } {
  const body = (m.body ?? {}) as Body;
  if ('front_image_url' in body) {
    return { key: 'front_image_url', label: 'Front image URL', hint: 'The picture on the front (1875×1275 px for 4x6 and 6x9, 3337×1777 px for 6x11, 1650×2475 px for notecards). Leave empty to use image_template_id in the JSON instead.' };
  }
  if ('pdf_only_url' in body) return { key: 'pdf_only_url', label: 'Letter PDF URL', hint: 'The whole mailer from a PDF, without a cover letter.' };
  return { key: 'front_image_url', label: 'Cover letter background URL (optional)', hint: 'A background image for the cover letter; empty for a blank page. For a PDF letter, set pdf_only_url in the JSON.' };
}

export function initMailers(): void {
  byId('btn-mailer-close').addEventListener('click', close);
  byId('btn-mailer-estimate').addEventListener('click', () => void act('estimate'));
  byId('btn-mailer-preview').addEventListener('click', () => void act('preview'));
  byId('btn-mailer-send').addEventListener('click', () => void act('send'));
  for (const input of byId('mailer-form').querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')) {
    input.addEventListener('input', () => edit(input));
  }
  byId('mailer-form').addEventListener('submit', (e) => e.preventDefault());
  consolePanel.requestChanged.subscribe(() => {
    if (active && !writing) fillForm();
  });
  void load();
}

async function load(): Promise<void> {
  const list = byId('mailer-list');
  try {
    mailers = await ipc.mailersList();
  } catch (e) {
    list.replaceChildren(h('p', { class: 'field-error' }, `The ready-made mailers could not be loaded: ${ipc.errorText(e)}`));
    return;
  }
  list.replaceChildren(...mailers.map((m) => {
    const button = h('button', { type: 'button', class: 'mailer-choice', id: `mailer-${m.id}`, 'data-mailer-id': m.id, title: m.description, 'aria-describedby': `mailer-${m.id}-desc` },
      m.title,
      h('span', { class: 'sr-only', id: `mailer-${m.id}-desc` }, m.description));
    button.addEventListener('click', () => choose(m));
    return button;
  }));
}

function choose(m: Mailer): void {
  active = m;
  for (const b of byId('mailer-list').querySelectorAll<HTMLButtonElement>('.mailer-choice')) {
    b.setAttribute('aria-pressed', String(b.dataset['mailerId'] === m.id));
  }
  writing = true;
  consolePanel.fill({ method: 'POST', path: m.send_path, query: [], headers: [], body: JSON.stringify(m.body, null, 2) });
  writing = false;
  byId('mailer-title').textContent = m.title;
  byId('mailer-description').textContent = m.description;
  byId('mailer-paths').textContent = `Estimate: POST ${m.estimate_path} · Preview and Send: POST ${m.send_path}`;
  const creative = creativeField(m);
  byId('mailer-creative-label').textContent = creative.label;
  byId('mailer-creative-hint').textContent = creative.hint;
  byId('mailer-creative').dataset['field'] = creative.key;
  const gift = m.send_path.endsWith('/giftcard');
  show(byId('mailer-giftcard-fields'), gift);
  show(byId('mailer-giftcard-amount-field'), gift);
  message(byId('mailer-result'), null);
  clearPreviews();
  fillForm();
  const kit = byId('mailer-kit');
  kit.hidden = false;
  kit.scrollIntoView({ block: 'nearest' });
  byId('mailer-name').focus();
}

/** Hides the kit (another request was chosen); the console keeps what it has. */
export function close(): void {
  active = null;
  byId('mailer-kit').hidden = true;
  for (const b of byId('mailer-list').querySelectorAll<HTMLButtonElement>('.mailer-choice')) b.setAttribute('aria-pressed', 'false');
}

/** The console's body as an object, or null (with the reason shown) when it isn't one. */
function body(): Body | null {
  const text = consolePanel.bodyText();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    message(byId('mailer-form-error'), 'The body below is not valid JSON, so the form can’t edit it; fix the JSON first.', 'error');
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    message(byId('mailer-form-error'), 'The body below is not a JSON object, so the form can’t edit it.', 'error');
    return null;
  }
  if (/(^|[^\d.eE])-?\d{16,}/.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) {
    message(byId('mailer-form-error'), 'The body holds a number too long to edit here without rounding; edit it as JSON below.', 'error');
    return null;
  }
  message(byId('mailer-form-error'), null);
  return value as Body;
}

function recipient(b: Body): Body | null {
  const list = b['recipients'];
  if (!Array.isArray(list)) return null;
  const first = list[0];
  return typeof first === 'object' && first !== null && !Array.isArray(first) ? (first as Body) : null;
}

function fieldsOf(): (HTMLInputElement | HTMLTextAreaElement)[] {
  return [...byId('mailer-form').querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')];
}

function fillForm(): void {
  const b = body();
  const r = b ? recipient(b) : null;
  for (const input of fieldsOf()) {
    const key = input.dataset['recipient'];
    const field = input.dataset['field'];
    let value: unknown = '';
    if (b && key) value = r?.[key] ?? '';
    else if (b && field) value = b[field] ?? '';
    const text = input.dataset['cents'] && typeof value === 'number'
      ? (value / 100).toFixed(2)
      : typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    if (input.value !== text && document.activeElement !== input) {
      input.value = text;
      if (input.dataset['cents']) {
        input.removeAttribute('aria-invalid');
        message(byId(`${input.id}-error`), null);
      }
    }
    input.disabled = !b;
  }
}

/** A form field changed: write it into the JSON body. */
function edit(input: HTMLInputElement | HTMLTextAreaElement): void {
  const b = body();
  if (!b) return;
  let value: unknown = input.value;
  if (input.dataset['cents']) {
    // Typed in dollars, sent in cents; a half-typed amount waits (and says why) rather than
    // writing something else into the body.
    const cents = dollarsToCents(input.value);
    const error = byId(`${input.id}-error`);
    input.setAttribute('aria-invalid', String(cents === null));
    message(error, cents === null ? 'Type an amount in dollars, like 10 or 12.50.' : null);
    if (cents === null) return;
    value = cents;
  }
  const key = input.dataset['recipient'];
  const field = input.dataset['field'];
  if (key) {
    let r = recipient(b);
    if (!r) {
      r = {};
      b['recipients'] = [r, ...(Array.isArray(b['recipients']) ? (b['recipients'] as unknown[]).slice(1) : [])];
    }
    r[key] = value;
  } else if (field) {
    if (value === '' && (field === 'front_image_url' || field === 'pdf_only_url')) delete b[field];
    else b[field] = value;
  }
  writing = true;
  consolePanel.setBody(JSON.stringify(b, null, 2));
  writing = false;
}

/** "10", "$12.50", "7.5" → cents; null for anything else. */
export function dollarsToCents(text: string): number | null {
  const m = /^\s*\$?\s*(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

type Action = 'estimate' | 'preview' | 'send';

async function act(action: Action): Promise<void> {
  const m = active;
  if (!m) return;
  const button = byId<HTMLButtonElement>(`btn-mailer-${action}`);
  const result = byId('mailer-result');
  await busy(button, async () => {
    const base = consolePanel.currentSpec();
    let spec: RequestSpec;
    if (action === 'estimate') {
      spec = { ...base, method: 'POST', path: m.estimate_path };
    } else if (action === 'send') {
      spec = { ...base, method: 'POST', path: m.send_path };
    } else {
      const b = body();
      if (!b) return;
      spec = { ...base, method: 'POST', path: m.send_path, body: JSON.stringify({ ...b, preview: true }, null, 2) };
    }
    message(result, action === 'estimate' ? 'Estimating…' : action === 'preview' ? 'Asking for a preview…' : 'Sending…', 'info');
    clearPreviews();
    const outcome = await consolePanel.dispatch(spec);
    if (outcome.kind !== 'response') {
      message(result, outcome.message, outcome.kind === 'failed' ? 'error' : 'info');
      return;
    }
    const r = outcome.response;
    const parsed = parseSmall(r.body);
    if (r.status >= 400 || summarise(r.status, r.headers, parsed)?.kind === 'warn') {
      const summary = summarise(r.status, r.headers, parsed);
      const details = summary?.details.length ? ` ${summary.details.join(' ')}` : '';
      message(result, summary ? `${summary.title}${details}` : `thanks.io answered ${r.status} ${r.reason}; see the response below.`, 'error');
      return;
    }
    message(result, describe(action, parsed), 'ok');
    if (action === 'preview') await showPreviews(outcome.requestId);
  });
}

function clearPreviews(): void {
  const box = byId('mailer-previews');
  box.replaceChildren();
  show(box, false);
}

/** The preview's images as thumbnails, each with Open (the system browser shows it full size). */
async function showPreviews(requestId: string): Promise<void> {
  const box = byId('mailer-previews');
  show(box, true);
  box.replaceChildren(h('p', { class: 'hint' }, 'Loading the preview images…'));
  let images: ipc.PreviewImage[];
  try {
    images = await ipc.previewImages(requestId);
  } catch (e) {
    box.replaceChildren(h('p', { class: 'field-error' }, `The preview images could not be shown: ${ipc.errorText(e)}`));
    return;
  }
  box.replaceChildren(...images.map((image, i) => {
    const label = `Preview image ${i + 1} of ${images.length}`;
    const open = h('button', { type: 'button', id: `preview-open-${i}`, 'aria-label': `Open ${label.toLowerCase()} in the browser` }, 'Open');
    open.addEventListener('click', () => void busy(open, async () => {
      try {
        await ipc.previewOpen(requestId, i);
      } catch (e) {
        toast(ipc.errorText(e), 'error');
      }
    }));
    return h('figure', { class: 'preview-thumb', id: `preview-${i}` },
      image.data_url
        ? h('img', { src: image.data_url, alt: label, id: `preview-img-${i}` })
        : h('p', { class: 'field-error' }, `Image ${i + 1} could not be shown: ${image.problem ?? 'unknown problem'}.`),
      h('figcaption', {}, h('span', { class: 'hint' }, `${i + 1} of ${images.length}`), open));
  }));
  if (images.length === 0) clearPreviews();
}

/** One sentence about a successful estimate, preview or send. */
function describe(action: Action, parsed: unknown): string {
  const data = ((parsed as Body | undefined)?.['data'] ?? parsed) as Body | undefined;
  if (action === 'estimate') {
    const cost = typeof data?.['total_cost'] === 'string' ? data['total_cost'] : typeof data?.['total_cost_in_cents'] === 'number' ? dollars(data['total_cost_in_cents']) : null;
    const n = data?.['total_recipients'];
    const balance = data?.['current_balance_in_cents'];
    const parts = [`Estimate: ${cost ?? 'see the response below'}${typeof n === 'number' ? ` for ${n} recipient${n === 1 ? '' : 's'}` : ''}.`];
    if (typeof balance === 'number') parts.push(`Balance ${dollars(balance)}${data?.['covered_by_balance'] === false ? ', which does not cover it' : ''}.`);
    if (data?.['test_mode'] === true) parts.push('API Test Mode is on: a send would be accepted and then cancelled.');
    if (data?.['test_mode'] === false) parts.push('API Test Mode is off: a send would really be printed and mailed.');
    return parts.join(' ');
  }
  if (action === 'preview') {
    const previews = (data?.['previews'] ?? []) as unknown[];
    return `Preview ready: ${previews.length} image${previews.length === 1 ? '' : 's'}, shown below. Nothing was ordered.`;
  }
  const order = (parsed as Body | undefined) ?? {};
  const id = order['id'] ?? (order['order'] as Body | undefined)?.['id'];
  const status = order['display_status'] ?? order['status'];
  return `Sent${id !== undefined ? `: order ${String(id)}` : ''}${typeof status === 'string' ? ` (${status})` : ''}.`;
}
