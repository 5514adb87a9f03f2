// The world a figure runs in: a scratch directory, a sandbox (`thanksctl sandbox`), profiles
// connected to it through the real login (consent page, callback, keyring), and the desktop
// settings that make scripts/sandbox-browser.sh the "system browser" for logins in the window.
// The keyring is the one scripts/with-keyring.sh started for the whole suite.

import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { check, start, stop, until } from './procs.mjs';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BROWSER_SCRIPT = join(REPO, 'scripts/sandbox-browser.sh');

export class World {
  /** @param {{thanksctl: string, appBin?: string}} bins */
  static async create(label, bins) {
    const dir = await mkdtemp(join(tmpdir(), `thanks-bench-${label}-`));
    const w = new World(dir, bins);
    await w.installBrowser();
    return w;
  }

  constructor(dir, bins) {
    this.dir = dir;
    this.bins = bins;
    this.home = join(dir, 'home');
    this.sandboxes = [];
  }

  /** Environment for the app and thanksctl, with `home` as the config home. */
  env(extra = {}, home = this.home) {
    const env = {
      ...process.env,
      THANKS_CONNECT_HOME: home,
      XDG_CONFIG_HOME: join(this.dir, 'xdg-config'),
      XDG_DATA_HOME: join(this.dir, 'xdg-data'),
      BROWSER: BROWSER_SCRIPT,
      THANKSCTL: this.bins.thanksctl,
      ...extra,
    };
    // The "browser" hands the callback to the app binary, as the OS would (a second instance,
    // forwarded by single-instance); without one, to `thanksctl complete`.
    if (this.bins.appBin && !('THANKS_DEMO_CALLBACK_HANDLER' in extra)) env.THANKS_DEMO_CALLBACK_HANDLER = this.bins.appBin;
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    // A named desktop would make xdg-open ask it instead of the browser set up below.
    delete env.XDG_CURRENT_DESKTOP;
    delete env.DESKTOP_SESSION;
    return env;
  }

  thanksctl(args, opts = {}) {
    return check(this.bins.thanksctl, args, { env: this.env(), ...opts });
  }

  /** A sandbox for this world; resolves its settings (base_url, api_base, client_id, …). */
  async startSandbox({ rateLimit = 1_000_000, ttlSecs = 3600 } = {}) {
    const child = start(this.bins.thanksctl, ['sandbox', '--port', '0', '--json', '--rate-limit', String(rateLimit), '--access-token-ttl', String(ttlSecs)], { env: this.env() });
    this.sandboxes.push(child);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const line = await until(() => (out.includes('\n') ? out.slice(0, out.indexOf('\n')) : null), { timeoutMs: 15_000, what: 'the sandbox to start' });
    return JSON.parse(line);
  }

  /**
   * Creates `profile` pointing at `sandbox` and connects it with `thanksctl login`: the
   * consent page approved by the stand-in browser, the code exchanged, tokens in the keyring.
   */
  async connect(profile, sandbox, redirectUri) {
    await this.thanksctl([
      '--profile', profile, 'profile', 'set',
      '--authorize-url', sandbox.authorize_url, '--token-url', sandbox.token_url, '--api-base', sandbox.api_base,
      '--client-id', sandbox.client_id, '--redirect-uri', redirectUri, '--scope', '', '--client-secret-stdin',
    ], { input: `${sandbox.client_secret}\n` });
    await this.thanksctl(['--profile', profile, 'login', '--timeout', '60'], { env: this.env({ THANKS_DEMO_CALLBACK_HANDLER: undefined }) });
  }

  /** Opens the window on `profile` and `panel` next time (the app's own ui.json). */
  async remember(profile, panel = 'account', home = this.home) {
    await writeFile(join(home, 'ui.json'), JSON.stringify({ last_profile: profile, last_panel: panel }));
  }

  /** A copy of the config home (same profiles and keyring entries) for one run. */
  async copyHome(name) {
    const copy = join(this.dir, name);
    await rm(copy, { recursive: true, force: true });
    await cp(this.home, copy, { recursive: true });
    return copy;
  }

  /**
   * Makes scripts/sandbox-browser.sh the default browser of this world's desktop (a desktop
   * entry and mimeapps.list): xdg-open asks the desktop's URL handler before $BROWSER, and a
   * real browser installed here (Chromium, for the viewer figure) must not take the login.
   */
  async installBrowser() {
    const apps = join(this.dir, 'xdg-data/applications');
    const bin = join(this.dir, 'bin');
    await mkdir(apps, { recursive: true });
    await mkdir(bin, { recursive: true });
    await mkdir(join(this.dir, 'xdg-config'), { recursive: true });
    await mkdir(this.home, { recursive: true });
    // WebDriver's automation variables must not reach the app instance the browser starts
    // with the callback (a browser started by the desktop wouldn't pass them on).
    await writeFile(join(bin, 'browser'), `#!/bin/sh\nexec env -u TAURI_AUTOMATION -u TAURI_WEBVIEW_AUTOMATION -u WEBKIT_INSPECTOR_SERVER '${BROWSER_SCRIPT}' "$@"\n`, { mode: 0o755 });
    await writeFile(join(apps, 'thanks-bench-browser.desktop'), `[Desktop Entry]\nType=Application\nName=bench browser\nExec=${join(bin, 'browser')} %u\nNoDisplay=true\nMimeType=x-scheme-handler/http;x-scheme-handler/https;\n`);
    await writeFile(join(this.dir, 'xdg-config/mimeapps.list'), '[Default Applications]\nx-scheme-handler/http=thanks-bench-browser.desktop\nx-scheme-handler/https=thanks-bench-browser.desktop\n');
  }

  /**
   * Stops the sandboxes and removes the scratch directory; with `keep` (a figure failed), leaves
   * the directory for a post-mortem (the app's own log and the driver's are in it) and says where.
   */
  async close({ keep = false } = {}) {
    for (const s of this.sandboxes) await stop(s);
    if (keep) console.error(`   kept for a post-mortem: ${this.dir} (the app's log under xdg-data/, the driver's under logs/)`);
    else await rm(this.dir, { recursive: true, force: true });
  }
}
