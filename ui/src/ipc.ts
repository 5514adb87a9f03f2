//! The one door between the window and Rust: the only module that imports `@tauri-apps/api`.
//! It mirrors the IPC contract (snake_case fields, as Rust sends them), gives every command a
//! typed function, and turns every rejection into an `IpcError` the rest of the UI can switch on
//! by `code`. It never sees a token value: Rust keeps those and sends status views instead.

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';

// ---- views Rust sends ----

export type TokenState = 'connected' | 'expired' | 'needs_reconnect' | 'disconnected';
export type AuthKind = 'oauth' | 'personal_token';

export interface LastRefresh { at: string; ok: boolean; code: string | null; error: string | null }
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
}

export interface ProfileView {
  name: string;
  authorize_url: string;
  token_url: string;
  api_base: string;
  client_id: string;
  redirect_uri: string;
  scope: string | null;
  revocation_url: string | null;
  has_client_secret: boolean;
  saved: boolean;
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
  config_home: string;
  log_dir: string;
  sandbox_base_url: string | null;
  last_profile: string | null;
  last_panel: string | null;
  /** The last sign-in outcome, when it happened before the window listened (a cold start). */
  last_auth: AuthChanged | null;
}

export interface LoginView {
  pending_id: string;
  profile: string;
  /** Unix seconds. */
  expires_at: number;
  browser_opened: boolean;
  browser_error: string | null;
}

export interface ValidateView { endpoint: string; status: number; ok: boolean; ms: number; message: string }

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
}

export interface EndpointView { method: string; path: string; purpose: string }
export interface SandboxView { base_url: string; profile: string }

export interface AuthChanged {
  profile: string;
  pending_id: string | null;
  ok: boolean;
  code: string | null;
  message: string | null;
  status: StatusView | null;
}

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
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

// ---- commands (args are camelCase: Tauri maps them onto Rust's snake_case parameters) ----

export const appInfo = () => call<AppInfo>('app_info');
export const uiPrefsSet = (prefs: { lastProfile?: string | null; lastPanel?: string | null }) =>
  call<void>('ui_prefs_set', prefs);

export const profileList = () => call<string[]>('profile_list');
export const profileGet = (name: string) => call<ProfileView>('profile_get', { name });
/** `clientSecret: null` keeps the stored secret. */
export const profileSave = (name: string, settings: ProfileSettings, clientSecret: string | null) =>
  call<ProfileView>('profile_save', { name, settings, clientSecret });
export const profileRemove = (name: string) => call<void>('profile_remove', { name });

export const authStart = (profile: string) => call<LoginView>('auth_start', { profile });
export const authCancel = (pendingId: string) => call<void>('auth_cancel', { pendingId });
export const authCopyUrl = (pendingId: string) => call<void>('auth_copy_url', { pendingId });
export const authPaste = (url: string) => call<StatusView>('auth_paste', { url });
export const authWithToken = (profile: string, token: string) =>
  call<StatusView>('auth_with_token', { profile, token });
export const authLogout = (profile: string) => call<StatusView>('auth_logout', { profile });

export const tokenStatus = (profile: string) => call<StatusView>('token_status', { profile });
export const tokenRefresh = (profile: string) => call<StatusView>('token_refresh', { profile });
export const tokenValidate = (profile: string) => call<ValidateView>('token_validate', { profile });
export const tokenCopy = (profile: string) => call<void>('token_copy', { profile });

export const consoleSend = (profile: string, requestId: string, spec: RequestSpec) =>
  call<ResponseView>('console_send', { profile, requestId, spec });
export const consoleCancel = (requestId: string) => call<void>('console_cancel', { requestId });
export const endpointsList = () => call<EndpointView[]>('endpoints_list');

export const sandboxStart = () => call<SandboxView>('sandbox_start');

// ---- events ----

export type Unlisten = () => void;

async function subscribe<T>(event: string, handler: (payload: T) => void): Promise<Unlisten> {
  try {
    return await listen<T>(event, (e) => handler(e.payload));
  } catch (e) {
    throw toIpcError(e);
  }
}

export const onAuthChanged = (handler: (e: AuthChanged) => void) => subscribe('auth:changed', handler);
export const onTokenChanged = (handler: (s: StatusView) => void) => subscribe('token:changed', handler);
