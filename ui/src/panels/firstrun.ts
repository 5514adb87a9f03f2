//! The first start, with no profile yet: the four ways in, in plain words. A setup from the
//! team (the quickest: open it, confirm, Connect), a personal access token, the sandbox to try
//! things, and the admin's guide (create the OAuth client on thanks.io, register exactly this
//! build's redirect URI, enter id and secret, then export a setup for the team). The screen
//! takes the panels' place until a profile exists (markup: static/parts/first-run.html).

import * as ipc from '../ipc';
import { busy, byId, message, show } from '../dom';
import { panels, showPanel } from '../nav';
import { fieldError, toast } from '../notify';
import * as state from '../state';
import { startSandbox } from './account';
import { pick } from './setup';

/** The profile a personal token or the admin's form creates when nothing else names one. */
const FIRST_PROFILE = 'default';

/** Shows the screen when there is no profile, hides it (and shows the panels) when there is. */
export function render(names: string[]): void {
  const empty = names.length === 0;
  const screen = byId('first-run');
  const wasShown = !screen.hidden;
  show(screen, empty);
  document.body.classList.toggle('first-run', empty);
  // The sections need a profile: hidden, and their navigation off, until one exists.
  for (const p of panels()) {
    if (empty) byId(`panel-${p}`).hidden = true;
    byId<HTMLButtonElement>(`nav-${p}`).disabled = empty;
  }
  if (empty) {
    byId<HTMLInputElement>('firstrun-redirect').value = state.info.value?.default_redirect_uri ?? '';
    if (!wasShown) byId('first-run-title').focus();
  } else if (wasShown) {
    showPanel('account');
  }
}

async function leave(name: string): Promise<void> {
  await state.reloadProfiles();
  await state.selectProfile(name);
}

async function usePat(): Promise<void> {
  const input = byId<HTMLInputElement>('firstrun-pat');
  const error = byId('firstrun-pat-error');
  fieldError(input, error, null);
  try {
    await busy(byId<HTMLButtonElement>('firstrun-pat-save'), () => ipc.authWithToken(FIRST_PROFILE, input.value));
    input.value = '';
    await leave(FIRST_PROFILE);
    toast('Token saved: you are connected.');
  } catch (e) {
    fieldError(input, error, ipc.errorText(e));
  }
}

async function saveAdmin(): Promise<void> {
  const name = byId<HTMLInputElement>('firstrun-admin-name').value.trim();
  const secret = byId<HTMLInputElement>('firstrun-admin-secret');
  const error = byId('firstrun-admin-error');
  message(error, null);
  try {
    await busy(byId<HTMLButtonElement>('firstrun-admin-save'), async () => {
      // The defaults of a new profile: thanks.io's endpoints and this build's redirect URI.
      const d = await ipc.profileGet(FIRST_PROFILE);
      await ipc.profileSave(name, {
        authorize_url: d.authorize_url,
        token_url: d.token_url,
        api_base: d.api_base,
        client_id: byId<HTMLInputElement>('firstrun-admin-client-id').value.trim(),
        redirect_uri: byId<HTMLInputElement>('firstrun-redirect').value,
        scope: '',
      }, secret.value || null);
    });
    secret.value = '';
    await leave(name);
    toast(`Profile “${name}” saved. Connect to try it, then Export setup… for your team.`);
  } catch (e) {
    message(error, ipc.errorText(e), 'error');
  }
}

export function initFirstRun(): void {
  byId('firstrun-import').addEventListener('click', (e) => void pick(e.currentTarget as HTMLButtonElement));
  byId('firstrun-sandbox').addEventListener('click', (e) => void startSandbox(e.currentTarget as HTMLButtonElement));
  byId('firstrun-pat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void usePat();
  });
  byId('firstrun-admin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void saveAdmin();
  });
  byId('firstrun-copy-redirect').addEventListener('click', async (e) => {
    try {
      // Rust copies the redirect URI a new profile gets (the one shown here).
      await busy(e.currentTarget as HTMLButtonElement, () => ipc.profileCopyRedirect(FIRST_PROFILE));
      toast('Redirect URI copied.');
    } catch (err) {
      toast(ipc.errorText(err), 'error');
    }
  });
  state.profiles.subscribe(render);
}
