//! The Account panel around the Connect flow: the one-line connection summary, Disconnect, the
//! two fallbacks (a personal access token, pasting the callback address) and the sandbox demo.
//! Profile settings live in `profile.ts`, the Connect flow itself in `login.ts`.

import * as ipc from '../ipc';
import { busy, byId, message, show } from '../dom';
import { fieldError, toast } from '../notify';
import * as state from '../state';
import { signedInElsewhere } from './login';

export function initAccount(): void {
  byId('btn-disconnect').addEventListener('click', () => void disconnect());
  byId<HTMLFormElement>('pat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void usePersonalToken();
  });
  byId<HTMLFormElement>('paste-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void pasteCallback();
  });
  byId('btn-sandbox-demo').addEventListener('click', () => void startSandbox());

  state.status.subscribe(renderSummary);
  state.statusError.subscribe(renderSummary);
  state.profileView.subscribe(renderSummary);
  state.currentProfile.subscribe(() => {
    message(byId('pat-error'), null);
    message(byId('paste-error'), null);
  });
  state.info.subscribe((info) => {
    if (!info) return;
    byId('app-paths').textContent = `Settings are kept in ${info.config_home}; logs in ${info.log_dir}.`;
    if (info.sandbox_base_url) showSandbox(info.sandbox_base_url);
  });
  renderSummary();
}

function renderSummary(): void {
  const timed = state.status.value;
  const profile = state.currentProfile.value;
  const view = state.profileView.value;
  const summary = byId('connect-summary');
  const disconnect = byId<HTMLButtonElement>('btn-disconnect');
  disconnect.disabled = !timed || timed.view.state === 'disconnected';

  if (!timed) {
    // As the badges say: still checking, or the state couldn't be read (why, in Rust's words).
    const error = state.statusError.value;
    summary.textContent = error ? `The state of profile “${profile}” couldn’t be read: ${error}` : `Checking profile “${profile}”…`;
    return;
  }
  const how = timed.view.auth === 'personal_token' ? 'a personal access token' : 'OAuth';
  let text: string;
  switch (timed.view.state) {
    case 'connected':
      text = `Profile “${profile}” is connected to thanks.io with ${how}.`;
      break;
    case 'expired':
      text = timed.view.has_refresh_token
        ? `Profile “${profile}” is connected to thanks.io with ${how}; its access token is being renewed.`
        : `The access token of “${profile}” has expired and there is no refresh token; connect again.`;
      break;
    case 'needs_reconnect':
      text = `thanks.io no longer accepts the sign-in of “${profile}”; connect again.`;
      break;
    case 'rejected':
      text = `thanks.io no longer accepts the personal access token of “${profile}”; paste a new one below.`;
      break;
    case 'disconnected':
      text = `Profile “${profile}” is not connected.`;
      if (view && !view.client_id) text += ' Set its client ID under Profile settings before connecting, or use a personal access token.';
      break;
  }
  summary.textContent = text;
}

async function disconnect(): Promise<void> {
  const profile = state.currentProfile.value;
  const button = byId<HTMLButtonElement>('btn-disconnect');
  await busy(button, async () => {
    try {
      state.setStatus(await ipc.authLogout(profile));
      message(byId('login-message'), null);
      toast(`Disconnected profile “${profile}”.`);
    } catch (e) {
      toast(ipc.errorText(e), 'error');
    }
  }, renderSummary);
}

async function usePersonalToken(): Promise<void> {
  const input = byId<HTMLInputElement>('pat-input');
  const error = byId('pat-error');
  const token = input.value.trim();
  if (!token) {
    fieldError(input, error, 'Paste a personal access token first.');
    return;
  }
  const profile = state.currentProfile.value;
  // Rust asks thanks.io before storing anything, which takes a moment.
  await busy(byId<HTMLButtonElement>('btn-use-pat'), async () => {
    try {
      state.setStatus(await ipc.authWithToken(profile, token));
      input.value = '';
      fieldError(input, error, null);
      toast(`thanks.io accepted the token; it is saved for “${profile}”.`);
    } catch (e) {
      fieldError(input, error, ipc.errorText(e));
    }
  });
}

async function pasteCallback(): Promise<void> {
  const input = byId<HTMLInputElement>('paste-callback');
  const error = byId('paste-error');
  const url = input.value.trim();
  if (!url) {
    fieldError(input, error, 'Paste the address from your browser’s address bar first.');
    return;
  }
  await busy(byId<HTMLButtonElement>('btn-paste-callback'), async () => {
    try {
      const view = await ipc.authPaste(url);
      state.setStatus(view);
      signedInElsewhere(view.profile);
      input.value = '';
      fieldError(input, error, null);
      toast(`Signed in: profile “${view.profile}” is connected.`);
    } catch (e) {
      fieldError(input, error, ipc.errorText(e));
    }
  });
}

/** *Try it with the sandbox*, from this panel or the first-run screen (`button` is the one clicked). */
export async function startSandbox(button = byId<HTMLButtonElement>('btn-sandbox-demo')): Promise<void> {
  await busy(button, async () => {
    try {
      const sandbox = await ipc.sandboxStart();
      await state.reloadProfiles();
      await state.selectProfile(sandbox.profile);
      showSandbox(sandbox.base_url);
      toast(`Sandbox running; profile “${sandbox.profile}” selected. Click Connect to sign in.`);
      byId('btn-connect').focus();
    } catch (e) {
      toast(ipc.errorText(e), 'error');
    }
  });
}

function showSandbox(baseUrl: string): void {
  const el = byId('sandbox-status');
  el.textContent = `Running at ${baseUrl}`;
  show(el, true);
}
