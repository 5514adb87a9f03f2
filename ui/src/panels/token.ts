//! The Token panel: the state badge with a live countdown, the facts about the stored token
//! (never its value), and Refresh / Validate / Copy / Reconnect / Paste a new token. Also keeps
//! the small badge in the top bar in step. The countdown is driven by `state.tick`, not by IPC.
//! One plain sentence says what the state means; what thanks.io said exactly (error codes, its
//! own words) waits under *Technical details*. Results of Refresh and Validate carry their time
//! and vanish when the state changes (verdicts.ts).

import * as ipc from '../ipc';
import type { StatusView } from '../ipc';
import { busy, byId, h, isBusy, setText, show } from '../dom';
import { formatAgo, formatClock, formatDateTime, formatMs } from '../format';
import { announce, toast } from '../notify';
import * as state from '../state';
import { BADGE_LABEL, type BadgeState } from '../state';
import { belongsToState, clearVerdict, clockTime } from '../verdicts';
import { TRIGGER_WORDS, actorWords } from '../support';

let lastBadge: { profile: string; badge: BadgeState } | null = null;

const button = (id: string) => byId<HTMLButtonElement>(id);

export function initToken(reconnect: () => void, newToken: () => void): void {
  button('btn-refresh').addEventListener('click', () => void refresh());
  button('btn-validate').addEventListener('click', () => void validate());
  button('btn-copy-token').addEventListener('click', () => void copy());
  button('btn-reconnect').addEventListener('click', reconnect);
  button('btn-new-token').addEventListener('click', newToken);

  state.status.subscribe(render);
  state.tick.subscribe(renderClock);
  state.statusError.subscribe((text) => {
    const el = byId('status-error');
    el.textContent = text ?? '';
    el.dataset['kind'] = 'error';
    show(el, !!text);
    // The badges turn from "Checking…" to "State unknown".
    renderClock();
  });
  state.currentProfile.subscribe((name) => {
    byId('token-profile').textContent = name;
  });
  byId('token-profile').textContent = state.currentProfile.value;
  render();
}

function render(): void {
  renderClock();
  const view = state.status.value?.view ?? null;
  renderButtons(view);
  byId('token-auth').textContent = !view?.auth ? '—' : view.auth === 'oauth' ? 'OAuth (browser sign-in)' : 'Personal access token';
  byId('expires-at').textContent = view?.expires_at
    ? formatDateTime(view.expires_at)
    : view && view.state !== 'disconnected' ? 'No expiry given' : '—';
  byId('obtained-at').textContent = formatDateTime(view?.obtained_at);
  byId('token-type').textContent = view?.token_type ?? '—';
  byId('token-scope').textContent = view?.scope || (view && view.state !== 'disconnected' ? '(none)' : '—');
  byId('has-refresh-token').textContent = !view || view.state === 'disconnected' ? '—' : view.has_refresh_token ? 'Yes' : 'No';
  byId('last-refresh').replaceChildren(...lastRefresh(view));
  byId('keyring-status').replaceChildren(...keyring(view));
}

/** The parts that change every second: badges, countdown and the sentence under them. */
function renderClock(): void {
  const timed = state.status.value;
  const badge = state.badgeState(timed);
  for (const el of [byId('state-badge'), byId('header-state')]) {
    setText(el, BADGE_LABEL[badge]);
    el.dataset['state'] = badge;
  }

  const left = state.remainingSecs(timed);
  const view = timed?.view;
  setText(byId('expires-countdown'), countdown(badge, view, left));
  setText(byId('state-explain'), explain(badge, view));
  renderTechnical(badge, view);

  const profile = state.currentProfile.value;
  if (timed && lastBadge && lastBadge.profile === profile && lastBadge.badge !== badge) {
    announce(`Token state: ${BADGE_LABEL[badge]}.`);
  }
  lastBadge = timed ? { profile, badge } : null;
}

function countdown(badge: BadgeState, view: StatusView | undefined, left: number | null): string {
  if (!view || ['disconnected', 'needs_reconnect', 'rejected', 'renewing'].includes(badge)) return '';
  if (left === null) return view.auth === 'personal_token' ? 'Does not expire' : 'No expiry time';
  if (left > 0) return `expires in ${formatClock(left)}${view.has_refresh_token ? ' · renews automatically' : ''}`;
  return `expired ${view.expires_at ? formatAgo(view.expires_at) : ''}`.trim();
}

function explain(badge: BadgeState, view: StatusView | undefined): string {
  if (!view) return badge === 'unknown' ? 'The token state couldn’t be read.' : 'Checking…';
  switch (badge) {
    case 'connected':
      if (view.has_refresh_token) return 'The access token is valid and renews automatically before it runs out.';
      if (view.auth === 'personal_token') return 'A personal access token: it doesn’t expire, and thanks.io accepted it when it was saved.';
      return 'The access token is valid. There is no refresh token, so connect again when it runs out.';
    case 'expires_soon':
      return 'Less than 5 minutes left and there is no refresh token; connect again when it runs out.';
    case 'renewing':
      return 'The access token ran out a moment ago; Thanks Connect is renewing it with the refresh token. Nothing to do.';
    case 'renew_failed':
      return 'Renewing the access token hasn’t worked yet; Thanks Connect keeps trying by itself, or choose Refresh now.';
    case 'expired':
      return 'The access token has run out and there is no refresh token; connect again.';
    case 'needs_reconnect':
      // The profile's endpoints or client changed: the tokens are kept but never sent there.
      if (view.reconnect_reason) return `${view.reconnect_reason}.`;
      return 'thanks.io no longer accepts this sign-in; Reconnect to sign in again.';
    case 'rejected':
      return 'thanks.io no longer accepts this personal access token; paste a new one.';
    case 'disconnected':
      return 'No token is stored for this profile. Connect it on the Account page, or save a personal access token there.';
    case 'checking':
    case 'unknown':
      // Only without a status (above).
      return '';
  }
}

/** What thanks.io said, for whoever needs the exact words (support, a bug report). */
function renderTechnical(badge: BadgeState, view: StatusView | undefined): void {
  const r = view?.last_refresh;
  const relevant = (badge === 'needs_reconnect' || badge === 'renew_failed') && r && !r.ok;
  show(byId('state-technical'), !!relevant);
  if (relevant) setText(byId('state-technical-text'), `${r.code ?? 'error'} at ${formatDateTime(r.at)}: ${r.error ?? 'no details'}`);
}

function renderButtons(view: StatusView | null): void {
  const hasToken = !!view && view.state !== 'disconnected';
  const set = (id: string, enabled: boolean) => {
    if (!isBusy(button(id))) button(id).disabled = !enabled;
  };
  // In needs_reconnect the refresh token is known to be rejected; only signing in again helps.
  set('btn-refresh', hasToken && view.has_refresh_token && view.state !== 'needs_reconnect');
  set('btn-validate', hasToken);
  set('btn-copy-token', hasToken && view.state !== 'rejected');
  show(button('btn-reconnect'), view?.state === 'needs_reconnect');
  show(button('btn-new-token'), view?.state === 'rejected');
}

function lastRefresh(view: StatusView | null): (Node | string)[] {
  const r = view?.last_refresh;
  if (!r) return [view && view.state !== 'disconnected' ? 'Not refreshed yet' : '—'];
  const how = [r.trigger ? TRIGGER_WORDS[r.trigger] : null, r.by ? `by ${actorWords(r.by)}` : null].filter(Boolean).join(', ');
  const when = `${formatDateTime(r.at)} (${formatAgo(r.at)}${how ? `, ${how}` : ''})`;
  if (r.ok) return [pill('OK', 'ok'), ' ', when];
  return [pill('Failed', 'error'), ' ', when, h('span', { class: 'fact-error' }, failureWords(r.code))];
}

/** A failed refresh in one plain phrase; the exact words are under Technical details. */
function failureWords(code: string | null): string {
  if (code === 'token.invalid_grant' || code === 'session.needs_reconnect') return 'thanks.io no longer accepts the refresh token.';
  if (code?.startsWith('net.')) return 'thanks.io couldn’t be reached.';
  if (code === 'token.invalid_client') return 'thanks.io didn’t accept the profile’s client ID or secret.';
  return 'thanks.io didn’t hand out a new token.';
}

function keyring(view: StatusView | null): (Node | string)[] {
  const k = view?.keyring;
  if (!k) return ['—'];
  if (k.ok) return [pill('OK', 'ok'), ' ', k.backend];
  return [
    pill('Error', 'error'), ' ', k.backend,
    h('span', { class: 'fact-error' }, k.error ?? 'The keyring is not available.', k.code ? ' ' : null, k.code ? h('code', {}, k.code) : null),
  ];
}

function pill(text: string, kind: 'ok' | 'error'): HTMLElement {
  return h('span', { class: 'pill', 'data-kind': kind }, text);
}

/** Shows a result under the buttons, stamped with its time, for as long as the state lasts. */
function verdict(el: HTMLElement, kind: 'ok' | 'error', ...children: (Node | string)[]): void {
  el.dataset['kind'] = kind;
  el.replaceChildren(...children);
  el.hidden = false;
  belongsToState(el);
}

async function refresh(): Promise<void> {
  const profile = state.currentProfile.value;
  const out = byId('token-action-message');
  const before = state.status.value?.view.state;
  clearVerdict(out);
  await busy(button('btn-refresh'), async () => {
    try {
      const view = await ipc.tokenRefresh(profile);
      state.setStatus(view);
      const left = view.expires_in_secs;
      const text = `Refreshed at ${clockTime()}${left === null ? '.' : `; it now expires in ${formatClock(left)}.`}`;
      verdict(out, 'ok', text);
      announce(text);
    } catch (e) {
      await state.refreshStatus();
      // A refresh token thanks.io refuses changes the state (needs reconnect), whose own sentence
      // says it all; a second, red version of it under the badge would only repeat it.
      if (state.status.value?.view.state !== before) return;
      const text = `Refresh failed at ${clockTime()}: ${ipc.errorText(e)}`;
      verdict(out, 'error', text);
      announce(text, true);
    }
  }, render);
}

async function validate(): Promise<void> {
  const profile = state.currentProfile.value;
  const box = byId('validate-result');
  clearVerdict(box);
  await busy(button('btn-validate'), async () => {
    try {
      const v = await ipc.tokenValidate(profile);
      // A refused personal token changes the state (rejected): show that state, then the verdict.
      await state.refreshStatus();
      verdict(box, v.ok ? 'ok' : 'error',
        h('div', { class: 'validate-head' },
          pill(v.ok ? 'Valid' : 'Not accepted', v.ok ? 'ok' : 'error'),
          h('span', { id: 'validate-when', class: 'metric' }, `Validated at ${clockTime()}`),
          h('code', { id: 'validate-endpoint' }, v.endpoint),
          h('span', { id: 'validate-status', class: 'metric' }, `HTTP ${v.status}`),
          h('span', { id: 'validate-time', class: 'metric' }, formatMs(v.ms))),
        h('p', { id: 'validate-message' }, v.message));
      announce(`${v.ok ? 'Token valid' : 'Token not accepted'}: HTTP ${v.status} in ${formatMs(v.ms)}. ${v.message}`, !v.ok);
    } catch (e) {
      verdict(box, 'error', h('p', { id: 'validate-message' }, `Validation failed at ${clockTime()}: ${ipc.errorText(e)}`));
      announce(ipc.errorText(e), true);
    }
  }, render);
}

async function copy(): Promise<void> {
  const profile = state.currentProfile.value;
  await busy(button('btn-copy-token'), async () => {
    try {
      const { clears_in_secs: secs } = await ipc.tokenCopy(profile);
      toast(`Copied — cleared from the clipboard in ${secs} s.`);
    } catch (e) {
      toast(ipc.errorText(e), 'error');
    }
  }, render);
}
