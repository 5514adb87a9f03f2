// The harness for the window tests: one fresh config home per scenario, tauri-driver started
// as a child with the environment the app must get, a WebDriver session on the real window,
// the helpers the scenarios share (thanksctl, secret-tool, the sandbox's control routes), and
// a teardown that always runs and leaves no process behind.
//
// Run it inside a display, a private session bus and an unlocked keyring:
//   xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" \
//     scripts/with-keyring.sh node --test --test-concurrency=1 tests/e2e/
// (scripts/test.sh does this.)

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, openSync, closeSync, readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Session, WaitTimeoutError, waitFor } from './webdriver.mjs';

export { waitFor };

// ---- paths ---------------------------------------------------------------------------------

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// with-keyring.sh replaces HOME with a throwaway one, so the build cache is found through
// CARGO_TARGET_DIR (which it exports), not through HOME.
const TARGET = process.env.CARGO_TARGET_DIR || join(process.env.HOME ?? '/root', '.cache/thanks-connect/target');
export const APP_BIN = process.env.THANKS_APP_BIN || join(TARGET, 'debug/thanks-connect');
export const THANKSCTL_BIN = process.env.THANKSCTL_BIN || join(TARGET, 'debug/thanksctl');
export const TAURI_DRIVER_BIN = process.env.TAURI_DRIVER_BIN || findTauriDriver();
export const BROWSER_SCRIPT = join(REPO, 'scripts/sandbox-browser.sh');
export const SCREENSHOT_DIR = process.env.THANKS_E2E_SCREENSHOT_DIR || join(REPO, 'docs/screenshots');
/** The debug build's redirect URI (its own deep-link scheme). */
export const DEBUG_REDIRECT_URI = 'dev.thanksconnect.app.debug://oauth/callback';

function findTauriDriver() {
  const candidates = [];
  if (process.env.CARGO_HOME) candidates.push(join(process.env.CARGO_HOME, 'bin/tauri-driver'));
  candidates.push(join(process.env.HOME ?? '/root', '.cargo/bin/tauri-driver'), '/root/.cargo/bin/tauri-driver');
  return candidates.find((p) => isExecutable(p)) ?? which('tauri-driver') ?? candidates[0];
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
}

// ---- environment -----------------------------------------------------------------------------

const HOW_TO_RUN =
  'Run the window tests through scripts/test.sh, or by hand: ' +
  'xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" scripts/with-keyring.sh node --test --test-concurrency=1 tests/e2e/';

/** Throws at once, naming what is missing, when not inside a display + private bus + keyring. */
export function assertEnvironment() {
  const missing = [];
  if (!process.env.DISPLAY) missing.push('an X display (DISPLAY is unset; xvfb-run provides one)');
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) missing.push('a private session bus (DBUS_SESSION_BUS_ADDRESS is unset)');
  if (process.env.THANKS_TEST_KEYRING !== '1') missing.push('the unlocked test keyring of scripts/with-keyring.sh (THANKS_TEST_KEYRING is not 1)');
  if (missing.length) {
    throw new Error(`The window tests can't run here: missing ${missing.join('; ')}. ${HOW_TO_RUN}`);
  }
  const tools = [
    [APP_BIN, 'the app (build it: tauri build --debug, see scripts/test.sh; or set THANKS_APP_BIN)'],
    [THANKSCTL_BIN, 'thanksctl (cargo build -p thanksctl; or set THANKSCTL_BIN)'],
    [TAURI_DRIVER_BIN, 'tauri-driver (cargo install tauri-driver --locked; or set TAURI_DRIVER_BIN)'],
    [BROWSER_SCRIPT, 'scripts/sandbox-browser.sh'],
  ];
  for (const [path, what] of tools) {
    if (!isExecutable(path)) missing.push(`${what}: ${path} is missing or not executable`);
  }
  for (const tool of ['WebKitWebDriver', 'secret-tool', 'xdg-open', 'xclip', 'xdotool']) {
    if (!which(tool)) missing.push(`${tool} (not on PATH; scripts/test.sh installs it)`);
  }
  if (missing.length) throw new Error(`The window tests can't run: ${missing.join('; ')}. ${HOW_TO_RUN}`);
}

// ---- processes -------------------------------------------------------------------------------

/** Every process started here that might still run; killed synchronously if Node exits early. */
const live = new Set();
process.on('exit', () => {
  for (const pid of live) {
    for (const p of [...descendants(pid).reverse(), pid]) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});

// Interrupted (Ctrl-C, the runner's timeout): the drivers run in process groups of their own
// and would not get the signal, so end them here.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
}

/** pid → parent pid for every process, from /proc. */
function parentMap() {
  const map = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      map.set(Number(name), Number(fields[1]));
    } catch {
      // exited while we looked
    }
  }
  return map;
}

/** The descendants of `pid`, parents before children. */
export function descendants(pid) {
  const parents = parentMap();
  const out = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    for (const [child, parent] of parents) {
      if (parent === p) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    // A zombie is gone for our purposes (its parent just hasn't reaped it yet).
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function exeOf(pid) {
  try {
    return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    return null;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The processes whose environment has KEY=VALUE. Everything a scenario starts (the driver, the
 * app, the "browser" the app spawns in a session of its own, thanksctl) carries the scenario's
 * THANKS_CONNECT_HOME, so this finds exactly its processes, even those that left the tree.
 */
export function pidsWithEnv(key, value) {
  const needle = Buffer.from(`\0${key}=${value}\0`);
  const pids = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const environ = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${name}/environ`)]);
      if (environ.includes(needle) && alive(Number(name))) pids.push(Number(name));
    } catch {
      // exited, or not ours to read
    }
  }
  return pids;
}

/** Dead processes of this file that may still show as zombies (`<defunct>`) for a moment. */
const toBeReaped = new Set();
after(async () => {
  await reaped([...toBeReaped], 10_000);
});

/** Waits (briefly) until the PIDs are not even zombies any more; never fails. */
async function reaped(pids, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (pids.some((p) => existsSync(`/proc/${p}`)) && Date.now() < deadline) await sleep(50);
}

/** SIGTERM the given PIDs, wait up to `graceMs`, then SIGKILL what is left. */
async function killPids(pids, graceMs = 3000) {
  for (const p of pids) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      // gone
    }
  }
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(50);
  for (const p of pids.filter(alive)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone
    }
  }
  const killDeadline = Date.now() + 2000;
  while (pids.some(alive) && Date.now() < killDeadline) await sleep(50);
  const left = pids.filter(alive);
  if (left.length) throw new Error(`processes ${left.join(', ')} survived SIGKILL`);
}

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Runs a command to completion. Resolves {code, stdout, stderr}; never rejects on a non-zero
 * exit (the caller decides), but does on a timeout.
 */
export function run(cmd, args, { env = process.env, input, timeoutMs = 20_000 } = {}) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} took longer than ${timeoutMs} ms; stderr: ${stderr.trim()}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
    if (child.stdin) {
      // A command that exits without reading its input must not fail the test with EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

// ---- keyring, config, sandbox ---------------------------------------------------------------

/** The keyring entry `<uid>/<kind>` of service thanks-connect, or null when there is none. */
export async function secretLookup(uid, kind) {
  const r = await run('secret-tool', ['lookup', 'service', 'thanks-connect', 'username', `${uid}/${kind}`]);
  if (r.code === 0 && r.stdout !== '') return r.stdout;
  return null;
}

/** The uid of profile `name` in `<home>/config.toml`. */
export async function profileUid(home, name) {
  const toml = await readFile(join(home, 'config.toml'), 'utf8');
  const lines = toml.split('\n');
  const header = new RegExp(`^\\[profiles\\.(?:"${escapeRe(name)}"|${escapeRe(name)})\\]\\s*$`);
  const start = lines.findIndex((l) => header.test(l.trim()));
  assert.ok(start >= 0, `profile "${name}" is not in ${home}/config.toml:\n${toml}`);
  for (const line of lines.slice(start + 1)) {
    if (line.trim().startsWith('[')) break;
    const m = /^\s*uid\s*=\s*"([^"]+)"/.exec(line);
    if (m) return m[1];
  }
  assert.fail(`profile "${name}" has no uid in ${home}/config.toml:\n${toml}`);
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every regular file under `dir` (recursively) whose bytes contain `needle`. */
export async function filesContaining(dir, needle) {
  const hits = [];
  const walk = async (d) => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && (await readFile(p)).includes(needle)) hits.push(p);
    }
  };
  await walk(dir);
  return hits;
}

/** A call to one of the sandbox's /__sandbox control routes. */
export async function sandboxControl(baseUrl, method, route, body) {
  const response = await fetch(`${baseUrl}/__sandbox/${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} /__sandbox/${route} → HTTP ${response.status}: ${text}`);
  return JSON.parse(text);
}

export const sandboxStats = (baseUrl) => sandboxControl(baseUrl, 'GET', 'stats');

/**
 * Calls the sandbox's API directly (not through the app, so nothing lands in the app's
 * history) with a bearer token, e.g. one read from the keyring; resolves the parsed body.
 */
export async function sandboxApi(baseUrl, token, method, path, body) {
  const response = await fetch(`${baseUrl}/api/v2${path}`, {
    method,
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} /api/v2${path} → HTTP ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

// ---- the scenario --------------------------------------------------------------------------

/**
 * Declares a test with its own Scenario: fresh config home, everything it starts torn down
 * afterwards whatever happens. On failure the scenario's temp directory is kept (and named).
 */
export function scenario(name, fn, { timeout = 60_000 } = {}) {
  test(name, { timeout }, async (t) => {
    const s = await Scenario.create(name, t);
    let failed = false;
    try {
      await fn(s);
    } catch (e) {
      failed = true;
      await s.diagnose(e);
      throw e;
    } finally {
      await s.teardown(failed);
    }
  });
}

export class Scenario {
  static async create(name, t) {
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
    const dir = await mkdtemp(join(tmpdir(), `thanks-e2e-${slug}-`));
    const home = join(dir, 'config-home');
    await mkdir(home, { recursive: true });
    await installTestBrowser(dir);
    return new Scenario(name, slug, dir, home, t);
  }

  constructor(name, slug, dir, home, t) {
    this.name = name;
    this.slug = slug;
    /** Scratch directory of this scenario (driver log, callback file …); not the config home. */
    this.dir = dir;
    /** THANKS_CONNECT_HOME for the app and thanksctl. */
    this.home = home;
    this.t = t;
    this.started = Date.now();
    this.cleanups = [];
    /** @type {App[]} */
    this.apps = [];
  }

  /** Runs `fn` at teardown (last registered, first run). */
  defer(label, fn) {
    this.cleanups.push({ label, fn });
  }

  log(text) {
    const secs = ((Date.now() - this.started) / 1000).toFixed(1);
    // The reporter escapes newlines inside one diagnostic: one diagnostic per line instead.
    String(text).split('\n').forEach((line, i) => this.t.diagnostic(i === 0 ? `[${secs}s] ${line}` : `    ${line}`));
  }

  /** The environment the app (through tauri-driver and WebKitWebDriver) and thanksctl get. */
  env(extra = {}) {
    const env = {
      ...process.env,
      // The desktop's own settings and data: fresh per scenario, with the sandbox "browser"
      // as the default web browser (see installTestBrowser). The app's log and window state
      // land here too, so a failed scenario keeps them.
      XDG_CONFIG_HOME: join(this.dir, 'xdg-config'),
      XDG_DATA_HOME: join(this.dir, 'xdg-data'),
      THANKS_CONNECT_HOME: this.home,
      BROWSER: BROWSER_SCRIPT,
      THANKSCTL: THANKSCTL_BIN,
      // The "browser" hands the callback to the app binary, as the OS would: a second
      // instance, which single-instance forwards to the running one.
      THANKS_DEMO_CALLBACK_HANDLER: APP_BIN,
      ...extra,
    };
    // With a desktop named, xdg-open would ask the desktop instead of running $BROWSER.
    delete env.XDG_CURRENT_DESKTOP;
    delete env.DESKTOP_SESSION;
    delete env.THANKS_CONNECT_PROFILE;
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    return env;
  }

  /** Starts tauri-driver and opens a session on the app (see App). */
  async startApp(opts = {}) {
    const app = new App(this, opts);
    this.apps.push(app);
    this.defer('app', () => app.stop());
    await app.start();
    return app;
  }

  /** `thanksctl ARGS` against this scenario's config home; resolves {code, stdout, stderr}. */
  thanksctl(args, opts = {}) {
    return run(THANKSCTL_BIN, args, { env: this.env(), ...opts });
  }

  /** `thanksctl --profile P status --json`, parsed. */
  async status(profile) {
    const r = await this.thanksctl(['--profile', profile, 'status', '--json']);
    assert.equal(r.code, 0, `thanksctl status failed (exit ${r.code}): ${r.stderr}`);
    return JSON.parse(r.stdout);
  }

  /**
   * A standalone sandbox (`thanksctl sandbox --port 0 --json`), stopped at teardown.
   * Resolves its settings {base_url, authorize_url, token_url, api_base, client_id, client_secret}.
   */
  async startStandaloneSandbox() {
    const child = spawn(THANKSCTL_BIN, ['sandbox', '--port', '0', '--json'], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child.pid);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    this.defer('standalone sandbox', async () => {
      await killPids([child.pid]);
      live.delete(child.pid);
    });
    let stdout = '';
    const line = await new Promise((resolveLine, reject) => {
      const timer = setTimeout(() => reject(new Error(`thanksctl sandbox printed no settings within 10 s; stderr: ${stderr}`)), 10_000);
      child.stdout.on('data', (d) => {
        stdout += d;
        const nl = stdout.indexOf('\n');
        if (nl >= 0) {
          clearTimeout(timer);
          resolveLine(stdout.slice(0, nl));
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`thanksctl sandbox exited (${code}) before printing its settings; stderr: ${stderr}`));
      });
    });
    return JSON.parse(line);
  }

  /** Saves a screenshot of the app's window to docs/screenshots/NAME.png. */
  async screenshot(app, name) {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const file = join(SCREENSHOT_DIR, `${name}.png`);
    // A toast from an earlier step would cover the panel: dismiss it as a user would (click).
    if (await app.displayed('#toast')) {
      await app.click('#toast');
      await app.waitFor(async () => !(await app.displayed('#toast')), { timeout: 2000, message: 'the toast to go away', show: ['#toast'] });
    }
    // WebKitGTK under Xvfb hands out the last painted frame, which may be seconds old.
    await app.painted();
    await app.session.screenshot(file);
    this.log(`screenshot ${file}`);
    return file;
  }

  /** On failure: a screenshot of every open window and the tail of each driver log. */
  async diagnose(error) {
    const lines = [`scenario "${this.name}" failed: ${error?.message ?? error}`];
    for (const app of this.apps) {
      if (app.session && !app.session.deleted) {
        const shot = await app.debugShot('failure').catch((e) => `(no screenshot: ${e.message})`);
        lines.push(`window screenshot: ${shot}`);
        const text = await app.describe(['#fatal', '#login-message', '#state-badge', '#connect-summary', '#console-error', '#toast']).catch(() => '');
        if (text) lines.push(text);
      }
      lines.push(`driver log (${app.logFile}), last lines:\n${tail(app.logFile, 30)}`);
    }
    const logs = join(this.dir, 'xdg-data/dev.thanksconnect.app.debug/logs');
    for (const f of existsSync(logs) ? readdirSync(logs) : []) lines.push(`app log ${join(logs, f)}, last lines:\n${tail(join(logs, f), 30)}`);
    lines.push(`scenario files kept in ${this.dir}`);
    for (const l of lines) this.log(l);
  }

  async teardown(failed) {
    const errors = [];
    for (const { label, fn } of this.cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        errors.push(`${label}: ${e.message}`);
      }
    }
    // Last sweep: a process of this scenario that left the tree (the opener starts the
    // "browser" in a session of its own) and is still running.
    const strays = pidsWithEnv('THANKS_CONNECT_HOME', this.home);
    if (strays.length) {
      const what = strays.map((p) => `${p} ${exeOf(p) ?? '?'}`).join(', ');
      errors.push(`processes left running: ${what}`);
      await killPids(strays).catch((e) => errors.push(e.message));
      await reaped(strays);
    }
    if (!failed) await rm(this.dir, { recursive: true, force: true });
    this.log(`done in ${((Date.now() - this.started) / 1000).toFixed(1)} s`);
    if (errors.length) throw new Error(`teardown: ${errors.join('; ')}`);
  }
}

/**
 * Makes scripts/sandbox-browser.sh the default web browser of the scenario's desktop, the way a
 * user picks a default browser: a desktop entry plus mimeapps.list in XDG_DATA_HOME and
 * XDG_CONFIG_HOME. $BROWSER alone is not enough: xdg-open asks the desktop's URL handler
 * first, so any browser installed on the machine (chromium, say, which then fails as root)
 * would take the sign-in page instead of our stand-in.
 */
async function installTestBrowser(dir) {
  const apps = join(dir, 'xdg-data/applications');
  const config = join(dir, 'xdg-config');
  const bin = join(dir, 'bin');
  await Promise.all([mkdir(apps, { recursive: true }), mkdir(config, { recursive: true }), mkdir(bin, { recursive: true })]);
  // The browser is not part of the app's WebDriver automation: like a browser the desktop
  // starts, it (and the app instance it launches with the callback) doesn't inherit the
  // automation variables WebKitWebDriver gave the app. Also, xdg-utils splits Exec on
  // spaces, so the entry points at this wrapper, whose path has none.
  await writeFile(join(bin, 'sandbox-browser'), [
    '#!/bin/sh',
    'exec env -u TAURI_AUTOMATION -u TAURI_WEBVIEW_AUTOMATION -u WEBKIT_INSPECTOR_SERVER \\',
    `  ${shellQuote(BROWSER_SCRIPT)} "$@"`,
    '',
  ].join('\n'), { mode: 0o755 });
  await writeFile(join(apps, 'thanks-e2e-browser.desktop'), [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Thanks Connect test browser',
    `Exec=${join(bin, 'sandbox-browser')} %u`,
    'NoDisplay=true',
    'MimeType=x-scheme-handler/http;x-scheme-handler/https;text/html;',
    '',
  ].join('\n'));
  await writeFile(join(config, 'mimeapps.list'), [
    '[Default Applications]',
    'x-scheme-handler/http=thanks-e2e-browser.desktop',
    'x-scheme-handler/https=thanks-e2e-browser.desktop',
    'text/html=thanks-e2e-browser.desktop',
    '',
  ].join('\n'));
}

function shellQuote(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function tail(file, n) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '(none)';
  }
}

// ---- the app under WebDriver ----------------------------------------------------------------

let shotCounter = 0;

export class App {
  /**
   * @param {Scenario} scenario
   * @param {{env?: Record<string,string>, args?: string[]}} opts
   */
  constructor(scenario, { env = {}, args = [] } = {}) {
    this.scenario = scenario;
    this.extraEnv = env;
    this.args = args;
    /** @type {Session | null} */
    this.session = null;
    this.driver = null;
    this.appExe = realpathSync(APP_BIN);
  }

  async start() {
    const s = this.scenario;
    const [port, nativePort] = [await freePort(), await freePort()];
    this.base = `http://127.0.0.1:${port}`;
    this.logFile = join(s.dir, `driver-${port}.log`);
    const log = openSync(this.logFile, 'a');
    // Its own process group, so nothing of it can take the test runner's signals, and
    // teardown can find the whole tree from this one PID.
    this.driver = spawn(TAURI_DRIVER_BIN, ['--port', String(port), '--native-port', String(nativePort)], {
      env: s.env(this.extraEnv),
      stdio: ['ignore', log, log],
      detached: true,
    });
    closeSync(log);
    live.add(this.driver.pid);
    this.driverExited = new Promise((r) => this.driver.on('exit', r));
    await waitFor(
      async () => {
        if (this.driver.exitCode !== null) throw new Error(`tauri-driver exited with ${this.driver.exitCode}: ${tail(this.logFile, 10)}`);
        const r = await fetch(`${this.base}/status`, { signal: AbortSignal.timeout(1000) });
        return r.ok;
      },
      { timeout: 15_000, interval: 50, message: `tauri-driver on port ${port} (log ${this.logFile})` },
    );
    await this.openSession(this.args);
  }

  /** New Session: WebKitWebDriver starts the app with `args` (e.g. a deep link). */
  async openSession(args = []) {
    const t0 = Date.now();
    this.session = await Session.create(this.base, {
      browserName: 'wry',
      'tauri:options': { application: APP_BIN, args },
    });
    await this.session.setTimeouts({ script: 15_000 });
    await this.waitReady();
    this.scenario.log(`app window ready in ${Date.now() - t0} ms${args.length ? ` (args: ${args.map((a) => a.replace(/([?&](code|state)=)[^&]+/g, '$1…')).join(' ')})` : ''}`);
    // Screenshots are of the window at 1280x800 (the config's default is 1120x780).
    try {
      await this.session.setWindowRect({ width: 1280, height: 800 });
      await waitFor(() => this.session.execute('return window.innerWidth === 1280 && window.innerHeight === 800;'), {
        timeout: 5000,
        interval: 50,
        message: 'the page to take the 1280x800 size',
      });
    } catch (e) {
      this.scenario.log(`couldn't resize the window to 1280x800: ${e.message}`);
    }
  }

  /** Waits until the page has painted its current state (two animation frames). */
  async painted() {
    await this.session.executeAsync(
      'const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));',
    );
  }

  /** The UI has started: version shown, profiles listed, the current profile's status known. */
  async waitReady() {
    await this.waitFor(
      () => this.session.execute(`
        const text = (id) => (document.getElementById(id)?.textContent ?? '').trim();
        if (!document.getElementById('fatal')?.hidden) return 'fatal: ' + text('fatal');
        return document.readyState === 'complete' && text('app-version') !== '' &&
          text('connect-summary') !== '' && !text('connect-summary').startsWith('Checking');`)
        .then((v) => {
          if (typeof v === 'string') throw new Error(v);
          return v;
        }),
      { timeout: 20_000, message: 'the window to start (version shown, status loaded)', show: ['#fatal', '#connect-summary', '#app-version'] },
    );
  }

  /** The app's own processes (the main one first), found under the driver. */
  appPids() {
    if (!this.driver) return [];
    return descendants(this.driver.pid).filter((p) => exeOf(p) === this.appExe);
  }

  /**
   * Closes the app as a user would (its only window), ends the session, and waits until the
   * app's processes are gone, so the next launch is a first instance again.
   */
  async closeApp() {
    const pids = this.appPids();
    assert.ok(pids.length > 0, 'the app is not running');
    try {
      await this.session.cmd('DELETE', '/window');
    } catch (e) {
      this.scenario.log(`closing the window through WebDriver failed: ${e.message}`);
    }
    await this.session.delete().catch((e) => this.scenario.log(`delete session: ${e.message}`));
    try {
      await waitFor(() => !pids.some(alive), { timeout: 10_000, interval: 50, message: `the app (PIDs ${pids.join(', ')}) to exit` });
    } catch (e) {
      this.scenario.log(`${e.message}; terminating it`);
      await killPids(pids);
    }
  }

  /** Ends the session and the driver with everything under it. Safe to call twice. */
  async stop() {
    if (!this.driver) return;
    const t0 = Date.now();
    const appPids = this.appPids();
    if (this.session && !this.session.deleted) {
      await this.session.delete().catch((e) => this.scenario.log(`delete session: ${e.message}`));
      // Ending the session closes the app; give it a moment to go by itself.
      await waitFor(() => !appPids.some(alive), { timeout: 5000, interval: 50 }).catch(() =>
        this.scenario.log(`the app (PIDs ${appPids.join(', ')}) still ran 5 s after its session ended; killing it`));
    }
    const root = this.driver.pid;
    // The whole tree first (WebKitWebDriver, the app, WebKit's helpers), children before
    // their parents, so none is orphaned and lost track of.
    const tree = [...descendants(root).reverse(), root];
    await killPids(tree);
    // Anything left in the driver's process group (started while we collected the tree).
    try {
      process.kill(-root, 'SIGKILL');
    } catch {
      // empty group: good
    }
    live.delete(root);
    await this.driverExited;
    this.driver = null;
    // WebKitWebDriver ends as a zombie re-parented to init (tauri-driver kills it without
    // reaping it), which init reaps a moment later; the file's after() hook waits for that.
    for (const p of tree) toBeReaped.add(p);
    this.scenario.log(`app and driver stopped in ${Date.now() - t0} ms`);
  }

  // ---- reading and acting --------------------------------------------------------------

  click(sel) { return this.session.click(sel); }
  type(sel, text) { return this.session.type(sel, text); }
  text(sel) { return this.session.text(sel); }
  attr(sel, name) { return this.session.attribute(sel, name); }
  prop(sel, name) { return this.session.property(sel, name); }
  displayed(sel) { return this.session.displayed(sel); }
  enabled(sel) { return this.session.enabled(sel); }

  /** Picks the option whose value is `value` in a <select>, by clicking it as a user would. */
  async select(sel, value) {
    const options = await this.session.findAll(`${sel} option`);
    let found = null;
    for (const option of options) {
      if ((await option.property('value')) === value) found = option;
    }
    assert.ok(found, `${sel} has no option "${value}"`);
    await found.click();
    await this.waitFor(async () => (await this.prop(sel, 'value')) === value, { timeout: 3000, message: `${sel} to take "${value}"`, show: [sel] });
  }

  /** `#state-badge[data-state]`. */
  badge() { return this.attr('#state-badge', 'data-state'); }

  /** Calls a Tauri command from inside the page, as the UI does. */
  async invoke(cmd, args = {}) {
    const r = await this.session.executeAsync(
      `const done = arguments[arguments.length - 1];
       window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(
         (ok) => done({ ok }),
         (err) => done({ err: typeof err === 'string' ? err : JSON.stringify(err) }));`,
      [cmd, args],
    );
    if (r && 'err' in r) throw new Error(`invoke ${cmd} failed: ${r.err}`);
    return r?.ok;
  }

  /** Shows a panel through its navigation button. */
  async showPanel(name) {
    await this.click(`#nav-${name}`);
    await this.waitFor(async () => (await this.attr(`#nav-${name}`, 'aria-current')) === 'page' && this.displayed(`#panel-${name}`), {
      timeout: 5000,
      message: `panel ${name} to show`,
    });
  }

  /**
   * waitFor, plus diagnostics on a timeout: what the `show` elements display (text, hidden,
   * data-*) and a screenshot under the scenario's directory (kept on failure).
   */
  async waitFor(fn, { show = [], ...opts } = {}) {
    try {
      return await waitFor(fn, opts);
    } catch (e) {
      if (!(e instanceof WaitTimeoutError) || !this.session || this.session.deleted) throw e;
      const seen = await this.describe(show.length ? show : ['main']).catch((d) => `(couldn't read the page: ${d.message})`);
      const shot = await this.debugShot('wait').catch((d) => `(no screenshot: ${d.message})`);
      e.message += `\n  the window showed:\n${seen}\n  screenshot: ${shot}`;
      throw e;
    }
  }

  /** One line per selector: visibility, data-* and visible text. */
  async describe(selectors) {
    const rows = await this.session.execute(
      `return arguments[0].map((sel) => {
         const el = document.querySelector(sel);
         if (!el) return { sel, found: false };
         const visible = !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
         return { sel, found: true, visible, data: { ...el.dataset }, text: (visible ? el.innerText : el.textContent).trim().slice(0, 600) };
       });`,
      [selectors],
    );
    return rows
      .map((r) => (r.found
        ? `    ${r.sel} [${r.visible ? 'visible' : 'hidden'}${Object.entries(r.data).map(([k, v]) => ` data-${k}=${v}`).join('')}]: ${JSON.stringify(r.text)}`
        : `    ${r.sel}: not in the page`))
      .join('\n');
  }

  /**
   * Starts recording when the elements are shown or hidden (their `hidden` attribute), with
   * page timestamps; `timeline()` reads the record. Tells apart "never shown" from "shown,
   * then covered again" when a wait fails.
   */
  async watch(selectors) {
    await this.session.execute(
      `const log = (window.__e2eTimeline = window.__e2eTimeline || []);
       const t0 = (window.__e2eT0 = window.__e2eT0 || performance.now());
       for (const sel of arguments[0]) {
         const el = document.querySelector(sel);
         if (!el) continue;
         const note = () => log.push({ sel, t: Math.round(performance.now() - t0), shown: !el.hidden, text: el.textContent.trim().slice(0, 80) });
         note();
         new MutationObserver(note).observe(el, { attributes: true, attributeFilter: ['hidden'] });
       }`,
      [selectors],
    );
  }

  async timeline() {
    const log = (await this.session.execute('return window.__e2eTimeline || [];')) ?? [];
    return log.map((e) => `    +${e.t} ms ${e.sel} ${e.shown ? 'shown' : 'hidden'}${e.shown && e.text ? `: ${JSON.stringify(e.text)}` : ''}`).join('\n');
  }

  /** A screenshot for debugging, under /tmp (the scenario's directory). */
  async debugShot(label) {
    const file = join(this.scenario.dir, `${label}-${++shotCounter}.png`);
    await this.painted().catch(() => undefined);
    await this.session.screenshot(file);
    return file;
  }
}

// ---- steps the scenarios share ---------------------------------------------------------------

/** The badge as thanksctl would say it: the window's "expires soon" is still connected. */
export function badgeAsState(badge) {
  return badge === 'expires_soon' ? 'connected' : badge;
}

/**
 * Scenario 7: the window's badge and `thanksctl status --json` agree on `expected`
 * (connected | expired | disconnected | needs_reconnect). The window may lag an event behind,
 * so it is waited for; thanksctl reads the store directly.
 */
export async function assertAgreement(s, app, profile, expected) {
  await app.waitFor(async () => (await app.prop('#profile-select', 'value')) === profile, {
    timeout: 5000,
    message: `profile "${profile}" to be selected`,
    show: ['#profile-select'],
  });
  await app.waitFor(async () => badgeAsState(await app.badge()) === expected, {
    timeout: 10_000,
    message: `the window's badge to say ${expected}`,
    show: ['#state-badge', '#expires-countdown', '#state-explain', '#status-error'],
  });
  const cli = await s.status(profile);
  const ui = await app.badge();
  assert.equal(cli.state, expected, `thanksctl says "${cli.state}" while the window says "${ui}" (expected ${expected}): ${JSON.stringify(cli)}`);
  assert.equal(badgeAsState(ui), expected, `the window's badge changed to "${ui}" while thanksctl says ${cli.state}`);
  s.log(`agreement on "${profile}": window ${ui}, thanksctl ${cli.state}`);
  return cli;
}

/**
 * Clicks "Try it with the sandbox" (on the first-run screen when there is no profile yet, else
 * on the Account panel); resolves the in-app sandbox's base URL.
 */
export async function startSandboxDemo(s, app) {
  await app.click((await app.displayed('#first-run')) ? '#firstrun-sandbox' : '#btn-sandbox-demo');
  await app.waitFor(
    async () => (await app.prop('#profile-select', 'value')) === 'Sandbox' &&
      (await app.displayed('#sandbox-status')) &&
      /Profile “Sandbox” is not connected/.test(await app.text('#connect-summary')),
    { timeout: 15_000, message: 'the sandbox demo to start and select "Sandbox"', show: ['#sandbox-status', '#connect-summary', '#toast', '#profile-select'] },
  );
  const info = await app.invoke('app_info');
  assert.match(info.sandbox_base_url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/, `app_info: ${JSON.stringify(info)}`);
  assert.match(await app.text('#sandbox-status'), new RegExp(escapeRe(info.sandbox_base_url)));
  s.log(`in-app sandbox at ${info.sandbox_base_url}`);
  return info.sandbox_base_url;
}

/**
 * The sign-in's waiting box must be gone once its outcome is shown. Explains, with the
 * recorded timeline, the case where the outcome arrived before the box was put up.
 */
export async function assertNotWaiting(app) {
  const problem = await stillWaiting(app);
  if (problem) assert.fail(problem);
}

/** null when the waiting box closed (within 2 s), else what went wrong, with the timeline. */
export async function stillWaiting(app) {
  const waiting = await app.waitFor(async () => !(await app.displayed('#login-waiting')), { timeout: 2000, message: 'the waiting box to close' })
    .then(() => false, () => true);
  if (!waiting) return null;
  return `the window still says "Waiting for thanks.io in your browser…" after the sign-in ended ` +
    `(the outcome was shown before the waiting box was put up?); shown/hidden, in page time:\n${await app.timeline()}`;
}

/**
 * Clicks Connect on the Account panel and waits for the "Connected …" outcome. Resolves
 * `{stillWaiting}`: null, or why the "Waiting for thanks.io…" box is still up.
 */
export async function connect(s, app, profile) {
  await app.watch(['#login-waiting', '#login-message']);
  await app.click('#btn-connect');
  await app.waitFor(async () => (await app.attr('#login-message', 'data-kind')) === 'ok' && (await app.displayed('#login-message')), {
    timeout: 20_000,
    message: `Connect to finish for "${profile}"`,
    show: ['#login-message', '#login-waiting', '#login-browser-error', '#connect-summary'],
  });
  assert.match(await app.text('#login-message'), new RegExp(`Connected profile ["“]${escapeRe(profile)}["”]`));
  s.log(`connected "${profile}"`);
  const problem = await stillWaiting(app);
  // Scenarios about something else go on (scenarios 1 and 4 fail on this).
  if (problem) s.log(`NOTE: ${problem}`);
  return { stillWaiting: problem };
}
