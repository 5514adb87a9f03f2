//! The one door between the window and Rust: the only module that imports `@tauri-apps/api`.
//! It mirrors the IPC contract (snake_case fields, as Rust sends them), gives every command a
//! typed function, and turns every rejection into an `IpcError` the rest of the UI can switch on
//! by `code`. It never sees a token value: Rust keeps those and sends status views instead.

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { decodeInSlices } from './jsonview/utf8';
import * as startup from './startup';
import type { PageTimeline } from './startup';

// ---- views Rust sends ----

export type TokenState = 'connected' | 'expired' | 'needs_reconnect' | 'rejected' | 'disconnected';
export type AuthKind = 'oauth' | 'personal_token';

/** Which process did something, as the timeline names it (`app`, `thanksctl`, …). */
export interface Actor { process: string; pid: number }
export type Trigger = 'proactive' | 'after_401' | 'manual' | 'background';

export interface LastRefresh {
  at: string;
  ok: boolean;
  code: string | null;
  error: string | null;
  /** Absent in metadata written before the timeline existed. */
  by?: Actor | null;
  trigger?: Trigger | null;
}
export interface KeyringView { backend: string; ok: boolean; code: string | null; error: string | null }

export interface StatusView {
  profile: string;
  state: TokenState;
  auth: AuthKind | null;
  expires_at: string | null;
  expires_in_secs: number | null;
  has_refresh_token: boolean;
  token_type: string | null;
  scope: string | null;
  obtained_at: string | null;
  last_refresh: LastRefresh | null;
  keyring: KeyringView;
  /** Why the profile needs reconnecting when its endpoints or client changed since. */
  reconnect_reason: string | null;
}

export interface ProfileView {
  name: string;
  authorize_url: string;
  token_url: string;
  api_base: string;
  client_id: string;
  redirect_uri: string;
  /** False when the profile follows this build's default redirect URI. */
  redirect_uri_custom: boolean;
  default_redirect_uri: string;
  /** Whether thanks.io will register `redirect_uri`, and what to do otherwise. */
  redirect_form: RedirectForm;
  scope: string | null;
  revocation_url: string | null;
  has_client_secret: boolean;
  saved: boolean;
}

/** Rust's `redirect_form::RedirectForm`, as serialized. */
export interface RedirectForm {
  kind: 'private_use' | 'private_use_single_slash' | 'loopback_ip' | 'localhost' | 'https' | 'unusable';
  accepted: boolean;
  advice: string;
}

/** What the settings form saves; an empty `scope` clears it. */
export interface ProfileSettings {
  authorize_url: string;
  token_url: string;
  api_base: string;
  client_id: string;
  redirect_uri: string;
  scope: string;
}

export interface AppInfo {
  version: string;
  scheme: string;
  default_redirect_uri: string;
  /** Seconds a sign-in waits before the window says what usually causes a wait (tests shorten it). */
  login_hint_after_secs: number;
  config_home: string;
  log_dir: string;
  sandbox_base_url: string | null;
  last_profile: string | null;
  last_panel: string | null;
  /** "system" | "light" | "dark"; null when never chosen (like the system). */
  theme: string | null;
  /** The console's request pane share of the width (0–1); null when never moved. */
  console_split: number | null;
  /** The last sign-in outcome, when it happened before the window listened (a cold start). */
  last_auth: AuthChanged | null;
  /** A damaged history database was moved aside at start-up; say so once. */
  history_notice: string | null;
  /** Closing the window keeps the app in the tray. */
  close_to_tray: boolean;
  /** The app's process id: a timeline entry with this pid was this window's doing. */
  pid: number;
}

export interface LoginView {
  pending_id: string;
  profile: string;
  /** Unix seconds. */
  expires_at: number;
  browser_opened: boolean;
  browser_error: string | null;
}

export interface ValidateView { endpoint: string; status: number; ok: boolean; ms: number; message: string; refreshed: boolean }

/** One row of the Accounts view: the profile's status plus its API base and last API call. */
export interface AccountView extends StatusView {
  api_base: string;
  last_call: { at: string; age_secs: number; actor: Actor; status: number | null; code: string | null } | null;
}

export type AlertLevel = 'idle' | 'ok' | 'warning' | 'error';

/** Every profile at once, and the tray's summary of them (`accounts_list`, `accounts:changed`). */
export interface AccountsPanel {
  keyring: KeyringView;
  accounts: AccountView[];
  summary: { level: AlertLevel; text: string; tooltip: string };
}

export type EventKind =
  | 'login_started' | 'login_completed' | 'login_failed' | 'refreshed' | 'refresh_failed'
  | 'needs_reconnect' | 'disconnected' | 'personal_token_saved' | 'token_copied' | 'validated';

/** A timeline event: never a secret, only kinds, codes, statuses and plain words. */
export interface EventView {
  profile: string;
  time: string;
  at: number;
  kind: EventKind;
  ok: boolean;
  actor: Actor;
  trigger?: Trigger;
  code?: string;
  status?: number;
  message?: string;
}

export interface Report { text: string; file_name: string }

export type Pair = [string, string];

export interface RequestSpec { method: string; path: string; query: Pair[]; headers: Pair[]; body: string | null }

export interface ResponseView {
  method: string;
  url: string;
  request_headers: Pair[];
  status: number;
  reason: string;
  headers: Pair[];
  body: string;
  size: number;
  timings: { ttfb_ms: number; total_ms: number };
  refreshed: boolean;
  /** The history entry recording this request; null when the history is unavailable. */
  history_id: number | null;
}

export type ParamType = 'string' | 'integer' | 'boolean' | 'array' | 'object' | 'number';
export interface Param { name: string; required: boolean; type: ParamType; allowed?: string[]; description: string }

/** A catalog entry (`endpoints_list`). */
export interface Endpoint {
  method: string;
  path: string;
  purpose: string;
  costs_money: boolean;
  needs_auth: boolean;
  status: 'current' | 'legacy' | 'undocumented';
  path_params: Param[];
  query_params: Param[];
  body_params: Param[];
  required_one_of?: string[][];
  body_is_array?: boolean;
  estimate_path?: string;
  body_template?: unknown;
}

export interface Mailer { id: string; title: string; description: string; send_path: string; estimate_path: string; body: unknown }

export interface Spelling { names: 'current' | 'legacy' | 'mixed' | 'neither'; legacy_fields: string[]; current_fields: string[] }
export interface Guard { guarded: boolean; reason: string | null; estimate_path: string | null; even_in_test_mode: boolean }
export interface Inspection {
  /** Null when the body isn't JSON. */
  spelling: Spelling | null;
  guard: Guard;
  /** The catalog entry matching method and path. */
  endpoint: Endpoint | null;
}

export interface EstimateView {
  total_cost_in_cents: number;
  total_cost: string;
  current_balance_in_cents: number | null;
  covered_by_balance: boolean | null;
  test_mode: boolean | null;
  total_recipients: number | null;
  pending_email_lookups: number | null;
}

export interface CostCheck {
  guarded: boolean;
  reason: string | null;
  estimate_path: string | null;
  estimate: EstimateView | null;
  estimate_error: string | null;
  estimate_status: number | null;
  send_would_be_refused: boolean;
  test_mode: boolean | null;
  even_in_test_mode: boolean;
  local_server: boolean;
  needs_confirmation: boolean;
  /** When `needs_confirmation`: the one-time id that lets this very request be sent, once. */
  confirmation: string | null;
}

export interface HistorySummary {
  id: number;
  /** Unix seconds. */
  at: number;
  profile: string;
  method: string;
  url: string;
  status: number | null;
  reason: string;
  size: number;
  total_ms: number | null;
  error: { code: string; message: string } | null;
  /** The request body asked for a preview (`"preview": true`). */
  preview: boolean;
  /** The order the response created (`id`, `data.id` or `order.id`), if any. */
  order_id: string | null;
  /** The URL relative to the profile's API base (like the console's path), or the whole URL. */
  path: string;
}

export interface HistoryEntry extends Omit<HistorySummary, 'path' | 'preview' | 'order_id'> {
  request_headers: Pair[];
  request_body: string | null;
  request_body_truncated: boolean;
  response_headers: Pair[];
  response_body: string | null;
  response_body_truncated: boolean;
  ttfb_ms: number | null;
}

export interface HistoryQuery { text?: string | null; profile?: string | null; limit?: number; offset?: number }

export interface CurlImport {
  spec: RequestSpec;
  /** Would have changed the request, not taken over (named, never their values). */
  unsupported: string[];
  /** Only change how curl itself runs (`--compressed`, `--retry`), left out. */
  ignored: string[];
  /** The address re-pointed at the profile's API, or not on it. */
  notes: string[];
}
export interface SandboxView { base_url: string; profile: string }

export interface AuthChanged {
  profile: string;
  pending_id: string | null;
  ok: boolean;
  code: string | null;
  message: string | null;
  status: StatusView | null;
}

/** What a setup (file or link) would create; no secret in it. */
export interface SetupPreview {
  profile: string;
  source: 'file' | 'link' | 'company';
  authorize_url: string;
  token_url: string;
  api_base: string;
  client_id: string;
  redirect_uri: string;
  scope: string | null;
  endpoints: 'thanks_io' | 'local_sandbox' | 'other';
  /** A warning (endpoints not thanks.io's) or a note (the local sandbox). */
  endpoints_note: string | null;
  asks_for: 'none' | 'passphrase' | 'client_secret';
  exists: boolean;
}

/** A setup to confirm (`id` + `preview`), or why one can't be used (`error`). */
export interface SetupOffer {
  id: string | null;
  preview: SetupPreview | null;
  error: { code: string; message: string } | null;
}

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skipped';
export interface DoctorCheck {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  fix: string | null;
  /** A fix the app can make itself, e.g. "register_link_handler". */
  action: string | null;
}
export interface DoctorReport { ok: boolean; profile: string | null; checks: DoctorCheck[] }

// ---- errors ----

/** Every command rejects with `{code, message, field?}`; `message` is already plain words. */
export class IpcError extends Error {
  readonly code: string;
  readonly field: string | undefined;

  constructor(code: string, message: string, field?: string) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
    this.field = field;
  }
}

function toIpcError(raw: unknown): IpcError {
  if (raw instanceof IpcError) return raw;
  if (raw && typeof raw === 'object') {
    const r = raw as { code?: unknown; message?: unknown; field?: unknown };
    if (typeof r.code === 'string' && typeof r.message === 'string') {
      return new IpcError(r.code, r.message, typeof r.field === 'string' ? r.field : undefined);
    }
  }
  // Only reachable when the shell misbehaves (a command that isn't registered or allowed
  // rejects with a bare string) or the page runs outside Tauri.
  if (typeof raw === 'string' && raw) return new IpcError('ipc.failed', raw);
  if (typeof (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__ === 'undefined') {
    return new IpcError('ipc.unavailable', 'This page is not running inside Thanks Connect, so it cannot reach the app.');
  }
  return new IpcError('ipc.failed', 'The app did not answer as expected; try again, and check the log if it keeps happening.');
}

/** The words to show for any failure: Rust's message, or a generic line for a bug here. */
export function errorText(e: unknown): string {
  if (e instanceof IpcError) return e.message;
  console.error(e);
  return 'Something unexpected went wrong in this window; try again.';
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  const done = startup.span(cmd);
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toIpcError(e);
  } finally {
    done();
  }
}

// ---- commands (args are camelCase: Tauri maps them onto Rust's snake_case parameters) ----

export const appInfo = () => call<AppInfo>('app_info');
/** Tells Rust the first meaningful paint happened at `atUnixMs` (logged once; never fails). */
export const appPainted = (atUnixMs: number, timeline?: PageTimeline) =>
  call<void>('app_painted', { atUnixMs, timeline }).catch(() => undefined);
/** Only the keys given are changed. */
export const uiPrefsSet = (prefs: { lastProfile?: string | null; lastPanel?: string | null; theme?: string; consoleSplit?: number; closeToTray?: boolean }) =>
  call<void>('ui_prefs_set', prefs);

export const profileList = () => call<string[]>('profile_list');
export const profileGet = (name: string) => call<ProfileView>('profile_get', { name });
/**
 * `clientSecret: null` keeps the stored secret. A change that disconnects a connected profile
 * is refused with `profile.disconnects` unless `disconnect` is true (the user agreed).
 */
export const profileSave = (name: string, settings: ProfileSettings, clientSecret: string | null, disconnect = false) =>
  call<ProfileView>('profile_save', { name, settings, clientSecret, disconnect });
export const profileRemove = (name: string) => call<void>('profile_remove', { name });

export const authStart = (profile: string) => call<LoginView>('auth_start', { profile });
export const authCancel = (pendingId: string) => call<void>('auth_cancel', { pendingId });
/** A copy holding a secret, cleared from the clipboard after `clears_in_secs` if still there. */
export interface Copied { clears_in_secs: number }

export const authCopyUrl = (pendingId: string) => call<Copied>('auth_copy_url', { pendingId });
export const authPaste = (url: string) => call<StatusView>('auth_paste', { url });
export const authWithToken = (profile: string, token: string) =>
  call<StatusView>('auth_with_token', { profile, token });
export const authLogout = (profile: string) => call<StatusView>('auth_logout', { profile });

export const tokenStatus = (profile: string) => call<StatusView>('token_status', { profile });
export const tokenRefresh = (profile: string) => call<StatusView>('token_refresh', { profile });
export const tokenValidate = (profile: string) => call<ValidateView>('token_validate', { profile });
export const tokenCopy = (profile: string) => call<Copied>('token_copy', { profile });
/** Rust copies the saved profile's redirect URI (what to register in thanks.io). */
export const profileCopyRedirect = (name: string) => call<void>('profile_copy_redirect', { name });

/**
 * Sends a console request; `confirmation`: the cost check's id, only after the user agreed in
 * the cost guard's dialog. The answer comes in two parts: `console_send` gives everything but
 * the body, then `response_body` the body as raw bytes (an ArrayBuffer: Tauri sends a
 * `tauri::ipc::Response` without JSON), decoded here in slices. A 10 MB body as a string
 * inside the JSON answer was decoded by the page in one task of ~200 ms.
 */
export async function consoleSend(profile: string, requestId: string, spec: RequestSpec, confirmation: string | null): Promise<ResponseView> {
  const head = await call<Omit<ResponseView, 'body'>>('console_send', { profile, requestId, spec, confirmation });
  const body = head.size === 0 ? '' : await decodeInSlices(await call<ArrayBuffer>('response_body', { requestId }));
  return { ...head, body };
}
export const consoleCancel = (requestId: string) => call<void>('console_cancel', { requestId });
// The console's catalog and the mailer kit: the first meaningful paint (the profile and its
// state) doesn't need them, so they are asked for after it rather than ahead of its calls.
export const endpointsList = () => startup.painted.then(() => call<Endpoint[]>('endpoints_list'));
export const mailersList = () => startup.painted.then(() => call<Mailer[]>('mailers_list'));
/** No network: spelling, guard and catalog entry of a request. */
export const consoleInspect = (spec: RequestSpec) => call<Inspection>('console_inspect', { spec });
/** Runs the matching estimate (network) when the request can print or charge. */
export const costCheck = (profile: string, spec: RequestSpec) => call<CostCheck>('cost_check', { profile, spec });

export const historyList = (query: HistoryQuery) => call<HistorySummary[]>('history_list', { query });
export const historyGet = (id: number) => call<HistoryEntry>('history_get', { id });
export const historyDelete = (id: number) => call<void>('history_delete', { id });
export const historyClear = () => call<void>('history_clear');
export const historyRerun = (id: number, profile: string) => call<RequestSpec>('history_rerun', { id, profile });

/** Rust copies the command (with the real token only if asked); the preview always says $THANKS_TOKEN. */
export const curlCopy = (profile: string, spec: RequestSpec, includeToken: boolean) =>
  call<{ preview: string; clears_in_secs: number | null }>('curl_copy', { profile, spec, includeToken });
export const curlImport = (profile: string, text: string) => call<CurlImport>('curl_import', { profile, text });

/** One image of a preview answer, fetched by Rust (no token sent) as a `data:` URL, or why not. */
export interface PreviewImage { url: string; data_url: string | null; problem: string | null }
/** The images of the kept answer `requestId` (only the addresses that answer returned). */
export const previewImages = (requestId: string) => call<PreviewImage[]>('preview_images', { requestId });
/** Opens image `index` of that answer in the system browser. */
export const previewOpen = (requestId: string, index: number) => call<void>('preview_open', { requestId, index });

export const responseCopy = (requestId: string) => call<void>('response_copy', { requestId });
/** Rust asks where to save; `saved` is false when the user cancelled the dialog. */
export const responseSave = (requestId: string) => call<{ saved: boolean; path: string | null }>('response_save', { requestId });

export const sandboxStart = () => call<SandboxView>('sandbox_start');

export const accountsList = () => call<AccountsPanel>('accounts_list');
/** One profile's timeline, or every profile's with no profile; oldest first. */
export const eventsList = (profile: string | null) => call<EventView[]>('events_list', { profile });
export const reportGet = () => call<Report>('report_get');
export const reportCopy = () => call<void>('report_copy');
/** Rust asks where to save; `saved` is false when the user cancelled the dialog. */
export const reportSave = () => call<{ saved: boolean; path: string | null }>('report_save');
/** A setup that arrived before the window listened (cold start by link or file), once. */
export const setupPending = () => call<SetupOffer | null>('setup_pending');
/** Rust shows the file dialog; null when cancelled. */
export const setupPick = () => call<SetupOffer | null>('setup_pick');
export const setupImport = (id: string, answers: { passphrase?: string | null; clientSecret?: string | null; replace: boolean }) =>
  call<ProfileView>('setup_import', { id, ...answers });
export const setupDismiss = (id: string) => call<void>('setup_dismiss', { id });
/** Rust asks where to save; the secret goes in only encrypted, and only with a passphrase. */
export const setupExport = (profile: string, passphrase: string | null) =>
  call<{ saved: boolean; path: string | null }>('setup_export', { profile, passphrase });
/** Rust copies the link (it never carries a secret) and returns it. */
export const setupLinkCopy = (profile: string) => call<string>('setup_link_copy', { profile });

export const doctorRun = (profile: string | null) => call<DoctorReport>('doctor_run', { profile });
export const doctorFix = (action: string, profile: string | null) => call<DoctorReport>('doctor_fix', { action, profile });

// ---- events ----

export type Unlisten = () => void;

async function subscribe<T>(event: string, handler: (payload: T) => void): Promise<Unlisten> {
  const done = startup.span(`listen ${event}`);
  try {
    return await listen<T>(event, (e) => handler(e.payload));
  } catch (e) {
    throw toIpcError(e);
  } finally {
    done();
  }
}

export const onAuthChanged = (handler: (e: AuthChanged) => void) => subscribe('auth:changed', handler);
export const onTokenChanged = (handler: (s: StatusView) => void) => subscribe('token:changed', handler);
/** Another process (or this one) changed a profile: every profile's state, read once. */
export const onAccountsChanged = (handler: (p: AccountsPanel) => void) => subscribe('accounts:changed', handler);
/** A desktop notification about `profile` was clicked: show that profile. */
export const onNotificationClicked = (handler: (e: { profile: string }) => void) => subscribe('notification:clicked', handler);
export const onSetupOffered = (handler: (o: SetupOffer) => void) => subscribe('setup:offered', handler);
