//! What the whole window agrees on: the profile list, the current profile, its settings and its
//! token status, each as a tiny observable so panels re-render when it changes. Also the status
//! clock: the countdown ticks locally every second from `expires_in_secs` (no IPC per tick) and
//! the status is fetched again when it runs out and every 30 seconds.

import * as ipc from './ipc';
import type { AppInfo, ProfileView, StatusView } from './ipc';

export type Listener<T> = (value: T) => void;

export class Observable<T> {
  private listeners = new Set<Listener<T>>();
  constructor(private current: T) {}

  get value(): T { return this.current; }

  set(value: T): void {
    this.current = value;
    for (const fn of this.listeners) fn(value);
  }

  subscribe(fn: Listener<T>): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** A status together with when it arrived, so the remaining time can be computed locally. */
export interface TimedStatus { view: StatusView; receivedAt: number }

/**
 * What the badges say. Beyond Rust's states: *expires soon* only for a token nothing can renew;
 * an expired token with a refresh token is *renewing* (the app renews it by itself, so it is
 * never shown as an alarm); a renewal of the current token that failed is *renewal failed* (a
 * warning: the app retries by itself).
 */
export type BadgeState = 'connected' | 'expires_soon' | 'renewing' | 'renew_failed' | 'expired' | 'needs_reconnect' | 'rejected' | 'disconnected'
  // No status yet (the window starting, another profile chosen), or it couldn't be read: the
  // badge says so rather than "Disconnected", which a connected profile isn't.
  | 'checking' | 'unknown';

export const BADGE_LABEL: Record<BadgeState, string> = {
  connected: 'Connected',
  expires_soon: 'Expires soon',
  renewing: 'Renewing…',
  renew_failed: 'Renewal failed',
  expired: 'Expired',
  needs_reconnect: 'Needs reconnect',
  rejected: 'Token rejected',
  disconnected: 'Disconnected',
  checking: 'Checking…',
  unknown: 'State unknown',
};

const EXPIRES_SOON_SECS = 5 * 60;
/** Rust renews this long before expiry (tokens.rs REFRESH_MARGIN_SECS), plus a little slack. */
const REFRESH_MARGIN_MS = 90_000;
const POLL_MS = 30_000;

export const info = new Observable<AppInfo | null>(null);
export const profiles = new Observable<string[]>(['default']);
export const currentProfile = new Observable<string>('default');
/** The visible panel's name, kept here only so `savePrefs` can send it along with the profile. */
export const panel = new Observable<string | null>(null);
export const profileView = new Observable<ProfileView | null>(null);
export const status = new Observable<TimedStatus | null>(null);
/** Fires every second; the countdowns listen to this instead of running their own timers. */
export const tick = new Observable<number>(0);
/** Why the current profile's settings could not be loaded; null when they were. */
export const profileError = new Observable<string | null>(null);
/** The last error from fetching the status, shown on the Token panel; null once it works again. */
export const statusError = new Observable<string | null>(null);

/** Seconds left on the access token right now, or null when it has no known expiry. */
export function remainingSecs(s: TimedStatus | null = status.value, now = performance.now()): number | null {
  if (!s || s.view.expires_in_secs === null) return null;
  return s.view.expires_in_secs - (now - s.receivedAt) / 1000;
}

export function badgeState(s: TimedStatus | null = status.value): BadgeState {
  if (!s) return statusError.value ? 'unknown' : 'checking';
  const { view } = s;
  const left = remainingSecs(s);
  const expired = view.state === 'expired' || (view.state === 'connected' && left !== null && left <= 0);
  if (view.state !== 'connected' && !expired) return view.state;
  // Renewing failed for this token (it may still work for a moment): a warning, retried by itself.
  if (view.has_refresh_token && renewalFailed(s)) return 'renew_failed';
  if (expired) return view.has_refresh_token ? 'renewing' : 'expired';
  if (left === null || view.has_refresh_token) return 'connected';
  return left < EXPIRES_SOON_SECS ? 'expires_soon' : 'connected';
}

/** The last renewal failed, and it was an attempt on this token (not one before it). */
export function renewalFailed(s: TimedStatus | null = status.value): boolean {
  const last = s?.view.last_refresh;
  if (!s || !last || last.ok || !s.view.expires_at) return false;
  return Date.parse(last.at) >= Date.parse(s.view.expires_at) - REFRESH_MARGIN_MS;
}

/** Counts the statuses accepted, so a read can tell that a newer one came while it was out. */
let accepted = 0;

/** Accepts a status from a command or an event; one for another profile is dropped. */
export function setStatus(view: StatusView): void {
  if (view.profile !== currentProfile.value) return;
  accepted += 1;
  status.set({ view, receivedAt: performance.now() });
  statusError.set(null);
}

/**
 * Reads the status again. A read that another status overtook while it was on its way (an
 * event after a sign-in, an action's answer) is dropped: Rust may have read the state before
 * that change, and setting it would put the old state back for a moment, which also sweeps
 * away the messages that belong to the new one ("Connected …", found by window test S2). What
 * the dropped read could have added comes anyway: Rust's watcher sends `token:changed` for every
 * change of a profile's tokens, by any process, and the clock reads again within 30 s.
 */
export async function refreshStatus(): Promise<void> {
  const profile = currentProfile.value;
  const before = accepted;
  try {
    const view = await ipc.tokenStatus(profile);
    if (accepted === before) setStatus(view);
  } catch (e) {
    if (profile === currentProfile.value) statusError.set(e instanceof ipc.IpcError ? e.message : String(e));
  }
}

export async function loadProfile(): Promise<void> {
  const name = currentProfile.value;
  try {
    const view = await ipc.profileGet(name);
    if (name === currentProfile.value) {
      profileView.set(view);
      profileError.set(null);
    }
  } catch (e) {
    if (name === currentProfile.value) profileError.set(ipc.errorText(e));
  }
}

export async function reloadProfiles(): Promise<string[]> {
  const names = await ipc.profileList();
  profiles.set(names);
  return names;
}

/**
 * Makes `name` the current profile, remembers it for the next start, and loads its settings
 * and status. Loading errors land in `profileError` / `statusError`, shown by the panels.
 */
export async function selectProfile(name: string, remember = true): Promise<void> {
  if (!profiles.value.includes(name)) await reloadProfiles();
  currentProfile.set(name);
  status.set(null);
  statusError.set(null);
  profileView.set(null);
  if (remember) savePrefs();
  await Promise.all([loadProfile(), refreshStatus()]);
}

/**
 * Remembers profile and panel for the next start. Both keys are always sent, so it doesn't
 * matter whether Rust reads a missing key as "keep" or "clear". Failing to store them is
 * only a lost convenience, never worth disturbing the user.
 */
export function savePrefs(): void {
  void ipc.uiPrefsSet({ lastProfile: currentProfile.value, lastPanel: panel.value }).catch(() => undefined);
}

export function startStatusClock(): void {
  let lastPoll = performance.now();
  let wasPositive = true;
  window.setInterval(() => {
    const now = performance.now();
    tick.set(now);
    const left = remainingSecs(status.value, now);
    const positive = left === null || left > 0;
    // Fetch once when the countdown crosses zero (Rust may have refreshed in the background),
    // not every second while it stays there.
    const crossedZero = wasPositive && !positive;
    wasPositive = positive;
    if (crossedZero || now - lastPoll >= POLL_MS) {
      lastPoll = now;
      void refreshStatus();
    }
  }, 1000);
  status.subscribe((s) => {
    const left = remainingSecs(s);
    wasPositive = left === null || left > 0;
  });
}
