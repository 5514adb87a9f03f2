//! The cost guard's side in the window: the badge that says nothing will be mailed (API Test
//! Mode, or the local sandbox), and the confirmation dialog for a request that can print, mail
//! or charge, in a modal `Dialog` that starts on "Don't send" (Escape cancels). The decision itself is
//! Rust's (`cost_check.needs_confirmation`); this only asks and reports the answer.

import type { CostCheck } from '../ipc';
import { Dialog } from '../dialog';
import { byId, message, setText } from '../dom';

/** Shows or hides `#guard-badge` from the last cost check. */
export function renderBadge(check: CostCheck | null): void {
  const badge = byId('guard-badge');
  if (!check) {
    message(badge, null);
    return;
  }
  if (check.test_mode === true && check.even_in_test_mode && check.guarded) {
    message(badge, 'Test mode: nothing will be mailed, but this request is charged even in test mode', 'error');
  } else if (check.test_mode === true) {
    message(badge, 'Test mode: nothing will be mailed or charged', 'ok');
  } else if (check.local_server) {
    message(badge, 'Sandbox: nothing will be mailed', 'ok');
  } else {
    message(badge, null);
  }
}

export function dollars(cents: number): string {
  return (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

let dialog: Dialog<boolean>;

export function initGuard(): void {
  dialog = new Dialog(byId<HTMLDialogElement>('guard-dialog'), false);
  byId('guard-confirm').addEventListener('click', () => dialog.close(true));
  byId('guard-cancel').addEventListener('click', () => dialog.close(false));
}

/** Asks whether to send; resolves true only when the user confirmed. */
export function confirmCost(check: CostCheck): Promise<boolean> {
  const est = check.estimate;
  setText(byId('guard-title'), check.test_mode === true ? 'Charged even in test mode: send it?' : 'This will be printed, mailed or charged: send it?');
  setText(byId('guard-reason'), check.reason ? `${capitalise(check.reason)}.` : 'This request can print, mail or charge money.');
  setText(byId('guard-cost'), est ? est.total_cost : check.estimate_path ? 'unknown (no estimate)' : 'no estimate for this request');
  setText(byId('guard-balance'), est && est.current_balance_in_cents !== null ? dollars(est.current_balance_in_cents) : 'unknown');
  setText(byId('guard-covered'), est?.covered_by_balance === true ? 'Yes' : est?.covered_by_balance === false ? 'No: the balance is lower than the estimate' : 'unknown');
  setText(byId('guard-test-mode'), check.test_mode === true ? 'On' : check.test_mode === false ? 'Off: this is real' : 'unknown');
  message(byId('guard-estimate-error'), check.estimate_error ? `The estimate failed: ${check.estimate_error}` : null);
  const extra: string[] = [];
  if (check.even_in_test_mode) extra.push('Test mode does not make this free or reversible.');
  if (est?.pending_email_lookups) extra.push(`${est.pending_email_lookups} recipient(s) need a paid address lookup, not included in the estimate.`);
  if (check.local_server) extra.push('This profile talks to the local sandbox: nothing is really mailed.');
  message(byId('guard-extra'), extra.length ? extra.join(' ') : null);
  setText(byId('guard-confirm'), est && est.total_cost_in_cents > 0 ? `Send and pay ${est.total_cost}` : 'Send');

  return dialog.open(byId('guard-cancel'));
}

/** Closes the dialog as a cancel (the request was abandoned meanwhile). */
export function dismissCost(): void {
  dialog.dismiss();
}
