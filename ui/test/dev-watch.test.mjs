// The dev server of `tauri dev` (dev/watch.mjs), started for real on a free port: it serves the
// page, and tells the window to reload (esbuild's change events on /esbuild) when a source file
// changes, static/ included, whose files esbuild doesn't build. Only a file's modification time
// is touched, so the repository is left as it was.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { utimes } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ui = fileURLToPath(new URL('..', import.meta.url));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns something truthy or `ms` pass (the machine may be busy). */
async function until(check, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function fetchText(url, headers = {}) {
  return new Promise((resolve) => {
    get(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', () => resolve(null));
  });
}

test('the dev server serves the page and asks for a reload when a static file changes', async () => {
  const port = await freePort();
  const server = spawn(process.execPath, ['dev/watch.mjs'], {
    cwd: ui,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stdout.on('data', (c) => { log += c; });
  server.stderr.on('data', (c) => { log += c; });
  const base = `http://127.0.0.1:${port}`;
  let events = '';
  let stream;
  try {
    const page = await until(async () => (await fetchText(`${base}/`))?.status === 200 && fetchText(`${base}/`), 60_000, `the dev server (${log})`);
    assert.match(page.body, /<title>Thanks Connect<\/title>/);
    const script = await fetchText(`${base}/main.js`);
    assert.match(script.body, /new EventSource\('\/esbuild'\)/, 'the page listens for reloads');

    // What the page's EventSource sees.
    stream = get(`${base}/esbuild`, { headers: { Accept: 'text/event-stream' } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (c) => { events += c; });
    });
    await until(() => events.includes('retry:'), 20_000, 'the event stream to open');

    // The first rebuild after the server starts reports every output as added, whatever
    // changed; so the first touch only settles that, and the second is the one that counts.
    const touch = (n) => {
      const when = new Date(Date.now() + n * 1000);
      return utimes(`${ui}static/index.html`, when, when);
    };
    await touch(1);
    await until(() => events.includes('event: change'), 30_000, `the first rebuild (events: ${events}; log: ${log})`);
    await new Promise((r) => setTimeout(r, 500));
    events = '';
    await touch(2);
    await until(() => events.includes('event: change'), 30_000, `a change event after static/index.html changed (log: ${log})`);
  } finally {
    stream?.destroy();
    server.kill();
  }
});
