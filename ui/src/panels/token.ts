//! The Token panel: the state badge with a live countdown, the facts about the stored token
//! (never its value), and Refresh / Validate / Copy / Reconnect. Also keeps the small badge in
//! the top bar in step. The countdown is driven by `state.tick`, not by IPC.

import * as ipc from '../ipc';
import type { StatusView } from '../ipc';
import { busy, byId, h, isBusy, message, setText, show } from '../dom';
import { formatAgo, formatClock, formatDateTime, formatMs } from '../format';
import { announce, toast } from '../notify';
import * as state from '../state';
import { BADGE_LABEL, type BadgeState } from '../state';

let lastBadge: { profile: string; badge: BadgeState } | null = null;

const button = (id: string) => byId<HTMLButtonElement>(id);

export function initToken(reconnect: () => void): void {
  button('btn-refresh').addEventListener('click', () => void refresh());
  button('btn-validate').addEventListener('click', () => void validate());
  button('btn-copy-token').addEventListener('click', () => void copy());
  button('btn-reconnect').addEventListener('click', reconnect);

  state.status.subscribe(render);
  state.tick.subscribe(renderClock);
  state.statusError.subscribe((text) => message(byId('status-error'), text, 'error'));
  state.currentProfile.subscribe((name) => {
    byId('token-profile').textContent = name;
    message(byId('token-action-message'), null);
    show(byId('validate-result'), false);
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
  const countdown = byId('expires-countdown');
  if (!view || view.state === 'disconnected' || view.state === 'needs_reconnect') setText(countdown, '');
  else if (left === null) setText(countdown, 'No expiry time');
  else setText(countdown, left > 0 ? `expires in ${formatClock(left)}` : `expired ${view.expires_at ? formatAgo(view.expires_at) : ''}`.trim());
  setText(byId('state-explain'), explain(badge, view));

  const profile = state.currentProfile.value;
  if (timed && lastBadge && lastBadge.profile === profile && lastBadge.badge !== badge) {
    announce(`Token state: ${BADGE_LABEL[badge]}.`);
  }
  lastBadge = timed ? { profile, badge } : null;
}

function explain(badge: BadgeState, view: StatusView | undefined): string {
  if (!view) return 'Checking…';
  const refreshable = view.has_refresh_token;
  switch (badge) {
    case 'connected':
      return refreshable ? 'The access token is valid and is refreshed when it runs out.' : 'The access token is valid.';
    case 'expires_soon':
      return refreshable
        ? 'Less than 5 minutes left; it is refreshed when needed, or choose Refresh now.'
        : 'Less than 5 minutes left and there is no refresh token; connect again when it runs out.';
    case 'expired':
      return refreshable ? 'The access token has run out; Refresh now gets a new one.' : 'The access token has run out and there is no refresh token; connect again.';
    case 'needs_reconnect':
      // The profile's endpoints or client changed: the tokens are kept but never sent there.
      if (view.reconnect_reason) return `${view.reconnect_reason}.`;
      return 'thanks.io no longer accepts the refresh token; Reconnect to sign in again.';
    case 'disconnected':
      return 'No token is stored for this profile. Connect it on the Account page, or save a personal access token there.';
  }
}

function renderButtons(view: StatusView | null): void {
  const hasToken = !!view && view.state !== 'disconnected';
  const set = (id: string, enabled: boolean) => {
    if (!isBusy(button(id))) button(id).disabled = !enabled;
  };
  // In needs_reconnect the refresh token is known to be rejected; only signing in again helps.
  set('btn-refresh', hasToken && view.has_refresh_token && view.state !== 'needs_reconnect');
  set('btn-validate', hasToken);
  set('btn-copy-token', hasToken);
  show(button('btn-reconnect'), view?.state === 'needs_reconnect');
}

function lastRefresh(view: StatusView | null): (Node | string)[] {
  const r = view?.last_refresh;
  if (!r) return [view && view.state !== 'disconnected' ? 'Not refreshed yet' : '—'];
  const when = `${formatDateTime(r.at)} (${formatAgo(r.at)})`;
  if (r.ok) return [pill('OK', 'ok'), ' ', when];
  return [
    pill('Failed', 'error'), ' ', when,
    h('span', { class: 'fact-error' }, r.error ?? 'The refresh failed.', r.code ? ' ' : null, r.code ? h('code', {}, r.code) : null),
  ];
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

async function refresh(): Promise<void> {
  const profile = state.currentProfile.value;
  const out = byId('token-action-message');
  message(out, null);
  await busy(button('btn-refresh'), async () => {
    try {
      const view = await ipc.tokenRefresh(profile);
      state.setStatus(view);
      const left = view.expires_in_secs;
      const text = left === null ? 'Token refreshed.' : `Token refreshed; it expires in ${formatClock(left)}.`;
      message(out, text, 'ok');
      announce(text);
    } catch (e) {
      message(out, ipc.errorText(e), 'error');
      announce(ipc.errorText(e), true);
      // A rejected refresh token changes the state (needs reconnect); show it.
      await state.refreshStatus();
    }
  }, render);
}

async function validate(): Promise<void> {
  const profile = state.currentProfile.value;
  const box = byId('validate-result');
  await busy(button('btn-validate'), async () => {
    try {
      const v = await ipc.tokenValidate(profile);
      box.dataset['kind'] = v.ok ? 'ok' : 'error';
      box.replaceChildren(
        h('div', { class: 'validate-head' },
          pill(v.ok ? 'Valid' : 'Not accepted', v.ok ? 'ok' : 'error'),
          h('code', { id: 'validate-endpoint' }, v.endpoint),
          h('span', { id: 'validate-status', class: 'metric' }, `HTTP ${v.status}`),
          h('span', { id: 'validate-time', class: 'metric' }, formatMs(v.ms))),
        h('p', { id: 'validate-message' }, v.message),
      );
      announce(`${v.ok ? 'Token valid' : 'Token not accepted'}: HTTP ${v.status} in ${formatMs(v.ms)}. ${v.message}`, !v.ok);
    } catch (e) {
      box.dataset['kind'] = 'error';
      box.replaceChildren(h('p', { id: 'validate-message' }, ipc.errorText(e)));
      announce(ipc.errorText(e), true);
    }
    show(box, true);
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
