//! Dev only, never bundled into dist/: a stand-in for `window.__TAURI_INTERNALS__` so the built
//! UI runs in a plain browser (see serve.mjs). It fakes the IPC contract in memory with plausible
//! data and delays. Pick a starting situation with `?scenario=` (connected, expires_soon,
//! expired, needs_reconnect, disconnected, personal, keyring_error) and make the next login
//! behave with `?login=` (ok, declined, no_browser, never; `login_ttl=` seconds). The mailer
//! test kit's fakes (catalog, mailers, cost guard, history, cURL) live in mock-kit.ts, with their
//! own parameters. `window.__mock` exposes `emit`, the call log and `kit` (e.g.
//! `__mock.kit.testMode = false`) for poking around in the console.

import type {
  AppInfo, AuthChanged, LoginView, ProfileView, RequestSpec, ResponseView, StatusView,
} from '../src/ipc';
import { ENDPOINTS, answer, bigBody, bigBodyBytes, historyNotice, kit, kitCommands, record, refusedWithoutConfirmation } from './mock-kit';

type Args = Record<string, unknown>;
interface Token { auth: 'oauth' | 'personal_token'; expiresAtMs: number | null; refresh: boolean; rejected: boolean; obtainedAt: string; lastRefresh: StatusView['last_refresh'] }

const params = new URLSearchParams(location.search);
const scenario = params.get('scenario') ?? 'connected';
const loginMode = params.get('login') ?? 'ok';
const loginTtl = Number(params.get('login_ttl') ?? 600);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const reject = (code: string, message: string, field?: string) => Promise.reject(field ? { code, message, field } : { code, message });
const iso = (ms: number) => new Date(ms).toISOString();

const profiles = new Map<string, ProfileView>();
const tokens = new Map<string, Token>();
const prefs: { last_profile: string | null; last_panel: string | null; theme: string | null; console_split: number | null } =
  { last_profile: params.get('profile'), last_panel: params.get('panel'), theme: params.get('theme'), console_split: null };
let sandboxUrl: string | null = null;

function profileDefaults(name: string, apiBase = 'https://api.thanks.io/api/v2', site = 'https://dashboard.thanks.io'): ProfileView {
  return {
    name, authorize_url: `${site}/oauth/authorize`, token_url: `${site}/oauth/token`, api_base: apiBase,
    client_id: name === 'default' ? 'tc-desktop-4f2a9c' : '', redirect_uri: 'dev.thanksconnect.app://oauth/callback',
    redirect_uri_custom: false, default_redirect_uri: 'dev.thanksconnect.app://oauth/callback',
    redirect_form: { kind: 'private_use', accepted: true, advice: 'thanks.io accepts this form; register it exactly as written.' },
    scope: null, revocation_url: `${site}/oauth/revoke`, has_client_secret: false, saved: name !== 'default',
  };
}
profiles.set('default', profileDefaults('default'));
profiles.set('Work', { ...profileDefaults('Work'), client_id: 'work-client-7781', has_client_secret: true, scope: 'orders recipients' });

const now = Date.now();
const baseToken: Token = { auth: 'oauth', expiresAtMs: now + 3540_000, refresh: true, rejected: false, obtainedAt: iso(now - 60_000), lastRefresh: null };
switch (scenario) {
  case 'connected': tokens.set('default', { ...baseToken, lastRefresh: { at: iso(now - 60_000), ok: true, code: null, error: null } }); break;
  case 'expires_soon': tokens.set('default', { ...baseToken, expiresAtMs: now + 185_000 }); break;
  case 'expired': tokens.set('default', { ...baseToken, expiresAtMs: now - 120_000, refresh: false }); break;
  case 'needs_reconnect':
    tokens.set('default', { ...baseToken, expiresAtMs: now - 600_000, rejected: true, lastRefresh: {
      at: iso(now - 300_000), ok: false, code: 'token.invalid_grant',
      error: 'thanks.io refused the sign-in code or refresh token (invalid_grant): it was already used, expired or revoked; connect again',
    } });
    break;
  case 'personal': tokens.set('default', { ...baseToken, auth: 'personal_token', expiresAtMs: null, refresh: false }); break;
  case 'keyring_error': break;
}

function status(profile: string): StatusView {
  const t = tokens.get(profile);
  const keyring = scenario === 'keyring_error'
    ? { backend: 'Secret Service', ok: false, code: 'keyring.unavailable', error: 'no keyring is running (Secret Service not found); tokens cannot be stored' }
    : { backend: 'Secret Service (gnome-keyring)', ok: true, code: null, error: null };
  if (!t) {
    return { profile, state: 'disconnected', auth: null, expires_at: null, expires_in_secs: null, has_refresh_token: false,
      token_type: null, scope: null, obtained_at: null, last_refresh: null, keyring, reconnect_reason: null };
  }
  const left = t.expiresAtMs === null ? null : Math.round((t.expiresAtMs - Date.now()) / 1000);
  return {
    profile, auth: t.auth,
    state: t.rejected ? 'needs_reconnect' : left !== null && left <= 0 ? 'expired' : 'connected',
    expires_at: t.expiresAtMs === null ? null : iso(t.expiresAtMs), expires_in_secs: left,
    has_refresh_token: t.refresh, token_type: 'Bearer', scope: profiles.get(profile)?.scope ?? null,
    obtained_at: t.obtainedAt, last_refresh: t.lastRefresh, keyring, reconnect_reason: null,
  };
}

const consoleWaits = new Map<string, () => void>();
/** The last few bodies by request id, as Rust keeps them, for response_body. */
const bodies = new Map<string, ArrayBuffer>();

function keepBody(requestId: string, bytes: ArrayBuffer): void {
  bodies.delete(requestId);
  bodies.set(requestId, bytes);
  for (const id of bodies.keys()) if (bodies.size > 8) bodies.delete(id);
}

function utf8(text: string): ArrayBuffer {
  const bytes = new TextEncoder().encode(text);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Like Rust's console_send: the response without its body, which response_body hands over. */
async function consoleSend(a: Args): Promise<Omit<ResponseView, 'body'>> {
  const spec = a['spec'] as RequestSpec;
  const profile = String(a['profile']);
  const t = tokens.get(profile);
  if (!t) return reject('session.not_connected', `profile "${profile}" is not connected; click Connect (or run \`thanksctl login\`)`);
  const cancelled = new Promise<'cancelled'>((resolve) => consoleWaits.set(String(a['requestId']), () => resolve('cancelled')));
  const outcome = await Promise.race([sleep(spec.path.includes('slow') ? 15_000 : 450), cancelled]);
  consoleWaits.delete(String(a['requestId']));
  if (outcome === 'cancelled') return reject('api.cancelled', 'the request was cancelled');
  const base = profiles.get(profile)?.api_base ?? '';
  const qs = spec.query.length ? '?' + spec.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&') : '';
  const url = /^https?:/.test(spec.path) ? `${spec.path}${qs}` : `${base}${spec.path}${qs}`;
  if (await refusedWithoutConfirmation(a, base)) {
    return reject('guard.needs_confirmation', 'this request can print, mail or charge money; check its estimate and confirm it first');
  }
  const { status: code, reason, body, headers = [] } = answer(spec, base);
  // The bench body's bytes are made before the benchmark starts timing (bench/driver.ts).
  const bytes = spec.path === '/bench/big' ? bigBodyBytes(Number(new Map(spec.query).get('mb') ?? 10)) : utf8(body);
  const view: ResponseView = {
    method: spec.method, url,
    request_headers: [['accept', 'application/json'], ['authorization', 'Bearer ••••••'], ['user-agent', 'ThanksConnect/0.1.0'], ...spec.headers],
    status: code, reason,
    headers: [
      ['content-type', 'application/json'], ['date', new Date().toUTCString()], ['x-ratelimit-limit', '60'],
      ...(headers.some(([k]) => k === 'x-ratelimit-remaining') ? [] : [['x-ratelimit-remaining', '58'] as [string, string]]), ...headers,
    ],
    body, size: bytes.byteLength,
    timings: { ttfb_ms: 182, total_ms: 214 }, refreshed: false, history_id: null,
  };
  view.history_id = record(profile, spec, url, view, null);
  keepBody(String(a['requestId']), bytes);
  const { body: _body, ...head } = view;
  return head;
}

function startLogin(profile: string): LoginView {
  const view: LoginView = {
    pending_id: crypto.randomUUID(), profile, expires_at: Math.floor(Date.now() / 1000) + loginTtl,
    browser_opened: loginMode !== 'no_browser',
    browser_error: loginMode === 'no_browser' ? 'No web browser could be opened on this computer (xdg-open is not installed).' : null,
  };
  if (loginMode === 'ok' || loginMode === 'declined') {
    setTimeout(() => {
      if (!logins.has(view.pending_id)) return;
      logins.delete(view.pending_id);
      if (loginMode === 'ok') tokens.set(profile, { ...baseToken, expiresAtMs: Date.now() + 3600_000, obtainedAt: iso(Date.now()) });
      const e: AuthChanged = loginMode === 'ok'
        ? { profile, pending_id: view.pending_id, ok: true, code: null, message: null, status: status(profile) }
        : { profile, pending_id: view.pending_id, ok: false, code: 'auth.declined', message: 'you declined access on thanks.io, so nothing was connected', status: null };
      emit('auth:changed', e);
    }, 3000);
  }
  logins.add(view.pending_id);
  return view;
}
const logins = new Set<string>();

function saveProfile(a: Args): Promise<ProfileView> | ProfileView {
  const name = String(a['name']);
  const s = a['settings'] as Record<string, string>;
  for (const key of ['authorize_url', 'token_url', 'api_base']) {
    const v = s[key] ?? '';
    if (!/^https:\/\//.test(v) && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(v)) {
      return reject('input.invalid', `${key}: must be an https URL (http only for 127.0.0.1 or localhost)`, key);
    }
  }
  const old = profiles.get(name) ?? profileDefaults(name);
  const view: ProfileView = {
    ...old, authorize_url: s['authorize_url'] ?? '', token_url: s['token_url'] ?? '', api_base: s['api_base'] ?? '',
    client_id: s['client_id'] ?? '', redirect_uri: s['redirect_uri'] ?? '', scope: s['scope'] || null,
    has_client_secret: old.has_client_secret || !!a['clientSecret'], saved: true,
  };
  profiles.set(name, view);
  return view;
}

const commands: Record<string, (a: Args) => unknown> = {
  app_info: (): AppInfo => ({
    version: '0.1.0', scheme: 'dev.thanksconnect.app', default_redirect_uri: 'dev.thanksconnect.app://oauth/callback', login_hint_after_secs: 60,
    config_home: '/home/ada/.config/thanks-connect', log_dir: '/home/ada/.local/state/thanks-connect/logs',
    sandbox_base_url: sandboxUrl, last_profile: prefs.last_profile, last_panel: prefs.last_panel, theme: prefs.theme, console_split: prefs.console_split,
    last_auth: null, history_notice: historyNotice, close_to_tray: false, pid: 4242,
  }),
  app_painted: () => undefined,
  ui_prefs_set: (a) => {
    Object.assign(prefs, 'lastProfile' in a ? { last_profile: a['lastProfile'] } : {}, 'lastPanel' in a ? { last_panel: a['lastPanel'] } : {},
      'theme' in a ? { theme: a['theme'] } : {}, 'consoleSplit' in a ? { console_split: a['consoleSplit'] } : {});
  },
  profile_list: () => [...profiles.keys()],
  profile_get: (a) => profiles.get(String(a['name'])) ?? reject('profile.not_found', `there is no profile named "${String(a['name'])}"`),
  profile_save: saveProfile,
  profile_remove: (a) => { profiles.delete(String(a['name'])); tokens.delete(String(a['name'])); },
  auth_start: (a) => {
    const p = profiles.get(String(a['profile']));
    if (p && !p.client_id) return reject('profile.incomplete', `profile "${p.name}" has no client id yet; set it in the profile settings (\`thanksctl profile set\`)`);
    return startLogin(String(a['profile']));
  },
  auth_cancel: (a) => { logins.delete(String(a['pendingId'])); },
  auth_copy_url: () => ({ clears_in_secs: 45 }),
  auth_paste: (a) => String(a['url']).includes('state=')
    ? (tokens.set('default', { ...baseToken }), status('default'))
    : reject('auth.state_missing', 'the callback has no state parameter, so it can\'t be tied to a login; start Connect again'),
  auth_with_token: (a) => {
    tokens.set(String(a['profile']), { ...baseToken, auth: 'personal_token', expiresAtMs: null, refresh: false });
    return status(String(a['profile']));
  },
  auth_logout: (a) => { tokens.delete(String(a['profile'])); return status(String(a['profile'])); },
  token_status: (a) => status(String(a['profile'])),
  token_refresh: async (a) => {
    await sleep(600);
    const t = tokens.get(String(a['profile']));
    if (!t) return reject('session.not_connected', 'this profile is not connected; click Connect');
    Object.assign(t, { expiresAtMs: Date.now() + 3600_000, lastRefresh: { at: iso(Date.now()), ok: true, code: null, error: null } });
    return status(String(a['profile']));
  },
  token_validate: async () => {
    await sleep(400);
    return { endpoint: 'GET https://api.thanks.io/api/v2/ping', status: 200, ok: true, ms: 132, message: 'thanks.io accepted the token.' };
  },
  token_copy: () => ({ clears_in_secs: 45 }),
  profile_copy_redirect: () => undefined,
  // The support desk: every profile from the fake token store, a short timeline, a report.
  accounts_list: () => {
    const accounts = [...profiles.keys()].map((name) => ({
      ...status(name), api_base: profiles.get(name)?.api_base ?? '',
      last_call: tokens.has(name) ? { at: iso(Date.now() - 90_000), age_secs: 90, actor: { process: 'thanksctl', pid: 777 }, status: 200, code: null } : null,
    }));
    const bad = accounts.filter((a) => a.state === 'needs_reconnect' || a.state === 'expired').map((a) => `${a.profile} (${a.state.replace('_', ' ')})`);
    const text = bad.length ? `needs attention: ${bad.join(', ')}` : `all ${accounts.length} accounts connected`;
    return { keyring: status('default').keyring, accounts, summary: { level: bad.length ? 'error' : 'ok', text, tooltip: `Thanks Connect: ${text}` } };
  },
  events_list: (a) => {
    const profile = String(a['profile'] ?? 'default');
    if (!tokens.has(profile)) return [];
    const at = (ago: number) => ({ at: Math.floor((Date.now() - ago) / 1000), time: iso(Date.now() - ago) });
    return [
      { profile, ...at(3600_000), kind: 'login_started', ok: true, actor: { process: 'app', pid: 4242 } },
      { profile, ...at(3590_000), kind: 'login_completed', ok: true, actor: { process: 'app', pid: 4242 } },
      { profile, ...at(60_000), kind: 'refreshed', ok: true, trigger: 'proactive', actor: { process: 'thanksctl', pid: 777 } },
    ];
  },
  report_get: () => ({ text: 'Thanks Connect diagnostic report\n================================\n  Made by         the dev mock\n', file_name: 'thanks-connect-report.txt' }),
  report_copy: () => undefined,
  report_save: () => ({ saved: false, path: null }),
  console_send: consoleSend,
  console_cancel: (a) => { consoleWaits.get(String(a['requestId']))?.(); },
  response_body: (a) => bodies.get(String(a['requestId'])) ?? reject('console.response_gone', 'That response is no longer kept; send the request again.'),
  endpoints_list: () => ENDPOINTS,
  ...kitCommands((profile) => profiles.get(String(profile))?.api_base ?? ''),
  sandbox_start: async () => {
    await sleep(500);
    sandboxUrl = 'http://127.0.0.1:47613';
    profiles.set('Sandbox (local)', { ...profileDefaults('Sandbox (local)', `${sandboxUrl}/api/v2`, sandboxUrl), client_id: 'sandbox-client', saved: true });
    return { base_url: sandboxUrl, profile: 'Sandbox (local)' };
  },
};

// ---- the bits of Tauri's internals that @tauri-apps/api/core and /event call ----

const callbacks = new Map<number, (payload: unknown) => void>();
const listeners = new Map<string, number[]>();
let nextId = 1;
const calls: { cmd: string; args: Args }[] = [];

function emit(event: string, payload: unknown): void {
  for (const id of listeners.get(event) ?? []) callbacks.get(id)?.({ event, id, payload });
}

async function invoke(cmd: string, args: Args = {}): Promise<unknown> {
  calls.push({ cmd, args });
  if (cmd === 'plugin:event|listen') {
    const event = String(args['event']);
    listeners.set(event, [...(listeners.get(event) ?? []), Number(args['handler'])]);
    return Number(args['handler']);
  }
  if (cmd === 'plugin:event|unlisten') return undefined;
  const fn = commands[cmd];
  if (!fn) return reject('ipc.unknown', `mock: no command ${cmd}`);
  await sleep(40);
  return fn(args);
}

Object.assign(window, {
  __TAURI_INTERNALS__: {
    invoke,
    transformCallback: (cb: (p: unknown) => void) => { const id = nextId++; callbacks.set(id, cb); return id; },
    unregisterCallback: (id: number) => callbacks.delete(id),
  },
  __TAURI_EVENT_PLUGIN_INTERNALS__: { unregisterListener: () => undefined },
  __mock: { emit, calls, tokens, status, kit, bigBody, bigBodyBytes },
});
