// The support desk's Accounts view and diagnostic report in the real window: three profiles in
// three states (connected, expired with a refresh token, needs reconnect) set up with
// thanksctl, the view following thanksctl live, sorting, filtering, Validate all and the row
// actions; then the report, shown, copied and saved through the system's save dialog, with
// planted canaries and the real secrets nowhere in it.

import assert from 'node:assert/strict';
import { appendFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { assertEnvironment, profileUid, sandboxControl, scenario, secretLookup } from './harness.mjs';
import { assertDialogFits } from './layout.mjs';
import { answerFileDialog, clipboardText } from './desktop.mjs';
import { accountRows, cliConnect, waitRows } from './support.mjs';

assertEnvironment();

const byName = (rows) => Object.fromEntries(rows.map((r) => [r.profile, r]));

scenario('Accounts: three profiles in three states, following thanksctl live; sort, filter, Validate all, Refresh, Reconnect, Disconnect', async (s) => {
  const sandbox = await s.startStandaloneSandbox();
  await cliConnect(s, sandbox, 'Acme');
  await sandboxControl(sandbox.base_url, 'PUT', 'config', { access_token_ttl_secs: 1 });
  await cliConnect(s, sandbox, 'Globex');
  await sandboxControl(sandbox.base_url, 'PUT', 'config', { access_token_ttl_secs: 3600 });
  await cliConnect(s, sandbox, 'Initech');
  await sandboxControl(sandbox.base_url, 'PUT', 'faults', { invalid_grant_next_refresh: true });
  assert.equal((await s.thanksctl(['--profile', 'Initech', 'refresh'])).code, 2);
  assert.equal((await s.thanksctl(['--profile', 'Acme', 'call', 'GET', 'ping'])).code, 0);
  await new Promise((done) => setTimeout(done, 1100));
  // The app renews an expired token that has a refresh token as soon as it starts: with
  // thanks.io's token endpoint failing, Globex stays expired, its renewal failed.
  await sandboxControl(sandbox.base_url, 'PUT', 'faults', { token_failure: 'html502' });

  const app = await s.startApp();
  await app.showPanel('accounts');
  let rows = await waitRows(app, (r) => r.length === 3 && byName(r).Globex?.state === 'renew_failed', "three rows, Globex's renewal failed");
  let row = byName(rows);
  assert.deepEqual(rows.map((r) => [r.profile, r.state]), [['Acme', 'connected'], ['Globex', 'renew_failed'], ['Initech', 'needs_reconnect']]);
  assert.equal(await app.text('#accounts-summary'), 'Needs attention: Globex (refresh failed), Initech (needs reconnect).');
  assert.equal(await app.attr('#accounts-summary', 'data-level'), 'error');
  assert.match(row.Acme.expires, /^\d+:\d\d:\d\d$|^\d+:\d\d$/, `a live countdown: ${row.Acme.expires}`);
  assert.equal(row.Globex.expires, 'expired');
  assert.equal(row.Globex.refreshToken, 'Yes');
  assert.match(row.Initech.lastRefresh, /failed \(token\.invalid_grant\)/);
  assert.match(row.Initech.lastRefresh, /on request · thanksctl/);
  assert.match(row.Acme.lastCall, /^HTTP 200.*thanksctl$/);
  assert.equal(row.Globex.lastCall, '—');
  assert.ok(rows.every((r) => r.keyring === 'OK'));
  await s.screenshot(app, 'accounts');

  // thanks.io answers again, and thanksctl refreshes Globex in another process (before the
  // app's own retry, 30 s after its failure): the row follows, nobody clicks anything.
  await sandboxControl(sandbox.base_url, 'PUT', 'faults', {});
  const t0 = Date.now();
  assert.equal((await s.thanksctl(['--profile', 'Globex', 'refresh'])).code, 0);
  rows = await waitRows(app, (r) => byName(r).Globex?.state === 'connected', 'Globex to turn connected after thanksctl refreshed it');
  s.log(`the window followed thanksctl in ${Date.now() - t0} ms`);
  assert.match(byName(rows).Globex.lastRefresh, /ok.*on request · thanksctl/);
  assert.equal(await app.text('#accounts-summary'), 'Needs attention: Initech (needs reconnect).');

  // Sorting by state puts the worst first; clicking again reverses it.
  await app.click('#accounts-table th[data-sort="state"] button');
  assert.deepEqual((await accountRows(app)).map((r) => r.profile), ['Initech', 'Acme', 'Globex']);
  assert.equal(await app.attr('#accounts-table th[data-sort="state"]', 'aria-sort'), 'ascending');
  await app.click('#accounts-table th[data-sort="state"] button');
  assert.deepEqual((await accountRows(app)).map((r) => r.profile), ['Acme', 'Globex', 'Initech']);
  assert.equal(await app.attr('#accounts-table th[data-sort="state"]', 'aria-sort'), 'descending');
  await app.click('#accounts-table th[data-sort="profile"] button');

  // Filtering by text and by need.
  await app.type('#accounts-filter', 'glob');
  assert.deepEqual((await accountRows(app)).map((r) => r.profile), ['Globex']);
  await app.session.execute("const f = document.getElementById('accounts-filter'); f.value = ''; f.dispatchEvent(new Event('input'));");
  await app.select('#accounts-show', 'attention');
  assert.deepEqual((await accountRows(app)).map((r) => r.profile), ['Initech']);
  await app.select('#accounts-show', 'all');

  // Validate all: one after the other, Initech's failure doesn't stop the others.
  await app.click('#btn-validate-all');
  await app.waitFor(async () => (await app.attr('#validate-all-progress', 'data-done')) === '3', {
    timeout: 20_000, message: 'Validate all to finish', show: ['#validate-all-progress'],
  });
  assert.equal(await app.text('#validate-all-progress'), 'Validated 3 profiles: 2 accepted, 1 not.');
  row = byName(await accountRows(app));
  assert.match(row.Acme.result, /accepted the token/);
  assert.match(row.Globex.result, /accepted the token/);
  assert.match(row.Initech.result, /needs to be reconnected/);

  // A row action: Refresh on Acme, done by this window.
  await app.click('#accounts-rows tr[data-profile="Acme"] button[data-action="refresh"]');
  await waitRows(app, (r) => /this window/.test(byName(r).Acme?.lastRefresh ?? '') && /^Refreshed; valid for/.test(byName(r).Acme?.result ?? ''),
    'Acme refreshed by this window, and the row saying so');
  let cli = JSON.parse((await s.thanksctl(['status', '--all', '--json'])).stdout);
  assert.deepEqual(cli.accounts.map((a) => [a.profile, a.state]), [['Acme', 'connected'], ['Globex', 'connected'], ['Initech', 'needs_reconnect']]);
  assert.equal(cli.accounts[0].last_refresh.by.process, 'app', 'thanksctl agrees the window refreshed Acme');

  // Reconnect on Initech's row: a new sign-in on the Account panel, through the browser.
  await app.click('#accounts-rows tr[data-profile="Initech"] button[data-action="reconnect"]');
  await app.waitFor(async () => (await app.prop('#profile-select', 'value')) === 'Initech' && (await app.attr('#login-message', 'data-kind')) === 'ok', {
    timeout: 20_000, message: 'Reconnect to sign Initech in again', show: ['#profile-select', '#login-message', '#login-waiting', '#login-browser-error'],
  });
  assert.match(await app.text('#login-message'), /Connected profile “Initech”/);
  await app.showPanel('accounts');
  await waitRows(app, (r) => byName(r).Initech?.state === 'connected', 'Initech connected again');

  // Disconnect on Globex's row asks first; kept when declined, gone from the keyring when not.
  const globex = await profileUid(s.home, 'Globex');
  const disconnectGlobex = async () => {
    await app.click('#accounts-rows tr[data-profile="Globex"] button[data-action="disconnect"]');
    await app.waitFor(() => app.displayed('#disconnect-dialog'), { timeout: 5000, message: 'the disconnect question' });
    assert.equal(await app.text('#disconnect-title'), 'Disconnect “Globex”?');
  };
  await disconnectGlobex();
  await app.click('#disconnect-cancel');
  await app.waitFor(async () => !(await app.displayed('#disconnect-dialog')), { timeout: 5000, message: 'the question to go' });
  assert.equal(byName(await accountRows(app)).Globex.state, 'connected');
  assert.ok(await secretLookup(globex, 'access-token'), 'declined: the tokens stay');
  await disconnectGlobex();
  await app.click('#disconnect-confirm');
  rows = await waitRows(app, (r) => byName(r).Globex?.state === 'disconnected', 'Globex disconnected');
  assert.equal(byName(rows).Globex.expires, '—');
  assert.equal(await secretLookup(globex, 'access-token'), null);
  assert.equal(await secretLookup(globex, 'refresh-token'), null);
  cli = JSON.parse((await s.thanksctl(['status', '--all', '--json'])).stdout);
  assert.deepEqual(cli.accounts.map((a) => [a.profile, a.state]), [['Acme', 'connected'], ['Globex', 'disconnected'], ['Initech', 'connected']]);
}, { timeout: 120_000 });

scenario('Report: shown, copied and saved with everything support needs and no secret, planted canaries included', async (s) => {
  const sandbox = await s.startStandaloneSandbox();
  await cliConnect(s, sandbox, 'Acme');
  await sandboxControl(sandbox.base_url, 'PUT', 'faults', { invalid_grant_next_refresh: true });
  assert.equal((await s.thanksctl(['--profile', 'Acme', 'refresh'])).code, 2);
  const app = await s.startApp();

  // Canaries a careless log line could carry, planted in the app's newest log file.
  const logs = join(s.dir, 'xdg-data/dev.thanksconnect.app.debug/logs');
  const newest = (await readdir(logs)).filter((f) => f.endsWith('.log')).sort().pop();
  assert.ok(newest, `no app log in ${logs}`);
  await appendFile(join(logs, newest), 'WARN odd callback /oauth/callback?code=CANARYCODE41&state=CANARYSTATE41 Authorization: Bearer CANARYTOKEN41\n');

  const uid = await profileUid(s.home, 'Acme');
  const secrets = {
    'client secret': sandbox.client_secret,
    'access token': await secretLookup(uid, 'access-token'),
    'refresh token': await secretLookup(uid, 'refresh-token'),
    'planted code': 'CANARYCODE41',
    'planted state': 'CANARYSTATE41',
    'planted token': 'CANARYTOKEN41',
  };
  assert.ok(Object.values(secrets).every(Boolean), 'every canary is known');

  await app.showPanel('accounts');
  await app.click('#btn-report-show');
  await app.waitFor(() => app.displayed('#report-dialog'), { timeout: 10_000, message: 'the report dialog' });
  const shown = await app.session.execute("return document.getElementById('report-text').textContent;");
  for (const expected of [
    'Thanks Connect diagnostic report', 'Made by         Thanks Connect 0.1.0 (dev.thanksconnect.app.debug, debug build)',
    'Keyring         Secret Service: available', 'Link handler    dev.thanksconnect.app.debug: ', '[Acme]',
    `Client id       ${sandbox.client_id}`, 'Client secret   set (in the keyring)', 'State           needs reconnect',
    'refresh failed (manual) failed [token.invalid_grant] by thanksctl', 'token.invalid_grant: 1×',
    'Recent log lines (', 'code=••••••&state=•••••• Authorization: Bearer ••••••',
  ]) {
    assert.ok(shown.includes(expected), `the report lacks ${JSON.stringify(expected)}:\n${shown}`);
  }
  await assertDialogFits(app, '#report-dialog', 'the diagnostic report');
  await s.screenshot(app, 'report');
  await app.click('#report-close');

  await app.click('#btn-report-copy');
  await app.waitFor(async () => (await app.attr('#report-message', 'data-kind')) === 'ok', { timeout: 10_000, message: 'the copy to be confirmed', show: ['#report-message'] });
  const copied = await clipboardText();
  assert.ok(copied.startsWith('Thanks Connect diagnostic report'), copied.slice(0, 80));
  assert.ok(copied.includes('[Acme]'));
  for (const [what, value] of Object.entries(secrets)) {
    assert.ok(!shown.includes(value), `the ${what} is in the report shown`);
    assert.ok(!copied.includes(value), `the ${what} is in the report copied`);
  }

  // Save…: the system's save dialog, answered as a person would (tests/e2e/desktop.mjs); the
  // file holds the report, readable by its owner only, and no secret either.
  await mkdir(join(s.dir, 'saved'));
  const target = join(s.dir, 'saved', 'report-for-the-ticket.txt');
  await app.click('#btn-report-save');
  await answerFileDialog('Save the diagnostic report', target);
  await app.waitFor(async () => (await app.text('#report-message')) === `Saved the diagnostic report to ${target}.`, {
    timeout: 10_000, message: 'the save to be confirmed', show: ['#report-message'],
  });
  const saved = await readFile(target, 'utf8');
  assert.ok(saved.startsWith('Thanks Connect diagnostic report') && saved.includes('[Acme]'), saved.slice(0, 200));
  assert.equal((await stat(target)).mode & 0o777, 0o600);
  for (const [what, value] of Object.entries(secrets)) assert.ok(!saved.includes(value), `the ${what} is in the report saved`);

  // The close-to-tray setting is off until someone turns it on, and is kept.
  assert.equal(await app.prop('#close-to-tray', 'checked'), false);
  await app.click('#close-to-tray');
  await app.waitFor(async () => (await app.invoke('app_info')).close_to_tray === true, { timeout: 5000, message: 'close to tray to be saved' });
}, { timeout: 90_000 });
