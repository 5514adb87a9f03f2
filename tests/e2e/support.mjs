// Helpers for the support-desk scenarios: the stand-in desktop (notification daemon and tray
// host, tests/e2e/fake-desktop.py) on the scenario's session bus, and profiles connected with
// thanksctl the way a support person's colleague would, outside the window.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { DEBUG_REDIRECT_URI, REPO, THANKSCTL_BIN, run, waitFor } from './harness.mjs';

const FAKE_DESKTOP = join(REPO, 'tests/e2e/fake-desktop.py');
// Debian's Python, where python3-dbus and python3-gi are installed; a python3 earlier on PATH
// (pyenv, a virtualenv) wouldn't have them.
const PYTHON = '/usr/bin/python3';

/** Starts the stand-in desktop; stopped (by its PID) at the scenario's teardown. */
export async function startFakeDesktop(s) {
  const ready = join(s.dir, 'fake-desktop.ready');
  const child = spawn(PYTHON, [FAKE_DESKTOP, 'serve', ready], { env: s.env(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const stop = () => {
    try {
      child.kill('SIGKILL');
    } catch {
      // gone already
    }
  };
  process.on('exit', stop);
  s.defer('fake desktop', async () => {
    stop();
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  });
  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`fake-desktop.py exited (${child.exitCode}): ${stderr}`);
    return existsSync(ready);
  }, { timeout: 10_000, interval: 50, message: 'the stand-in desktop to own its bus names' });
  return {
    /** The notifications shown so far: [{id, app_name, summary, body, actions, desktop_entry}]. */
    shown: async () => JSON.parse(await desktopCall(s, ['shown'])),
    /** Clicks a notification's body (its default action). */
    click: (id) => desktopCall(s, ['click', String(id)]),
    /** The registered tray item: {status, menu: [labels], icon_file, dot: '#rrggbb'}, or null. */
    tray: async () => JSON.parse(await desktopCall(s, ['tray'])),
  };
}

async function desktopCall(s, args) {
  const r = await run(PYTHON, [FAKE_DESKTOP, ...args], { env: s.env() });
  assert.equal(r.code, 0, `fake-desktop.py ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Creates `profile` on the sandbox and connects it with thanksctl: `login --no-browser`, the
 * consent page approved by `thanksctl sandbox consent`, the callback pasted on its stdin.
 */
export async function cliConnect(s, sandbox, profile) {
  const set = await s.thanksctl([
    '--profile', profile, 'profile', 'set',
    '--authorize-url', sandbox.authorize_url, '--token-url', sandbox.token_url, '--api-base', sandbox.api_base,
    '--client-id', sandbox.client_id, '--redirect-uri', DEBUG_REDIRECT_URI, '--client-secret-stdin',
  ], { input: `${sandbox.client_secret}\n` });
  assert.equal(set.code, 0, `profile set: ${set.stderr}`);
  const login = spawn(THANKSCTL_BIN, ['--profile', profile, 'login', '--no-browser', '--timeout', '30'], {
    env: s.env(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  login.stdout.on('data', (d) => (out += d));
  login.stderr.on('data', (d) => (err += d));
  const exited = new Promise((r) => login.on('exit', r));
  const url = await waitFor(() => out.includes('\n') && out.slice(0, out.indexOf('\n')), {
    timeout: 10_000,
    interval: 50,
    message: `thanksctl login to print the sign-in address (stderr: ${err})`,
  });
  const consent = await s.thanksctl(['sandbox', 'consent', url]);
  assert.equal(consent.code, 0, `sandbox consent: ${consent.stderr}`);
  login.stdin.end(`${consent.stdout.trim()}\n`);
  const code = await exited;
  assert.equal(code, 0, `thanksctl login for "${profile}" failed: ${err}`);
  s.log(`"${profile}" connected with thanksctl`);
}

/** The Accounts table as shown: one object per row, in display order. */
export async function accountRows(app) {
  return app.session.execute(`
    return [...document.querySelectorAll('#accounts-rows tr[data-profile]')].map((tr) => {
      const text = (sel) => (tr.querySelector(sel)?.textContent ?? '').trim();
      return {
        profile: tr.dataset.profile,
        state: tr.querySelector('.col-state .badge')?.dataset.state ?? null,
        expires: text('.col-expires'),
        refreshToken: text('.col-refresh-token'),
        lastRefresh: text('.col-last-refresh'),
        keyring: text('.col-keyring'),
        lastCall: text('.col-last-call'),
        result: text('.row-result'),
      };
    });`);
}

/** Waits until the Accounts table's rows satisfy `check(rows)`; resolves the rows. */
export async function waitRows(app, check, message) {
  return app.waitFor(async () => {
    const rows = await accountRows(app);
    return check(rows) && rows;
  }, { timeout: 10_000, message, show: ['#accounts-summary', '#accounts-rows', '#accounts-error'] });
}

/** Reads the X clipboard (xclip), as a paste into a support ticket would. */
export async function clipboardText(s) {
  const r = await run('xclip', ['-o', '-selection', 'clipboard'], { env: s.env() });
  assert.equal(r.code, 0, `xclip: ${r.stderr}`);
  return r.stdout;
}
