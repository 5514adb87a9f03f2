// The Account and Token areas in the real window: connect through the sandbox demo, decline on
// the consent page, disconnect. Each step also checks that `thanksctl status` agrees with the
// window's badge (scenario 7).

import assert from 'node:assert/strict';

import {
  SANDBOX_PROFILE,
  assertAgreement,
  assertEnvironment,
  assertNotWaiting,
  connect,
  filesContaining,
  profileUid,
  sandboxStats,
  scenario,
  secretLookup,
  startSandboxDemo,
} from './harness.mjs';

assertEnvironment();

scenario('1. sandbox demo, Connect, approve: Connected with a countdown, tokens only in the keyring', async (s) => {
  const app = await s.startApp();
  const sandbox = await startSandboxDemo(s, app);
  await assertAgreement(s, app, SANDBOX_PROFILE, 'disconnected');

  const { stillWaiting } = await connect(s, app, SANDBOX_PROFILE);
  await assertAgreement(s, app, SANDBOX_PROFILE, 'connected');
  assert.equal(await app.badge(), 'connected', 'a fresh 1-hour token should be "connected", not "expires soon"');
  assert.match(await app.text('#connect-summary'), /Profile “Sandbox \(local\)” is connected to thanks\.io with OAuth\./);
  assert.equal((await sandboxStats(sandbox)).authorization_code_grants, 1);
  await s.screenshot(app, 'account');

  await app.showPanel('token');
  assert.equal(await app.text('#state-badge'), 'Connected');
  const first = await app.text('#expires-countdown');
  assert.match(first, /^expires in \d/, `countdown: ${first}`);
  const next = await app.waitFor(async () => {
    const now = await app.text('#expires-countdown');
    return now !== first && now;
  }, { timeout: 2500, interval: 200, message: `#expires-countdown to change from "${first}"`, show: ['#expires-countdown'] });
  s.log(`countdown "${first}" → "${next}"`);
  assert.equal(await app.text('#has-refresh-token'), 'Yes');
  assert.equal(await app.text('#token-auth'), 'OAuth (browser sign-in)');
  assert.match(await app.text('#keyring-status'), /OK/);
  await s.screenshot(app, 'token');

  // In the keyring…
  const uid = await profileUid(s.home, SANDBOX_PROFILE);
  const access = await secretLookup(uid, 'access-token');
  const refresh = await secretLookup(uid, 'refresh-token');
  const clientSecret = await secretLookup(uid, 'client-secret');
  assert.ok(access && access.length >= 16, `no access token in the keyring for ${uid}`);
  assert.ok(refresh && refresh.length >= 16, `no refresh token in the keyring for ${uid}`);
  assert.ok(clientSecret, `no client secret in the keyring for ${uid}`);
  assert.notEqual(access, refresh);

  // …and in no file of the config home, nor in the app's log.
  const { log_dir: logDir } = await app.invoke('app_info');
  for (const [what, value] of [['access token', access], ['refresh token', refresh], ['client secret', clientSecret]]) {
    for (const dir of [s.home, logDir]) {
      const hits = await filesContaining(dir, value);
      assert.deepEqual(hits, [], `the ${what} is written in ${hits.join(', ')}`);
    }
  }

  // Checked last, so the checks above run either way.
  assert.equal(stillWaiting, null, stillWaiting);
});

scenario('4. Deny on the consent page: a plain "you declined" message, still Disconnected', async (s) => {
  const app = await s.startApp({ env: { THANKS_DEMO_DECISION: 'deny' } });
  const sandbox = await startSandboxDemo(s, app);
  await assertAgreement(s, app, SANDBOX_PROFILE, 'disconnected');

  await app.watch(['#login-waiting', '#login-message']);
  await app.click('#btn-connect');
  await app.waitFor(async () => (await app.attr('#login-message', 'data-kind')) === 'error' && (await app.displayed('#login-message')), {
    timeout: 20_000,
    message: 'the declined sign-in to be reported',
    show: ['#login-message', '#login-waiting', '#connect-summary'],
  });
  const text = await app.text('#login-message');
  s.log(`#login-message: ${text}`);
  assert.match(text, /declined/i);
  // Plain words: no error code, no protocol jargon.
  assert.doesNotMatch(text, /access_denied|auth\.declined|error=|\[/);
  // Disconnected, with the facts checked before the UI's waiting state (reported separately).
  await assertAgreement(s, app, SANDBOX_PROFILE, 'disconnected');
  const stats = await sandboxStats(sandbox);
  assert.equal(stats.token_requests, 0, 'a declined sign-in must not reach the token endpoint');
  const uid = await profileUid(s.home, SANDBOX_PROFILE);
  assert.equal(await secretLookup(uid, 'access-token'), null);

  await assertNotWaiting(app);
  assert.equal(await app.enabled('#btn-connect'), true, 'Connect is not offered again after the decline');
});

scenario('6. Disconnect: keyring entries gone, the window says Disconnected', async (s) => {
  const app = await s.startApp();
  await startSandboxDemo(s, app);
  await connect(s, app, SANDBOX_PROFILE);
  await assertAgreement(s, app, SANDBOX_PROFILE, 'connected');
  const uid = await profileUid(s.home, SANDBOX_PROFILE);
  assert.ok(await secretLookup(uid, 'access-token'), 'no access token in the keyring after Connect');
  assert.ok(await secretLookup(uid, 'refresh-token'), 'no refresh token in the keyring after Connect');

  assert.equal(await app.enabled('#btn-disconnect'), true);
  await app.click('#btn-disconnect');
  await app.waitFor(async () => /Profile “Sandbox \(local\)” is not connected/.test(await app.text('#connect-summary')), {
    timeout: 10_000,
    message: 'the summary to say "not connected"',
    show: ['#connect-summary', '#toast', '#login-message'],
  });
  await assertAgreement(s, app, SANDBOX_PROFILE, 'disconnected');
  assert.equal(await app.text('#header-state'), 'Disconnected');
  assert.equal(await app.enabled('#btn-disconnect'), false, 'Disconnect is still offered with nothing to disconnect');
  assert.equal(await secretLookup(uid, 'access-token'), null, 'the access token is still in the keyring');
  assert.equal(await secretLookup(uid, 'refresh-token'), null, 'the refresh token is still in the keyring');

  await app.showPanel('token');
  assert.equal(await app.text('#state-badge'), 'Disconnected');
  assert.equal(await app.text('#expires-countdown'), '');
});
