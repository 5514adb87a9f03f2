// What a person sees, measured in the real window (layout.mjs): every panel at 820x560 (the
// minimum), 1280x800 and 1920x1080, light and dark — no page-level scroll, nothing sticking out
// sideways, each panel opening at its top; the console's request and response side by side on
// wide windows and stacked on narrow ones, with Send and the response's status in view after a
// send; the status line next to Send while a request runs; the divider; the cost dialog as tall
// as its content; the top bar's badge keeping the profile menu still; on Linux, code text in
// fontconfig's monospace and the fonts made ahead of need without a trace.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { SANDBOX_PROFILE, assertEnvironment, connect, sandboxControl, scenario, startSandboxDemo } from './harness.mjs';
import {
  THEMES,
  WINDOW_SIZES,
  assertDialogFits,
  assertInView,
  assertLayout,
  assertOpensAtTop,
  layoutShot,
  setTheme,
  setWindowSize,
  sizeLabel,
} from './layout.mjs';

assertEnvironment();

const PANELS = ['account', 'token', 'console', 'history', 'accounts'];
const KEY_LEFT = '\uE012';
const KEY_RIGHT = '\uE014';
const KEY_ENTER = '\uE007';
const KEY_ESCAPE = '\uE00C';

/** Types PATH into the console, clicks Send, and waits for the response's status. */
async function send(app, path) {
  await app.type('#console-path', path);
  await app.click('#btn-send');
  await app.waitFor(async () => !(await app.displayed('#send-spinner')) && /^\d{3}\b/.test(await app.text('#response-status')), {
    timeout: 15_000,
    message: `the response to GET ${path}`,
    show: ['#response-status', '#send-outcome', '#console-error', '#send-spinner'],
  });
}

/** The console's layout and the rectangles of its two panes. */
async function consoleBoxes(app) {
  return app.session.execute(`
    const box = (id) => { const r = document.getElementById(id).getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width }; };
    return { layout: document.getElementById('panel-console').dataset.layout, request: box('request-pane'), response: box('response'), divider: box('console-divider') };`);
}

/** Waits until the content pane stops moving (a smooth scroll has finished). */
async function scrollSettled(app) {
  let last = -1;
  await app.waitFor(async () => {
    const now = await app.session.execute("return document.getElementById('main').scrollTop;");
    const still = now === last;
    last = now;
    return still;
  }, { timeout: 3000, interval: 150, message: 'the content pane to stop scrolling' });
}

scenario('L1. Layout: every panel at 820x560, 1280x800 and 1920x1080, light and dark', async (s) => {
  const app = await s.startApp();
  await startSandboxDemo(s, app);
  await connect(s, app, SANDBOX_PROFILE);
  await app.showPanel('console');
  await send(app, '/orders/list');
  for (const theme of THEMES) {
    await setTheme(app, theme);
    for (const size of WINDOW_SIZES) {
      await setWindowSize(app, size);
      for (const panel of PANELS) {
        const label = `${panel} ${sizeLabel(size)} ${theme}`;
        await assertOpensAtTop(app, panel);
        await assertLayout(app, label);
        await layoutShot(s, app, `${panel}-${sizeLabel(size)}-${theme}`);
      }
      s.log(`${sizeLabel(size)} ${theme}: ${PANELS.length} panels laid out cleanly`);
    }
  }
}, { timeout: 240_000 });

scenario('L2. Console: side by side when wide, stacked when narrow; Send and the response in view after a send', async (s) => {
  const app = await s.startApp();
  const sandbox = await startSandboxDemo(s, app);
  await connect(s, app, SANDBOX_PROFILE);
  await app.showPanel('console');
  for (const size of WINDOW_SIZES) {
    await setWindowSize(app, size);
    await send(app, '/orders/list');
    await scrollSettled(app);
    const boxes = await consoleBoxes(app);
    const label = `console ${sizeLabel(size)}`;
    if (size.width >= 1280) {
      assert.equal(boxes.layout, 'side', `${label}: request and response should be side by side`);
      assert.ok(boxes.request.right <= boxes.divider.left + 0.5 && boxes.divider.right <= boxes.response.left + 0.5,
        `${label}: request | divider | response are not in a row: ${JSON.stringify(boxes)}`);
      assert.ok(Math.abs(boxes.request.top - boxes.response.top) < 1, `${label}: the panes don't start at the same height`);
      assert.ok(boxes.response.width >= 400 && boxes.request.width >= 340, `${label}: a pane is too narrow: ${JSON.stringify(boxes)}`);
      assert.equal(await app.session.execute("return document.getElementById('main').scrollTop;"), 0, `${label}: the content pane scrolled`);
    } else {
      assert.equal(boxes.layout, 'stacked', `${label}: request and response should be stacked`);
      assert.ok(boxes.response.top >= boxes.request.bottom, `${label}: the response is not under the request`);
    }
    // Without the user scrolling: Send (pinned or beside) and the response's status.
    await assertInView(app, ['#btn-send', '#send-outcome', '#response-status'], label);
    assert.match(await app.text('#send-outcome'), /^200 OK · \d/, `${label}: the status line next to Send`);
    await assertLayout(app, `${label} after a send`);
    await layoutShot(s, app, `console-sent-${sizeLabel(size)}`);
  }

  // While a request runs, the status line next to Send says so (and Cancel is offered).
  await setWindowSize(app, WINDOW_SIZES[1]);
  await sandboxControl(sandbox, 'PUT', 'faults', { api_delay_ms: 2500 });
  await app.type('#console-path', '/orders/list');
  await app.click('#btn-send');
  await app.waitFor(async () => (await app.displayed('#send-spinner')) && /^Sending…/.test(await app.text('#send-spinner-text')), {
    timeout: 5000,
    message: 'the status line to say Sending…',
    show: ['#send-status', '#send-spinner-text'],
  });
  await assertInView(app, ['#send-spinner', '#btn-cancel-send'], 'while sending');
  assert.equal(await app.displayed('#send-outcome'), false, 'the old outcome stays next to a running request');
  await app.waitFor(async () => !(await app.displayed('#send-spinner')) && (await app.displayed('#send-outcome')), {
    timeout: 10_000,
    message: 'the slow request to finish',
    show: ['#send-status'],
  });
  await sandboxControl(sandbox, 'PUT', 'faults', { api_delay_ms: 0 });
}, { timeout: 120_000 });

scenario('L3. Console divider: arrow keys and dragging resize the panes; the split and the theme survive a restart', async (s) => {
  // The window has no implicit profile (a first start shows the ways in): make one.
  const made = await s.thanksctl(['profile', 'set', '--client-id', 'team-client']);
  assert.equal(made.code, 0, made.stderr);
  let app = await s.startApp();
  await app.showPanel('console');
  await setWindowSize(app, WINDOW_SIZES[2]);
  const start = await consoleBoxes(app);
  assert.equal(start.layout, 'side');
  assert.equal(await app.attr('#console-divider', 'role'), 'separator');

  // Keyboard: focus the divider, → twice widens the request pane by 10 %.
  await app.session.sendKeys('#console-divider', `${KEY_RIGHT}${KEY_RIGHT}`);
  const wider = await consoleBoxes(app);
  assert.ok(wider.request.width > start.request.width + 100, `→→ did not widen the request pane: ${start.request.width} → ${wider.request.width}`);
  assert.equal(await app.attr('#console-divider', 'aria-valuenow'), '60');
  await app.session.sendKeys('#console-divider', KEY_ENTER);
  assert.equal(await app.attr('#console-divider', 'aria-valuenow'), '50', 'Enter should reset to half and half');
  await app.session.sendKeys('#console-divider', `${KEY_LEFT}${KEY_LEFT}${KEY_LEFT}${KEY_LEFT}${KEY_LEFT}${KEY_LEFT}${KEY_LEFT}${KEY_LEFT}`);
  const narrowest = await consoleBoxes(app);
  assert.ok(narrowest.request.width >= 339, `the request pane went below its minimum: ${narrowest.request.width}`);

  // Pointer: drag the divider to 70 % of the split's width.
  const split = await app.session.execute("const r = document.getElementById('console-split').getBoundingClientRect(); return { left: r.left, width: r.width };");
  const d = narrowest.divider;
  const y = Math.round((await app.session.execute("const r = document.getElementById('console-divider').getBoundingClientRect(); return r.top + r.height / 2;")));
  await app.session.cmd('POST', '/actions', {
    actions: [{
      type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
      actions: [
        { type: 'pointerMove', x: Math.round(d.left + 6), y, origin: 'viewport' },
        { type: 'pointerDown', button: 0 },
        { type: 'pointerMove', x: Math.round(split.left + split.width * 0.4), y, origin: 'viewport', duration: 100 },
        { type: 'pointerMove', x: Math.round(split.left + split.width * 0.7), y, origin: 'viewport', duration: 100 },
        { type: 'pointerUp', button: 0 },
      ],
    }],
  });
  await app.session.cmd('DELETE', '/actions');
  const dragged = Number(await app.attr('#console-divider', 'aria-valuenow'));
  assert.ok(Math.abs(dragged - 70) <= 2, `dragging to 70 % left the divider at ${dragged} %`);
  await assertLayout(app, 'console after dragging the divider');

  await setTheme(app, 'dark');
  // The split is saved after a debounce, the theme at once: wait (under load it can take a while)
  // until ui.json holds both, then start again.
  const saved = async () => {
    const prefs = JSON.parse(await readFile(join(s.home, 'ui.json'), 'utf8'));
    return Math.abs(prefs.console_split - dragged / 100) < 0.02 && prefs.theme === 'dark' ? prefs : false;
  };
  await app.waitFor(saved, { timeout: 15_000, message: `ui.json to hold the split (${dragged} %) and the dark theme` });
  await app.stop();
  app = await s.startApp();
  await app.showPanel('console');
  await setWindowSize(app, WINDOW_SIZES[2]);
  assert.equal(await app.session.execute('return document.documentElement.dataset.theme;'), 'dark', 'the theme was not remembered');
  assert.equal(await app.prop('#theme-select', 'value'), 'dark');
  const again = Number(await app.attr('#console-divider', 'aria-valuenow'));
  assert.ok(Math.abs(again - dragged) <= 1, `the split was not remembered: ${dragged} % before, ${again} % after the restart`);
}, { timeout: 90_000 });

scenario('L4. The cost dialog is as tall as its content at every size; the top bar badge keeps the profile menu still', async (s) => {
  const app = await s.startApp();
  const selectBefore = await app.session.execute("return document.getElementById('profile-select').getBoundingClientRect().left;");
  const sandbox = await startSandboxDemo(s, app);
  await connect(s, app, SANDBOX_PROFILE);
  const selectAfter = await app.session.execute("return document.getElementById('profile-select').getBoundingClientRect().left;");
  assert.equal(await app.attr('#header-state', 'data-state'), 'connected');
  assert.equal(selectAfter, selectBefore, 'the profile menu moved when the badge changed from Disconnected to Connected');

  await sandboxControl(sandbox, 'PUT', 'config', { test_mode: false });
  await app.showPanel('console');
  await app.waitFor(() => app.session.exists('#mailer-postcard-4x6'), { timeout: 10_000, message: 'the mailers to load' });
  await app.click('#mailer-postcard-4x6');
  await app.waitFor(() => app.displayed('#mailer-kit'), { timeout: 5000, message: 'the mailer kit' });
  for (const theme of THEMES) {
    await setTheme(app, theme);
    for (const size of WINDOW_SIZES) {
      await setWindowSize(app, size);
      await app.click('#btn-mailer-send');
      await app.waitFor(() => app.displayed('#guard-dialog'), { timeout: 10_000, message: 'the cost dialog to open', show: ['#mailer-result', '#send-spinner-text'] });
      await app.painted();
      await assertDialogFits(app, '#guard-dialog', `cost dialog ${sizeLabel(size)} ${theme}`);
      await assertInView(app, ['#guard-cancel', '#guard-confirm'], `cost dialog ${sizeLabel(size)} ${theme}`);
      await layoutShot(s, app, `guard-dialog-${sizeLabel(size)}-${theme}`);
      await app.session.sendKeys('#guard-cancel', KEY_ESCAPE);
      await app.waitFor(async () => !(await app.displayed('#guard-dialog')), { timeout: 5000, message: 'Escape to close the dialog' });
    }
  }
}, { timeout: 120_000 });

scenario('L5. Linux fonts: the page is marked before it loads, code text is fontconfig\'s monospace at its own size, and the fonts made ahead leave nothing behind', async (s) => {
  const app = await s.startApp();
  // Marked by Rust's init script, so even the first layout has Linux's font list.
  assert.equal(await app.session.execute('return document.documentElement.dataset.os;'), 'linux');
  const code = await app.session.execute(`const s = getComputedStyle(document.getElementById('response-body'));
    return { family: s.fontFamily, size: s.fontSize };`);
  assert.deepEqual(code, { family: 'monospace, monospace', size: '12.5px' }, 'not the lone generic monospace, which browsers shrink');
  const shown = "[...document.querySelectorAll('.panel')].filter((p) => !p.hidden).map((p) => p.id)";
  const before = await app.session.execute(`return { focus: document.activeElement?.id ?? '', scroll: document.getElementById('main').scrollTop,
    shown: ${shown} };`);
  await app.waitFor(() => app.session.execute('return document.documentElement.dataset.fontsReady === "true";'), {
    timeout: 15_000, message: 'the fonts to be made ahead (warmup.ts)',
  });
  const after = await app.session.execute(`const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    return { focus: document.activeElement?.id ?? '', scroll: document.getElementById('main').scrollTop,
      duplicates: ids.filter((id, i) => ids.indexOf(id) !== i), copies: document.querySelectorAll('.panel[inert]').length,
      shown: ${shown} };`);
  assert.deepEqual(after.duplicates, [], 'a copy of a panel was left in the page');
  assert.equal(after.copies, 0);
  assert.equal(after.focus, before.focus, 'making the fonts moved the focus');
  assert.equal(after.scroll, before.scroll, 'making the fonts scrolled the page');
  assert.deepEqual(after.shown, before.shown, 'making the fonts changed which panel is shown');
  // The Console still works after its copy came and went: its response goes where it belongs.
  await startSandboxDemo(s, app);
  await connect(s, app, SANDBOX_PROFILE);
  await app.showPanel('console');
  await send(app, '/orders/list');
  assert.match(await app.text('#response-status'), /^200\b/);
  assert.equal(await app.session.execute('return document.querySelectorAll("#response-body .jv-row").length > 0;'), true);
}, { timeout: 60_000 });
