//! *Check this computer*, on the Account panel: runs Rust's checks (keyring, link handler,
//! browser, loopback port, clock, redirect URI) and lists each with what was found and, when it
//! failed, the fix in one sentence; a fix the app can make itself gets its button
//! (*Register the link handler*). Markup: the Account panel's `#doctor-card`.

import * as ipc from '../ipc';
import type { DoctorReport } from '../ipc';
import { busy, byId, h, message } from '../dom';
import { announce } from '../notify';
import * as state from '../state';

const FIX_LABEL: Record<string, string> = {
  register_link_handler: 'Register the link handler',
};

const STATUS_LABEL = { ok: 'OK', warn: 'Check', fail: 'Problem', skipped: 'Skipped' } as const;

function render(report: DoctorReport): void {
  const list = byId('doctor-results');
  list.replaceChildren(...report.checks.map((c) => h('li', { class: 'doctor-check', 'data-check': c.id, 'data-status': c.status },
    h('span', { class: 'check-status', 'data-status': c.status }, STATUS_LABEL[c.status]),
    h('div', { class: 'check-body' },
      h('p', { class: 'strong' }, c.title),
      h('p', { class: 'check-detail' }, c.detail),
      c.fix ? h('p', { class: 'check-fix' }, `Fix: ${c.fix}`) : null,
      c.action ? h('button', { type: 'button', id: `doctor-fix-${c.action}`, 'data-action': c.action }, FIX_LABEL[c.action] ?? 'Fix it') : null))));
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const text = failed === 0 ? 'Everything Thanks Connect needs on this computer is in place.' : `${failed} ${failed === 1 ? 'thing needs' : 'things need'} fixing; see below.`;
  message(byId('doctor-summary'), text, failed === 0 ? 'ok' : 'error');
  announce(text);
}

function profile(): string | null {
  return state.profiles.value.includes(state.currentProfile.value) ? state.currentProfile.value : null;
}

async function run(button: HTMLButtonElement, action?: string): Promise<void> {
  try {
    render(await busy(button, () => (action ? ipc.doctorFix(action, profile()) : ipc.doctorRun(profile()))));
  } catch (e) {
    message(byId('doctor-summary'), ipc.errorText(e), 'error');
  }
}

export function initDoctor(): void {
  byId('btn-doctor').addEventListener('click', (e) => void run(e.currentTarget as HTMLButtonElement));
  byId('doctor-results').addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    if (button?.dataset['action']) void run(button, button.dataset['action']);
  });
  state.currentProfile.subscribe(() => {
    byId('doctor-results').replaceChildren();
    message(byId('doctor-summary'), null);
  });
}
