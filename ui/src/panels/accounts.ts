//! The Accounts view: one row per profile with its state, expiry (live), refresh token, last
//! refresh (when, by whom, how it went), keyring and last API call; sortable and filterable;
//! row actions (Refresh, Validate, Reconnect, Disconnect) and *Validate all*, which goes through
//! the shown profiles one after the other and carries on past a failure.
//!
//! Rust sends every profile's state in one answer (one keyring check for all), and again as
//! `accounts:changed` whenever anything changes a profile, so the view follows `thanksctl`
//! without polling here. Expiry countdowns tick on `state.tick`, not on IPC.

import * as ipc from '../ipc';
import type { AccountView, AccountsPanel } from '../ipc';
import { Dialog } from '../dialog';
import { busy, byId, h, message, setText, show } from '../dom';
import { formatAgo, formatClock, formatDateTime } from '../format';
import { onPanelShown } from '../nav';
import { announce, toast } from '../notify';
import * as state from '../state';
import { BADGE_LABEL, type BadgeState } from '../state';
import { TRIGGER_WORDS, actorShort, actorWords } from '../support';

type SortKey = 'profile' | 'state' | 'auth' | 'expires' | 'refresh' | 'call';

let data: { panel: AccountsPanel; receivedAt: number } | null = null;
let sort: { key: SortKey; dir: 1 | -1 } = { key: 'profile', dir: 1 };
/** Validation results by profile, shown under the row's actions until the next one. */
const results = new Map<string, { ok: boolean; text: string }>();
/** Row actions under way (`profile:action`): rows are redrawn on every change, and these must
 *  stay disabled and busy through it. */
const running = new Set<string>();
let disconnectDialog: Dialog<boolean>;
let validatingAll = false;

// Worst first: what needs someone (reconnect, a refused token), then what the app is still fixing.
const SEVERITY: Record<BadgeState, number> = {
  needs_reconnect: 0, rejected: 1, renew_failed: 2, expired: 3, expires_soon: 4, renewing: 5, connected: 6, disconnected: 7,
  // Never in this table (every row has its status); here for completeness.
  unknown: 8, checking: 9,
};

/** `reconnect` starts a sign-in for the profile (Account panel). */
export function initAccounts(reconnect: (profile: string) => void): void {
  disconnectDialog = new Dialog<boolean>(byId<HTMLDialogElement>('disconnect-dialog'), false);
  byId('disconnect-cancel').addEventListener('click', () => disconnectDialog.close(false));
  byId('disconnect-confirm').addEventListener('click', () => disconnectDialog.close(true));

  byId('accounts-filter').addEventListener('input', render);
  byId('accounts-show').addEventListener('change', render);
  byId<HTMLButtonElement>('btn-validate-all').addEventListener('click', () => void validateAll());
  for (const th of document.querySelectorAll<HTMLElement>('#accounts-table th[data-sort]')) {
    th.querySelector('button')?.addEventListener('click', () => {
      const key = th.dataset['sort'] as SortKey;
      sort = { key, dir: sort.key === key ? (sort.dir === 1 ? -1 : 1) : 1 };
      render();
    });
  }
  byId('accounts-rows').addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const profile = button?.closest<HTMLElement>('tr')?.dataset['profile'];
    if (!button || !profile) return;
    const action = button.dataset['action'];
    if (action === 'reconnect') reconnect(profile);
    else void rowAction(profile, action ?? '');
  });

  onPanelShown((panel) => {
    if (panel === 'accounts') void load();
  });
  state.tick.subscribe(() => {
    if (!byId('panel-accounts').hidden) renderClocks();
  });
}

/** Every profile's state, from Rust's `accounts:changed` or an explicit load. */
export function update(panel: AccountsPanel): void {
  data = { panel, receivedAt: performance.now() };
  render();
}

export async function load(): Promise<void> {
  try {
    update(await ipc.accountsList());
    message(byId('accounts-error'), null);
  } catch (e) {
    message(byId('accounts-error'), ipc.errorText(e), 'error');
  }
}

function timed(a: AccountView): state.TimedStatus {
  return { view: a, receivedAt: data?.receivedAt ?? performance.now() };
}

function shownAccounts(): AccountView[] {
  if (!data) return [];
  const text = byId<HTMLInputElement>('accounts-filter').value.trim().toLowerCase();
  const which = byId<HTMLSelectElement>('accounts-show').value;
  return data.panel.accounts
    .filter((a) => {
      const badge = state.badgeState(timed(a));
      if (which === 'attention' && !['needs_reconnect', 'expired', 'expires_soon'].includes(badge) && a.last_refresh?.ok !== false) return false;
      if (which === 'connected' && !['connected', 'expires_soon'].includes(badge)) return false;
      if (which === 'disconnected' && badge !== 'disconnected') return false;
      const haystack = `${a.profile} ${BADGE_LABEL[badge]} ${a.api_base}`.toLowerCase();
      return !text || haystack.includes(text);
    })
    .sort((x, y) => sort.dir * compare(x, y, sort.key) || x.profile.localeCompare(y.profile));
}

function compare(x: AccountView, y: AccountView, key: SortKey): number {
  const num = (a: number | null | undefined, b: number | null | undefined) => (a ?? Infinity) - (b ?? Infinity);
  switch (key) {
    case 'profile':
      return x.profile.localeCompare(y.profile);
    case 'state':
      return SEVERITY[state.badgeState(timed(x))] - SEVERITY[state.badgeState(timed(y))];
    case 'auth':
      return (x.auth ?? '~').localeCompare(y.auth ?? '~');
    case 'expires':
      return num(x.expires_in_secs, y.expires_in_secs);
    case 'refresh':
      return -(x.last_refresh?.at ?? '').localeCompare(y.last_refresh?.at ?? '');
    case 'call':
      return num(x.last_call?.age_secs, y.last_call?.age_secs);
  }
}

function render(): void {
  const summary = byId('accounts-summary');
  const panel = data?.panel;
  setText(summary, panel ? capitalise(panel.summary.text) + '.' : 'Loading…');
  summary.dataset['level'] = panel?.summary.level ?? 'idle';
  for (const th of document.querySelectorAll<HTMLElement>('#accounts-table th[data-sort]')) {
    if (th.dataset['sort'] === sort.key) th.setAttribute('aria-sort', sort.dir === 1 ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  }
  const rows = shownAccounts();
  byId('accounts-rows').replaceChildren(...rows.map(row));
  const empty = byId('accounts-empty');
  const total = panel?.accounts.length ?? 0;
  setText(empty, total === 0 ? 'No profiles yet. Add one in the profile menu at the top.' : 'No profile matches the filter.');
  show(empty, !!panel && rows.length === 0);
  renderClocks();
}

function row(a: AccountView): HTMLTableRowElement {
  const result = results.get(a.profile);
  const connected = a.state !== 'disconnected';
  const button = (action: string, text: string, enabled = true) => {
    const busyNow = running.has(`${a.profile}:${action}`) || (action === 'validate' && validatingAll);
    return h('button', { type: 'button', 'data-action': action, disabled: !enabled || busyNow, 'aria-busy': busyNow ? 'true' : undefined }, text);
  };
  return h('tr', { 'data-profile': a.profile },
    h('th', { scope: 'row', class: 'col-profile' }, a.profile, h('span', { class: 'cell-sub', title: a.api_base }, apiHost(a.api_base))),
    // data-label: the column's name, shown above the value when narrow windows stack the cells.
    h('td', { class: 'col-state', 'data-label': 'State' }, h('span', { class: 'badge' })),
    h('td', { class: 'col-auth', 'data-label': 'Auth' }, !a.auth ? '—' : a.auth === 'oauth' ? 'OAuth' : 'Personal token'),
    h('td', { class: 'col-expires countdown', 'data-label': 'Expires in' }),
    h('td', { class: 'col-refresh-token', 'data-label': 'Refresh token' }, connected ? (a.has_refresh_token ? 'Yes' : 'No') : '—'),
    h('td', { class: 'col-last-refresh', 'data-label': 'Last refresh' }, ...lastRefresh(a)),
    h('td', { class: 'col-keyring', 'data-label': 'Keyring' }, a.keyring.ok ? 'OK' : h('span', { class: 'cell-error', title: a.keyring.error ?? '' }, a.keyring.code ?? 'unavailable')),
    h('td', { class: 'col-last-call', 'data-label': 'Last API call' }, ...lastCall(a)),
    h('td', { class: 'col-actions' },
      h('div', { class: 'row-actions' },
        button('refresh', 'Refresh', connected && a.has_refresh_token && a.state !== 'needs_reconnect'),
        button('validate', 'Validate', connected),
        button('reconnect', a.state === 'disconnected' ? 'Connect' : 'Reconnect'),
        button('disconnect', 'Disconnect', connected)),
      result ? h('p', { class: 'row-result', 'data-kind': result.ok ? 'ok' : 'error' }, result.text) : null),
  );
}

function lastRefresh(a: AccountView): (Node | string)[] {
  const r = a.last_refresh;
  if (!r) return [a.state === 'disconnected' ? '—' : 'Not yet'];
  const how = [r.trigger ? TRIGGER_WORDS[r.trigger] : '', actorShort(r.by)].filter(Boolean).join(' · ');
  return [
    h('span', { title: `${formatDateTime(r.at)}, by ${actorWords(r.by)}` }, formatAgo(r.at), ', ',
      r.ok ? h('span', { class: 'cell-ok' }, 'ok') : h('span', { class: 'cell-error', title: r.error ?? '' }, `failed (${r.code ?? '?'})`)),
    h('span', { class: 'cell-sub' }, how),
  ];
}

function lastCall(a: AccountView): (Node | string)[] {
  const c = a.last_call;
  if (!c) return ['—'];
  const result = c.status !== null ? `HTTP ${c.status}` : `failed (${c.code ?? '?'})`;
  const ok = c.status !== null && c.status < 400;
  return [
    h('span', { class: ok ? 'cell-ok' : 'cell-error', title: formatDateTime(c.at) }, result),
    h('span', { class: 'cell-sub' }, `${formatAgo(c.at)} · ${actorShort(c.actor)}`),
  ];
}

/** The parts that change every second: badges and countdowns. */
function renderClocks(): void {
  if (!data) return;
  for (const tr of byId('accounts-rows').querySelectorAll<HTMLTableRowElement>('tr[data-profile]')) {
    const a = data.panel.accounts.find((x) => x.profile === tr.dataset['profile']);
    if (!a) continue;
    const t = timed(a);
    const badge = state.badgeState(t);
    const el = tr.querySelector<HTMLElement>('.col-state .badge');
    if (el) {
      setText(el, BADGE_LABEL[badge]);
      el.dataset['state'] = badge;
    }
    const left = state.remainingSecs(t);
    const cell = tr.querySelector<HTMLElement>('.col-expires');
    if (cell) setText(cell, a.state === 'disconnected' || a.state === 'needs_reconnect' ? '—' : left === null ? 'no expiry' : left > 0 ? formatClock(left) : 'expired');
  }
}

async function rowAction(profile: string, action: string): Promise<void> {
  if (action === 'disconnect') {
    setText(byId('disconnect-title'), `Disconnect “${profile}”?`);
    if (!(await disconnectDialog.open(byId('disconnect-cancel')))) return;
  }
  const key = `${profile}:${action}`;
  if (running.has(key)) return;
  running.add(key);
  // The row's earlier result would read as this action's until it ends.
  results.delete(profile);
  render();
  try {
    if (action === 'refresh') {
      const s = await ipc.tokenRefresh(profile);
      results.set(profile, { ok: true, text: s.expires_in_secs === null ? 'Refreshed.' : `Refreshed; valid for ${formatClock(s.expires_in_secs)}.` });
    } else if (action === 'validate') {
      await validateOne(profile);
    } else if (action === 'disconnect') {
      await ipc.authLogout(profile);
      toast(`Disconnected “${profile}”.`);
    }
  } catch (e) {
    results.set(profile, { ok: false, text: ipc.errorText(e) });
  } finally {
    running.delete(key);
  }
  const r = results.get(profile);
  if (r) announce(`${profile}: ${r.text}`, !r.ok);
  await load();
}

async function validateOne(profile: string): Promise<boolean> {
  try {
    const v = await ipc.tokenValidate(profile);
    results.set(profile, { ok: v.ok, text: v.message });
    return v.ok;
  } catch (e) {
    results.set(profile, { ok: false, text: ipc.errorText(e) });
    return false;
  }
}

/** One profile after the other; a failure is noted on its row and the next one goes on. */
async function validateAll(): Promise<void> {
  const targets = shownAccounts().filter((a) => a.state !== 'disconnected').map((a) => a.profile);
  const progress = byId('validate-all-progress');
  if (!targets.length) {
    message(progress, 'No connected profile to validate.');
    return;
  }
  validatingAll = true;
  await busy(byId<HTMLButtonElement>('btn-validate-all'), async () => {
    let accepted = 0;
    for (const [i, profile] of targets.entries()) {
      message(progress, `Validating ${i + 1} of ${targets.length}: ${profile}…`);
      progress.dataset['done'] = String(i);
      if (await validateOne(profile)) accepted += 1;
      render();
    }
    const failed = targets.length - accepted;
    const text = `Validated ${targets.length} ${targets.length === 1 ? 'profile' : 'profiles'}: ${accepted} accepted${failed ? `, ${failed} not` : ''}.`;
    message(progress, text);
    progress.dataset['done'] = String(targets.length);
    announce(text, failed > 0);
  }).finally(() => {
    validatingAll = false;
  });
  await load();
}

/** "api.thanks.io", "127.0.0.1:8765": which thanks.io the profile talks to, in short. */
function apiHost(base: string): string {
  try {
    return new URL(base).host;
  } catch {
    return base;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
