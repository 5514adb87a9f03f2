// The token timeline on the Token panel, in the real window: a login, a refresh forced by a
// 401 and an invalid_grant, each with why and by whom, and the filter.

import assert from 'node:assert/strict';

import { assertEnvironment, connect, sandboxControl, scenario, startSandboxDemo, SANDBOX_PROFILE } from './harness.mjs';

assertEnvironment();

async function timelineItems(app) {
  return app.session.execute(`
    return [...document.querySelectorAll('#timeline-list .timeline-item')].map((li) => ({
      kind: li.dataset.kind,
      ok: li.dataset.ok === 'true',
      text: [...li.querySelectorAll('.timeline-what, .timeline-why, .metric, .timeline-code, .timeline-meta, .timeline-message')]
        .map((e) => e.textContent.replace(/\\s+/g, ' ').trim()).join(' '),
    }));`);
}

scenario('Timeline: a login, a forced 401 refresh and an invalid_grant, newest first, with who and why; the filter', async (s) => {
  const app = await s.startApp();
  const sandbox = await startSandboxDemo(s, app);
  await connect(s, app, SANDBOX_PROFILE);

  // Every token thanks.io issued so far stops working: the next call gets a 401 and refreshes.
  await sandboxControl(sandbox, 'POST', 'expire-access-tokens');
  await app.showPanel('token');
  await app.click('#btn-validate');
  await app.waitFor(async () => (await app.attr('#validate-result', 'data-kind')) === 'ok', { timeout: 15_000, message: 'Validate to succeed after the refresh', show: ['#validate-result'] });

  await sandboxControl(sandbox, 'PUT', 'faults', { invalid_grant_next_refresh: true });
  await app.click('#btn-refresh');
  // A refused refresh token changes the state, whose own sentence says so (no second, red one).
  await app.waitFor(async () => (await app.badge()) === 'needs_reconnect', { timeout: 15_000, message: 'the refused refresh to leave the profile needing a reconnect', show: ['#state-badge', '#token-action-message'] });

  const expected = ['needs_reconnect', 'refresh_failed', 'validated', 'refreshed', 'login_completed', 'login_started'];
  const items = await app.waitFor(async () => {
    const list = await timelineItems(app);
    return list.map((i) => i.kind).join() === expected.join() && list;
  }, { timeout: 10_000, message: `the timeline to show ${expected.join(', ')}`, show: ['#timeline-list', '#timeline-empty', '#timeline-error'] });
  const [reconnect, failed, validated, refreshed, completed, started] = items;
  assert.match(refreshed.text, /^Refreshed after a 401 .* by this window$/);
  assert.match(validated.text, /^Validated HTTP 200 .* by this window$/);
  assert.match(failed.text, /^Refresh failed on request token\.invalid_grant .* by this window .*already used, expired or revoked/);
  assert.equal(failed.ok, false);
  assert.match(reconnect.text, /^Needs reconnect session\.needs_reconnect/);
  assert.ok(completed.ok && started.ok);
  assert.match(started.text, /^Sign-in started .* by this window$/);
  // The Token panel's facts name the same refresh.
  assert.match(await app.text('#last-refresh'), /on request, by this window/);
  await app.session.execute("document.getElementById('timeline-title').scrollIntoView({ block: 'start' });");
  await s.screenshot(app, 'timeline');

  await app.select('#timeline-filter', 'problems');
  assert.deepEqual((await timelineItems(app)).map((i) => i.kind), ['needs_reconnect', 'refresh_failed']);
  await app.select('#timeline-filter', 'signins');
  assert.deepEqual((await timelineItems(app)).map((i) => i.kind), ['login_completed', 'login_started']);
  await app.select('#timeline-filter', 'refreshes');
  assert.deepEqual((await timelineItems(app)).map((i) => i.kind), ['needs_reconnect', 'refresh_failed', 'refreshed']);

  // thanksctl reads the same timeline.
  const cli = JSON.parse((await s.thanksctl(['--profile', SANDBOX_PROFILE, 'events', '--json'])).stdout);
  assert.deepEqual(cli.map((e) => e.kind), [...expected].reverse());
  assert.ok(cli.every((e) => e.actor.process === 'app'));
}, { timeout: 90_000 });
