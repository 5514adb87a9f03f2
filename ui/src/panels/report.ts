//! The Accounts panel's Support card: the diagnostic report (copied or saved by Rust, or shown
//! first in a dialog) and the close-to-tray setting.

import * as ipc from '../ipc';
import { Dialog } from '../dialog';
import { busy, byId, message } from '../dom';
import { announce, toast } from '../notify';
import * as state from '../state';

let dialog: Dialog<void>;

export function initReport(): void {
  dialog = new Dialog<void>(byId<HTMLDialogElement>('report-dialog'), undefined);
  const button = (id: string) => byId<HTMLButtonElement>(id);
  button('btn-report-copy').addEventListener('click', (e) => void copy(e.currentTarget as HTMLButtonElement));
  button('report-dialog-copy').addEventListener('click', (e) => void copy(e.currentTarget as HTMLButtonElement));
  button('btn-report-save').addEventListener('click', (e) => void save(e.currentTarget as HTMLButtonElement));
  button('report-dialog-save').addEventListener('click', (e) => void save(e.currentTarget as HTMLButtonElement));
  button('btn-report-show').addEventListener('click', (e) => void showReport(e.currentTarget as HTMLButtonElement));
  button('report-close').addEventListener('click', () => dialog.close(undefined));

  const tray = byId<HTMLInputElement>('close-to-tray');
  state.info.subscribe((info) => {
    tray.checked = !!info?.close_to_tray;
  });
  tray.addEventListener('change', () => {
    const on = tray.checked;
    ipc.uiPrefsSet({ closeToTray: on }).then(
      () => announce(on ? 'Closing the window keeps Thanks Connect in the tray.' : 'Closing the window quits Thanks Connect.'),
      (e: unknown) => {
        tray.checked = !on;
        toast(ipc.errorText(e), 'error');
      },
    );
  });
}

function say(text: string, kind: 'ok' | 'error'): void {
  if (dialog.isOpen) toast(text, kind);
  else message(byId('report-message'), text, kind);
  announce(text, kind === 'error');
}

async function copy(button: HTMLButtonElement): Promise<void> {
  await busy(button, async () => {
    try {
      await ipc.reportCopy();
      say('Copied the diagnostic report to the clipboard; paste it into the support ticket.', 'ok');
    } catch (e) {
      say(ipc.errorText(e), 'error');
    }
  });
}

async function save(button: HTMLButtonElement): Promise<void> {
  await busy(button, async () => {
    try {
      const saved = await ipc.reportSave();
      if (saved.saved) say(`Saved the diagnostic report to ${saved.path ?? 'the file you chose'}.`, 'ok');
    } catch (e) {
      say(ipc.errorText(e), 'error');
    }
  });
}

async function showReport(button: HTMLButtonElement): Promise<void> {
  await busy(button, async () => {
    try {
      const report = await ipc.reportGet();
      byId('report-text').textContent = report.text;
      void dialog.open(byId('report-close'));
    } catch (e) {
      say(ipc.errorText(e), 'error');
    }
  });
}
