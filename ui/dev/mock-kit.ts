//! Dev only: the mailer test kit's side of the fake IPC (see mock.ts). The catalog and the
//! ready-made mailers are the app's own data files; around them, a tiny in-memory thanks.io
//! (estimates, previews, sends that create orders, test mode, a paginated order list, a 429, a
//! 422), the cost guard, the history, cURL in and out, and copy/save of a response body.
//!
//! Query parameters of dev.html: `test_mode=off` (API Test Mode starts off, so a send asks
//! first), `history_notice=1` (the damaged-history notice), `local=1` (the profile counts as the
//! local sandbox). Paths: `/bench/big?mb=10` answers a generated body of that size,
//! `/rate-limited` a 429, `/slow` takes 15 s.

import catalogFile from '../../src-tauri/crates/core/data/endpoints.json';
import mailersFile from '../../src-tauri/crates/core/data/mailers.json';
import { bigBody, bigBodyBytes } from './big-body';

export { bigBody, bigBodyBytes };
import type {
  CostCheck, CurlImport, Endpoint, Guard, HistoryEntry, HistorySummary, Inspection, Mailer, Pair, RequestSpec, ResponseView, Spelling,
} from '../src/ipc';

type Args = Record<string, unknown>;
type Json = Record<string, unknown>;

const params = new URLSearchParams(location.search);
export const kit = {
  testMode: params.get('test_mode') !== 'off',
  local: params.get('local') === '1',
  balanceCents: 12_500,
};
export const historyNotice = params.get('history_notice') === '1'
  ? 'The request history was damaged and has been moved aside to history.db.damaged; a new, empty history was started.'
  : null;

export const ENDPOINTS = (catalogFile as unknown as { endpoints: Endpoint[] }).endpoints;
export const MAILERS = (mailersFile as unknown as { mailers: Mailer[] }).mailers;

const reject = (code: string, message: string) => Promise.reject({ code, message });

// ---- catalog matching, spelling and the guard (simplified from the Rust core) ----

function relative(path: string): string {
  let p = path.trim().replace(/^https?:\/\/[^/]+/i, '').replace(/[?#].*$/, '');
  p = p.replace(/^\/api\/v2(?=\/|$)/, '');
  return `/${p.split('/').filter(Boolean).join('/')}`;
}

export function findEndpoint(method: string, path: string): Endpoint | null {
  const segs = relative(path).split('/').filter(Boolean);
  let best: Endpoint | null = null;
  let bestLiterals = -1;
  for (const ep of ENDPOINTS) {
    if (ep.method !== method.trim().toUpperCase()) continue;
    const t = ep.path.split('/').filter(Boolean);
    if (t.length !== segs.length) continue;
    let literals = 0;
    const ok = t.every((s, i) => {
      const name = /^\{(.+)\}$/.exec(s)?.[1];
      if (!name) {
        literals++;
        return s === segs[i];
      }
      const allowed = ep.path_params.find((p) => p.name === name)?.allowed;
      return !allowed || allowed.includes(segs[i] as string);
    });
    if (ok && literals > bestLiterals) {
      best = ep;
      bestLiterals = literals;
    }
  }
  return best;
}

const RENAMED: [string, string][] = [
  ['mailing_lists', 'mailing_list_ids'], ['handwriting_style', 'handwriting_style_id'], ['image_template', 'image_template_id'],
  ['message_template', 'message_template_id'], ['email_additional', 'notification_emails'], ['mailing_list', 'mailing_list_id'],
];

function spelling(body: unknown): Spelling {
  const objects = (Array.isArray(body) ? body : [body]).filter((o): o is Json => typeof o === 'object' && o !== null && !Array.isArray(o));
  const has = (k: string) => objects.some((o) => k in o);
  const legacy = RENAMED.filter(([o]) => has(o)).map(([o]) => o);
  const current = RENAMED.filter(([, n]) => has(n)).map(([, n]) => n);
  const names = legacy.length && current.length ? 'mixed' : legacy.length ? 'legacy' : current.length ? 'current' : 'neither';
  return { names, legacy_fields: legacy, current_fields: current };
}

function parseBody(spec: RequestSpec): unknown {
  try {
    return spec.body === null ? null : JSON.parse(spec.body);
  } catch {
    return undefined;
  }
}

function assess(spec: RequestSpec): Guard {
  const method = spec.method.toUpperCase();
  const segs = relative(spec.path).split('/').filter(Boolean);
  const body = (parseBody(spec) ?? {}) as Json;
  const free: Guard = { guarded: false, reason: null, estimate_path: null, even_in_test_mode: false };
  if (method === 'POST' && segs[0] === 'send' && segs.length === 2) {
    if (body['preview'] === true || body['preview'] === 1 || body['preview'] === 'true') return free;
    const ep = findEndpoint(method, spec.path);
    const kind = segs[1] === 'postcard' && typeof body['size'] === 'string' ? `${body['size']} postcard` : (segs[1] ?? 'mail');
    return { guarded: true, reason: `sends a ${kind}: it is printed and mailed`, estimate_path: ep?.estimate_path ?? null, even_in_test_mode: false };
  }
  const ep = findEndpoint(method, spec.path);
  if (ep?.costs_money) return { guarded: true, reason: `${ep.purpose.charAt(0).toLowerCase()}${ep.purpose.slice(1)}: it can cost money`, estimate_path: null, even_in_test_mode: true };
  return free;
}

function inspect(a: Args): Inspection {
  const spec = a['spec'] as RequestSpec;
  const body = parseBody(spec);
  return { spelling: body === undefined || body === null ? null : spelling(body), guard: assess(spec), endpoint: findEndpoint(spec.method, spec.path) };
}

// ---- a tiny thanks.io ----

interface Order { id: number; type: string; status: string; recipients: number; created_at: string; cost: number }
const orders: Order[] = [
  { id: 48213, type: 'postcard', status: 'Delivered', recipients: 250, created_at: '2024-05-02T14:03:11Z', cost: 287.5 },
  { id: 48190, type: 'notecard', status: 'In Production', recipients: 40, created_at: '2024-04-29T09:41:55Z', cost: 98.8 },
];
let nextOrder = 48214;

function recipientsOf(body: Json): number {
  return Array.isArray(body['recipients']) ? body['recipients'].length : 0;
}

function priceCents(kind: string, body: Json): number {
  const each: Record<string, number> = { postcard: body['size'] === '6x11' ? 129 : body['size'] === '6x9' ? 109 : 89, windowedletter: 149, windowlessletter: 139, notecard: 199, giftcard: 299, magnacard: 249 };
  return (each[kind] ?? 99) * recipientsOf(body);
}

function invalid(kind: string, body: Json): Json | null {
  const errors: Record<string, string[]> = {};
  if (!recipientsOf(body) && !body['mailing_list_ids'] && !body['radius_search']) errors['recipients'] = ['The recipients field is required when none of mailing list ids / radius search are present.'];
  if (!body['message'] && !body['message_template_id'] && !body['pdf_only_url']) errors['message'] = ['The message field is required when message template id is not present.'];
  if (['postcard', 'notecard', 'giftcard'].includes(kind) && !body['front_image_url'] && !body['image_template_id']) errors['front_image_url'] = ['The front image url field is required when image template id is not present.'];
  return Object.keys(errors).length ? { message: 'The given data was invalid.', errors, failure: true } : null;
}

interface Answer { status: number; reason: string; body: string; headers?: Pair[] }

const REASONS: Record<number, string> = { 200: 'OK', 201: 'Created', 404: 'Not Found', 422: 'Unprocessable Content', 429: 'Too Many Requests' };
const ok = (body: unknown, status = 200): Answer => ({ status, reason: REASONS[status] ?? '', body: JSON.stringify(body) });

export function answer(spec: RequestSpec, base: string): Answer {
  const path = relative(spec.path);
  const method = spec.method.toUpperCase();
  const query = new Map(spec.query);
  const body = (parseBody(spec) ?? {}) as Json;
  const [first, second] = path.split('/').filter(Boolean);
  if (path === '/ping') return { status: 200, reason: 'OK', body: '{"message":"pong","account_id":90071992547409931}' };
  if (path === '/bench/big') return { status: 200, reason: 'OK', body: bigBody(Number(query.get('mb') ?? 10)) };
  if (path === '/rate-limited') {
    return { ...ok({ message: 'Too Many Attempts.' }, 429), headers: [['retry-after', '30'], ['x-ratelimit-remaining', '0']] };
  }
  if (method === 'GET' && path === '/orders/list') {
    const page = Number(query.get('page') ?? 1);
    const per = Number(query.get('items_per_page') ?? 25);
    const data = [...orders].reverse().slice((page - 1) * per, page * per);
    const last = Math.max(1, Math.ceil(orders.length / per));
    return ok({
      data,
      links: { first: `${base}/orders/list?page=1`, last: `${base}/orders/list?page=${last}`, prev: page > 1 ? `${base}/orders/list?page=${page - 1}` : null, next: page < last ? `${base}/orders/list?items_per_page=${per}&page=${page + 1}` : null },
      meta: { current_page: page, last_page: last, per_page: per, total: orders.length },
    });
  }
  if (method === 'POST' && (first === 'estimate' || first === 'send') && second) {
    const problem = invalid(second, body);
    if (problem) return ok(problem, 422);
    const cents = priceCents(second, body);
    if (first === 'estimate') {
      return ok({ message: 'OK', data: {
        type: second, size: body['size'] ?? null, total_recipients: recipientsOf(body), recipients: { united_states: recipientsOf(body), international: 0 },
        pending_email_lookups: 0, costs_in_cents: { grand_total: cents }, total_cost_in_cents: cents, total_cost: `$${(cents / 100).toFixed(2)}`,
        current_balance_in_cents: kit.balanceCents, covered_by_balance: kit.balanceCents >= cents, test_mode: kit.testMode, notes: [],
      } });
    }
    if (body['preview'] === true) {
      const id = Math.random().toString(36).slice(2, 10);
      return ok({ success: true, code: 200, message: 'OK', data: { previews: [`${base}/previews/${id}-front.png`, `${base}/previews/${id}-back.png`] } });
    }
    const order: Order = { id: nextOrder++, type: second, status: kit.testMode ? 'Cancelled' : 'Reviewing', recipients: recipientsOf(body), created_at: new Date().toISOString(), cost: cents / 100 };
    orders.push(order);
    return ok({ id: order.id, type: second, size: body['size'] ?? null, status: 'reviewing', display_status: 'Reviewing', display_trigger: 'API', total_estimated_recipients: order.recipients, authorization_total: cents, message: body['message'] ?? null });
  }
  return { status: 404, reason: 'Not Found', body: '{"message":"Not Found","failure":true}' };
}

// ---- cost check ----

async function costCheck(a: Args, base: string): Promise<CostCheck> {
  const spec = a['spec'] as RequestSpec;
  const guard = assess(spec);
  const check: CostCheck = {
    guarded: guard.guarded, reason: guard.reason, estimate_path: guard.estimate_path, estimate: null, estimate_error: null, estimate_status: null,
    send_would_be_refused: false, test_mode: null, even_in_test_mode: guard.even_in_test_mode,
    local_server: kit.local || /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(base), needs_confirmation: false,
    confirmation: null,
  };
  if (!guard.guarded) return check;
  if (guard.estimate_path) {
    await new Promise((r) => setTimeout(r, 250));
    const est = answer({ ...spec, method: 'POST', path: guard.estimate_path }, base);
    check.estimate_status = est.status;
    if (est.status === 200) {
      const d = (JSON.parse(est.body) as { data: Json }).data;
      check.estimate = {
        total_cost_in_cents: d['total_cost_in_cents'] as number, total_cost: d['total_cost'] as string,
        current_balance_in_cents: d['current_balance_in_cents'] as number, covered_by_balance: d['covered_by_balance'] as boolean,
        test_mode: d['test_mode'] as boolean, total_recipients: d['total_recipients'] as number, pending_email_lookups: 0,
      };
    } else {
      check.send_would_be_refused = est.status === 422;
      check.estimate_error = `thanks.io refused the estimate (${est.status}): The given data was invalid.`;
    }
  }
  check.test_mode = check.estimate?.test_mode ?? null;
  check.needs_confirmation = check.guarded && !check.send_would_be_refused && (check.even_in_test_mode || check.test_mode !== true);
  if (check.needs_confirmation) check.confirmation = `mock-confirmation-${Date.now()}`;
  return check;
}

// ---- history ----

const history: HistoryEntry[] = [];
let nextHistoryId = 1;

export function record(profile: string, spec: RequestSpec, url: string, r: ResponseView | null, error: { code: string; message: string } | null): number {
  const id = nextHistoryId++;
  const cut = (s: string | null) => (s !== null && s.length > 65_536 ? s.slice(0, 65_536) : s);
  history.push({
    id, at: Math.floor(Date.now() / 1000), profile, method: spec.method.toUpperCase(), url, status: r?.status ?? null, reason: r?.reason ?? '',
    size: r?.size ?? 0, total_ms: r?.timings.total_ms ?? null, error,
    request_headers: r?.request_headers ?? spec.headers, request_body: cut(spec.body), request_body_truncated: (spec.body?.length ?? 0) > 65_536,
    response_headers: r?.headers ?? [], response_body: cut(r?.body ?? null), response_body_truncated: (r?.body.length ?? 0) > 65_536, ttfb_ms: r?.timings.ttfb_ms ?? null,
  });
  return id;
}

function summary(e: HistoryEntry): HistorySummary {
  const { id, at, profile, method, url, status, reason, size, total_ms, error } = e;
  const json = (text: string | null): Record<string, unknown> => {
    try {
      const v: unknown = JSON.parse(text ?? '');
      return typeof v === 'object' && v !== null ? v as Record<string, unknown> : {};
    } catch {
      return {};
    }
  };
  const orderId = json(e.response_body)['id'];
  const path = url.replace(/^https?:\/\/[^/]+\/api\/v2/, '');
  return {
    id, at, profile, method, url, status, reason, size, total_ms, error,
    preview: json(e.request_body)['preview'] === true,
    order_id: orderId === undefined || orderId === null ? null : String(orderId),
    path,
  };
}

function historyList(a: Args): HistorySummary[] {
  const q = (a['query'] ?? {}) as { text?: string | null; profile?: string | null; limit?: number; offset?: number };
  const text = (q.text ?? '').toLowerCase();
  const found = [...history].reverse().filter((e) =>
    (!q.profile || e.profile === q.profile) &&
    (!text || `${e.method} ${e.url} ${e.status ?? ''} ${e.request_body ?? ''} ${e.response_body ?? ''}`.toLowerCase().includes(text)));
  const offset = q.offset ?? 0;
  return found.slice(offset, offset + (q.limit ?? 100)).map(summary);
}

function entry(a: Args): HistoryEntry | Promise<never> {
  const e = history.find((h) => h.id === Number(a['id']));
  return e ?? reject('history.not_found', 'That request is no longer in the history.');
}

function rerun(a: Args, base: string): RequestSpec | Promise<never> {
  const e = history.find((h) => h.id === Number(a['id']));
  if (!e) return reject('history.not_found', 'That request is no longer in the history.');
  const u = new URL(e.url);
  const b = new URL(base);
  const prefix = b.pathname.replace(/\/$/, '');
  const path = u.origin === b.origin && u.pathname.startsWith(prefix) ? u.pathname.slice(prefix.length) : `${u.origin}${u.pathname}`;
  const auto = ['accept', 'authorization', 'user-agent', 'content-type'];
  return { method: e.method, path, query: [...u.searchParams], headers: e.request_headers.filter(([k]) => !auto.includes(k.toLowerCase())), body: e.request_body };
}

// ---- cURL ----

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function curlCopy(a: Args, base: string): { preview: string; clears_in_secs: number | null } {
  const spec = a['spec'] as RequestSpec;
  const qs = spec.query.length ? `?${new URLSearchParams(spec.query).toString()}` : '';
  const url = /^https?:/.test(spec.path) ? spec.path : `${base}${spec.path}${qs}`;
  const lines = [`curl -X ${spec.method.toUpperCase()} ${q(url)}`, `-H ${q('Accept: application/json')}`, '-H "Authorization: Bearer $THANKS_TOKEN"'];
  if (spec.body !== null) lines.push(`-H ${q('Content-Type: application/json')}`);
  for (const [k, v] of spec.headers) lines.push(`-H ${q(`${k}: ${v}`)}`);
  if (spec.body !== null) lines.push(`--data-raw ${q(spec.body)}`);
  return { preview: lines.join(' \\\n  '), clears_in_secs: a['includeToken'] === true ? 45 : null };
}

function words(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      any = true;
    } else if (c === '\\' && text[i + 1] === '\n') {
      i++;
    } else if (/\s/.test(c)) {
      if (cur || any) out.push(cur);
      cur = '';
      any = false;
    } else {
      cur += c;
      any = true;
    }
  }
  if (cur || any) out.push(cur);
  return out;
}

function curlImport(a: Args, base: string): CurlImport | Promise<never> {
  const w = words(String(a['text']));
  if (w[0] !== 'curl') return reject('curl.invalid', 'That is not a curl command: it should start with “curl”.');
  let method: string | null = null;
  let url = '';
  const headers: Pair[] = [];
  let body: string | null = null;
  const unsupported: string[] = [];
  const ignored: string[] = [];
  for (let i = 1; i < w.length; i++) {
    const t = w[i] as string;
    if (t === '-X' || t === '--request') method = (w[++i] ?? 'GET').toUpperCase();
    else if (t === '-H' || t === '--header') {
      const [k, ...v] = (w[++i] ?? '').split(':');
      const name = (k ?? '').trim();
      if (/^authorization$/i.test(name) && v.join(':').includes('$THANKS_TOKEN')) continue;
      if (/^(authorization|cookie)$/i.test(name)) unsupported.push(`the ${name} header (the console sends the profile's own token)`);
      else if (!/^(accept|content-type)$/i.test(name) || !/application\/json/i.test(v.join(':'))) headers.push([name, v.join(':').trim()]);
    } else if (['-d', '--data', '--data-raw', '--data-binary'].includes(t)) body = w[++i] ?? '';
    else if (['-s', '--silent', '-S', '--show-error', '-i', '--include', '-v', '--verbose', '-L', '--location', '--compressed'].includes(t)) ignored.push(t);
    else if (t.startsWith('-')) unsupported.push(`option ${t}`);
    else url = t;
  }
  const u = new URL(url || base);
  const b = new URL(base);
  const prefix = b.pathname.replace(/\/$/, '');
  const under = u.pathname.startsWith(`${prefix}/`);
  const path = under ? u.pathname.slice(prefix.length) : `${u.origin}${u.pathname}`;
  const notes = u.origin !== b.origin && under ? [`The command called ${u.origin}${prefix}; the request now goes to this profile's API (${b.origin}${prefix}).`] : [];
  return { spec: { method: method ?? (body !== null ? 'POST' : 'GET'), path, query: [...u.searchParams], headers, body }, unsupported, ignored, notes };
}

/** The kit's commands, for mock.ts's table; `base(profile)` is the profile's API base. */
export function kitCommands(base: (profile?: unknown) => string): Record<string, (a: Args) => unknown> {
  return {
    mailers_list: () => MAILERS,
    console_inspect: inspect,
    cost_check: (a) => costCheck(a, base(a['profile'])),
    history_list: historyList,
    history_get: entry,
    history_delete: (a) => {
      const at = history.findIndex((h) => h.id === Number(a['id']));
      if (at >= 0) history.splice(at, 1);
    },
    history_clear: () => { history.length = 0; },
    history_rerun: (a) => rerun(a, base(a['profile'])),
    curl_copy: (a) => curlCopy(a, base(a['profile'])),
    curl_import: (a) => curlImport(a, base(a['profile'])),
    response_copy: () => undefined,
    response_save: () => ({ saved: true, path: '/home/ada/Downloads/response.json' }),
    // A 1x1 grey PNG stands in for each rendered side.
    preview_images: () => ['front', 'back'].map((side) => ({
      url: `https://example.invalid/preview-${side}.png`,
      data_url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGO4BwAA2ADXk8nVzwAAAABJRU5ErkJggg==',
      problem: null,
    })),
    preview_open: () => undefined,
  };
}

/** What console_send must refuse without a `confirmation` from a cost check (as Rust does). */
export async function refusedWithoutConfirmation(a: Args, apiBase: string): Promise<boolean> {
  const spec = a['spec'] as RequestSpec;
  if (typeof a['confirmation'] === 'string' || !assess(spec).guarded) return false;
  return (await costCheck(a, apiBase)).needs_confirmation;
}
