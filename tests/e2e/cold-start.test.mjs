// Cold start: the app is closed while the user is in the browser, and the OS launches it with
// the callback link. The profile points at a standalone sandbox (the in-app one would die with
// the app).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  DEBUG_REDIRECT_URI,
  assertAgreement,
  assertEnvironment,
  profileUid,
  sandboxStats,
  scenario,
  secretLookup,
} from './harness.mjs';

assertEnvironment();

scenario('5. Cold start: closed during the browser step, launched with the callback link, ends Connected', async (s) => {
  const sandbox = await s.startStandaloneSandbox();
  const made = await s.thanksctl(
    ['--profile', 'Cold', 'profile', 'set',
      '--authorize-url', sandbox.authorize_url, '--token-url', sandbox.token_url, '--api-base', sandbox.api_base,
      '--client-id', sandbox.client_id, '--redirect-uri', DEBUG_REDIRECT_URI, '--client-secret-stdin'],
    { input: `${sandbox.client_secret}\n` },
  );
  assert.equal(made.code, 0, `thanksctl profile set: ${made.stderr}`);

  const callbackFile = join(s.dir, 'callback.url');
  const app = await s.startApp({ env: { THANKS_DEMO_CALLBACK_FILE: callbackFile } });
  await app.select('#profile-select', 'Cold');
  await app.waitFor(async () => /Profile “Cold” is not connected/.test(await app.text('#connect-summary')), {
    timeout: 10_000,
    message: 'profile "Cold" to be selected',
    show: ['#profile-select', '#connect-summary'],
  });
  await assertAgreement(s, app, 'Cold', 'disconnected');

  await app.click('#btn-connect');
  const callback = await app.waitFor(async () => existsSync(callbackFile) && (await readFile(callbackFile, 'utf8')).trim(), {
    timeout: 15_000,
    message: `the "browser" to write the callback to ${callbackFile}`,
    show: ['#login-waiting', '#login-message', '#login-browser-error'],
  });
  assert.ok(callback.startsWith(`${DEBUG_REDIRECT_URI}?`), `callback: ${callback.slice(0, 60)}`);
  const params = new URL(callback).searchParams;
  assert.ok(params.get('code') && params.get('state'), 'the callback has no code or state');
  // The "browser" may finish before auth_start has returned to the window: wait for the state.
  await app.waitFor(async () => app.displayed('#login-waiting'), {
    timeout: 10_000,
    message: 'the window to show that it waits for the browser',
    show: ['#login-waiting', '#login-message'],
  });

  // The user closes the app while in the browser. Nothing was delivered: the "browser" did
  // not launch the app (which would have completed the login in the running one).
  await app.closeApp();
  s.log('app closed during the browser step');
  assert.deepEqual(app.appPids(), []);
  assert.equal((await s.status('Cold')).state, 'disconnected');
  assert.equal((await sandboxStats(sandbox.base_url)).authorization_code_grants, 0, 'the callback reached the app before the cold start');

  // The OS launches the app with the link.
  await app.openSession([callback]);
  await assertAgreement(s, app, 'Cold', 'connected');
  assert.equal(await app.badge(), 'connected');
  const stats = await sandboxStats(sandbox.base_url);
  assert.equal(stats.authorization_code_grants, 1, `stats: ${JSON.stringify(stats)}`);
  const uid = await profileUid(s.home, 'Cold');
  assert.ok(await secretLookup(uid, 'access-token'), 'no access token in the keyring after the cold start');
  assert.match(await app.text('#connect-summary'), /Profile “Cold” is connected/);
  s.log(`after the cold start #login-message is ${(await app.displayed('#login-message')) ? `"${await app.text('#login-message')}"` : 'hidden'}`);
});
