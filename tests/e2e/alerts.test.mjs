// Alerts before a connection breaks, in the real app with a stand-in desktop on the session bus
// (tests/e2e/fake-desktop.py): a notification daemon that records what it is asked to show and
// can click it, and a tray host that reads the app's tray item back as a panel would.

import assert from 'node:assert/strict';

import { assertEnvironment, sandboxControl, scenario } from './harness.mjs';
import { cliConnect, startFakeDesktop } from './support.mjs';

assertEnvironment();

const GREEN = '#2e7d32';
const AMBER = '#f9a825';
const RED = '#c62828';

scenario('Alerts: a failing refresh notifies once, a click opens its profile, the tray shows the worst state, a restart stays quiet', async (s) => {
  const desktop = await startFakeDesktop(s);
  const sandbox = await s.startStandaloneSandbox();
  await cliConnect(s, sandbox, 'Acme');
  await cliConnect(s, sandbox, 'Beta');
  let app = await s.startApp();

  const trayShows = (menu, dot) => app.waitFor(async () => {
    const t = await desktop.tray();
    return t && t.menu[0] === menu && t.dot === dot && t;
  }, { timeout: 10_000, message: `the tray to say "${menu}" with a ${dot} dot` });
  const tray = await trayShows('Thanks Connect: all 2 accounts connected', GREEN);
  assert.deepEqual(tray.menu.slice(-2), ['Open Thanks Connect', 'Quit Thanks Connect']);
  assert.equal(tray.status, 'Active');
  assert.deepEqual(await desktop.shown(), [], 'nothing to say while all is well');

  // thanks.io's token endpoint breaks; thanksctl's refreshes fail twice: one notification.
  await sandboxControl(sandbox.base_url, 'PUT', 'faults', { token_failure: 'html500' });
  for (let i = 0; i < 2; i++) {
    const r = await s.thanksctl(['--profile', 'Acme', 'refresh']);
    assert.equal(r.code, 2, r.stderr);
  }
  const first = await app.waitFor(async () => (await desktop.shown())[0], { timeout: 10_000, message: 'a notification about the failed refresh' });
  assert.equal(first.summary, "Refreshing Acme's token failed");
  assert.match(first.body, /thanks\.io answered HTTP 500/);
  assert.ok(first.actions.includes('default'), `a click must be reportable: ${JSON.stringify(first.actions)}`);
  assert.equal(first.desktop_entry, 'dev.thanksconnect.app.debug');
  await trayShows('Thanks Connect: needs attention: Acme (refresh failed)', AMBER);
  const r = await s.thanksctl(['--profile', 'Acme', 'refresh']);
  assert.equal(r.code, 2);
  await new Promise((done) => setTimeout(done, 3500));
  assert.equal((await desktop.shown()).length, 1, 'the same failure again is not a new alert');

  // The refresh token is refused: needs reconnect, a change, so a second notification.
  await sandboxControl(sandbox.base_url, 'PUT', 'faults', { invalid_grant_next_refresh: true });
  assert.equal((await s.thanksctl(['--profile', 'Acme', 'refresh'])).code, 2);
  const second = await app.waitFor(async () => (await desktop.shown())[1], { timeout: 10_000, message: 'a notification about the reconnect' });
  assert.equal(second.summary, 'Acme needs to be reconnected');
  await trayShows('Thanks Connect: needs attention: Acme (needs reconnect)', RED);

  // A click on it brings the window up on Acme's token state.
  await app.select('#profile-select', 'Beta');
  await app.showPanel('account');
  await desktop.click(second.id);
  await app.waitFor(async () => (await app.prop('#profile-select', 'value')) === 'Acme' && app.displayed('#panel-token'), {
    timeout: 10_000,
    message: 'the click to open Acme on the Token panel',
    show: ['#profile-select', '#state-badge'],
  });
  await app.waitFor(async () => (await app.badge()) === 'needs_reconnect', { timeout: 5000, message: 'Acme to show "needs reconnect"', show: ['#state-badge'] });

  // A restart remembers what it already said.
  await app.closeApp();
  await app.stop();
  app = await s.startApp();
  await trayShows('Thanks Connect: needs attention: Acme (needs reconnect)', RED);
  await new Promise((done) => setTimeout(done, 3500));
  assert.equal((await desktop.shown()).length, 2, 'no notification repeated after a restart');
});
