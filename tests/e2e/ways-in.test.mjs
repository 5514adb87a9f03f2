// The first run's ways in, each followed to its end in the real window (issue 11): the admin's
// (copy the redirect URI, enter the client, Copy setup link, Export setup… through the real
// save dialog), a setup opened through the real file dialog to connected, a personal access
// token, and setups that can't be used (damaged, another program's JSON, a newer version, 10 MB,
// endpoints that are not thanks.io's), and a setup file double-clicked and a setup link clicked
// through the desktop itself (GIO, with the .deb's MIME type and desktop entry). The GTK dialogs and the clipboard are outside the page:
// desktop.mjs answers the dialogs with the keyboard (xdotool) and reads the clipboard (xclip).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { answerFileDialog, clipboardText } from './desktop.mjs';
import {
  APP_BIN,
  DEBUG_REDIRECT_URI,
  assertAgreement,
  assertEnvironment,
  connect,
  profileUid,
  run,
  scenario,
  secretLookup,
} from './harness.mjs';
import { PASSPHRASE, SCHEME, adminSetup, configHas, dialogClosed, dialogShows } from './setups.mjs';

assertEnvironment();

const CLIENT_ID = 'acme-desktop';
const CLIENT_SECRET = 'CANARY-acme-client-secret';

async function firstRun(app) {
  await app.waitFor(() => app.displayed('#first-run'), { timeout: 10_000, message: 'the first-run screen', show: ['#first-run', '#panel-account'] });
}

async function toastSays(app, re) {
  await app.waitFor(async () => re.test(await app.text('#toast')), { timeout: 20_000, message: `a toast matching ${re}`, show: ['#toast'] });
}

scenario('20. First run, “I’m setting this up for my team”: the client entered, then Copy setup link and Export setup… for the team', async (s) => {
  const app = await s.startApp();
  await firstRun(app);
  await app.click('#firstrun-copy-redirect');
  await toastSays(app, /Redirect URI copied/);
  assert.equal(await clipboardText(), DEBUG_REDIRECT_URI, 'the redirect URI to register is on the clipboard');

  await app.session.clear('#firstrun-admin-name');
  await app.type('#firstrun-admin-name', 'Acme');
  await app.type('#firstrun-admin-client-id', CLIENT_ID);
  await app.type('#firstrun-admin-secret', CLIENT_SECRET);
  await app.click('#firstrun-admin-save');
  await app.waitFor(async () => !(await app.displayed('#first-run')) && (await app.displayed('#panel-account')), {
    timeout: 15_000, message: 'the Account panel after saving', show: ['#first-run', '#firstrun-admin-error'],
  });
  assert.equal(await app.prop('#profile-select', 'value'), 'Acme');
  assert.equal(await secretLookup(await profileUid(s.home, 'Acme'), 'client-secret'), CLIENT_SECRET);
  // Profile settings show what was saved: thanks.io's endpoints, this build's redirect URI.
  assert.equal(await app.prop('#set-client-id', 'value'), CLIENT_ID);
  assert.equal(await app.prop('#set-redirect-uri', 'value'), DEBUG_REDIRECT_URI);
  assert.match(await app.prop('#set-token-url', 'value'), /^https:\/\/[^/]*thanks\.io\//);

  // Copy setup link: the same fields, never the secret.
  await app.click('#btn-copy-setup-link');
  await toastSays(app, /Setup link copied/);
  const link = await clipboardText();
  assert.ok(link.startsWith(`${SCHEME}://setup?v=1&name=Acme&`), link);
  assert.ok(link.includes(`client_id=${CLIENT_ID}`), link);
  assert.ok(!link.includes(CLIENT_SECRET), 'the link carries the secret');
  assert.match(await app.text('#setup-link'), new RegExp(`Copied: ${SCHEME.replace(/\./g, '\\.')}://setup\\?`));

  // Export setup…: a passphrase too short is refused before anything is asked or written.
  await app.click('#btn-export-setup');
  await app.click('#export-with-secret');
  await app.type('#export-passphrase', 'short');
  await app.click('#btn-export-save');
  await app.waitFor(() => app.displayed('#export-error'), { timeout: 10_000, message: 'the short passphrase to be refused', show: ['#export-error'] });
  assert.match(await app.text('#export-error'), /passphrase/i);
  await app.session.clear('#export-passphrase');
  await app.type('#export-passphrase', PASSPHRASE);
  const file = join(s.dir, 'for the team.thanksconnect');
  await app.click('#btn-export-save');
  await answerFileDialog('Save the setup for your team', file);
  await toastSays(app, /Setup saved to/);
  const text = await readFile(file, 'utf8');
  const saved = JSON.parse(text);
  assert.equal(saved.format, 'thanks-connect-setup');
  assert.equal(saved.client_id, CLIENT_ID);
  assert.equal(saved.redirect_uri, DEBUG_REDIRECT_URI);
  assert.match(saved.encrypted_client_secret, /-----BEGIN AGE ENCRYPTED FILE-----/);
  assert.ok(!text.includes(CLIENT_SECRET), 'the secret is in the file unencrypted');
  assert.equal(await app.displayed('#export-form'), false, 'the form closes once saved');

  // The team member's computer opens it with the passphrase: the same client and secret.
  const other = join(s.dir, 'member-home');
  const imported = await s.thanksctl(['profile', 'import', file, '--passphrase-stdin'], {
    env: s.env({ THANKS_CONNECT_HOME: other }), input: `${PASSPHRASE}\n`,
  });
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(await secretLookup(await profileUid(other, 'Acme'), 'client-secret'), CLIENT_SECRET);
});

scenario('21. First run, “Open the setup file…” through the file dialog, to connected', async (s) => {
  const sandbox = await s.startStandaloneSandbox();
  const file = await adminSetup(s, sandbox, { withSecret: true });
  const app = await s.startApp();
  await firstRun(app);
  await app.click('#firstrun-import');
  await answerFileDialog('Open a setup from your team', file);
  await dialogShows(app, 'Add the profile “Team”?');
  await app.type('#setup-passphrase', PASSPHRASE);
  await app.click('#setup-confirm');
  await dialogClosed(app);
  await connect(s, app, 'Team');
  await assertAgreement(s, app, 'Team', 'connected');

  // The same setup again through Import setup…: asked first, and replacing a profile with the
  // same endpoints and client keeps its sign-in.
  await app.click('#btn-import-setup');
  await answerFileDialog('Open a setup from your team', file);
  await dialogShows(app, 'Add the profile “Team”?');
  assert.match(await app.text('#setup-exists'), /already exists.*replaces its settings/);
  assert.equal(await app.text('#setup-confirm'), 'Replace “Team”');
  await app.type('#setup-passphrase', PASSPHRASE);
  await app.click('#setup-confirm');
  await dialogClosed(app);
  await assertAgreement(s, app, 'Team', 'connected');
});

scenario('22. First run, “I have a personal access token”: a plain refusal, then connected', async (s) => {
  const app = await s.startApp();
  await firstRun(app);
  await app.type('#firstrun-pat', 'two words');
  await app.click('#firstrun-pat-save');
  await app.waitFor(() => app.displayed('#firstrun-pat-error'), { timeout: 10_000, message: 'the token to be refused', show: ['#firstrun-pat-error'] });
  assert.match(await app.text('#firstrun-pat-error'), /contains spaces/);
  assert.equal(existsSync(join(s.home, 'config.toml')), false, 'a refused token creates no profile');
  await app.session.clear('#firstrun-pat');
  const token = 'CANARY-personal-token-0123456789';
  await app.type('#firstrun-pat', token);
  await app.click('#firstrun-pat-save');
  await app.waitFor(async () => !(await app.displayed('#first-run')) && (await app.displayed('#panel-account')), {
    timeout: 15_000, message: 'the Account panel after the token', show: ['#first-run', '#firstrun-pat-error'],
  });
  assert.equal(await secretLookup(await profileUid(s.home, 'default'), 'personal-token'), token);
  await assertAgreement(s, app, 'default', 'connected');
});

scenario('23. Setups that can’t be used say why in plain words and change nothing; foreign endpoints are warned about', async (s) => {
  const sandbox = await s.startStandaloneSandbox();
  const good = await readFile(await adminSetup(s, sandbox), 'utf8');
  const made = await s.thanksctl(['--profile', 'Mine', 'profile', 'set', '--client-id', 'mine']);
  assert.equal(made.code, 0, made.stderr);
  const config = await readFile(join(s.home, 'config.toml'), 'utf8');
  const app = await s.startApp();

  const cases = [
    ['truncated.thanksconnect', good.slice(0, good.length / 2), /damaged.*ask for a new one/],
    ['other.thanksconnect', JSON.stringify({ name: 'Team', items: [1, 2] }), /not a Thanks Connect setup file/],
    ['newer.thanksconnect', good.replace('"version": 1', '"version": 7').replace('"version":1', '"version":7'), /newer version of Thanks Connect.*update the app/],
    ['huge.thanksconnect', 'x'.repeat(10 * 1024 * 1024), /too large to be a Thanks Connect setup/],
  ];
  for (const [name, body, why] of cases) {
    const file = join(s.dir, name);
    await writeFile(file, body);
    // A double-click on the file while the app runs: a second launch with it.
    const second = await run(APP_BIN, [file], { env: s.env() });
    assert.equal(second.code, 0, second.stderr);
    await dialogShows(app, 'This setup can’t be used');
    assert.match(await app.text('#setup-error'), why, name);
    assert.match(await app.text('#setup-error'), /[Nn]othing was changed/, name);
    assert.equal(await app.displayed('#setup-confirm'), false, `${name}: nothing to confirm`);
    await app.click('#setup-cancel');
    await dialogClosed(app);
  }
  // The same through Import setup… on the Account panel.
  await app.click('#btn-import-setup');
  await answerFileDialog('Open a setup from your team', join(s.dir, 'truncated.thanksconnect'));
  await dialogShows(app, 'This setup can’t be used');
  await app.click('#setup-cancel');
  await dialogClosed(app);
  assert.equal(await readFile(join(s.home, 'config.toml'), 'utf8'), config, 'the config is untouched');

  // Endpoints that are not thanks.io's: shown, with a warning, before anything is created.
  const foreign = join(s.dir, 'foreign.thanksconnect');
  await writeFile(foreign, good.replaceAll(sandbox.base_url, 'https://thanks-io.example.net'));
  await run(APP_BIN, [foreign], { env: s.env() });
  await dialogShows(app, 'Add the profile “Team”?');
  assert.equal(await app.text('#setup-endpoints'), 'Not thanks.io');
  assert.equal(await app.attr('#setup-endpoints-note', 'data-endpoints'), 'other');
  assert.match(await app.text('#setup-endpoints-note'), /not thanks\.io's \(thanks-io\.example\.net\).*continue only if your team told you/);
  await app.click('#setup-cancel');
  await dialogClosed(app);
  assert.equal(await configHas(s, 'Team'), false);
});

/**
 * Installs the .deb's desktop entry and MIME type into the scenario's desktop (XDG_DATA_HOME)
 * and updates the caches, as dpkg's triggers do; `thanks-connect` (the entry's Exec) is put on
 * the returned PATH. Only usr/share is unpacked (the binary is the one under test).
 */
async function installDeb(s) {
  const debs = join(dirname(APP_BIN), 'bundle/deb');
  const deb = (await readdir(debs)).find((f) => f.endsWith('.deb'));
  assert.ok(deb, `no .deb in ${debs}`);
  const root = join(s.dir, 'deb');
  await mkdir(root, { recursive: true });
  const tar = await run('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" usr/share', 'sh', join(debs, deb), root]);
  assert.equal(tar.code, 0, tar.stderr);
  const data = join(s.dir, 'xdg-data');
  for (const sub of ['applications', 'mime/packages']) {
    await mkdir(join(data, sub), { recursive: true });
    for (const f of await readdir(join(root, 'usr/share', sub))) await copyFile(join(root, 'usr/share', sub, f), join(data, sub, f));
  }
  for (const [cmd, dir] of [['update-mime-database', 'mime'], ['update-desktop-database', 'applications']]) {
    const r = await run(cmd, [join(data, dir)]);
    assert.equal(r.code, 0, `${cmd}: ${r.stderr}`);
  }
  const bin = join(s.dir, 'bin');
  await mkdir(bin, { recursive: true });
  await symlink(APP_BIN, join(bin, 'thanks-connect'));
  return `${bin}:${process.env.PATH}`;
}

scenario('24. Through the desktop: a setup file double-clicked (the .deb’s MIME type) and a setup link clicked open the confirmation', async (s) => {
  const sandbox = await s.startStandaloneSandbox();
  const file = await adminSetup(s, sandbox, { withSecret: true });
  const link = await adminSetup(s, sandbox, { link: true, name: 'Linked' });
  const env = { PATH: await installDeb(s) };
  const app = await s.startApp({ env });
  await firstRun(app);

  // What the file manager asks GIO: the file's type, then its default application.
  const type = await run('gio', ['info', '--attributes=standard::content-type', file], { env: s.env(env) });
  assert.match(type.stdout, /standard::content-type: application\/x-thanksconnect/, type.stdout + type.stderr);
  const opened = await run('gio', ['open', file], { env: s.env(env) });
  assert.equal(opened.code, 0, opened.stderr);
  await dialogShows(app, 'Add the profile “Team”?');
  assert.equal(await app.displayed('#setup-passphrase'), true);
  await app.click('#setup-cancel');
  await dialogClosed(app);

  // A setup link clicked in a mail or a wiki page: the scheme's handler, registered by the app.
  const clicked = await run('gio', ['open', link], { env: s.env(env) });
  assert.equal(clicked.code, 0, clicked.stderr);
  await dialogShows(app, 'Add the profile “Linked”?');
  await app.type('#setup-client-secret', sandbox.client_secret);
  await app.click('#setup-confirm');
  await dialogClosed(app);
  await connect(s, app, 'Linked');
  await assertAgreement(s, app, 'Linked', 'connected');
});
