//! What the console says about the request before it is sent, from Rust's `console_inspect`
//! (no network): the catalog entry (purpose and tags), whether Send will ask first (the cost
//! guard's reason), and which spelling of thanks.io's renamed parameters the body uses.

import type { Inspection } from '../ipc';
import { byId, h, message } from '../dom';
import { endpointBadges } from './badges';

export function spellingText(spelling: Inspection['spelling']): { text: string; kind: 'ok' | 'info' | 'error' } | null {
  if (!spelling || spelling.names === 'neither') return null;
  const list = (names: string[]) => names.join(', ');
  switch (spelling.names) {
    case 'current':
      return { text: `Parameter names: current spelling (${list(spelling.current_fields)}).`, kind: 'ok' };
    case 'legacy':
      return {
        text: `Parameter names: older spelling (${list(spelling.legacy_fields)}). thanks.io's newest spec renamed these; whether the live server still accepts them is unconfirmed, so Estimate or Preview to check. The local sandbox accepts both spellings.`,
        kind: 'info',
      };
    case 'mixed':
      return {
        text: `Parameter names: mixed, older (${list(spelling.legacy_fields)}) and current (${list(spelling.current_fields)}) in one body; which one thanks.io uses is unknown (the local sandbox takes the current one). Pick one spelling.`,
        kind: 'error',
      };
  }
}

export function renderInspectionView(result: Inspection | null): void {
  const purpose = byId('endpoint-purpose');
  const ep = result?.endpoint ?? null;
  if (ep) {
    purpose.replaceChildren(`${ep.method} ${ep.path}: ${ep.purpose} `, ...endpointBadges(ep));
  } else {
    purpose.replaceChildren(h('span', { class: 'kbd-hint' }, 'Ctrl+Enter sends from anywhere in the console.'));
  }
  const guard = result?.guard;
  message(byId('guard-note'), guard?.guarded
    ? `Send asks first: this ${guard.reason ?? 'can print, mail or charge money'}${guard.estimate_path ? ` (priced with ${guard.estimate_path})` : ''}${guard.even_in_test_mode ? ', even in test mode' : ''}.`
    : null, 'info');
  const spelling = spellingText(result?.spelling ?? null);
  for (const id of ['body-spelling', 'mailer-spelling']) message(byId(id), spelling?.text ?? null, spelling?.kind);
}
