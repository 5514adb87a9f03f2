// The loopback redirect (RFC 8252 §7.3) in the real window: a profile whose redirect URI is
// http://127.0.0.1:PORT/callback. The app listens there only while the login waits; the
// "browser" follows the consent page's redirect to it; the app answers with a short page and
// ends Connected; the port is closed afterwards. The standalone sandbox accepts any loopback
// port for its registered http://127.0.0.1/callback, as Laravel Passport does.

import assert from 'node:assert/strict';
import net from 'node:net';

import { assertAgreement, assertEnvironment, freePort, scenario, secretLookup, profileUid } from './harness.mjs';

assertEnvironment();

const listening = (port) =>
  new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

scenario('8. Loopback redirect: the app listens on 127.0.0.1 during the login only and ends Connected', async (s) => {
  const sandbox = await s.startStandaloneSandbox();
  const port = await freePort();
  const made = await s.thanksctl(
    ['--profile', 'Loop', 'profile', 'set',
      '--authorize-url', sandbox.authorize_url, '--token-url', sandbox.token_url, '--api-base', sandbox.api_base,
      '--client-id', sandbox.client_id, '--redirect-uri', `http://127.0.0.1:${port}/callback`, '--client-secret-stdin'],
    { input: `${sandbox.client_secret}\n` },
  );
  assert.equal(made.code, 0, `thanksctl profile set: ${made.stderr}`);

  const app = await s.startApp();
  await app.select('#profile-select', 'Loop');
  await app.waitFor(async () => /Profile “Loop” is not connected/.test(await app.text('#connect-summary')), {
    timeout: 10_000,
    message: 'profile "Loop" to be selected',
    show: ['#profile-select', '#connect-summary'],
  });
  assert.equal(await listening(port), false, 'nothing listens before Connect');

  await app.click('#btn-connect');
  await app.waitFor(async () => (await app.attr('#state-badge', 'data-state')) === 'connected', {
    timeout: 20_000,
    message: 'the loopback login to end Connected',
    show: ['#login-message', '#login-waiting', '#state-badge'],
  });
  assert.match(await app.text('#login-message'), /Connected profile “Loop”/);
  await assertAgreement(s, app, 'Loop', 'connected');
  const uid = await profileUid(s.home, 'Loop');
  assert.ok(await secretLookup(uid, 'access-token'), 'the access token is in the keyring');
  await app.waitFor(async () => !(await listening(port)), { timeout: 5_000, message: 'the loopback port to close after the login' });
});
