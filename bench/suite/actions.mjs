// What the figures do in the app's window, by the element ids in ui/README.md: wait for the
// start, connect, send from the console. Inputs are filled and buttons clicked inside the page
// (one WebDriver round trip per step), the way the response-viewer benchmark drives it.

/** The window has started: version shown, the current profile's status known. */
export function ready(win) {
  return win.until(`
    const t = (id) => (document.getElementById(id)?.textContent ?? '').trim();
    return t('app-version') !== '' && t('connect-summary') !== '' && !t('connect-summary').startsWith('Checking');`,
  'the window to start', 30_000);
}

/** Clicks Connect and waits for "Connected …" (the stand-in browser approves). */
export async function connect(win) {
  await win.click('#btn-connect');
  await win.until(`const m = document.getElementById('login-message'); return !m.hidden && m.dataset.kind === 'ok';`, 'Connect to finish', 30_000);
}

/** Shows the console and sets method, path and one query parameter (or none). */
export async function prepare(win, path, query) {
  await win.exec(`
    const [path, query] = arguments;
    document.getElementById('nav-console').click();
    const set = (id, v) => { const el = document.getElementById(id); el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); };
    const method = document.getElementById('console-method');
    method.value = 'GET'; method.dispatchEvent(new Event('change', { bubbles: true }));
    set('console-path', path);
    if (query && !document.getElementById('query-key-0')) document.getElementById('btn-add-query').click();
    if (query) { set('query-key-0', query[0]); set('query-value-0', query[1]); }`, [path, query ?? null]);
}

/**
 * Counts answers to console_send and token_refresh as they reach the page, so send() and
 * refresh() can tell their answer from an earlier one. Tauri's own invoke() can't be wrapped
 * (it is a read-only property); its IPC is a fetch() to ipc://localhost/<command>, which can.
 * Idempotent.
 */
export function watchSends(win) {
  return win.exec(`
    if (window.__bench) return;
    const bench = (window.__bench = { answers: 0, failures: 0, refreshes: 0, refreshFailures: 0 });
    const fetch = window.fetch;
    window.fetch = async (input, init) => {
      const response = await fetch(input, init);
      const cmd = String(input).split('/').pop();
      if (cmd === 'console_send' || cmd === 'token_refresh') {
        const ok = response.headers.get('Tauri-Response') === 'ok';
        const key = cmd === 'console_send' ? (ok ? 'answers' : 'failures') : (ok ? 'refreshes' : 'refreshFailures');
        // Counted once the body is read, i.e. when the UI's promise is about to settle.
        const read = response.json.bind(response);
        response.json = async () => { const body = await read(); bench[key]++; return body; };
      }
      return response;
    };`);
}

/** Clicks "Refresh now" on the Token panel, waits for the answer, and goes back to the console. */
export function refresh(win, timeoutMs = 30_000) {
  return win.execAsync(`
    const [timeoutMs, done] = arguments;
    const bench = window.__bench;
    const seen = bench.refreshes + bench.refreshFailures;
    const failed = bench.refreshFailures;
    const t0 = performance.now();
    document.getElementById('nav-token').click();
    document.getElementById('btn-refresh').click();
    const poll = () => {
      if (bench.refreshes + bench.refreshFailures > seen) {
        document.getElementById('nav-console').click();
        return done(bench.refreshFailures > failed ? { error: 'the refresh failed' } : { ms: performance.now() - t0 });
      }
      if (performance.now() - t0 > timeoutMs) return done({ error: 'no refresh answer within ' + timeoutMs + ' ms' });
      setTimeout(poll, 5);
    };
    poll();`, [timeoutMs]);
}

/**
 * Clicks Send and resolves {status} once the answer has arrived and the console has painted
 * it, or {error} with the console's message. Needs watchSends() first.
 */
export function send(win, timeoutMs = 60_000) {
  return win.execAsync(`
    const [timeoutMs, done] = arguments;
    const bench = window.__bench;
    const failed = bench.failures;
    const seen = bench.answers + failed;
    const t0 = performance.now();
    document.getElementById('btn-send').click();
    const poll = () => {
      const spinner = document.getElementById('send-spinner');
      if (bench.answers + bench.failures > seen && spinner.hidden) {
        return requestAnimationFrame(() => setTimeout(() => {
          const error = document.getElementById('console-error');
          if (bench.failures > failed) return done({ error: error.textContent.trim() });
          done({ status: document.getElementById('response-status').textContent.trim(), ms: performance.now() - t0 });
        }, 0));
      }
      if (performance.now() - t0 > timeoutMs) return done({ error: 'no answer within ' + timeoutMs + ' ms' });
      setTimeout(poll, 2);
    };
    poll();`, [timeoutMs]);
}
