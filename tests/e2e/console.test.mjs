// The Console in the real window: a request and its response, an invalid JSON body that blocks
// Send, and a failed background renewal (a warning that backs off) that a console request fixes.

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

scenario('3. Token renewal: a failed background renewal is a warning and backs off; a console request renews it', async (s) => {
  const app = await s.startApp();
  const sandbox = await startSandboxDemo(s, app);
  // 50 s: a token is renewed when its last 60 s or its second half begin, whichever is later,
  // so the app's background renewal tries about 25 s after connecting (within a 5 s tick),
  // while the token still works for the rest of the scenario.
  await sandboxControl(sandbox, 'PUT', 'config', { access_token_ttl_secs: 50 });
  await connect(s, app, SANDBOX_PROFILE);
  await sandboxControl(sandbox, 'PUT', 'config', { access_token_ttl_secs: 3600 });
  await sandboxControl(sandbox, 'PUT', 'faults', { token_failure: 'html502' });

  await app.showPanel('token');
  await app.waitFor(async () => (await app.badge()) === 'renew_failed', {
    timeout: 40_000,
    message: 'the badge to say the renewal failed',
    show: ['#state-badge', '#expires-countdown', '#state-explain', '#last-refresh'],
  });
  assert.equal(await app.text('#state-badge'), 'Renewal failed');
  assert.equal(await app.attr('#header-state', 'data-state'), 'renew_failed');
  assert.match(await app.text('#state-explain'), /keeps trying by itself/);
  assert.match(await app.text('#last-refresh'), /Failed/);
  // The exact words are there for whoever needs them, folded away.
  assert.equal(await app.displayed('#state-technical'), true);
  assert.equal(await app.prop('#state-technical', 'open'), false, 'technical details should start folded');
  await assertAgreement(s, app, SANDBOX_PROFILE, 'connected');
  // No refresh storm: after the failure the next try waits 30 s.
  const failedAt = (await sandboxStats(sandbox)).token_requests;
  await new Promise((r) => setTimeout(r, 12_000));
  assert.equal((await sandboxStats(sandbox)).token_requests, failedAt, 'the background renewal retried within 12 s of a failure');

  await sandboxControl(sandbox, 'PUT', 'faults', {});
  await app.showPanel('console');
  await send(app, '/orders/list');
  assert.match(await app.text('#response-status'), /^200\b/);
  assert.equal(await app.displayed('#response-refreshed'), true, 'the response does not say the token was refreshed');
  const after = await sandboxStats(sandbox);
  assert.equal(after.successful_refreshes, 1, `stats: ${JSON.stringify(after)}`);

  await assertAgreement(s, app, SANDBOX_PROFILE, 'connected');
  assert.equal(await app.badge(), 'connected', 'after the refresh the token lives an hour: "connected"');
  await app.showPanel('token');
  assert.match(await app.text('#last-refresh'), /OK/);
  assert.equal(await app.displayed('#state-technical'), false, 'technical details of a fixed failure stay');
}, { timeout: 90_000 });
