// Helpers for the support-desk scenarios: a real notification daemon (dunst) and a tray host
// (tests/e2e/tray-host.py) on the scenario's session bus, and profiles connected with thanksctl
// the way a support person's colleague would, outside the window.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { DEBUG_REDIRECT_URI, REPO, THANKSCTL_BIN, run, waitFor } from './harness.mjs';

const TRAY_HOST = join(REPO, 'tests/e2e/tray-host.py');
const X11 = join(REPO, 'tests/e2e/x11.py');
const RECORD_NOTIFICATION = join(REPO, 'tests/e2e/record-notification.py');
// Debian's Python, where python3-dbus and python3-gi are installed; a python3 earlier on PATH
// (pyenv, a virtualenv) wouldn't have them.
const PYTHON = '/usr/bin/python3';

/** Runs `cmd` for the rest of the scenario; stopped by its PID at the teardown. */
function keepRunning(s, label, cmd, args, env) {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
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
  s.defer(label, async () => {
    stop();
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  });
  return { child, exited: () => child.exitCode !== null && `${label} exited (${child.exitCode}): ${stderr}` };
}

/**
 * Starts dunst, a real notification daemon, on the scenario's bus and X display. It shows
 * every notification until it is clicked or closed, and runs record-notification.py for each
 * one, which keeps what dunst received in the scenario's directory.
 */
export async function startNotificationDaemon(s) {
  const records = join(s.dir, 'notifications');
  await mkdir(records, { recursive: true });
  const config = join(s.dir, 'dunstrc');
  await writeFile(config, [
    '[global]', '    history_length = 100',
    // Shown until the test clicks or closes them, whatever the load on the machine.
    '[urgency_low]', '    timeout = 0', '[urgency_normal]', '    timeout = 0', '[urgency_critical]', '    timeout = 0',
    '[record]', '    summary = "*"', `    script = ${RECORD_NOTIFICATION}`, '',
  ].join('\n'));
  const env = s.env({ THANKS_E2E_NOTIFICATIONS: records });
  const daemon = keepRunning(s, 'dunst', 'dunst', ['-config', config], env);
  await waitFor(async () => {
    const gone = daemon.exited();
    if (gone) throw new Error(gone);
    return (await run('dunstctl', ['is-paused'], { env })).stdout.trim() === 'false';
  }, { timeout: 10_000, interval: 100, message: 'dunst to own org.freedesktop.Notifications' });
  const dunstctl = async (...args) => {
    const r = await run('dunstctl', args, { env });
    assert.equal(r.code, 0, `dunstctl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  return {
    /** What dunst was asked to show, oldest first: [{id, app_name, summary, body, desktop_entry, urgency}]. */
    shown: async () => {
      const files = (await readdir(records)).filter((f) => f.endsWith('.json'));
      const all = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(records, f), 'utf8'))));
      return all.sort((a, b) => a.id - b.id);
    },
    /** How many notifications are on the screen. */
    displayed: async () => Number(await dunstctl('count', 'displayed')),
    /** Closes every notification on the screen, as a user dismissing them. */
    closeAll: () => dunstctl('close-all'),
    /** Clicks the one notification on the screen: dunst invokes its default action. */
    click: async () => {
      assert.equal(Number(await dunstctl('count', 'displayed')), 1, 'one notification on the screen to click');
      await dunstctl('action', '0');
    },
  };
}

/** Starts the tray host (tests/e2e/tray-host.py) on the scenario's bus. */
export async function startTrayHost(s) {
  const ready = join(s.dir, 'tray-host.ready');
  const host = keepRunning(s, 'tray host', PYTHON, [TRAY_HOST, 'serve', ready], s.env());
  await waitFor(() => {
    const gone = host.exited();
    if (gone) throw new Error(gone);
    return existsSync(ready);
  }, { timeout: 10_000, interval: 50, message: 'the tray host to own its bus name' });
  const call = async (args) => {
    const r = await run(PYTHON, [TRAY_HOST, ...args], { env: s.env() });
    assert.equal(r.code, 0, `tray-host.py ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  return {
    /** The registered tray item: {status, menu: [labels], icon_file, dot: '#rrggbb'}, or null. */
    tray: async () => JSON.parse(await call(['tray'])),
    /** Clicks the tray menu's entry `label`. */
    menu: (label) => call(['menu', label]),
  };
}

/** Runs tests/e2e/x11.py (list the windows, close one) on the scenario's display. */
export async function x11(s, args) {
  const r = await run(PYTHON, [X11, ...args], { env: s.env() });
  assert.equal(r.code, 0, `x11.py ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** The mapped top-level windows of `app`'s processes titled `name`: [{id, name, pid}]. */
export async function appWindows(s, app, name) {
  const pids = app.appPids();
  return JSON.parse(await x11(s, ['windows'])).filter((w) => pids.includes(w.pid) && w.name === name);
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
