//! The Connect flow on the Account panel: starts a browser sign-in, shows the waiting state
//! with its 10-minute countdown, offers Cancel (button or Escape) and, when no browser could be
//! opened, the start of the address plus a Copy button (Rust copies the full address: it carries
//! the one-time `state`, which never crosses IPC). The outcome arrives as `auth:changed`.
//! A sign-in still waiting after `app_info.login_hint_after_secs` (60 s; tests shorten it with
//! THANKS_CONNECT_LOGIN_HINT_SECS) says what usually causes the wait and offers the paste path.

import * as ipc from '../ipc';
import { busy, byId, message, setText, show } from '../dom';
import { formatClock } from '../format';
import { announce, hideToast, toast } from '../notify';
import * as state from '../state';

interface Pending { id: string; profile: string; expiresAtMs: number; startedAtMs: number }

const DEFAULT_HINT_AFTER_SECS = 60;

const EXPIRED_TEXT = 'This sign-in expired; click Connect to try again';

let pending: Pending | null = null;
/** True while `auth_start` is in flight: its outcome can arrive before it returns. */
let starting = false;
/** Outcomes that arrived for a login whose `auth_start` hadn't returned yet. */
const endedEarly = new Set<string>();
/** Logins that already ended here (cancelled or timed out), so a late failure event is not news. */
const endedHere = new Set<string>();

const el = {
  connect: () => byId<HTMLButtonElement>('btn-connect'),
  cancel: () => byId<HTMLButtonElement>('btn-cancel-login'),
  copyUrl: () => byId<HTMLButtonElement>('btn-copy-login-url'),
  waiting: () => byId('login-waiting'),
  countdown: () => byId('login-countdown'),
  browserFailed: () => byId('login-browser-failed'),
  browserError: () => byId('login-browser-error'),
  url: () => byId<HTMLInputElement>('login-url'),
  outcome: () => byId('login-message'),
  slow: () => byId('login-slow'),
  slowText: () => byId('login-slow-text'),
  toPaste: () => byId<HTMLButtonElement>('btn-login-paste'),
};

export function initLogin(): void {
  el.connect().addEventListener('click', () => void connect());
  el.cancel().addEventListener('click', () => void cancel());
  el.copyUrl().addEventListener('click', () => void copyUrl());
  el.waiting().addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      void cancel();
    }
  });
  el.url().addEventListener('focus', () => el.url().select());
  el.toPaste().addEventListener('click', goToPaste);
  state.tick.subscribe(renderCountdown);
  state.status.subscribe(renderConnectLabel);
}

/** Starts a sign-in for the current profile (also what Reconnect on the Token panel does). */
export async function connect(): Promise<void> {
  if (pending) return;
  const profile = state.currentProfile.value;
  message(el.outcome(), null);
  await busy(el.connect(), async () => {
    starting = true;
    try {
      const view = await ipc.authStart(profile);
      // A fast browser (or a script) can finish the sign-in before auth_start returns.
      if (endedEarly.has(view.pending_id)) return;
      pending = { id: view.pending_id, profile: view.profile, expiresAtMs: view.expires_at * 1000, startedAtMs: Date.now() };
      showWaiting(view);
    } catch (e) {
      report(ipc.errorText(e), 'error');
    } finally {
      starting = false;
      endedEarly.clear();
    }
  }, renderButtons);
}

function showWaiting(view: ipc.LoginView): void {
  show(el.waiting(), true);
  show(el.slow(), false);
  const failed = !view.browser_opened;
  show(el.browserFailed(), failed);
  if (failed) {
    el.browserError().textContent = view.browser_error ?? 'The browser could not be opened.';
    const base = state.profileView.value?.authorize_url ?? '';
    el.url().value = base ? `${base}?…` : '…';
    announce(`${el.browserError().textContent} Copy the sign-in address and open it in your browser.`, true);
    el.copyUrl().focus();
  } else {
    announce('Waiting for thanks.io in your browser. Press Escape to cancel.');
    el.cancel().focus();
  }
  renderCountdown();
}

function hideWaiting(): void {
  const hadFocus = el.waiting().contains(document.activeElement);
  pending = null;
  show(el.waiting(), false);
  renderButtons();
  if (hadFocus) el.connect().focus();
}

async function cancel(): Promise<void> {
  if (!pending) return;
  const { id } = pending;
  endedHere.add(id);
  hideWaiting();
  report('Sign-in cancelled.', 'info');
  try {
    await ipc.authCancel(id);
  } catch {
    // Already finished or expired on the Rust side: the event (if any) says what happened.
  }
}

/** A sign-in finished another way (the pasted callback address): stop waiting for the browser. */
export function signedInElsewhere(profile: string): void {
  if (pending && pending.profile === profile) hideWaiting();
}

async function copyUrl(): Promise<void> {
  if (!pending) return;
  const { id } = pending;
  await busy(el.copyUrl(), async () => {
    try {
      await ipc.authCopyUrl(id);
      toast('Sign-in address copied; paste it into your browser.');
    } catch (e) {
      toast(ipc.errorText(e), 'error');
    }
  });
}

function renderCountdown(): void {
  if (!pending) return;
  const left = (pending.expiresAtMs - Date.now()) / 1000;
  if (left <= 0) {
    endedHere.add(pending.id);
    hideWaiting();
    report(EXPIRED_TEXT, 'error');
    return;
  }
  setText(el.countdown(), `This sign-in expires in ${formatClock(left)}.`);
  renderSlowHint(pending);
}

/** After a minute the browser has usually either come back or got stuck: say why it gets stuck. */
function renderSlowHint(p: Pending): void {
  const after = state.info.value?.login_hint_after_secs ?? DEFAULT_HINT_AFTER_SECS;
  if (Date.now() - p.startedAtMs < after * 1000 || !el.slow().hidden) return;
  const redirect = state.profileView.value?.redirect_uri ?? 'the redirect URI in Profile settings';
  const text =
    `Still waiting? Usually either thanks.io didn’t send the browser back, because its OAuth client doesn’t have exactly ${redirect} as a redirect URI, ` +
    'or the browser blocked opening Thanks Connect (look for a prompt or a blocked pop-up). ' +
    'If the browser shows an address that starts with the redirect URI, paste it here instead.';
  el.slowText().textContent = text;
  show(el.slow(), true);
  announce(text);
}

/** The last resort: the pasted address (its form is on this panel). */
function goToPaste(): void {
  const input = byId<HTMLInputElement>('paste-callback');
  input.scrollIntoView({ block: 'center' });
  input.focus();
}

/** The outcome of a sign-in, whoever started it (this window, a deep link, a paste). */
export function onAuthChanged(e: ipc.AuthChanged): void {
  // The OS may deliver the same deep link twice; the second delivery is not news.
  if (e.code === 'auth.state_used') return;
  if (e.status) state.setStatus(e.status);
  else if (e.ok && e.profile === state.currentProfile.value) void state.refreshStatus();

  if (!e.ok && e.pending_id && endedHere.has(e.pending_id)) return;
  if (starting && !pending && e.pending_id) endedEarly.add(e.pending_id);
  if (pending && (e.pending_id === pending.id || (e.pending_id === null && e.profile === pending.profile))) {
    hideWaiting();
  }
  if (e.ok) {
    hideToast();
    report(e.message ?? `Connected: profile “${e.profile}” is signed in to thanks.io.`, 'ok');
  } else {
    report(e.message ?? 'The sign-in did not complete; click Connect to try again.', 'error');
  }
}

function report(text: string, kind: 'ok' | 'error' | 'info'): void {
  const line = sentence(text);
  message(el.outcome(), line, kind);
  announce(line, kind === 'error');
}

/** Rust's messages are written to fit in a line of log or CLI output ("you declined …");
 *  in the window they stand alone, so they start with a capital and end with a full stop. */
function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/** Clears the last outcome, e.g. when another profile is selected. */
export function clearOutcome(): void {
  message(el.outcome(), null);
}

function renderButtons(): void {
  el.connect().disabled = pending !== null;
  renderConnectLabel();
}

/** "Connect" is the obvious next step only when there is no usable token; otherwise it is a re-do. */
function renderConnectLabel(): void {
  const s = state.status.value?.view.state;
  const button = el.connect();
  button.textContent = s === 'needs_reconnect' || s === 'expired' ? 'Reconnect' : s === 'connected' ? 'Connect again' : 'Connect';
  button.classList.toggle('primary', s !== 'connected');
}
