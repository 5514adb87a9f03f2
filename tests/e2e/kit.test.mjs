// The mailer test kit in the real window, against the in-app sandbox: a ready-made postcard
// estimated, previewed and sent through the cost guard (test mode on: no prompt, a badge; off:
// the dialog, where Cancel and Escape send nothing and Confirm sends once), the history of those
// requests across a restart, and cURL out (no token in the window) and back in.

import assert from 'node:assert/strict';

import {
  SANDBOX_PROFILE,
  assertEnvironment,
  connect,
  profileUid,
  sandboxApi,
  sandboxControl,
  scenario,
  secretLookup,
  startSandboxDemo,
} from './harness.mjs';

assertEnvironment();

const KEY_ESCAPE = '\uE00C';
const KEY_TAB = '\uE004';

/** Starts the app, the in-app sandbox, connects the sandbox's profile; resolves what the kit tests need. */
async function connectedSandbox(s) {
  const app = await s.startApp();
  const sandbox = await startSandboxDemo(s, app);
  await connect(s, app, SANDBOX_PROFILE);
  const token = await secretLookup(await profileUid(s.home, SANDBOX_PROFILE), 'access-token');
  assert.ok(token, 'no access token in the keyring after connecting');
  return { app, sandbox, token };
}

/** The sandbox's orders, straight from its API (nothing recorded in the app's history). */
async function orders(sandbox, token) {
  const list = await sandboxApi(sandbox, token, 'GET', '/orders/list?items_per_page=100');
  return { total: list.meta.total, newest: list.data[0] ?? null };
}

async function dismissToast(app) {
  if (await app.displayed('#toast')) await app.click('#toast');
}

/** Chooses a ready-made mailer and waits until the console holds its body. */
async function chooseMailer(app, id) {
  await app.showPanel('console');
  await app.waitFor(() => app.session.exists(`#mailer-${id}`), { timeout: 10_000, message: `the mailer "${id}" to be listed`, show: ['#mailer-list'] });
  await app.click(`#mailer-${id}`);
  await app.waitFor(async () => (await app.displayed('#mailer-kit')) && (await app.prop('#console-body', 'value')).includes('"recipients"'), {
    timeout: 5000,
    message: `the kit to show "${id}"`,
    show: ['#mailer-kit', '#console-path'],
  });
}

/** Clicks Estimate, Preview or Send in the kit and waits for its outcome line (not the dialog). */
async function kitAction(app, action) {
  await dismissToast(app);
  await app.click(`#btn-mailer-${action}`);
  return settled(app);
}

async function settled(app) {
  return app.waitFor(async () => {
    if (!(await app.displayed('#mailer-result'))) return false;
    const text = await app.text('#mailer-result');
    return /…$/.test(text) ? false : text;
  }, { timeout: 15_000, message: 'the kit action to finish', show: ['#mailer-result', '#console-error', '#send-spinner', '#guard-dialog'] });
}

async function waitDialog(app, open) {
  await app.waitFor(async () => (await app.displayed('#guard-dialog')) === open, {
    timeout: 10_000,
    message: `the cost dialog to ${open ? 'open' : 'close'}`,
    show: ['#guard-dialog', '#mailer-result', '#send-spinner-text', '#console-error'],
  });
}

const activeId = (app) => app.session.execute('return document.activeElement && document.activeElement.id;');

scenario('8. Mailer kit: Postcard 4x6 estimate, preview and send; the cost guard with test mode on and off', async (s) => {
  const { app, sandbox, token } = await connectedSandbox(s);
  await chooseMailer(app, 'postcard-4x6');
  assert.equal(await app.prop('#console-method', 'value'), 'POST');
  assert.equal(await app.prop('#console-path', 'value'), '/send/postcard');
  let body = JSON.parse(await app.prop('#console-body', 'value'));
  assert.equal(body.size, '4x6');
  assert.equal(await app.prop('#mailer-name', 'value'), body.recipients[0].name);
  assert.equal(await app.prop('#mailer-message', 'value'), body.message);
  // The form edits the JSON body.
  await app.type('#mailer-name', 'Grace Hopper');
  await app.type('#mailer-city', 'Arlington');
  body = JSON.parse(await app.prop('#console-body', 'value'));
  assert.equal(body.recipients[0].name, 'Grace Hopper');
  assert.equal(body.recipients[0].city, 'Arlington');
  await app.waitFor(async () => /current spelling/.test(await app.text('#mailer-spelling')), {
    timeout: 5000,
    message: 'the kit to say which parameter names the body uses',
    show: ['#mailer-spelling', '#body-spelling'],
  });
  assert.match(await app.text('#guard-note'), /asks first.*4x6 postcard/);

  const start = await orders(sandbox, token);
  s.log(`orders before: ${start.total}`);

  const estimate = await kitAction(app, 'estimate');
  assert.match(estimate, /^Estimate: \$\d+\.\d\d for 1 recipient\./, estimate);
  assert.match(estimate, /Test Mode is on/);
  assert.match(await app.text('#response-url'), /^POST .*\/estimate\/postcard$/);

  const preview = await kitAction(app, 'preview');
  assert.match(preview, /^Preview ready: 2 images/, preview);
  // Thumbnails: fetched by Rust, shown as data: URLs (the CSP allows no other images), each with Open.
  await app.waitFor(async () => (await app.session.findAll('#mailer-previews img')).length === 2, {
    timeout: 15_000, message: 'the two preview thumbnails', show: ['#mailer-previews'],
  });
  const thumbs = await app.session.execute(`return [...document.querySelectorAll('#mailer-previews img')].map((i) => ({
    src: i.getAttribute('src').slice(0, 22), loaded: i.complete && i.naturalWidth > 0, alt: i.alt }));`);
  for (const t of thumbs) {
    assert.equal(t.src, 'data:image/png;base64,', JSON.stringify(thumbs));
    assert.ok(t.loaded, `a thumbnail did not render: ${JSON.stringify(thumbs)}`);
  }
  assert.equal(thumbs[0].alt, 'Preview image 1 of 2');
  assert.equal(await app.text('#preview-open-1'), 'Open');
  assert.match(await app.text('#response-url'), /^POST .*\/send\/postcard$/);
  assert.equal((await orders(sandbox, token)).total, start.total, 'a preview created an order');

  // Test mode on (the sandbox's default): sent without a prompt, and the badge says so.
  const sent = await kitAction(app, 'send');
  assert.match(sent, /^Sent: order \d+/, sent);
  assert.equal(await app.displayed('#guard-dialog'), false);
  assert.equal(await app.displayed('#guard-badge'), true, 'no test-mode badge');
  assert.equal(await app.text('#guard-badge'), 'Test mode: nothing will be mailed or charged');
  const afterTest = await orders(sandbox, token);
  assert.equal(afterTest.total, start.total + 1);
  assert.equal(afterTest.newest.status, 'cancelled', 'test mode: the order is accepted, then cancelled');
  assert.match(sent, new RegExp(`order ${afterTest.newest.id}\\b`));

  // Test mode off: the dialog asks; Cancel sends nothing.
  await sandboxControl(sandbox, 'PUT', 'config', { test_mode: false });
  await dismissToast(app);
  await app.click('#btn-mailer-send');
  await waitDialog(app, true);
  // The local sandbox: one message that nothing real happens, nothing that contradicts it.
  assert.equal(await app.text('#guard-title'), 'Send this to the local sandbox?');
  const reason = await app.text('#guard-reason');
  assert.match(reason, /4x6 postcard: it is printed and mailed/);
  assert.match(reason, /local sandbox on this computer: nothing is printed, mailed or charged/);
  assert.match(await app.text('#guard-cost'), /^\$\d+\.\d\d$/);
  assert.match(await app.text('#guard-balance'), /^\$[\d,]+\.\d\d$/);
  assert.equal(await app.text('#guard-covered'), 'Yes');
  assert.equal(await app.displayed('#guard-test-mode'), false, 'the sandbox dialog shows "API Test Mode: Off: this is real"');
  assert.equal(await app.displayed('#guard-extra'), false, `a second sandbox message: ${await app.prop('#guard-extra', 'textContent')}`);
  assert.equal(await app.text('#guard-confirm'), 'Send to the sandbox');
  const words = await app.text('#guard-dialog');
  assert.doesNotMatch(words, /this is real|pay \$/i, words);
  assert.equal(await activeId(app), 'guard-cancel', 'the dialog should start on “Don’t send”');
  // Focus stays inside: Tab from the last button comes back to the first.
  await app.session.sendKeys('#guard-confirm', KEY_TAB);
  assert.equal(await activeId(app), 'guard-cancel', 'Tab left the dialog');
  await app.click('#guard-cancel');
  await waitDialog(app, false);
  assert.match(await settled(app), /^Not sent/);
  assert.equal((await orders(sandbox, token)).total, start.total + 1, 'Cancel sent the postcard');

  // Escape is a cancel too.
  await app.click('#btn-mailer-send');
  await waitDialog(app, true);
  await app.session.sendKeys('#guard-cancel', KEY_ESCAPE);
  await waitDialog(app, false);
  assert.match(await settled(app), /^Not sent/);
  assert.equal((await orders(sandbox, token)).total, start.total + 1, 'Escape sent the postcard');

  // Confirm sends exactly once, as a real (not cancelled) order.
  await app.click('#btn-mailer-send');
  await waitDialog(app, true);
  await app.click('#guard-confirm');
  await waitDialog(app, false);
  const confirmed = await settled(app);
  assert.match(confirmed, /^Sent: order \d+/, confirmed);
  const end = await orders(sandbox, token);
  assert.equal(end.total, start.total + 2, `orders: ${JSON.stringify(end)}`);
  assert.equal(end.newest.status, 'reviewing');
  // Still the local sandbox, so the badge says nothing is mailed.
  assert.equal(await app.text('#guard-badge'), 'Sandbox: nothing will be mailed');
}, { timeout: 120_000 });

scenario('9. History: estimate, preview and send are listed, searchable, and still there after a restart', async (s) => {
  const { app } = await connectedSandbox(s);
  await chooseMailer(app, 'postcard-4x6');
  assert.match(await kitAction(app, 'estimate'), /^Estimate:/);
  assert.match(await kitAction(app, 'preview'), /^Preview ready/);
  assert.match(await kitAction(app, 'send'), /^Sent: order/);

  const listed = async () => {
    await app.showPanel('history');
    await app.waitFor(async () => (await app.session.findAll('#history-list [data-history-id]')).length >= 3, {
      timeout: 10_000,
      message: 'the history to list the three requests',
      show: ['#history-list', '#history-empty', '#history-error'],
    });
    return app.session.execute(`return [...document.querySelectorAll('#history-list [data-history-id]')].map((li) => ({
      id: Number(li.dataset.historyId), text: li.querySelector('.history-line').textContent }));`);
  };
  const items = await listed();
  assert.equal(items.length, 3, `history: ${JSON.stringify(items)}`);
  // Newest first: send, preview, estimate; each labelled, with the path as the console shows it.
  assert.match(items[2].text, /^POST\s*200\s*Estimate\s*\/estimate\/postcard\s*Details/, items[2].text);
  assert.match(items[1].text, /^POST\s*200\s*Preview\s*\/send\/postcard\s*Details/, items[1].text);
  assert.match(items[0].text, /^POST\s*200\s*Send · order \d+\s*\/send\/postcard\s*Details/, items[0].text);
  for (const item of items) assert.doesNotMatch(item.text, /127\.0\.0\.1|\/api\/v2/, `the base URL is shown: ${item.text}`);
  assert.equal(await app.text(`[data-history-id="${items[2].id}"] [data-action="rerun"]`), 'Load');
  const preview = await app.invoke('history_get', { id: items[1].id });
  assert.equal(JSON.parse(preview.request_body).preview, true, 'the middle entry is not the preview');
  const send = await app.invoke('history_get', { id: items[0].id });
  assert.equal(JSON.parse(send.request_body).preview, undefined);
  assert.doesNotMatch(JSON.stringify(send.request_headers), /Bearer [A-Za-z0-9._~+/-]{16,}/, 'a token in the history');

  // Search.
  // (Plain "estimate" would also find the send: its order has total_estimated_recipients.)
  await app.type('#history-search', '/estimate/postcard');
  await app.waitFor(async () => (await app.session.findAll('#history-list [data-history-id]')).length === 1, {
    timeout: 5000,
    message: 'the search to keep only the estimate',
    show: ['#history-list'],
  });
  await app.type('#history-search', '');

  // Restart with the same config home.
  await app.closeApp();
  await app.openSession();
  const again = await listed();
  assert.deepEqual(again.map((i) => i.id), items.map((i) => i.id), 'the history changed across the restart');

  // Load fills the console (sends nothing); delete removes one entry.
  await app.click(`[data-history-id="${items[2].id}"] [data-action="rerun"]`);
  await app.waitFor(async () => (await app.attr('#nav-console', 'aria-current')) === 'page' && (await app.prop('#console-path', 'value')) === '/estimate/postcard', {
    timeout: 5000,
    message: 're-run to fill the console',
    show: ['#console-path', '#history-error'],
  });
  assert.equal(await app.prop('#console-method', 'value'), 'POST');
  assert.equal(JSON.parse(await app.prop('#console-body', 'value')).size, '4x6');
  await app.showPanel('history');
  await dismissToast(app);
  await app.click(`[data-history-id="${items[1].id}"] [data-action="delete"]`);
  await app.waitFor(async () => !(await app.session.exists(`[data-history-id="${items[1].id}"]`)), { timeout: 5000, message: 'the entry to go' });
  assert.equal((await app.invoke('history_list', { query: {} })).length, 2);
}, { timeout: 120_000 });

scenario('10. cURL: Copy as cURL shows $THANKS_TOKEN (never the token); pasting it back restores the request', async (s) => {
  const { app, token } = await connectedSandbox(s);
  await chooseMailer(app, 'postcard-6x9');
  // The request editor is below the kit's form, out of view in the console's scrolling pane:
  // brought into view first, as a person would scroll to it, since WebKitWebDriver's own
  // scrolling inside a nested scroll container sometimes left the click nowhere.
  await app.session.execute("document.getElementById('btn-add-header').scrollIntoView({ block: 'center' });");
  await app.click('#btn-add-header');
  await app.waitFor(() => app.session.exists('#header-key-0'), { timeout: 5000, message: 'Add header to add a row', show: ['#headers-editor'] });
  await app.type('#header-key-0', 'X-Trace');
  await app.type('#header-value-0', 'e2e-kit');
  const original = {
    method: await app.prop('#console-method', 'value'),
    path: await app.prop('#console-path', 'value'),
    body: JSON.parse(await app.prop('#console-body', 'value')),
  };
  assert.equal(await app.prop('#curl-include-token', 'checked'), false, '“Include the access token” must start unchecked');
  await app.click('#btn-copy-curl');
  await app.waitFor(() => app.displayed('#curl-preview'), { timeout: 5000, message: 'the cURL preview', show: ['#curl-preview', '#toast'] });
  const preview = await app.prop('#curl-preview', 'value');
  assert.match(preview, /\$THANKS_TOKEN/);
  assert.match(preview, /\/api\/v2\/send\/postcard/);
  assert.match(preview, /X-Trace: e2e-kit/);
  assert.ok(!preview.includes(token), 'the preview holds the token');
  const page = await app.session.execute(`return document.documentElement.outerHTML + '\\n' +
    [...document.querySelectorAll('input, textarea')].map((e) => e.value).join('\\n');`);
  assert.ok(!page.includes(token), 'the access token is in the window');

  // Something else in the console, then the command back in.
  await app.type('#catalog-search', 'ping');
  await app.click('#catalog-list button[data-endpoint="GET /ping"]');
  await app.waitFor(async () => (await app.prop('#console-path', 'value')) === '/ping', { timeout: 5000, message: 'GET /ping to fill the console' });
  assert.equal(await app.prop('#console-method', 'value'), 'GET');
  await dismissToast(app);
  await app.click('#curl-import-open');
  await app.session.execute(`const t = document.getElementById('curl-paste'); t.value = arguments[0];
    t.dispatchEvent(new Event('input', { bubbles: true }));`, [preview]);
  await app.click('#btn-import-curl');
  await app.waitFor(async () => (await app.prop('#console-path', 'value')) === original.path, {
    timeout: 5000,
    message: 'the pasted command to fill the console',
    show: ['#curl-import-error', '#curl-unsupported', '#console-path'],
  });
  assert.equal(await app.prop('#console-method', 'value'), original.method);
  assert.deepEqual(JSON.parse(await app.prop('#console-body', 'value')), original.body);
  assert.equal(await app.prop('#header-key-0', 'value'), 'X-Trace');
  assert.equal(await app.prop('#header-value-0', 'value'), 'e2e-kit');
  // Everything in our own export is understood (its $THANKS_TOKEN header is expected, not "unsupported").
  assert.equal(await app.displayed('#curl-unsupported'), false, `unsupported: ${await app.prop('#curl-unsupported', 'textContent')}`);

  // A production command pasted into the Sandbox profile: re-pointed at the sandbox (and said
  // so), every option it dropped named, a real token in it not kept.
  await app.session.execute(`const t = document.getElementById('curl-paste'); t.value = arguments[0];
    t.dispatchEvent(new Event('input', { bubbles: true }));`,
  ["curl -sS --retry 3 --compressed --proxy http://10.0.0.1:3128 -H 'Authorization: Bearer pasted-secret-value' 'https://api.thanks.io/api/v2/orders/list?items_per_page=2'"]);
  await app.click('#btn-import-curl');
  await app.waitFor(() => app.displayed('#curl-unsupported'), { timeout: 5000, message: 'the unsupported options to be named', show: ['#curl-unsupported', '#curl-import-error'] });
  const unsupported = await app.text('#curl-unsupported');
  assert.match(unsupported, /called https:\/\/api\.thanks\.io\/api\/v2; the request now goes to this profile's API \(http:\/\/127\.0\.0\.1:\d+\/api\/v2\)/, unsupported);
  assert.match(unsupported, /--proxy/);
  assert.match(unsupported, /only change how curl itself runs: -s, -S, --retry, --compressed\./, unsupported);
  assert.doesNotMatch(unsupported, /pasted-secret-value/);
  assert.equal(await app.session.exists('#header-key-0'), false, 'the pasted Authorization header became a console header');
  assert.equal(await app.prop('#console-path', 'value'), '/orders/list', 'the path was not re-pointed at the profile');
  assert.equal(await app.prop('#query-key-0', 'value'), 'items_per_page');
  await app.click('#btn-send');
  await app.waitFor(async () => /^200\b/.test(await app.text('#response-status')), { timeout: 15_000, message: 'the re-pointed request to reach the sandbox', show: ['#response-status', '#console-error'] });
  assert.match(await app.text('#response-url'), /^GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/orders\/list\?items_per_page=2$/);
}, { timeout: 90_000 });
