// The Console in the real window: a request and its response, an invalid JSON body that blocks
// Send, and a request that refreshes an expired token on the way.

import assert from 'node:assert/strict';

import {
  SANDBOX_PROFILE,
  assertAgreement,
  assertEnvironment,
  connect,
  sandboxControl,
  sandboxStats,
  scenario,
  startSandboxDemo,
  waitFor,
} from './harness.mjs';

assertEnvironment();

/** Sends METHOD PATH from the console and waits for the response's status line. */
async function send(app, path, { method = 'GET' } = {}) {
  await app.select('#console-method', method);
  assert.equal(await app.prop('#console-method', 'value'), method);
  await app.type('#console-path', path);
  await app.click('#btn-send');
  await app.waitFor(async () => !(await app.displayed('#send-spinner')) && (await app.displayed('#response-status')) && (await app.text('#response-status')), {
    timeout: 15_000,
    message: `the response to ${method} ${path}`,
    show: ['#response-status', '#console-error', '#send-spinner', '#response-empty'],
  });
}

scenario('2. Console: GET /orders/list shows 200 and JSON; an invalid JSON body blocks Send', async (s) => {
  const app = await s.startApp();
  const sandbox = await startSandboxDemo(s, app);
  await connect(s, app, SANDBOX_PROFILE);

  await app.showPanel('console');
  assert.equal(await app.text('#console-profile'), SANDBOX_PROFILE);
  assert.equal(await app.prop('#console-base', 'textContent'), `${sandbox}/api/v2`);
  await send(app, '/orders/list');
  assert.match(await app.text('#response-status'), /^200\b/);
  assert.equal(await app.attr('#response-status', 'data-class'), '2xx');
  const body = await app.text('#response-body');
  assert.match(body, /"data"/, `response body: ${body.slice(0, 300)}`);
  JSON.parse(await app.prop('#response-body', 'textContent'));
  assert.match(await app.text('#response-url'), new RegExp(`^GET ${sandbox}/api/v2/orders/list`));
  // The token is masked in what the window shows of the request.
  const requestHeaders = await app.prop('#request-headers', 'textContent');
  assert.doesNotMatch(requestHeaders, /Bearer [A-Za-z0-9._~+/-]{16,}/, `request headers: ${requestHeaders}`);
  // Show the request line and the response, as someone reading it would have scrolled.
  await app.session.execute(
    "const main = document.querySelector('#main'); main.scrollTop = document.querySelector('#console-method').offsetTop - main.offsetTop - 24;",
  );
  await s.screenshot(app, 'console');

  const before = (await sandboxStats(sandbox)).api_requests;
  assert.ok(before >= 1);
  await app.select('#console-method', 'POST');
  assert.equal(await app.prop('#console-method', 'value'), 'POST');
  await app.type('#console-body', '{"recipients": [1, 2,');
  await app.waitFor(async () => app.displayed('#console-body-error'), {
    timeout: 5000,
    message: 'the body error to show while typing',
    show: ['#console-body-error'],
  });
  const problem = await app.text('#console-body-error');
  assert.match(problem, /^Line 1, column \d+: /, `body error: ${problem}`);
  assert.equal(await app.attr('#console-body', 'aria-invalid'), 'true');

  await app.click('#btn-send');
  await app.waitFor(async () => /^Not sent: the body is not valid JSON/.test(await app.text('#console-error')), {
    timeout: 5000,
    message: 'Send to refuse the invalid body',
    show: ['#console-error', '#console-body-error', '#send-spinner'],
  });
  assert.equal(await app.displayed('#send-spinner'), false);
  // The previous response stays; nothing reached the sandbox.
  assert.match(await app.text('#response-status'), /^200\b/);
  assert.equal((await sandboxStats(sandbox)).api_requests, before, 'Send with an invalid JSON body still made a request');
});

scenario('3. Token expiry: Expired, then a console request refreshes once and it is Connected again', async (s) => {
  const app = await s.startApp();
  const sandbox = await startSandboxDemo(s, app);
  await sandboxControl(sandbox, 'PUT', 'config', { access_token_ttl_secs: 3 });
  await connect(s, app, SANDBOX_PROFILE);
  // The next token (from the refresh) lives an hour again.
  await sandboxControl(sandbox, 'PUT', 'config', { access_token_ttl_secs: 3600 });
  assert.equal(await app.badge(), 'expires_soon', 'a 3-second token should show "Expires soon"');
  await assertAgreement(s, app, SANDBOX_PROFILE, 'connected');

  await app.showPanel('token');
  await app.waitFor(async () => (await app.badge()) === 'expired', {
    timeout: 8000,
    message: 'the badge to say Expired',
    show: ['#state-badge', '#expires-countdown', '#state-explain'],
  });
  assert.equal(await app.text('#state-badge'), 'Expired');
  assert.match(await app.text('#expires-countdown'), /^expired/);
  const before = await sandboxStats(sandbox);
  assert.equal(before.successful_refreshes, 0);
  // thanksctl reads second-resolution expiry: give it the moment it may lag behind the window.
  await waitFor(async () => (await s.status(SANDBOX_PROFILE)).state === 'expired', { timeout: 3000, message: 'thanksctl to say expired' }).catch(() => undefined);
  await assertAgreement(s, app, SANDBOX_PROFILE, 'expired');

  await app.showPanel('console');
  await send(app, '/orders/list');
  assert.match(await app.text('#response-status'), /^200\b/);
  assert.equal(await app.displayed('#response-refreshed'), true, 'the response does not say the token was refreshed');
  const after = await sandboxStats(sandbox);
  assert.equal(after.successful_refreshes, 1, `stats: ${JSON.stringify(after)}`);
  assert.equal(after.refresh_token_grants, 1, `stats: ${JSON.stringify(after)}`);

  await assertAgreement(s, app, SANDBOX_PROFILE, 'connected');
  assert.equal(await app.badge(), 'connected', 'after the refresh the token lives an hour: "connected"');
  await app.showPanel('token');
  assert.match(await app.text('#last-refresh'), /OK/);
});
