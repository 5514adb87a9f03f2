// Connect by clicking (issue 11): the first run with no profile, setups from a team (a file
// with and without its encrypted client secret, a link arriving warm and cold), the click count
// from first start to connected, and Check this computer with the keyring gone and with the
// link handler unregistered. A setup dropped on the window can't be driven over WebDriver; the
// drop handler is tested at the IPC level (src-tauri/tests/ipc/setup.rs).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  APP_BIN,
  DEBUG_REDIRECT_URI,
  assertAgreement,
  assertEnvironment,
  connect,
  profileUid,
  run,
  sandboxStats,
  scenario,
  secretLookup,
} from './harness.mjs';
import { assertDialogFits } from './layout.mjs';
import { PASSPHRASE, SCHEME, adminSetup, configHas, dialogClosed, dialogShows } from './setups.mjs';

assertEnvironment();

scenario('13. First run with no profile: the four ways in, in plain words', async (s) => {
  const app = await s.startApp();
  await app.waitFor(() => app.displayed('#first-run'), { timeout: 10_000, message: 'the first-run screen', show: ['#first-run', '#panel-account'] });
  assert.equal(await app.displayed('#panel-account'), false, 'no Account panel without a profile');
  assert.match(await app.text('#way-setup-title'), /I have a setup from my team/);
  assert.match(await app.text('#way-token-title'), /I have a personal access token/);
  assert.match(await app.text('#way-sandbox-title'), /Just try it/);
  assert.match(await app.text('#way-admin-title'), /I’m setting this up for my team/);
  assert.equal(await app.prop('#firstrun-redirect', 'value'), DEBUG_REDIRECT_URI, 'the admin guide shows the redirect URI to register');
  assert.equal(await app.enabled('#nav-console'), false);
  await s.screenshot(app, 'quickstart-1-first-run');
  // No profile was made by looking.
  assert.equal(existsSync(join(s.home, 'config.toml')), false);

  await app.click('#firstrun-sandbox');
  await app.waitFor(async () => !(await app.displayed('#first-run')) && (await app.displayed('#panel-account')), {
    timeout: 15_000, message: 'the sandbox to start and the Account panel to show', show: ['#first-run', '#toast'],
  });
  assert.equal(await app.prop('#profile-select', 'value'), 'Sandbox');
});

scenario('14. From first start to connected with a setup file: three clicks plus the consent page', async (s) => {
  const sandbox = await s.startStandaloneSandbox();
  const file = await adminSetup(s, sandbox, { withSecret: true });
  let clicks = 0;
  const click = async (sel) => {
    clicks += 1;
    s.log(`click ${clicks}: ${sel}`);
    await app.click(sel);
  };
  // Click 1: the double-click on the file, which the desktop turns into launching the app with it.
  clicks += 1;
  s.log(`click ${clicks}: double-click ${file}`);
  const app = await s.startApp({ args: [file] });
  await dialogShows(app, 'Add the profile “Team”?');
  assert.match(await app.text('#setup-endpoints'), /local sandbox/);
  assert.match(await app.text('#setup-endpoints-note'), /local sandbox on this computer/);
  assert.equal(await app.displayed('#setup-passphrase'), true, 'the passphrase is asked for');
  await app.type('#setup-passphrase', PASSPHRASE);
  await assertDialogFits(app, '#setup-dialog', 'the setup confirmation');
  await s.screenshot(app, 'quickstart-2-setup');
  await click('#setup-confirm');
  await dialogClosed(app);
  await app.waitFor(async () => /Profile “Team” is not connected/.test(await app.text('#connect-summary')), {
    timeout: 10_000, message: 'profile "Team" to be selected', show: ['#connect-summary', '#profile-select'],
  });
  const uid = await profileUid(s.home, 'Team');
  assert.equal(await secretLookup(uid, 'client-secret'), sandbox.client_secret, 'the secret is in the keyring');

  // Click 3: Connect; the "browser" approves on the consent page (not a click in the app).
  await app.watch(['#login-waiting', '#login-message']);
  await click('#btn-connect');
  await app.waitFor(async () => (await app.attr('#login-message', 'data-kind')) === 'ok', {
    timeout: 20_000, message: 'the sign-in to finish', show: ['#login-message', '#login-waiting'],
  });
  await assertAgreement(s, app, 'Team', 'connected');
  assert.equal((await sandboxStats(sandbox.base_url)).authorization_code_grants, 1);
  s.log(`connected after ${clicks} clicks plus the consent page`);
  assert.ok(clicks <= 3, `${clicks} clicks from first start to connected`);
  await s.screenshot(app, 'quickstart-3-connected');
});

scenario('15. A setup file with an encrypted secret: a wrong passphrase changes nothing, the right one works', async (s) => {
  const sandbox = await s.startStandaloneSandbox();
  const file = await adminSetup(s, sandbox, { withSecret: true });
  const app = await s.startApp({ args: [file] });
  await dialogShows(app, 'Add the profile “Team”?');
  await app.type('#setup-passphrase', 'not the passphrase');
  await app.click('#setup-confirm');
  await app.waitFor(() => app.displayed('#setup-passphrase-error'), { timeout: 15_000, message: 'the wrong passphrase to be reported', show: ['#setup-passphrase-error', '#setup-error'] });
  assert.match(await app.text('#setup-passphrase-error'), /doesn't open this setup's client secret.*Nothing was changed/);
  assert.equal(await app.prop('#setup-dialog', 'open'), true, 'the confirmation stays for another try');
  assert.equal(await configHas(s, 'Team'), false, 'nothing was created');
  await app.session.clear('#setup-passphrase');
  await app.type('#setup-passphrase', PASSPHRASE);
  await app.click('#setup-confirm');
  await dialogClosed(app);
  await connect(s, app, 'Team');
  await assertAgreement(s, app, 'Team', 'connected');
});

scenario('16. A setup file without the secret asks for it; importing over a profile asks first', async (s) => {
  const sandbox = await s.startStandaloneSandbox();
  const file = await adminSetup(s, sandbox);
  const app = await s.startApp({ args: [file] });
  await dialogShows(app, 'Add the profile “Team”?');
  assert.equal(await app.displayed('#setup-passphrase'), false);
  await app.click('#setup-confirm');
  await app.waitFor(() => app.displayed('#setup-client-secret-error'), { timeout: 10_000, message: 'the missing secret to be reported', show: ['#setup-client-secret-error'] });
  await app.type('#setup-client-secret', sandbox.client_secret);
  await app.click('#setup-confirm');
  await dialogClosed(app);
  await connect(s, app, 'Team');

  // The same file again (a second launch with it, as a double-click in a running app does).
  const second = await run(APP_BIN, [file], { env: s.env() });
  assert.equal(second.code, 0, second.stderr);
  await dialogShows(app, 'Add the profile “Team”?');
  assert.match(await app.text('#setup-exists'), /already exists.*replaces its settings/);
  assert.equal(await app.text('#setup-confirm'), 'Replace “Team”');
  await app.click('#setup-cancel');
  await dialogClosed(app);
  await assertAgreement(s, app, 'Team', 'connected');
});

scenario('17. A setup link arriving by deep link, warm (app running) and cold (app launched by it)', async (s) => {
  const sandbox = await s.startStandaloneSandbox();
  const link = await adminSetup(s, sandbox, { link: true, name: 'Linked' });
  assert.ok(link.startsWith(`${SCHEME}://setup?v=1&name=Linked`), link);

  // Warm: the OS hands the link to a second instance, which passes it to the running app.
  const app = await s.startApp();
  await app.waitFor(() => app.displayed('#first-run'), { timeout: 10_000, message: 'the first-run screen' });
  const second = await run(APP_BIN, [link], { env: s.env() });
  assert.equal(second.code, 0, second.stderr);
  await dialogShows(app, 'Add the profile “Linked”?');
  assert.equal(await app.displayed('#setup-client-secret'), true, 'a link never carries the secret: it is asked for');
  await app.click('#setup-cancel');
  await dialogClosed(app);
  assert.equal(await configHas(s, 'Linked'), false, 'Cancel creates nothing');

  // Cold: the app is closed, and launched with the link.
  await app.closeApp();
  await app.openSession([link]);
  await dialogShows(app, 'Add the profile “Linked”?');
  await app.type('#setup-client-secret', sandbox.client_secret);
  await app.click('#setup-confirm');
  await dialogClosed(app);
  await connect(s, app, 'Linked');
  await assertAgreement(s, app, 'Linked', 'connected');
});

scenario('18. Check this computer: the link handler unregistered, then registered by the app', async (s) => {
  const sandbox = await s.startStandaloneSandbox();
  const file = await adminSetup(s, sandbox, { withSecret: true });
  const imported = await s.thanksctl(['profile', 'import', file, '--passphrase-stdin'], { input: `${PASSPHRASE}\n` });
  assert.equal(imported.code, 0, imported.stderr);
  const app = await s.startApp();
  // The app registered itself at start; undo that, as an uninstall or another app would.
  const mimeapps = join(s.dir, 'xdg-config/mimeapps.list');
  const before = await readFile(mimeapps, 'utf8');
  assert.match(before, new RegExp(`x-scheme-handler/${SCHEME.replace(/\./g, '\\.')}=`), before);
  await writeFile(mimeapps, before.split('\n').filter((l) => !l.includes(`x-scheme-handler/${SCHEME}=`)).join('\n'));
  // …and its desktop entry with the desktop's cache of handlers (xdg-mime falls back to it).
  const apps = join(s.dir, 'xdg-data/applications');
  for (const f of await readdir(apps)) {
    if (f.startsWith('thanks-connect') || f === 'mimeinfo.cache') await rm(join(apps, f));
  }

  await app.showPanel('account');
  await app.click('#btn-doctor');
  const row = '#doctor-results [data-check="link_handler"]';
  await app.waitFor(async () => (await app.session.exists(row)) && (await app.attr(row, 'data-status')) === 'fail', {
    timeout: 20_000, message: 'the link handler check to fail', show: ['#doctor-summary', '#doctor-results'],
  });
  assert.match(await app.text(row), /no program is registered/);
  assert.equal(await app.attr('#doctor-results [data-check="keyring"]', 'data-status'), 'ok');
  assert.equal(await app.attr('#doctor-results [data-check="clock"]', 'data-status'), 'ok');
  await app.session.execute("document.getElementById('doctor-card').scrollIntoView({ block: 'start' });");
  await s.screenshot(app, 'doctor');

  await app.click('#doctor-fix-register_link_handler');
  await app.waitFor(async () => (await app.attr(row, 'data-status')) === 'ok', {
    timeout: 20_000, message: 'the link handler to be registered again', show: ['#doctor-summary', row],
  });
  assert.match(await readFile(mimeapps, 'utf8'), new RegExp(`x-scheme-handler/${SCHEME.replace(/\./g, '\\.')}=`));
});

scenario('19. Check this computer with the keyring stopped: a plain problem and its fix', async (s) => {
  // A session bus of its own with no Secret Service on it (and no activation that could start
  // one): what a desktop with its keyring daemon stopped looks like to the app.
  const conf = join(s.dir, 'bus.conf');
  await writeFile(conf, `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${s.dir}</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
`);
  const bus = spawn('dbus-daemon', ['--config-file', conf, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  s.defer('private bus', async () => {
    bus.kill('SIGTERM');
    await new Promise((r) => (bus.exitCode !== null ? r() : bus.once('exit', r)));
  });
  const address = await new Promise((resolveAddress, reject) => {
    let out = '';
    bus.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolveAddress(out.trim());
    });
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited ${code}`)));
  });
  // The profile was made while the keyring still ran.
  const made = await s.thanksctl(['--profile', 'Nokey', 'profile', 'set', '--client-id', 'c']);
  assert.equal(made.code, 0, made.stderr);
  const app = await s.startApp({ env: { DBUS_SESSION_BUS_ADDRESS: address } });
  await app.showPanel('account');
  await app.click('#btn-doctor');
  const row = '#doctor-results [data-check="keyring"]';
  await app.waitFor(async () => (await app.session.exists(row)) && (await app.attr(row, 'data-status')) === 'fail', {
    timeout: 30_000, message: 'the keyring check to fail', show: ['#doctor-summary', '#doctor-results'],
  });
  assert.match(await app.text(row), /Fix: Start or unlock the system keyring/);
  assert.match(await app.text('#doctor-summary'), /need(s)? fixing/);
});
