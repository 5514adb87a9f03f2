//! Setups from a team, in the window: the confirmation that shows what a setup file or link
//! will create (profile name, endpoints, a warning when they are not thanks.io's) and asks for
//! the passphrase or client secret only when the setup needs one; and, on the Account panel,
//! *Import setup…*, *Export setup…* (the client secret only encrypted, with a passphrase) and
//! *Copy setup link*. Setups reach the window as offers from Rust (`setup:offered`: a link, a
//! double-clicked or dropped file, or the file dialog); nothing is created before *Add profile*.
//! Markup: static/parts/dialog-setup.html and the Account panel's `#setup-card`.

import * as ipc from '../ipc';
import type { SetupOffer } from '../ipc';
import { Dialog } from '../dialog';
import { busy, byId, message, setText, show } from '../dom';
import { showPanel } from '../nav';
import { announce, fieldError, toast } from '../notify';
import * as state from '../state';

let current: SetupOffer | null = null;

const ENDPOINTS_LABEL = {
  thanks_io: 'thanks.io',
  local_sandbox: 'A local sandbox on this computer',
  other: 'Not thanks.io',
} as const;

let dialog: Dialog<boolean>;

/** Shows an offer: the confirmation, or the plain reason a setup can't be used. */
export function open(offer: SetupOffer): void {
  // The same offer can come twice at a cold start (the event, and `setup_pending`).
  if (dialog.isOpen && offer.id && current?.id === offer.id) return;
  current = offer;
  const p = offer.preview;
  const passphrase = byId<HTMLInputElement>('setup-passphrase');
  const secret = byId<HTMLInputElement>('setup-client-secret');
  passphrase.value = '';
  secret.value = '';
  fieldError(passphrase, byId('setup-passphrase-error'), null);
  fieldError(secret, byId('setup-client-secret-error'), null);
  message(byId('setup-error'), null);
  show(byId('setup-facts'), !!p);
  show(byId('setup-confirm'), !!p);
  setText(byId('setup-cancel'), p ? 'Cancel' : 'Close');
  if (!p) {
    setText(byId('setup-title'), 'This setup can’t be used');
    setText(byId('setup-lede'), '');
    message(byId('setup-endpoints-note'), null);
    message(byId('setup-exists'), null);
    show(byId('setup-passphrase-field'), false);
    show(byId('setup-secret-field'), false);
    message(byId('setup-error'), offer.error?.message ?? 'The setup could not be read.', 'error');
  } else {
    const from = p.source === 'link' ? 'a setup link' : p.source === 'company' ? 'this company build' : 'a setup file';
    setText(byId('setup-title'), `Add the profile “${p.profile}”?`);
    setText(byId('setup-lede'), `From ${from}. Check where it connects before you add it.`);
    setText(byId('setup-profile'), p.profile);
    setText(byId('setup-endpoints'), ENDPOINTS_LABEL[p.endpoints]);
    setText(byId('setup-api-base'), p.api_base);
    setText(byId('setup-client-id'), p.client_id);
    setText(byId('setup-redirect-uri'), p.redirect_uri);
    const note = byId('setup-endpoints-note');
    message(note, p.endpoints_note, p.endpoints === 'other' ? 'error' : 'info');
    note.dataset['endpoints'] = p.endpoints;
    message(byId('setup-exists'), p.exists ? `A profile named “${p.profile}” already exists. Adding this setup replaces its settings.` : null);
    show(byId('setup-passphrase-field'), p.asks_for === 'passphrase');
    show(byId('setup-secret-field'), p.asks_for === 'client_secret');
    setText(byId('setup-confirm'), p.exists ? `Replace “${p.profile}”` : 'Add profile');
  }
  const first = p?.asks_for === 'passphrase' ? passphrase : p?.asks_for === 'client_secret' ? secret : byId(p ? 'setup-confirm' : 'setup-cancel');
  // Cancel, Escape, or a newer offer replacing this one: the offer is dropped in Rust too.
  void dialog.open(first).then((imported) => {
    if (!imported && offer.id) void ipc.setupDismiss(offer.id).catch(() => undefined);
    if (current === offer) current = null;
  });
}

async function confirm(): Promise<void> {
  const offer = current;
  if (!offer?.id || !offer.preview) return;
  const p = offer.preview;
  const passphrase = byId<HTMLInputElement>('setup-passphrase');
  const secret = byId<HTMLInputElement>('setup-client-secret');
  message(byId('setup-error'), null);
  try {
    const view = await busy(byId<HTMLButtonElement>('setup-confirm'), () =>
      ipc.setupImport(offer.id as string, {
        passphrase: p.asks_for === 'passphrase' ? passphrase.value : null,
        clientSecret: p.asks_for === 'client_secret' ? secret.value : null,
        replace: p.exists,
      }));
    dialog.close(true);
    await state.reloadProfiles();
    await state.selectProfile(view.name);
    showPanel('account');
    toast(`Profile “${view.name}” is ready: click Connect.`);
  } catch (e) {
    const code = e instanceof ipc.IpcError ? e.code : '';
    const text = ipc.errorText(e);
    if (code === 'setup.wrong_passphrase' || code === 'setup.needs_passphrase') {
      fieldError(passphrase, byId('setup-passphrase-error'), text);
      passphrase.select();
      passphrase.focus();
    } else if (code === 'setup.needs_client_secret') {
      fieldError(secret, byId('setup-client-secret-error'), text);
      secret.focus();
    } else {
      message(byId('setup-error'), text, 'error');
      announce(text, true);
    }
  }
}

/** *Import setup…* (and the first-run screen's button): Rust's file dialog, then the offer. */
export async function pick(button: HTMLButtonElement): Promise<void> {
  try {
    const offer = await busy(button, () => ipc.setupPick());
    if (offer) open(offer);
  } catch (e) {
    toast(ipc.errorText(e), 'error');
  }
}

async function exportSetup(): Promise<void> {
  const withSecret = byId<HTMLInputElement>('export-with-secret').checked;
  const passphrase = byId<HTMLInputElement>('export-passphrase');
  const error = byId('export-error');
  fieldError(passphrase, error, null);
  try {
    const r = await busy(byId<HTMLButtonElement>('btn-export-save'), () =>
      ipc.setupExport(state.currentProfile.value, withSecret ? passphrase.value : null));
    if (r.saved) {
      toast(`Setup saved to ${r.path ?? 'the file you chose'}.`);
      passphrase.value = '';
      toggleExport(false);
    }
  } catch (e) {
    fieldError(passphrase, error, ipc.errorText(e));
  }
}

function toggleExport(open: boolean): void {
  show(byId('export-form'), open);
  byId('btn-export-setup').setAttribute('aria-expanded', String(open));
}

export function initSetup(): void {
  dialog = new Dialog<boolean>(byId<HTMLDialogElement>('setup-dialog'), false);
  byId('setup-cancel').addEventListener('click', () => dialog.close(false));
  byId('setup-confirm').addEventListener('click', () => void confirm());
  for (const id of ['setup-passphrase', 'setup-client-secret']) {
    byId(id).addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        void confirm();
      }
    });
  }

  byId('btn-import-setup').addEventListener('click', (e) => void pick(e.currentTarget as HTMLButtonElement));
  byId('btn-export-setup').addEventListener('click', () => toggleExport(byId('export-form').hidden));
  byId('export-with-secret').addEventListener('change', (e) => show(byId('export-passphrase-field'), (e.target as HTMLInputElement).checked));
  byId('export-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void exportSetup();
  });
  byId('btn-copy-setup-link').addEventListener('click', async (e) => {
    try {
      const link = await busy(e.currentTarget as HTMLButtonElement, () => ipc.setupLinkCopy(state.currentProfile.value));
      message(byId('setup-link'), `Copied: ${link}`, 'info');
      toast('Setup link copied.');
    } catch (err) {
      toast(ipc.errorText(err), 'error');
    }
  });
  // Export and link need a saved profile with a client id.
  state.profileView.subscribe((v) => {
    const ready = !!v && v.saved && v.client_id !== '';
    for (const id of ['btn-export-setup', 'btn-copy-setup-link']) byId<HTMLButtonElement>(id).disabled = !ready;
    if (!ready) toggleExport(false);
  });
}
