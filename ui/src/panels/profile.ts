//! Profiles: the switcher in the top bar, and on the Account panel the settings form (edit the
//! current profile or add a new one) plus Remove with an inline confirmation. Field checks are
//! Rust's: an `input.invalid` error names the field, and its message goes next to that field;
//! a new profile's name (a display name like "Acme Marketing") is also checked as it is typed.
//! The client secret is write-only here: the form never shows it, only whether one is set.
//! Under the redirect URI, the address to register in thanks.io (copied by Rust), whether
//! thanks.io will accept it (Rust's `redirect_form`), and the alternatives.

import * as ipc from '../ipc';
import type { ProfileSettings, ProfileView } from '../ipc';
import { busy, byId, h, message, show } from '../dom';
import { announce, fieldError, toast } from '../notify';
import { nameProblem } from '../profile-name';
import * as state from '../state';

const DEFAULT_PROFILE = 'default';
/** The documented fallback when thanks.io refuses the app's own scheme. */
const LOOPBACK_FALLBACK = 'http://127.0.0.1:53682/callback';

/** Form inputs by the contract's key names (`field` in `input.invalid` errors uses these). */
const FIELDS = {
  name: 'set-name',
  authorize_url: 'set-authorize-url',
  token_url: 'set-token-url',
  api_base: 'set-api-base',
  client_id: 'set-client-id',
  client_secret: 'set-client-secret',
  redirect_uri: 'set-redirect-uri',
  scope: 'set-scope',
} as const;
type FieldKey = keyof typeof FIELDS;

let adding = false;

const input = (key: FieldKey) => byId<HTMLInputElement>(FIELDS[key]);
const errorOf = (key: FieldKey) => byId(`${FIELDS[key]}-error`);

export function initProfiles(): void {
  const select = byId<HTMLSelectElement>('profile-select');
  select.addEventListener('change', () => void switchTo(select.value));
  state.profiles.subscribe(renderSwitcher);
  state.currentProfile.subscribe(renderSwitcher);

  const form = byId<HTMLFormElement>('profile-form');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void save();
  });
  form.addEventListener('input', (e) => {
    const key = (Object.keys(FIELDS) as FieldKey[]).find((k) => FIELDS[k] === (e.target as HTMLElement).id);
    if (key === 'name') fieldError(input(key), errorOf(key), newNameProblem(input(key).value));
    else if (key) fieldError(input(key), errorOf(key), null);
  });
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && adding) {
      e.preventDefault();
      stopAdding();
    }
  });
  byId('btn-reset-profile').addEventListener('click', () => (adding ? stopAdding() : fill(state.profileView.value)));
  byId('btn-add-profile').addEventListener('click', () => void startAdding());

  // Saving new endpoints or a new client id on a connected profile disconnects it: Rust refuses
  // with `profile.disconnects` until the user said yes here.
  byId('btn-disconnect-confirm').addEventListener('click', () => {
    show(byId('save-disconnect-confirm'), false);
    void save(true);
  });
  byId('btn-disconnect-cancel').addEventListener('click', closeDisconnect);
  byId('save-disconnect-confirm').addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      closeDisconnect();
    }
  });

  byId('btn-copy-redirect').addEventListener('click', () => void copyRedirect());
  byId('btn-remove-profile').addEventListener('click', askRemove);
  byId('btn-remove-cancel').addEventListener('click', closeRemove);
  byId('btn-remove-confirm').addEventListener('click', () => void remove());
  byId('remove-confirm').addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      closeRemove();
    }
  });

  state.profileView.subscribe((view) => {
    if (!adding) fill(view);
  });
  state.profileError.subscribe((text) => message(byId('profile-form-error'), text, 'error'));
  state.currentProfile.subscribe(() => {
    adding = false;
    closeRemove();
    show(byId('save-disconnect-confirm'), false);
  });
}

function renderSwitcher(): void {
  const select = byId<HTMLSelectElement>('profile-select');
  const current = state.currentProfile.value;
  const names = state.profiles.value.includes(current) ? state.profiles.value : [...state.profiles.value, current];
  select.replaceChildren(...names.map((name) => h('option', { value: name }, name)));
  select.value = current;
  const remove = byId<HTMLButtonElement>('btn-remove-profile');
  // Any saved profile can go (the last one gone, the first-run screen comes back).
  remove.disabled = !state.profiles.value.includes(current);
}

export async function switchTo(name: string): Promise<void> {
  try {
    await state.selectProfile(name);
    announce(`Profile “${name}” selected.`);
  } catch (e) {
    toast(ipc.errorText(e), 'error');
  }
}

function fill(view: ProfileView | null): void {
  clearErrors();
  show(byId('field-name'), adding);
  show(byId('btn-remove-profile'), !adding);
  byId('btn-save-profile').textContent = adding ? 'Create profile' : 'Save profile';
  byId('btn-reset-profile').textContent = adding ? 'Cancel' : 'Discard changes';
  if (!view) return;
  input('authorize_url').value = view.authorize_url;
  input('token_url').value = view.token_url;
  input('api_base').value = view.api_base;
  input('client_id').value = adding ? '' : view.client_id;
  input('redirect_uri').value = view.redirect_uri;
  input('scope').value = view.scope ?? '';
  input('client_secret').value = '';

  const secretSet = !adding && view.has_client_secret;
  const pill = byId('client-secret-state');
  pill.textContent = secretSet ? 'set' : 'not set';
  pill.dataset['kind'] = secretSet ? 'ok' : 'muted';
  input('client_secret').placeholder = secretSet ? '•••••••• (stored; type to replace)' : '';
  byId('set-client-secret-hint').textContent = secretSet
    ? 'Leave empty to keep the stored secret.'
    : 'Optional: public clients (PKCE only) don’t need one.';

  renderRegister(adding ? null : view);

  const revocation = byId('set-revocation-url');
  message(revocation, !adding && view.revocation_url ? `Revocation URL: ${view.revocation_url}` : null);

  byId('profile-mode').textContent = adding
    ? 'A new profile starts from the default profile’s addresses; give it a name and its own client ID.'
    : view.saved
      ? `Settings of profile “${view.name}”.`
      : `Profile “${view.name}” uses the built-in thanks.io settings; saving stores them in your settings file.`;
}

/** What to register in thanks.io: the saved redirect URI, the verdict on it, the other forms. */
function renderRegister(view: ProfileView | null): void {
  show(byId('redirect-register'), view !== null);
  if (!view) return;
  byId<HTMLInputElement>('redirect-register-uri').value = view.redirect_uri;
  const form = view.redirect_form;
  message(byId('redirect-register-advice'), form.advice, form.accepted ? 'info' : 'error');
  const appDefault = state.info.value?.default_redirect_uri ?? view.default_redirect_uri;
  const alternatives =
    form.kind === 'loopback_ip'
      ? `Or register the app’s own address, ${appDefault}, and clear the field above to use it.`
      : `If thanks.io refuses it, register the loopback address ${LOOPBACK_FALLBACK} instead and enter it above: every thanks.io version accepts it, and Thanks Connect listens there only while you sign in.`;
  byId('redirect-register-alternatives').textContent = view.redirect_uri_custom
    ? `${alternatives} Clearing the field goes back to the default, ${view.default_redirect_uri}.`
    : alternatives;
}

async function copyRedirect(): Promise<void> {
  const name = state.currentProfile.value;
  await busy(byId<HTMLButtonElement>('btn-copy-redirect'), async () => {
    try {
      await ipc.profileCopyRedirect(name);
      toast('Redirect URI copied; paste it into thanks.io’s OAuth client settings.');
    } catch (e) {
      toast(ipc.errorText(e), 'error');
    }
  });
}

async function startAdding(): Promise<void> {
  closeRemove();
  let base: ProfileView | null = state.profileView.value;
  try {
    base = await ipc.profileGet(DEFAULT_PROFILE);
  } catch {
    // Fall back to the current profile's addresses; the user edits them anyway.
  }
  adding = true;
  fill(base);
  input('name').value = '';
  input('name').focus();
  announce('Adding a profile. Fill in the form and choose Create profile, or press Escape to cancel.');
}

/** What is wrong with `name` for a new profile (its shape, or that it is taken), or null. */
function newNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed !== '' && state.profiles.value.includes(trimmed)) return `There is already a profile named “${trimmed}”.`;
  return nameProblem(name);
}

function stopAdding(): void {
  adding = false;
  fill(state.profileView.value);
  byId('btn-add-profile').focus();
}

function readSettings(): ProfileSettings {
  const v = (key: FieldKey) => input(key).value.trim();
  return {
    authorize_url: v('authorize_url'),
    token_url: v('token_url'),
    api_base: v('api_base'),
    client_id: v('client_id'),
    redirect_uri: v('redirect_uri'),
    scope: v('scope'),
  };
}

async function save(disconnect = false): Promise<void> {
  clearErrors();
  show(byId('save-disconnect-confirm'), false);
  const name = adding ? input('name').value.trim() : state.currentProfile.value;
  const problem = adding ? newNameProblem(name) : null;
  if (problem) return showError(new ipc.IpcError('input.invalid', problem, 'name'));
  const secret = input('client_secret').value;
  await busy(byId<HTMLButtonElement>('btn-save-profile'), async () => {
    try {
      const view = await ipc.profileSave(name, readSettings(), secret === '' ? null : secret, disconnect);
      if (adding) {
        adding = false;
        await state.reloadProfiles();
        await state.selectProfile(view.name);
        toast(`Profile “${view.name}” created and selected.`);
      } else {
        state.profileView.set(view);
        toast(disconnect ? `Profile “${view.name}” saved and disconnected; connect it again.` : `Profile “${view.name}” saved.`);
        if (disconnect) await state.refreshStatus();
      }
    } catch (e) {
      if (e instanceof ipc.IpcError && e.code === 'profile.disconnects') {
        byId('save-disconnect-text').textContent = e.message;
        show(byId('save-disconnect-confirm'), true);
        byId('btn-disconnect-cancel').focus();
        return;
      }
      showError(e);
    }
  });
}

function showError(e: unknown): void {
  const key = e instanceof ipc.IpcError && e.field ? fieldKey(e.field) : null;
  if (key) {
    fieldError(input(key), errorOf(key), ipc.errorText(e));
    input(key).focus();
  } else {
    message(byId('profile-form-error'), ipc.errorText(e), 'error');
    announce(ipc.errorText(e), true);
  }
}

/** Accepts `token_url` as well as a dotted path like `settings.token_url`. */
function fieldKey(field: string): FieldKey | null {
  const last = field.split('.').pop() ?? field;
  return last in FIELDS ? (last as FieldKey) : null;
}

function clearErrors(): void {
  for (const key of Object.keys(FIELDS) as FieldKey[]) fieldError(input(key), errorOf(key), null);
  message(byId('profile-form-error'), null);
}

function closeDisconnect(): void {
  show(byId('save-disconnect-confirm'), false);
  byId('btn-save-profile').focus();
}

function askRemove(): void {
  const name = state.currentProfile.value;
  byId('remove-confirm-text').textContent =
    `Remove profile “${name}”? Its settings are deleted from this computer; connect again if you add it back.`;
  show(byId('remove-confirm'), true);
  byId('btn-remove-cancel').focus();
}

function closeRemove(): void {
  const box = byId('remove-confirm');
  const hadFocus = box.contains(document.activeElement);
  show(box, false);
  if (hadFocus) byId('btn-remove-profile').focus();
}

async function remove(): Promise<void> {
  const name = state.currentProfile.value;
  await busy(byId<HTMLButtonElement>('btn-remove-confirm'), async () => {
    try {
      await ipc.profileRemove(name);
      show(byId('remove-confirm'), false);
      const names = await state.reloadProfiles();
      await state.selectProfile(names.includes(DEFAULT_PROFILE) ? DEFAULT_PROFILE : names[0] ?? DEFAULT_PROFILE);
      toast(`Profile “${name}” removed.`);
      byId('profile-select').focus();
    } catch (e) {
      toast(ipc.errorText(e), 'error');
    }
  });
}
