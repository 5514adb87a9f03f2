// Alerts before a connection breaks, in the real app with a desktop's parts on the session bus:
// a real notification daemon (dunst, on the Xvfb display), which records what it shows and
// whose click the app follows, and a tray host (tests/e2e/tray-host.py) that reads the app's
// tray item back as a panel would; and the close-to-tray setting, with the close request a
// window manager sends (tests/e2e/x11.py).

import assert from 'node:assert/strict';

import { alive, assertEnvironment, sandboxControl, scenario } from './harness.mjs';
import { appWindows, cliConnect, startNotificationDaemon, startTrayHost, waitRows, x11 } from './support.mjs';

assertEnvironment();

const GREEN = '#2e7d32';
const AMBER = '#f9a825';
const RED = '#c62828';

scenario('Alerts: a failing refresh notifies once, a click opens its profile, the tray shows the worst state, a restart stays quiet', async (s) => {
  const daemon = await startNotificationDaemon(s);
  const host = await startTrayHost(s);
  const sandbox = await s.startStandaloneSandbox();
  await cliConnect(s, sandbox, 'Acme');
  await cliConnect(s, sandbox, 'Beta');
  let app = await s.startApp();

  const trayShows = (menu, dot) => app.waitFor(async () => {
    const t = await host.tray();
    return t && t.menu[0] === menu && t.dot === dot && t;
  }, { timeout: 10_000, message: `the tray to say "${menu}" with a ${dot} dot` });
  const tray = await trayShows('Thanks Connect: all 2 accounts connected', GREEN);
  assert.deepEqual(tray.menu.slice(-2), ['Open Thanks Connect', 'Quit Thanks Connect']);
  assert.equal(tray.status, 'Active');
  assert.deepEqual(await daemon.shown(), [], 'nothing to say while all is well');

  // thanks.io's token endpoint breaks; thanksctl's refreshes fail twice: one notification.
  await sandboxControl(sandbox.base_url, 'PUT', 'faults', { token_failure: 'html500' });
  for (let i = 0; i < 2; i++) {
    const r = await s.thanksctl(['--profile', 'Acme', 'refresh']);
    assert.equal(r.code, 2, r.stderr);
  }
  const first = await app.waitFor(async () => (await daemon.shown())[0], { timeout: 10_000, message: 'a notification about the failed refresh' });
  assert.equal(first.summary, "Refreshing Acme's token failed");
  assert.match(first.body, /thanks\.io answered HTTP 500/);
  assert.equal(first.app_name, 'Thanks Connect Debug', "the debug build's own name (tauri.conf.json's productName)");
  assert.equal(first.desktop_entry, 'dev.thanksconnect.app.debug');
  assert.equal(await daemon.displayed(), 1, 'dunst shows it');
  await trayShows('Thanks Connect: needs attention: Acme (refresh failed)', AMBER);
  const r = await s.thanksctl(['--profile', 'Acme', 'refresh']);
  assert.equal(r.code, 2);
  await new Promise((done) => setTimeout(done, 3500));
  assert.equal((await daemon.shown()).length, 1, 'the same failure again is not a new alert');
  await daemon.closeAll();

  // The refresh token is refused: needs reconnect, a change, so a second notification.
  await sandboxControl(sandbox.base_url, 'PUT', 'faults', { invalid_grant_next_refresh: true });
  assert.equal((await s.thanksctl(['--profile', 'Acme', 'refresh'])).code, 2);
  const second = await app.waitFor(async () => (await daemon.shown())[1], { timeout: 10_000, message: 'a notification about the reconnect' });
  assert.equal(second.summary, 'Acme needs to be reconnected');
  await trayShows('Thanks Connect: needs attention: Acme (needs reconnect)', RED);

  // A click on it brings the window up on Acme's token state.
  await app.select('#profile-select', 'Beta');
  await app.showPanel('account');
  await daemon.click();
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
  assert.equal((await daemon.shown()).length, 2, 'no notification repeated after a restart');
});

scenario('Close to tray: on, closing the window leaves the app in the tray, still alerting, and its menu brings the window back; off, closing quits', async (s) => {
  const daemon = await startNotificationDaemon(s);
  const host = await startTrayHost(s);
  const sandbox = await s.startStandaloneSandbox();
  await cliConnect(s, sandbox, 'Acme');
  const app = await s.startApp();
  await app.waitFor(async () => (await host.tray())?.menu[0] === 'Thanks Connect: 1 account connected', { timeout: 10_000, message: 'the tray item' });
  const [window] = await app.waitFor(async () => {
    const mine = await appWindows(s, app, 'Thanks Connect');
    return mine.length === 1 && mine;
  }, { timeout: 10_000, message: "the app's window on the X display" });
  const mapped = async () => (await appWindows(s, app, 'Thanks Connect')).some((w) => w.id === window.id);

  await app.showPanel('accounts');
  await app.click('#close-to-tray');
  await app.waitFor(async () => (await app.invoke('app_info')).close_to_tray === true, { timeout: 5000, message: 'close to tray to be saved' });

  // The close button: the window goes, the app stays.
  const pids = app.appPids();
  await x11(s, ['close', String(window.id)]);
  await app.waitFor(async () => !(await mapped()), { timeout: 10_000, message: 'the window to be hidden' });
  assert.ok(pids.every(alive), 'the app keeps running in the tray');

  // Hidden, it still follows the profiles and alerts: thanksctl's refresh is refused.
  await sandboxControl(sandbox.base_url, 'PUT', 'faults', { invalid_grant_next_refresh: true });
  assert.equal((await s.thanksctl(['--profile', 'Acme', 'refresh'])).code, 2);
  const notice = await app.waitFor(async () => (await daemon.shown())[0], { timeout: 10_000, message: 'a notification from the app in the tray' });
  assert.equal(notice.summary, 'Acme needs to be reconnected');
  await app.waitFor(async () => (await host.tray())?.menu[0] === 'Thanks Connect: needs attention: Acme (needs reconnect)', { timeout: 10_000, message: 'the tray to say so' });

  // The tray menu's Open brings the same window back, showing the same state.
  await host.menu('Open Thanks Connect');
  await app.waitFor(() => mapped(), { timeout: 10_000, message: 'the window to come back' });
  await app.showPanel('accounts');
  await waitRows(app, (r) => r[0]?.state === 'needs_reconnect', 'the Accounts view to show Acme needing a reconnect');

  // Off again: the close button quits.
  await app.click('#close-to-tray');
  await app.waitFor(async () => (await app.invoke('app_info')).close_to_tray === false, { timeout: 5000, message: 'close to tray to be turned off' });
  await x11(s, ['close', String(window.id)]);
  await app.waitFor(() => !pids.some(alive), { timeout: 10_000, message: 'the app to quit' });
}, { timeout: 90_000 });
