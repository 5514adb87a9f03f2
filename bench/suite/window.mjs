// A window under WebDriver for the figures that need to act in it (memory after a login and a
// console call, the 10 MB response, the soak): tauri-driver → WebKitWebDriver → the app, with
// the world's environment. The WebDriver client is the window tests' (tests/e2e/webdriver.mjs).

import { closeSync, openSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

import { Session, waitFor } from '../../tests/e2e/webdriver.mjs';
import { alive, freePort, start, stop, tree, until } from './procs.mjs';

export { waitFor };

export function tauriDriverBin() {
  return process.env.TAURI_DRIVER_BIN || join(process.env.CARGO_HOME || join(process.env.HOME, '.cargo'), 'bin/tauri-driver');
}

export class Window {
  /** Starts `bin` through tauri-driver with `env`; resolves once the page has loaded. */
  static async open(bin, env, logDir) {
    const port = await freePort();
    const nativePort = await freePort();
    const log = openSync(join(logDir, `driver-${port}.log`), 'a');
    const driver = start(tauriDriverBin(), ['--port', String(port), '--native-port', String(nativePort)], { env, stdio: ['ignore', log, log] });
    closeSync(log);
    const base = `http://127.0.0.1:${port}`;
    await until(async () => (await fetch(`${base}/status`).catch(() => null))?.ok, { timeoutMs: 15_000, intervalMs: 50, what: 'tauri-driver' });
    const session = await Session.create(base, { browserName: 'wry', 'tauri:options': { application: bin } });
    await session.setTimeouts({ script: 600_000 });
    const w = new Window(driver, session, bin);
    await waitFor(() => session.execute('return document.readyState === "complete";'), { timeout: 20_000, message: 'the page to load' });
    return w;
  }

  constructor(driver, session, bin) {
    this.driver = driver;
    this.session = session;
    this.bin = realpathSync(bin);
  }

  /** The app's main process (the one running `bin`), under the driver. */
  appPid() {
    for (const p of tree(this.driver.pid)) {
      try {
        if (readlinkSync(`/proc/${p}/exe`) === this.bin) return p;
      } catch {
        // gone
      }
    }
    return null;
  }

  exec(script, args = []) { return this.session.execute(script, args); }
  /** Runs `script` asynchronously (its last argument ends it), for up to `timeoutMs`. */
  execAsync(script, args = [], timeoutMs = 120_000) {
    return this.session.cmd('POST', '/execute/async', { script, args }, timeoutMs + 5000);
  }
  click(sel) { return this.session.click(sel); }
  type(sel, text) { return this.session.type(sel, text); }
  text(sel) { return this.session.text(sel); }

  /** Resolves when `script` (a function body) returns something truthy in the page. */
  until(script, what, timeout = 30_000) {
    return waitFor(() => this.exec(script), { timeout, interval: 25, message: what });
  }

  async close() {
    const pid = this.appPid();
    await this.session.delete().catch(() => undefined);
    if (pid) await until(() => !alive(pid), { timeoutMs: 5000, intervalMs: 50, what: 'the app to exit' }).catch(() => undefined);
    await stop(this.driver);
  }
}
