// Layout checks measured in the page (bounding boxes, scroll sizes, elementFromPoint), not in
// pixels of a screenshot: what a person would see at a given window size and theme. Any window
// test can call them on its own panel or dialog:
//
//   import { WINDOW_SIZES, THEMES, setWindowSize, setTheme, assertLayout, assertInView,
//            assertDialogFits, assertOpensAtTop } from './layout.mjs';
//   for (const size of WINDOW_SIZES) for (const theme of THEMES) {
//     await setWindowSize(app, size); await setTheme(app, theme);
//     await assertOpensAtTop(app, 'accounts');
//     await assertLayout(app, `accounts ${size.width}x${size.height} ${theme}`);
//   }
//
// Every assert* collects all the problems it finds, then fails once with the list and a
// screenshot under the scenario's directory.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The minimum window size (tauri.conf.json), the README's screenshot size, and a desktop. */
export const WINDOW_SIZES = [
  { width: 820, height: 560 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];
export const THEMES = ['light', 'dark'];

/** Elements that scroll sideways on purpose (code, raw bodies, text areas). */
const SCROLL_X_OK = ['textarea', '.code', '.jv', 'pre', '[data-scroll-x]'];

export const sizeLabel = ({ width, height }) => `${width}x${height}`;

/** Resizes the real window through WebDriver and waits until the page has the new size. */
export async function setWindowSize(app, { width, height }) {
  await app.session.setWindowRect({ width, height });
  await app.waitFor(() => app.session.execute('return window.innerWidth === arguments[0] && window.innerHeight === arguments[1];', [width, height]), {
    timeout: 5000,
    interval: 50,
    message: `the page to take the ${width}x${height} size (the screen must be at least that big)`,
  });
  await app.painted();
}

/** Chooses the theme in the side menu, as a user would, and waits until the page shows it. */
export async function setTheme(app, theme) {
  await app.select('#theme-select', theme);
  await app.waitFor(async () => (await app.session.execute('return document.documentElement.dataset.theme;')) === theme, {
    timeout: 3000,
    message: `the ${theme} theme to apply`,
  });
  await app.painted();
}

/**
 * What is wrong with the frame and the visible panel right now, as sentences (empty: nothing).
 * The page must not scroll (only #main does), the top bar and the side menu must stay put,
 * nothing may stick out sideways (beyond the window, the content pane, or any box that clips or
 * scrolls), and no button may cut its own label.
 */
export async function layoutProblems(app) {
  return app.session.execute(`
    const problems = [];
    const px = (n) => Math.round(n) + ' px';
    const name = (el) => el.id ? '#' + el.id : el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    const path = (el) => { const out = []; for (let e = el; e && e !== document.body && out.length < 3; e = e.parentElement) out.unshift(name(e)); return out.join(' > '); };
    // Visually hidden text for screen readers (1x1, clipped) is not something anyone sees.
    const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== 'hidden' && !el.closest('.sr-only'); };
    const W = innerWidth, H = innerHeight;
    const root = document.scrollingElement || document.documentElement;
    if (root.scrollHeight > H + 1) problems.push('the page itself scrolls: ' + px(root.scrollHeight) + ' of page in a ' + px(H) + ' window');
    if (root.scrollWidth > W + 1) problems.push('the page is ' + px(root.scrollWidth) + ' wide in a ' + px(W) + ' window');
    if (root.scrollTop !== 0) problems.push('the page is scrolled by ' + px(root.scrollTop));
    const top = document.querySelector('.topbar').getBoundingClientRect();
    if (Math.abs(top.top) > 0.5 || Math.abs(top.width - W) > 1) problems.push('the top bar is not pinned across the top (' + JSON.stringify(top) + ')');
    const nav = document.querySelector('.sidenav').getBoundingClientRect();
    if (Math.abs(nav.top - top.bottom) > 1 || Math.abs(nav.bottom - H) > 1) problems.push('the side menu does not run from the top bar to the bottom (' + px(nav.top) + '–' + px(nav.bottom) + ')');
    const main = document.getElementById('main');
    const pane = main.getBoundingClientRect();
    if (Math.abs(pane.bottom - H) > 1 || Math.abs(pane.right - W) > 1) problems.push('the content pane does not fill the window');
    if (main.scrollWidth > main.clientWidth + 1) problems.push('the content pane scrolls sideways: ' + px(main.scrollWidth) + ' in ' + px(main.clientWidth));
    const panel = [...document.querySelectorAll('main > .panel')].find((p) => !p.hidden);
    if (!panel) return ['no panel is visible'];
    const okX = ${JSON.stringify(SCROLL_X_OK)};
    const clipsX = (el) => getComputedStyle(el).overflowX !== 'visible';
    const paneRight = pane.left + main.clientWidth;
    const culprits = [];
    for (const el of panel.querySelectorAll('*')) {
      if (!visible(el)) continue;
      // What sticks out of the content pane itself (not out of a box inside it that clips).
      const r = el.getBoundingClientRect();
      let clipped = false;
      for (let p = el.parentElement; p && p !== main; p = p.parentElement) if (clipsX(p)) { clipped = true; break; }
      if (!clipped && r.right > paneRight + 1 && !culprits.some((c) => c.contains(el))) {
        culprits.push(el);
        problems.push(path(el) + ' runs ' + px(r.right - paneRight) + ' past the right edge of the content pane');
      }
      // A box that clips sideways must not hide content, unless it scrolls on purpose (code) or
      // says so with an ellipsis.
      const ellipsis = getComputedStyle(el).textOverflow === 'ellipsis';
      if (clipsX(el) && !ellipsis && el.scrollWidth > el.clientWidth + 1 && !okX.some((sel) => el.matches(sel) || el.closest(sel))) {
        problems.push(path(el) + ' has ' + px(el.scrollWidth - el.clientWidth) + ' of content hidden sideways');
      }
      if (el.tagName === 'BUTTON' && !el.closest('.jv') && el.scrollWidth > el.clientWidth + 1) {
        problems.push(path(el) + ' cuts its label "' + el.textContent.trim().slice(0, 40) + '"');
      }
    }
    return problems;`);
}

/** Fails with every layout problem found (see layoutProblems), plus a screenshot. */
export async function assertLayout(app, label) {
  const problems = await layoutProblems(app);
  if (problems.length) {
    const shot = await app.debugShot(`layout-${label.replace(/[^a-z0-9]+/gi, '-')}`).catch(() => '(no screenshot)');
    assert.fail(`${label}: ${problems.length} layout problem(s):\n  - ${problems.join('\n  - ')}\n  screenshot: ${shot}`);
  }
}

/**
 * Whether a person sees the element now without scrolling: it has a size, lies inside the window
 * and inside every box that clips it (the content pane, a scrolling pane), and nothing covers
 * its centre (a pinned bar, a dialog). Resolves {ok, why}.
 */
export async function inView(app, selector) {
  return app.session.execute(`
    const el = document.querySelector(arguments[0]);
    if (!el) return { ok: false, why: 'not in the page' };
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return { ok: false, why: 'not displayed' };
    const box = { top: 0, left: 0, bottom: innerHeight, right: innerWidth };
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const c = p.getBoundingClientRect();
      box.top = Math.max(box.top, c.top); box.left = Math.max(box.left, c.left);
      box.bottom = Math.min(box.bottom, c.bottom); box.right = Math.min(box.right, c.right);
    }
    const where = 'at ' + Math.round(r.left) + ',' + Math.round(r.top) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height) +
      ', visible area ' + Math.round(box.left) + ',' + Math.round(box.top) + '–' + Math.round(box.right) + ',' + Math.round(box.bottom);
    if (r.top < box.top - 1 || r.bottom > box.bottom + 1 || r.left < box.left - 1 || r.right > box.right + 1) {
      return { ok: false, why: 'outside the visible area (' + where + ')' };
    }
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (!hit || !(hit === el || el.contains(hit))) {
      return { ok: false, why: 'covered by ' + (hit ? (hit.id ? '#' + hit.id : hit.tagName.toLowerCase() + '.' + hit.className) : 'nothing') + ' (' + where + ')' };
    }
    return { ok: true, why: where };`, [selector]);
}

/** Fails unless every selector is in view (see inView). */
export async function assertInView(app, selectors, label) {
  const out = [];
  for (const sel of selectors) {
    const r = await inView(app, sel);
    if (!r.ok) out.push(`${sel}: ${r.why}`);
  }
  if (out.length) {
    const shot = await app.debugShot(`inview-${label.replace(/[^a-z0-9]+/gi, '-')}`).catch(() => '(no screenshot)');
    assert.fail(`${label}: not in view without scrolling:\n  - ${out.join('\n  - ')}\n  screenshot: ${shot}`);
  }
}

/**
 * An open dialog is as tall as its content: inside the window, no empty band above its first
 * or below its last visible child, no gap between children bigger than `maxGap`, and it only
 * scrolls when the content is taller than the window allows.
 */
export async function dialogProblems(app, selector, { maxGap = 24 } = {}) {
  return app.session.execute(`
    const d = document.querySelector(arguments[0]);
    const maxGap = arguments[1];
    if (!d || !d.open) return [arguments[0] + ' is not open'];
    const problems = [];
    const r = d.getBoundingClientRect();
    const s = getComputedStyle(d);
    const px = (n) => Math.round(n) + ' px';
    if (r.top < 0 || r.left < 0 || r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5) problems.push('it sticks out of the window (' + px(r.top) + '–' + px(r.bottom) + ' of ' + px(innerHeight) + ')');
    const kids = [...d.children].filter((k) => { const b = k.getBoundingClientRect(); return b.height > 0 && getComputedStyle(k).display !== 'none'; });
    if (!kids.length) return ['it has no visible content'];
    const innerTop = r.top + parseFloat(s.borderTopWidth) + parseFloat(s.paddingTop);
    const innerBottom = r.bottom - parseFloat(s.borderBottomWidth) - parseFloat(s.paddingBottom);
    const first = kids[0].getBoundingClientRect();
    const last = kids[kids.length - 1].getBoundingClientRect();
    const scrolls = d.scrollHeight > d.clientHeight + 1;
    if (!scrolls && innerBottom - last.bottom > 4) problems.push(px(innerBottom - last.bottom) + ' of empty space under its last line (height ' + px(r.height) + ')');
    if (first.top - innerTop > 4 + d.scrollTop) problems.push(px(first.top - innerTop) + ' of empty space above its first line');
    for (let i = 1; i < kids.length; i++) {
      const gap = kids[i].getBoundingClientRect().top - kids[i - 1].getBoundingClientRect().bottom;
      if (gap > maxGap) problems.push(px(gap) + ' gap before ' + (kids[i].id ? '#' + kids[i].id : kids[i].tagName.toLowerCase()));
    }
    if (scrolls && r.height < innerHeight - 60) problems.push('it scrolls (' + px(d.scrollHeight) + ' of content) although the window has room');
    return problems;`, [selector, maxGap]);
}

export async function assertDialogFits(app, selector, label) {
  const problems = await dialogProblems(app, selector);
  if (problems.length) {
    const shot = await app.debugShot(`dialog-${label.replace(/[^a-z0-9]+/gi, '-')}`).catch(() => '(no screenshot)');
    assert.fail(`${label}: the dialog ${selector} doesn't fit its content:\n  - ${problems.join('\n  - ')}\n  screenshot: ${shot}`);
  }
}

/**
 * Scrolls the current panel down (when it can scroll), opens `panel` from the side menu, and
 * checks that it opens at its top: the content pane unscrolled and the panel's heading in view.
 */
export async function assertOpensAtTop(app, panel) {
  await app.session.execute("const m = document.getElementById('main'); m.scrollTop = m.scrollHeight;");
  await app.showPanel(panel);
  const top = await app.session.execute("return document.getElementById('main').scrollTop;");
  assert.equal(top, 0, `panel ${panel} opened scrolled down by ${top} px (where the previous panel was left)`);
  const heading = await inView(app, `#${panel}-title`);
  assert.ok(heading.ok, `panel ${panel}: its heading is not in view when it opens: ${heading.why}`);
}

/**
 * Saves a screenshot to THANKS_E2E_LAYOUT_SHOTS/NAME.png when that variable names a directory
 * (for looking at every size and theme by eye); does nothing otherwise.
 */
export async function layoutShot(s, app, name) {
  const dir = process.env.THANKS_E2E_LAYOUT_SHOTS;
  if (!dir) return null;
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await app.painted();
  await app.session.screenshot(file);
  s.log(`layout screenshot ${file}`);
  return file;
}
