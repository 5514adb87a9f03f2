// The console's keyboard and words, in the real window against the in-app sandbox: the endpoint
// catalog is one Tab stop (arrow keys inside), Send is a few Tab presses from the Console
// heading; a gift card's amount is typed in dollars (and a half-typed one waits, saying why);
// choosing an endpoint offers the query parameters it takes.

import assert from 'node:assert/strict';

import { assertEnvironment, connect, scenario, startSandboxDemo, SANDBOX_PROFILE } from './harness.mjs';

assertEnvironment();

const KEY_TAB = '\uE004';
const KEY_DOWN = '\uE015';
const KEY_SHIFT = '\uE008';

const activeId = (app) => app.session.execute('return document.activeElement && document.activeElement.id;');

/** Presses Tab (with Shift when `back`) on whatever has the focus, as a person would. */
async function pressTab(app, back = false) {
  const keys = back
    ? [{ type: 'keyDown', value: KEY_SHIFT }, { type: 'keyDown', value: KEY_TAB }, { type: 'keyUp', value: KEY_TAB }, { type: 'keyUp', value: KEY_SHIFT }]
    : [{ type: 'keyDown', value: KEY_TAB }, { type: 'keyUp', value: KEY_TAB }];
  await app.session.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions: keys }] });
  await app.session.cmd('DELETE', '/actions');
}

async function connectedConsole(s) {
  const app = await s.startApp();
  await startSandboxDemo(s, app);
  await connect(s, app, SANDBOX_PROFILE);
  await app.showPanel('console');
  await app.waitFor(async () => (await app.session.findAll('#catalog-list button.catalog-item')).length > 10, {
    timeout: 10_000, message: 'the catalog to load', show: ['#catalog-count'],
  });
  return app;
}

scenario('D1. Keyboard: the catalog is one Tab stop with arrow keys inside; Send is a few Tab presses from the heading', async (s) => {
  const app = await connectedConsole(s);
  const stops = await app.session.execute("return [...document.querySelectorAll('#catalog-list button')].filter((b) => b.tabIndex >= 0).length;");
  assert.equal(stops, 1, 'every catalog entry is a Tab stop');

  // From the search box, Tab enters the list once; arrows move inside; Tab leaves it.
  await app.session.execute("document.getElementById('catalog-search').focus();");
  await pressTab(app);
  const first = await activeId(app);
  assert.match(first ?? '', /^catalog-item-/, `Tab from the search box went to ${first}`);
  await app.session.sendKeys(`#${first}`, `${KEY_DOWN}${KEY_DOWN}`);
  const third = await activeId(app);
  assert.match(third ?? '', /^catalog-item-/);
  assert.notEqual(third, first, 'the arrow keys did not move in the list');
  await pressTab(app);
  const after = await activeId(app);
  assert.doesNotMatch(after ?? '', /^catalog-item-/, 'the second Tab stayed in the list');
  // Shift+Tab comes back to the entry the arrows moved to, not the top of the list.
  await pressTab(app, true);
  assert.equal(await activeId(app), third);

  // From the Console heading to Send.
  await app.session.execute("document.getElementById('console-title').focus();");
  let presses = 0;
  while ((await activeId(app)) !== 'btn-send' && presses < 100) {
    await pressTab(app);
    presses += 1;
  }
  s.log(`Tab presses from the Console heading to Send: ${presses}`);
  assert.ok(presses <= 6, `${presses} Tab presses from the Console heading to Send`);
}, { timeout: 90_000 });

scenario('D2. Words: a gift card is typed in dollars; the catalog suggests each endpoint\'s query parameters', async (s) => {
  const app = await connectedConsole(s);

  // Gift card: dollars in the form, cents in the JSON.
  await app.waitFor(() => app.session.exists('#mailer-giftcard'), { timeout: 10_000, message: 'the gift card mailer' });
  await app.click('#mailer-giftcard');
  await app.waitFor(() => app.displayed('#mailer-giftcard-amount'), { timeout: 5000, message: 'the gift card amount field' });
  assert.match(await app.text('label[for="mailer-giftcard-amount"]'), /dollars/);
  const cents = async () => JSON.parse(await app.prop('#console-body', 'value')).giftcard_amount_in_cents;
  assert.equal(await app.prop('#mailer-giftcard-amount', 'value'), (await cents() / 100).toFixed(2));
  await app.type('#mailer-giftcard-amount', '12.50');
  assert.equal(await cents(), 1250);
  assert.equal(await app.displayed('#mailer-giftcard-amount-error'), false);
  await app.type('#mailer-giftcard-amount', '12.5x');
  assert.equal(await app.displayed('#mailer-giftcard-amount-error'), true, 'a half-typed amount says nothing');
  assert.match(await app.text('#mailer-giftcard-amount-error'), /in dollars, like 10 or 12\.50/);
  assert.equal(await cents(), 1250, 'a half-typed amount changed the body');
  await app.type('#mailer-giftcard-amount', '$7');
  assert.equal(await cents(), 700);
  assert.equal(await app.displayed('#mailer-giftcard-amount-error'), false);

  // The catalog's query parameters, one click each.
  await app.type('#catalog-search', 'orders list');
  await app.click('#catalog-list button[data-endpoint="GET /orders/list"]');
  await app.waitFor(() => app.displayed('#query-suggestions'), { timeout: 5000, message: 'the query parameters of GET /orders/list', show: ['#query-suggestions'] });
  assert.match(await app.text('#query-suggestions'), /items_per_page/);
  await app.click('#query-suggest-items_per_page');
  assert.equal(await app.prop('#query-key-0', 'value'), 'items_per_page');
  assert.equal(await activeId(app), 'query-value-0', 'the value field should have the focus');
  assert.equal(await app.session.exists('#query-suggest-items_per_page'), false, 'a used suggestion is still offered');
  await app.type('#query-value-0', '2');
  await app.click('#btn-send');
  await app.waitFor(async () => /^200\b/.test(await app.text('#response-status')), { timeout: 15_000, message: 'the response', show: ['#response-status', '#console-error'] });
  assert.match(await app.text('#response-url'), /\/orders\/list\?items_per_page=2$/);
}, { timeout: 90_000 });

scenario('D3. Profile names: "Acme Marketing" is welcome; a name that can\'t be one is said as it is typed', async (s) => {
  // A profile to start from (a first start without one shows the ways in instead).
  const made = await s.thanksctl(['profile', 'set', '--client-id', 'team-client']);
  assert.equal(made.code, 0, made.stderr);
  const app = await s.startApp();
  await app.showPanel('account');
  await app.click('#btn-add-profile');
  await app.waitFor(() => app.displayed('#set-name'), { timeout: 5000, message: 'the name field' });
  // As it is typed, before any Save.
  await app.type('#set-name', 'Acme/Marketing');
  await app.waitFor(() => app.displayed('#set-name-error'), { timeout: 3000, message: 'the name problem to show while typing' });
  assert.match(await app.text('#set-name-error'), /letters, digits, spaces/);
  assert.equal(await app.attr('#set-name', 'aria-invalid'), 'true');
  await app.type('#set-name', 'Acme Marketing');
  await app.waitFor(async () => !(await app.displayed('#set-name-error')), { timeout: 3000, message: 'the problem to go once the name is fine' });
  await app.type('#set-client-id', 'acme-client');
  await app.click('#btn-save-profile');
  await app.waitFor(async () => (await app.prop('#profile-select', 'value')) === 'Acme Marketing', {
    timeout: 10_000, message: 'the new profile to be selected', show: ['#profile-form-error', '#set-name-error'],
  });
  // The CLI knows it by the same name; its files and keyring entries go by its uid.
  const shown = await s.thanksctl(['--profile', 'Acme Marketing', 'profile', 'show']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /acme-client/);
}, { timeout: 60_000 });
