// A minimal W3C WebDriver client over fetch, for driving the real Tauri window through
// tauri-driver (which forwards to WebKitWebDriver on Linux). No dependencies.
//
// Elements are usually addressed by CSS selector and looked up again on every call
// (`session.text('#state-badge')`), so a panel that re-renders between two calls never leaves
// the test holding a stale element. `session.find()` returns an Element for the few cases that
// want one handle.

import { writeFile } from 'node:fs/promises';

/** The W3C element reference key. */
const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';
/** Per-command HTTP timeout; creating a session (the app starts) gets its own. */
const COMMAND_TIMEOUT_MS = 30_000;

export class WebDriverError extends Error {
  /**
   * @param {string} command e.g. "POST /session/…/element"
   * @param {number} status HTTP status
   * @param {string} error W3C error code ("no such element", …)
   * @param {string} message the driver's message
   */
  constructor(command, status, error, message) {
    super(`WebDriver ${command} failed: ${error} (HTTP ${status}): ${message}`);
    this.name = 'WebDriverError';
    this.status = status;
    this.error = error;
  }
}

/** One HTTP round trip to the driver; returns the W3C `value`. */
async function request(base, method, path, body, timeoutMs = COMMAND_TIMEOUT_MS) {
  const command = `${method} ${path}`;
  let response;
  try {
    response = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const why = e?.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e?.cause?.message ?? e?.message ?? String(e));
    throw new WebDriverError(command, 0, 'transport', why);
  }
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new WebDriverError(command, response.status, 'bad response', text.slice(0, 300));
  }
  const value = json?.value;
  if (!response.ok || (value && typeof value === 'object' && typeof value.error === 'string' && value.error)) {
    throw new WebDriverError(command, response.status, value?.error ?? 'unknown error', value?.message ?? text.slice(0, 300));
  }
  return value;
}

export class Element {
  constructor(session, id, selector) {
    this.session = session;
    this.id = id;
    this.selector = selector;
  }

  #cmd(method, sub, body) {
    return this.session.cmd(method, `/element/${this.id}${sub}`, body);
  }

  click() { return this.#cmd('POST', '/click', {}); }
  clear() { return this.#cmd('POST', '/clear', {}); }
  /** Types into the element (W3C "Element Send Keys"). */
  sendKeys(text) { return this.#cmd('POST', '/value', { text: String(text) }); }
  /** The rendered, visible text ('' for hidden elements). */
  text() { return this.#cmd('GET', '/text'); }
  attribute(name) { return this.#cmd('GET', `/attribute/${encodeURIComponent(name)}`); }
  property(name) { return this.#cmd('GET', `/property/${encodeURIComponent(name)}`); }
  displayed() { return this.#cmd('GET', '/displayed'); }
  enabled() { return this.#cmd('GET', '/enabled'); }
  async screenshot(file) {
    const png = await this.#cmd('GET', '/screenshot');
    await writeFile(file, Buffer.from(png, 'base64'));
    return file;
  }
}

export class Session {
  /**
   * @param {string} base the driver's URL, e.g. http://127.0.0.1:4444
   * @param {string} id the session id
   */
  constructor(base, id) {
    this.base = base;
    this.id = id;
    this.deleted = false;
  }

  /**
   * New Session. `capabilities` go into `alwaysMatch`.
   * @returns {Promise<Session>}
   */
  static async create(base, capabilities, { timeoutMs = 60_000 } = {}) {
    const value = await request(base, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } }, timeoutMs);
    if (!value?.sessionId) throw new WebDriverError('POST /session', 200, 'bad response', JSON.stringify(value).slice(0, 300));
    return new Session(base, value.sessionId);
  }

  /** A command under this session: `cmd('GET', '/title')`. */
  cmd(method, path, body, timeoutMs) {
    return request(this.base, method, `/session/${this.id}${path}`, body, timeoutMs);
  }

  async delete() {
    if (this.deleted) return;
    this.deleted = true;
    await request(this.base, 'DELETE', `/session/${this.id}`, undefined, 15_000);
  }

  // ---- finding -------------------------------------------------------------------------

  /** The first element matching a CSS selector; throws WebDriverError "no such element". */
  async find(selector) {
    const value = await this.cmd('POST', '/element', { using: 'css selector', value: selector });
    return new Element(this, value[ELEMENT_KEY], selector);
  }

  async findAll(selector) {
    const values = await this.cmd('POST', '/elements', { using: 'css selector', value: selector });
    return values.map((v) => new Element(this, v[ELEMENT_KEY], selector));
  }

  /** True when at least one element matches. */
  async exists(selector) {
    return (await this.findAll(selector)).length > 0;
  }

  // ---- by selector (looked up afresh on every call) -----------------------------------

  /**
   * Clicks what the selector matches now. Views that redraw live (the Accounts rows follow
   * other processes) can replace the element between the lookup and the click; a person clicks
   * what is on the screen, so a stale element is looked up again (a few times at most).
   */
  async click(selector) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await (await this.find(selector)).click();
      } catch (e) {
        if (!(e instanceof WebDriverError && e.error === 'stale element reference') || attempt >= 3) throw e;
      }
    }
  }
  async clear(selector) { return (await this.find(selector)).clear(); }
  async sendKeys(selector, text) { return (await this.find(selector)).sendKeys(text); }
  /** Clears the field, then types `text`. */
  async type(selector, text) {
    const el = await this.find(selector);
    await el.clear();
    if (text !== '') await el.sendKeys(text);
  }
  async text(selector) { return (await this.find(selector)).text(); }
  async attribute(selector, name) { return (await this.find(selector)).attribute(name); }
  async property(selector, name) { return (await this.find(selector)).property(name); }
  async displayed(selector) { return (await this.find(selector)).displayed(); }
  async enabled(selector) { return (await this.find(selector)).enabled(); }

  // ---- scripts, window, screenshots ---------------------------------------------------

  /** Runs `script` (a function body; `arguments` are `args`) and returns its result. */
  execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  /**
   * Runs `script` asynchronously: the last of `arguments` is the callback that ends it.
   * The script timeout defaults to 30 s in W3C drivers.
   */
  executeAsync(script, args = []) {
    return this.cmd('POST', '/execute/async', { script, args });
  }

  async setTimeouts({ script, pageLoad, implicit } = {}) {
    const body = {};
    if (script !== undefined) body.script = script;
    if (pageLoad !== undefined) body.pageLoad = pageLoad;
    if (implicit !== undefined) body.implicit = implicit;
    return this.cmd('POST', '/timeouts', body);
  }

  getWindowRect() { return this.cmd('GET', '/window/rect'); }
  setWindowRect(rect) { return this.cmd('POST', '/window/rect', rect); }

  /** Saves a PNG of the window's content (the viewport) to `file`. */
  async screenshot(file) {
    const png = await this.cmd('GET', '/screenshot');
    await writeFile(file, Buffer.from(png, 'base64'));
    return file;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class WaitTimeoutError extends Error {
  constructor(message) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

/**
 * Calls `fn` until it returns a truthy value (which is returned) or `timeout` ms pass. A throw
 * from `fn` counts as "not yet" (the element may not exist yet), and the last value or error is
 * part of the failure message, so a failed wait says what it was waiting for and what it saw.
 *
 * @template T
 * @param {() => Promise<T> | T} fn
 * @param {{timeout?: number, interval?: number, message?: string}} [opts]
 * @returns {Promise<T>}
 */
export async function waitFor(fn, { timeout = 10_000, interval = 100, message = 'a condition' } = {}) {
  const started = Date.now();
  let last;
  let lastError;
  for (;;) {
    try {
      last = await fn();
      lastError = undefined;
      if (last) return last;
    } catch (e) {
      lastError = e;
    }
    const elapsed = Date.now() - started;
    if (elapsed >= timeout) {
      const seen = lastError
        ? `last error: ${lastError.message ?? lastError}`
        : `last value: ${describe(last)}`;
      throw new WaitTimeoutError(`Timed out after ${elapsed} ms waiting for ${message} (${seen})`);
    }
    await sleep(Math.min(interval, Math.max(0, timeout - elapsed)));
  }
}

function describe(value) {
  if (value === undefined) return 'undefined';
  try {
    const s = JSON.stringify(value);
    return s.length > 300 ? `${s.slice(0, 300)}…` : s;
  } catch {
    return String(value);
  }
}
