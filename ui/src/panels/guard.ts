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
  const sandbox = check.local_server;
  const what = check.reason ? `${capitalise(check.reason)}.` : 'This request can print, mail or charge money.';
  if (sandbox) {
    // One message for the sandbox: nothing real happens, whatever its test-mode switch says.
    setText(byId('guard-title'), 'Send this to the local sandbox?');
    setText(byId('guard-reason'), `${what} This profile talks to the local sandbox on this computer: nothing is printed, mailed or charged; the amounts below are the sandbox's.`);
  } else {
    setText(byId('guard-title'), check.test_mode === true ? 'Charged even in test mode: send it?' : 'This will be printed, mailed or charged: send it?');
    setText(byId('guard-reason'), what);
  }
  setText(byId('guard-cost'), est ? est.total_cost : check.estimate_path ? 'unknown (no estimate)' : 'no estimate for this request');
  setText(byId('guard-balance'), est && est.current_balance_in_cents !== null ? dollars(est.current_balance_in_cents) : 'unknown');
  setText(byId('guard-covered'), est?.covered_by_balance === true ? 'Yes' : est?.covered_by_balance === false ? 'No: the balance is lower than the estimate' : 'unknown');
  setText(byId('guard-test-mode'), check.test_mode === true ? 'On' : check.test_mode === false ? 'Off: this is real' : 'unknown');
  // In the sandbox API Test Mode changes nothing real, so its row would only contradict the message.
  for (const el of [byId('guard-test-mode'), byId('guard-test-mode-term')]) el.hidden = sandbox;
  message(byId('guard-estimate-error'), check.estimate_error ? `The estimate failed: ${check.estimate_error}` : null);
  const extra: string[] = [];
  if (check.even_in_test_mode && !sandbox) extra.push('Test mode does not make this free or reversible.');
  if (est?.pending_email_lookups) extra.push(`${est.pending_email_lookups} recipient(s) need a paid address lookup, not included in the estimate.`);
  message(byId('guard-extra'), extra.length ? extra.join(' ') : null);
  const paid = est && est.total_cost_in_cents > 0;
  setText(byId('guard-confirm'), sandbox ? 'Send to the sandbox' : paid ? `Send and pay ${est.total_cost}` : 'Send');
  byId('guard-confirm').className = sandbox ? 'primary' : 'danger';

  return dialog.open(byId('guard-cancel'));
}

/** Closes the dialog as a cancel (the request was abandoned meanwhile). */
export function dismissCost(): void {
  dialog.dismiss();
}
