// The window's words always match the state: "Checking…" until it is known; an expiring token
// is renewed in the background (no API call, never an "Expired" alarm); verdicts (Validate,
// Refresh, sign-in outcomes) vanish when the state changes and carry their time while they
// stay; a made-up personal token is refused before anything is stored, and one thanks.io
// refuses later is "rejected"; a token file that can't be read is said to be so, and the
// tokens stay.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  assertAgreement,
  assertEnvironment,
  connect,
  profileUid,
  sandboxControl,
  sandboxStats,
  SANDBOX_PROFILE,
  scenario,
  secretLookup,
  startSandboxDemo,
} from './harness.mjs';

assertEnvironment();

/** A time of day as the window writes it ("14:02", "2:02 PM"). */
const TIME = /\d{1,2}:\d{2}(?:\s?[AP]M)?/;

/** Records every value `#header-state[data-state]` takes from now on. */
async function recordBadges(app) {
  await app.session.execute(`
    const el = document.getElementById('header-state');
    const seen = (window.__badges = [el.dataset.state]);
    new MutationObserver(() => seen.push(el.dataset.state)).observe(el, { attributes: true, attributeFilter: ['data-state'] });`);
}

const badgesSeen = (app) => app.session.execute('return window.__badges;');

/** The token-state verdicts on the Token panel and the outcome under Connect, as shown now. */
async function verdicts(app) {
  return app.session.execute(`
    return ['token-action-message', 'validate-result', 'login-message', 'state-technical'].map((id) => {
      const el = document.getElementById(id);
      return { id, shown: !el.hidden, text: el.textContent.trim() };
    }).filter((v) => v.shown);`);
}

scenario('S1. Background renewal: a token about to expire comes back Connected with no API call, never "Expired"', async (s) => {
  const made = await s.thanksctl(['--profile', 'Other', 'profile', 'set', '--client-id', 'other']);
  assert.equal(made.code, 0, made.stderr);
  const app = await s.startApp();
  const sandbox = await startSandboxDemo(s, app);
  await sandboxControl(sandbox, 'PUT', 'config', { access_token_ttl_secs: 3 });
  await recordBadges(app);
  await connect(s, app, SANDBOX_PROFILE);
  await sandboxControl(sandbox, 'PUT', 'config', { access_token_ttl_secs: 3600 });
  await app.showPanel('token');
  await app.waitFor(async () => (await sandboxStats(sandbox)).successful_refreshes === 1 && (await app.badge()) === 'connected' &&
    /OK/.test(await app.text('#last-refresh')), {
    timeout: 20_000,
    message: 'the app to renew the 3-second token by itself',
    show: ['#state-badge', '#expires-countdown', '#last-refresh', '#state-explain'],
  });
  const stats = await sandboxStats(sandbox);
  assert.equal(stats.api_requests, 0, `renewing made API calls: ${JSON.stringify(stats)}`);
  assert.equal(stats.refresh_token_grants, 1, `one renewal, not a storm: ${JSON.stringify(stats)}`);
  assert.match(await app.text('#expires-countdown'), /^expires in (59|1:00):\d\d · renews automatically$/);
  assert.match(await app.text('#state-explain'), /renews automatically/);
  const seen = await badgesSeen(app);
  s.log(`badges seen: ${seen.join(' → ')}`);
  assert.ok(!seen.includes('expired') && !seen.includes('expires_soon'), `an alarm was shown for a token that renews itself: ${seen.join(' → ')}`);
  await assertAgreement(s, app, SANDBOX_PROFILE, 'connected');

  // Until a status is known (the window starting, another profile chosen) the badges say
  // "Checking…", not "Disconnected", which a connected profile isn't: away to a profile that
  // isn't connected, and back.
  await app.select('#profile-select', 'Other');
  await assertAgreement(s, app, 'Other', 'disconnected');
  await recordBadges(app);
  await app.select('#profile-select', SANDBOX_PROFILE);
  await assertAgreement(s, app, SANDBOX_PROFILE, 'connected');
  const back = await badgesSeen(app);
  s.log(`badges seen coming back: ${back.join(' → ')}`);
  assert.deepEqual(back, ['disconnected', 'checking', 'connected'], `coming back to a connected profile: ${back.join(' → ')}`);
});

scenario('S2. Verdicts belong to a state: Validate and Refresh results go on Disconnect, a needs-reconnect message goes on Reconnect', async (s) => {
  const app = await s.startApp();
  const sandbox = await startSandboxDemo(s, app);
  await connect(s, app, SANDBOX_PROFILE);
  assert.match(await app.text('#login-message'), TIME, 'the sign-in outcome carries its time');

  await app.showPanel('token');
  await app.click('#btn-validate');
  await app.waitFor(() => app.displayed('#validate-result'), { timeout: 10_000, message: 'the validation result' });
  assert.match(await app.text('#validate-result'), /Valid/);
  assert.match(await app.text('#validate-when'), new RegExp(`^Validated at ${TIME.source}$`));
  // A refresh that fails on the way (thanks.io's token endpoint down): red, stamped, and it stays
  // while the state is the same.
  await sandboxControl(sandbox, 'PUT', 'faults', { token_failure: 'html502' });
  await app.click('#btn-refresh');
  await app.waitFor(async () => (await app.displayed('#token-action-message')) && (await app.attr('#token-action-message', 'data-kind')) === 'error', {
    timeout: 10_000,
    message: 'the failed refresh to be reported',
    show: ['#token-action-message'],
  });
  assert.match(await app.text('#token-action-message'), new RegExp(`^Refresh failed at ${TIME.source}: `));
  await sandboxControl(sandbox, 'PUT', 'faults', {});
  assert.equal((await verdicts(app)).length >= 2, true);

  // Disconnect: nothing green or red about the old token is left.
  await app.showPanel('account');
  await app.click('#btn-disconnect');
  await assertAgreement(s, app, SANDBOX_PROFILE, 'disconnected');
  await app.showPanel('token');
  assert.deepEqual(await verdicts(app), [], 'verdicts about the old connection stayed after Disconnect');

  // Reconnect, then a refresh token thanks.io no longer accepts: needs reconnect, in one sentence.
  await app.showPanel('account');
  await connect(s, app, SANDBOX_PROFILE);
  await app.showPanel('token');
  await sandboxControl(sandbox, 'PUT', 'faults', { invalid_grant_next_refresh: true });
  await app.click('#btn-refresh');
  await assertAgreement(s, app, SANDBOX_PROFILE, 'needs_reconnect');
  assert.equal(await app.text('#state-explain'), 'thanks.io no longer accepts this sign-in; Reconnect to sign in again.');
  // What is rendered (innerText leaves out the folded details).
  // The Timeline card below is the support log: it keeps each event's code and thanks.io's own
  // words on purpose (issue 12), and whether it has loaded the newest events yet is a matter of
  // timing. The plain-words rule is about the state above it, so the card is left out.
  const words = await app.session.execute(`const card = document.getElementById('timeline-list').closest('section');
    const was = card.hidden;
    card.hidden = true;
    const text = document.getElementById('panel-token').innerText;
    card.hidden = was;
    return text;`);
  assert.doesNotMatch(words, /resource owner|authorization grant|invalid_grant/i, 'OAuth spec text in plain view');
  assert.equal((words.match(/reconnect/gi) ?? []).length, 3, `"reconnect" more than the badge, the sentence and the button: ${words}`);
  assert.equal(await app.displayed('#token-action-message'), false, 'the failed refresh repeats the state in red');
  assert.equal(await app.displayed('#state-technical'), true, 'no technical details to look at');
  await app.click('#state-technical summary');
  assert.match(await app.session.execute("return document.getElementById('state-technical-text').innerText;"), /invalid_grant|needs_reconnect/);

  // Reconnect: Connected, and no red message about the old sign-in stays under it.
  await app.click('#btn-reconnect');
  await app.waitFor(async () => (await app.badge()) === 'connected', { timeout: 20_000, message: 'Reconnect to end connected', show: ['#state-badge', '#login-message'] });
  await app.showPanel('token');
  const left = (await verdicts(app)).filter((v) => v.id !== 'login-message');
  assert.deepEqual(left, [], 'a message about the old state stayed under Connected');
  await assertAgreement(s, app, SANDBOX_PROFILE, 'connected');
}, { timeout: 90_000 });

scenario('S3. Personal tokens: a made-up one is refused and nothing is stored; one refused later is "rejected"', async (s) => {
  const app = await s.startApp();
  const sandbox = await startSandboxDemo(s, app);
  await app.type('#pat-input', 'not-a-real-token');
  await app.click('#btn-use-pat');
  await app.waitFor(() => app.displayed('#pat-error'), { timeout: 10_000, message: 'the token to be refused', show: ['#pat-error', '#toast'] });
  assert.match(await app.text('#pat-error'), /thanks\.io didn’t accept this token|thanks\.io didn't accept this token/);
  assert.match(await app.text('#pat-error'), /paste a new token/);
  assert.equal(await app.attr('#pat-input', 'aria-invalid'), 'true');
  const uid = await profileUid(s.home, SANDBOX_PROFILE);
  assert.equal(await secretLookup(uid, 'personal-token'), null, 'the refused token was stored');
  await assertAgreement(s, app, SANDBOX_PROFILE, 'disconnected');

  // A token thanks.io accepts (the access token of a sign-in, standing in for a dashboard one).
  await connect(s, app, SANDBOX_PROFILE);
  const token = await secretLookup(uid, 'access-token');
  await app.click('#btn-disconnect');
  await assertAgreement(s, app, SANDBOX_PROFILE, 'disconnected');
  await app.type('#pat-input', token);
  await app.click('#btn-use-pat');
  await assertAgreement(s, app, SANDBOX_PROFILE, 'connected');
  assert.equal(await app.displayed('#pat-error'), false);
  assert.equal(await secretLookup(uid, 'personal-token'), token);

  // thanks.io stops accepting it: the next call marks it rejected (not "needs reconnect").
  await sandboxControl(sandbox, 'POST', 'expire-access-tokens');
  await app.showPanel('token');
  await app.click('#btn-validate');
  await assertAgreement(s, app, SANDBOX_PROFILE, 'rejected');
  assert.equal(await app.text('#state-badge'), 'Token rejected');
  assert.match(await app.text('#validate-message'), /paste a new one/);
  assert.equal(await app.displayed('#btn-reconnect'), false, 'Reconnect offered for a personal token');
  assert.equal(await app.displayed('#btn-new-token'), true);
  await app.click('#btn-new-token');
  await app.waitFor(async () => (await app.session.execute('return document.activeElement && document.activeElement.id;')) === 'pat-input', {
    timeout: 5000,
    message: '"Paste a new token" to lead to the token field',
  });
  assert.match(await app.text('#connect-summary'), /no longer accepts the personal access token/);
  const stats = await sandboxStats(sandbox);
  s.log(`sandbox: ${JSON.stringify(stats)}`);
}, { timeout: 90_000 });

scenario('S4. A token file that can’t be read: "State unknown" and why, never "Disconnected", and the tokens stay', async (s) => {
  let app = await s.startApp();
  await startSandboxDemo(s, app);
  await connect(s, app, SANDBOX_PROFILE);
  const uid = await profileUid(s.home, SANDBOX_PROFILE);
  await app.closeApp();
  // Damaged on disk while the app was closed (a disk error, a bad edit by hand).
  await writeFile(join(s.home, 'tokens', `${uid}.json`), '{"auth": "oauth", "generation": ');
  app = await s.startApp();
  await app.waitFor(async () => (await app.attr('#header-state', 'data-state')) === 'unknown', {
    timeout: 10_000, message: 'the badge to say the state is unknown', show: ['#header-state', '#connect-summary'],
  });
  assert.equal(await app.text('#header-state'), 'State unknown');
  assert.match(await app.text('#connect-summary'), /^The state of profile “Sandbox \(local\)” couldn’t be read: .*token metadata.*disconnect and connect again/);
  await app.showPanel('token');
  assert.equal(await app.text('#state-badge'), 'State unknown');
  assert.equal(await app.text('#state-explain'), 'The token state couldn’t be read.');
  assert.equal(await app.displayed('#status-error'), true);
  assert.ok(await secretLookup(uid, 'access-token'), 'the access token went with the damaged file');
  assert.ok(await secretLookup(uid, 'refresh-token'), 'the refresh token went with the damaged file');
});
