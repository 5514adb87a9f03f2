//! What a response says, in plain words, above its body: thanks.io's error bodies (`message`,
//! `errors` as a list or as field → messages, `code`, `failure`, `error`), a 200 that carries a
//! failure anyway, 401/403/429 explained, the rate-limit headers, and the next page's URL.
//! Pure functions over the status, headers and the parsed body; no DOM.

export type Pair = [string, string];

export interface Summary {
  kind: 'error' | 'warn' | 'ok';
  /** One sentence. */
  title: string;
  /** Details, one per line: messages, field errors, the error code. */
  details: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown): string | null {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

export function header(headers: readonly Pair[], name: string): string | null {
  const lower = name.toLowerCase();
  for (const [k, v] of headers) if (k.toLowerCase() === lower) return v;
  return null;
}

/** `errors` as lines: ["a", "b"] or {"field": ["x", "y"]} → "field: x". */
export function errorLines(errors: unknown): string[] {
  if (Array.isArray(errors)) return errors.map((e) => text(e) ?? JSON.stringify(e));
  if (isObject(errors)) {
    const out: string[] = [];
    for (const [field, messages] of Object.entries(errors)) {
      const list = Array.isArray(messages) ? messages : [messages];
      for (const m of list) out.push(`${field}: ${text(m) ?? JSON.stringify(m)}`);
    }
    return out;
  }
  const one = text(errors);
  return one ? [one] : [];
}

/** Parses small bodies for the summary; undefined when it isn't JSON (or too big to bother). */
export function parseSmall(body: string, limit = 1_000_000): unknown {
  if (body.length > limit || !/^\s*[[{]/.test(body)) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Seconds from a Retry-After header (seconds or an HTTP date), or null. */
export function retryAfterSecs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - now) / 1000));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The summary for a response, or null when there is nothing to say (a plain success). */
export function summarise(status: number, headers: readonly Pair[], body: unknown): Summary | null {
  const details: string[] = [];
  const obj = isObject(body) ? body : null;
  if (obj) {
    const message = text(obj['message']);
    if (message && status >= 400) details.push(message);
    if ('errors' in obj) details.push(...errorLines(obj['errors']));
    const error = text(obj['error']);
    if (error && !details.includes(error)) details.push(error);
    const code = text(obj['code']);
    if (code && !/^\d+$/.test(code)) details.push(`Code: ${code}`);
  }

  if (status === 429) {
    const secs = retryAfterSecs(header(headers, 'retry-after'));
    const wait = secs !== null ? `Wait ${plural(secs, 'second')} (Retry-After) before sending again.` : 'Wait about a minute before sending again.';
    // The limit is whatever thanks.io's headers say, never a number assumed here.
    const limit = header(headers, 'x-ratelimit-limit');
    const allowed = limit !== null && /^\s*\d+\s*$/.test(limit)
      ? `thanks.io allows ${plural(Number(limit), 'call')} a minute for this token (X-RateLimit-Limit)`
      : 'thanks.io limits how many calls a token can make in a minute';
    return { kind: 'error', title: `Too many requests: ${allowed}. ${wait}`, details };
  }
  if (status === 401 || status === 403) {
    return { kind: 'error', title: `thanks.io refused the access token (${status}): it is missing, expired or revoked, or the resource belongs to another account. Reconnect the profile if it keeps happening.`, details };
  }
  if (status === 402) {
    return { kind: 'error', title: 'Payment required (402): thanks.io needs a paid plan or a working payment method for this.', details };
  }
  if (status === 422) {
    return { kind: 'error', title: 'thanks.io refused the request body (422): fix the fields below and send again.', details };
  }
  if (status >= 400) {
    return { kind: 'error', title: `The request failed with ${status}.`, details };
  }
  // A success status that still reports a failure (thanks.io does this on some endpoints).
  const failedItems = Array.isArray(body) ? body.filter((item) => isObject(item) && text(item['error'])).length : 0;
  if (obj && (obj['failure'] === true || obj['success'] === false || text(obj['error']))) {
    const message = text(obj['message']);
    if (message && !details.includes(message)) details.unshift(message);
    return { kind: 'warn', title: `The status is ${status}, but the body reports a failure.`, details };
  }
  if (failedItems > 0) {
    const lines = (body as Json[])
      .map((item, i) => (isObject(item) && text(item['error']) ? `Item ${i + 1}: ${text(item['error'])}` : null))
      .filter((l): l is string => l !== null);
    return { kind: 'warn', title: `The status is ${status}, but ${plural(failedItems, 'item')} of ${(body as Json[]).length} reported an error.`, details: lines.slice(0, 20) };
  }
  return null;
}

/** "Rate limit: 57 of 60 left · retry after 30 s", or null without those headers. */
export function rateLimitText(headers: readonly Pair[]): string | null {
  const remaining = header(headers, 'x-ratelimit-remaining');
  const limit = header(headers, 'x-ratelimit-limit');
  const retry = retryAfterSecs(header(headers, 'retry-after'));
  const parts: string[] = [];
  if (remaining !== null) parts.push(limit !== null ? `${remaining} of ${limit} requests left this minute` : `${remaining} requests left this minute`);
  if (retry !== null) parts.push(`retry after ${plural(retry, 'second')}`);
  return parts.length ? `Rate limit: ${parts.join(' · ')}` : null;
}

/** The next page's URL: `links.next` (resource shape) or `next_page_url` (plain paginator). */
export function nextPageUrl(lookup: (path: string) => string | undefined): string | null {
  for (const path of ['links.next', 'next_page_url']) {
    const raw = lookup(path);
    if (raw === undefined || raw[0] !== '"') continue;
    try {
      const url = JSON.parse(raw) as string;
      if (url) return url;
    } catch {
      // not a string after all
    }
  }
  return null;
}
