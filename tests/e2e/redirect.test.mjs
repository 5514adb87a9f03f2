// The redirect URI in the real window: Profile settings say exactly what to register in
// thanks.io (and warn about the single-slash form thanks.io refuses), and a sign-in whose
// browser never comes back explains the usual causes and leads to the paste path. The wait is
// shortened with THANKS_CONNECT_LOGIN_HINT_SECS (60 s in real use).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { DEBUG_REDIRECT_URI, assertAgreement, assertEnvironment, scenario } from './harness.mjs';

assertEnvironment();

const SINGLE_SLASH = 'dev.thanksconnect.app.debug:/oauth/callback';

scenario('12. Profile settings: register exactly this redirect URI, with a copy button and the alternatives', async (s) => {
  // The window has no implicit profile: an admin's first one, with the defaults.
  const made = await s.thanksctl(['profile', 'set', '--client-id', 'team-client']);
  assert.equal(made.code, 0, made.stderr);
  const app = await s.startApp();
  await app.showPanel('account');
  await app.waitFor(async () => (await app.prop('#redirect-register-uri', 'value')) === DEBUG_REDIRECT_URI, {
    timeout: 10_000,
    message: `the redirect URI to register to read ${DEBUG_REDIRECT_URI}`,
    show: ['#redirect-register', '#redirect-register-uri'],
  });
  assert.match(await app.text('#redirect-register'), /Register exactly this redirect URI in thanks\.io/);
  assert.match(await app.text('#redirect-register-advice'), /thanks\.io accepts this form/);
  assert.equal(await app.attr('#redirect-register-advice', 'data-kind'), 'info');
  assert.match(await app.text('#redirect-register-alternatives'), /http:\/\/127\.0\.0\.1:53682\/callback/);

  await app.click('#btn-copy-redirect');
  await app.waitFor(async () => /Redirect URI copied/.test(await app.text('#toast')), {
    timeout: 5000,
    message: 'the copy to be confirmed',
    show: ['#toast'],
  });
  await s.screenshot(app, 'redirect-register');

  // The single-slash form (RFC 8252's) is flagged: thanks.io's registration refuses it.
  await app.session.clear('#set-redirect-uri');
  await app.type('#set-redirect-uri', SINGLE_SLASH);
  await app.click('#btn-save-profile');
  await app.waitFor(async () => (await app.prop('#redirect-register-uri', 'value')) === SINGLE_SLASH, {
    timeout: 10_000,
    message: 'the saved single-slash URI to be shown',
    show: ['#redirect-register', '#profile-form-error', '#set-redirect-uri-error'],
  });
  assert.match(await app.text('#redirect-register-advice'), /^May be refused by thanks\.io/);
  assert.match(await app.text('#redirect-register-advice'), new RegExp(`register ${DEBUG_REDIRECT_URI.replace(/[.]/g, '\\.')}`));
  assert.equal(await app.attr('#redirect-register-advice', 'data-kind'), 'error');
  const shown = await s.thanksctl(['profile', 'show']);
  assert.match(shown.stdout, /May be refused by thanks\.io/, 'thanksctl profile show agrees');

  // Clearing the field goes back to the build's default.
  await app.session.clear('#set-redirect-uri');
  await app.click('#btn-save-profile');
  await app.waitFor(async () => (await app.prop('#redirect-register-uri', 'value')) === DEBUG_REDIRECT_URI, {
    timeout: 10_000,
    message: 'the default redirect URI to come back',
    show: ['#redirect-register', '#profile-form-error'],
  });
});

scenario('13. A sign-in that waits too long says why and offers the paste path, which finishes it', async (s) => {
  const sandbox = await s.startStandaloneSandbox();
  const made = await s.thanksctl(
    ['--profile', 'Slow', 'profile', 'set',
      '--authorize-url', sandbox.authorize_url, '--token-url', sandbox.token_url, '--api-base', sandbox.api_base,
      '--client-id', sandbox.client_id, '--client-secret-stdin'],
    { input: `${sandbox.client_secret}\n` },
  );
  assert.equal(made.code, 0, `thanksctl profile set: ${made.stderr}`);
  // The "browser" approves but never hands the callback to the app (a blocked scheme): it
  // writes it to a file, like an address bar the user can copy from.
  const callbackFile = join(s.dir, 'callback.url');
  const app = await s.startApp({ env: { THANKS_DEMO_CALLBACK_FILE: callbackFile, THANKS_CONNECT_LOGIN_HINT_SECS: '2' } });
  await app.select('#profile-select', 'Slow');
  await app.waitFor(async () => /Profile “Slow” is not connected/.test(await app.text('#connect-summary')), {
    timeout: 10_000,
    message: 'profile "Slow" to be selected',
    show: ['#connect-summary'],
  });
  await app.click('#btn-connect');
  const callback = await app.waitFor(async () => existsSync(callbackFile) && (await readFile(callbackFile, 'utf8')).trim(), {
    timeout: 15_000,
    message: 'the "browser" to land on the callback address',
    show: ['#login-waiting', '#login-message'],
  });
  assert.ok(callback.startsWith(`${DEBUG_REDIRECT_URI}?`), `the default profile's redirect: ${callback.slice(0, 60)}`);
  assert.equal(await app.displayed('#login-slow'), false, 'no hint before the threshold');
  await app.waitFor(async () => app.displayed('#login-slow'), {
    timeout: 10_000,
    message: 'the "still waiting" hint',
    show: ['#login-waiting', '#login-slow'],
  });
  const hint = await app.text('#login-slow-text');
  assert.match(hint, new RegExp(`doesn’t have exactly ${DEBUG_REDIRECT_URI.replace(/[.]/g, '\\.')} as a redirect URI`));
  assert.match(hint, /browser blocked opening Thanks Connect/);
  await s.screenshot(app, 'login-slow');

  await app.click('#btn-login-paste');
  await app.waitFor(async () => (await app.session.execute('return document.activeElement && document.activeElement.id;')) === 'paste-callback', {
    timeout: 3000,
    message: 'the paste field to get the focus',
    show: ['#paste-form'],
  });
  await app.type('#paste-callback', callback);
  await app.click('#btn-paste-callback');
  await assertAgreement(s, app, 'Slow', 'connected');
  await app.waitFor(async () => !(await app.displayed('#login-waiting')), {
    timeout: 5000,
    message: 'the waiting box (and its hint) to close',
    show: ['#login-waiting'],
  });
}, { timeout: 90_000 });
