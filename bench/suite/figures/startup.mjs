// Figure 1, start-up: from exec to the first meaningful paint, the app against the floor.
//
// Both pages say when they have painted their content the same way: the content is in the
// DOM, a frame has been drawn (requestAnimationFrame, then the next task), and the page's
// wall-clock time of that moment goes to Rust, which writes it down (the app in its log, the
// floor on stdout). For the app the content is the profile and its token state; the profile
// is connected to a sandbox beforehand (real login, tokens in the keyring), so the start-up
// reads the keyring as a user's does. Start-up = that time minus the time this script
// started the process. One untimed start of each first (caches, the keyring's first unlock).
//
// And when that content is on the screen: a poller (bench/suite/screen.py) reads a region of
// the X screen where each window's content shows a colour of its own (the app's "Connected"
// badge, the floor's heading) and says when it appears. The page's report comes before that:
// the painted frame is still to be composited and shown (under Xvfb by software OpenGL), and
// how long that takes depends on the frame. The screen is the headline; the report is kept
// beside it, with the app's timeline, to say where the time went.

import { readdir, readFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { alternate, ratio, summary } from '../stats.mjs';
import { start, stop, until } from '../procs.mjs';
import { World } from '../world.mjs';

const SCREEN_PY = join(dirname(fileURLToPath(import.meta.url)), '..', 'screen.py');
// Where each window's content shows, at the windows' default size (1120×780, at the screen's
// top left under Xvfb with no window manager), and a colour only that content has there: the
// app's header with the connected badge (light theme's --ok-soft), the floor's heading.
const REGIONS = ['app=940,8,170,36,e3f4ea,300', 'hello=20,50,120,45,2a5bd7,200'];
// How long the content may take to reach the screen after the page reported its paint.
const SCREEN_WAIT_MS = 5_000;

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

/**
 * The screen poller for the whole figure: `seen(name, since)` resolves with the wall-clock
 * time at which `name`'s colour appeared on the screen at or after `since`.
 */
async function watchScreen(env) {
  const child = start('/usr/bin/python3', [SCREEN_PY, ...REGIONS], { env });
  const events = [];
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => {
    buffered += d;
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) {
      const [name, what, at] = line.split(' ');
      events.push({ name, what, at: Number(at) });
    }
  });
  await until(() => {
    if (child.exitCode !== null) throw new Error(`screen.py stopped: ${stderr.slice(-500)}`);
    return events.some((e) => e.name === 'ready');
  }, { timeoutMs: 15_000, what: 'the screen poller to start' });
  const seen = (name, since) =>
    until(() => events.find((e) => e.name === name && e.what === 'on' && e.at >= since)?.at ?? null, { timeoutMs: SCREEN_WAIT_MS, intervalMs: 5, what: `${name}'s content on the screen` });
  return { seen, stop: () => stop(child) };
}

/**
 * One start of `bin`: ms from exec to its paint report and to its content on the screen, and
 * the app's own "window loaded" and timeline.
 */
async function launch(bin, env, source, screen, name) {
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
    const onScreen = await screen.seen(name, t0);
    const loaded = source === 'log' ? all(LOADED, found.text).at(-1)?.[0] : undefined;
    return { ms: onScreen - t0, reportMs: at - t0, loadedMs: loaded, timeline: found.timeline };
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
    const screen = await watchScreen(world.env());
    try {
      const app = () => launch(ctx.bins.app, appEnv, 'log', screen, 'app');
      const hello = () => launch(ctx.bins.hello, helloEnv, 'stdout', screen, 'hello');
      await app();
      await hello();
      const runs = await alternate(ctx.runs, app, hello, {
        onRun: (k, i, v) => ctx.log(`  start-up ${k === 'a' ? 'app  ' : 'floor'} #${i + 1}: ${v.ms} ms on the screen, ${v.reportMs} ms reported${v.timeline ? `\n    timeline (ms since main): ${v.timeline}` : ''}`),
      });
      const appMs = runs.a.map((r) => r.ms);
      const helloMs = runs.b.map((r) => r.ms);
      const appReport = runs.a.map((r) => r.reportMs);
      const helloReport = runs.b.map((r) => r.reportMs);
      const s = summary(appMs);
      return {
        app: appMs,
        floor: helloMs,
        appReport,
        floorReport: helloReport,
        reportRatio: ratio(appReport, helloReport),
        appLoaded: runs.a.map((r) => r.loadedMs).filter((v) => v !== undefined),
        ratio: ratio(appMs, helloMs),
        tail: s.max / s.median,
      };
    } finally {
      await screen.stop();
    }
  } finally {
    await world.close();
  }
}
