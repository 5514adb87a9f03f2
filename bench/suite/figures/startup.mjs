// Figure 1, start-up: from exec to the first meaningful paint, the app against the floor.
//
// Both pages say when they have painted their content the same way: the content is in the
// DOM, a frame has been drawn (requestAnimationFrame, then the next task), and the page's
// wall-clock time of that moment goes to Rust, which writes it down (the app in its log, the
// floor on stdout). For the app the content is the profile and its token state; the profile
// is connected to a sandbox beforehand (real login, tokens in the keyring), so the start-up
// reads the keyring as a user's does. Start-up = that time minus the time this script
// started the process. One untimed start of each first (caches, the keyring's first unlock).

import { readdir, readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { alternate, ratio, summary } from '../stats.mjs';
import { start, stop, until } from '../procs.mjs';
import { World } from '../world.mjs';

const PAINT = /first (?:meaningful )?paint ms=(\d+) unix_ms=(\d+)/g;
const LOADED = /window loaded ms=(\d+)/g;
// The app's start-up timeline (src-tauri/src/startup.rs), logged at debug level.
const TIMELINE = /start-up timeline timeline=(.*)/g;

/** Every match of `re` in `text`, as arrays of numbers. */
function all(re, text) {
  return [...text.matchAll(re)].map((m) => m.slice(1).map(Number));
}

async function logText(dataHome) {
  let text = '';
  for (const id of await readdir(dataHome).catch(() => [])) {
    const dir = join(dataHome, id, 'logs');
    for (const f of await readdir(dir).catch(() => [])) text += await readFile(join(dir, f), 'utf8');
  }
  return text;
}

/** One start of `bin`: ms from exec to its paint report, and the app's own "window loaded". */
async function launch(bin, env, source) {
  const t0 = Date.now();
  const child = start(bin, [], { env });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  try {
    const found = await until(async () => {
      const text = source === 'stdout' ? stdout : await logText(env.XDG_DATA_HOME);
      const match = [...text.matchAll(PAINT)].find((m) => Number(m[2]) >= t0);
      if (!match) return null;
      // The app logs its timeline just after the paint (RUST_LOG below): this run's, not the last.
      const timeline = source === 'log' ? [...text.slice(match.index).matchAll(TIMELINE)][0]?.[1] : undefined;
      if (source === 'log' && !timeline) return null;
      return { paint: match.slice(1).map(Number), text, timeline };
    }, { timeoutMs: 60_000, intervalMs: 5, what: `${bin} to report its first paint` });
    const [, at] = found.paint;
    const loaded = source === 'log' ? all(LOADED, found.text).at(-1)?.[0] : undefined;
    return { ms: at - t0, loadedMs: loaded, timeline: found.timeline };
  } finally {
    await stop(child);
  }
}

export async function startup(ctx) {
  const world = await World.create('startup', { thanksctl: ctx.bins.thanksctl });
  try {
    const sandbox = await world.startSandbox();
    await world.connect('bench', sandbox, ctx.bins.redirectUri);
    await world.remember('bench');
    // Each app keeps its own desktop data (log, window state, WebKit's storage) across its
    // runs, as an installed app does between starts.
    const envFor = async (name) => {
      const data = join(world.dir, `${name}-data`);
      await mkdir(data, { recursive: true });
      // The app's start-up timeline is logged at debug level (src-tauri/src/startup.rs).
      return world.env({ XDG_DATA_HOME: data, XDG_CONFIG_HOME: join(world.dir, `${name}-config`), RUST_LOG: 'info,thanks_connect_app::startup=debug' });
    };
    const appEnv = await envFor('app');
    const helloEnv = await envFor('hello');
    const app = () => launch(ctx.bins.app, appEnv, 'log');
    const hello = () => launch(ctx.bins.hello, helloEnv, 'stdout');
    await app();
    await hello();
    const runs = await alternate(ctx.runs, app, hello, {
      onRun: (k, i, v) => ctx.log(`  start-up ${k === 'a' ? 'app  ' : 'floor'} #${i + 1}: ${v.ms} ms${v.timeline ? `\n    timeline (ms since main): ${v.timeline}` : ''}`),
    });
    const appMs = runs.a.map((r) => r.ms);
    const helloMs = runs.b.map((r) => r.ms);
    const s = summary(appMs);
    return {
      app: appMs,
      floor: helloMs,
      appLoaded: runs.a.map((r) => r.loadedMs).filter((v) => v !== undefined),
      ratio: ratio(appMs, helloMs),
      tail: s.max / s.median,
    };
  } finally {
    await world.close();
  }
}
