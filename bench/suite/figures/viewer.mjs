// Figure 5, a 10 MB JSON response: in the real window (WebKitGTK, the body crossing the real
// IPC from Rust) against headless Chromium on the built UI with the dev mock, alternating.
// Both run the same measuring code (ui/bench/measure.ts) on the same generated body: in the
// window it is injected over WebDriver and the body comes from a local API origin
// (origin.mjs); Chromium runs ui/bench/run.mjs, which the UI's own `npm run bench` is.

import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ready } from '../actions.mjs';
import { pageScript } from '../bundle.mjs';
import { startOrigin } from '../origin.mjs';
import { check } from '../procs.mjs';
import { alternate } from '../stats.mjs';
import { Window } from '../window.mjs';
import { REPO, World } from '../world.mjs';

const MB = 10;

/** Where the longest gap began: after the answer, and on the wall clock (for bench/trace/stall.py). */
const gapAt = (v) => (v.heartbeatGapWallMs ? ` (from ${v.heartbeatGapFromMs} ms after the answer, ${v.heartbeatGapWallMs.toFixed(0)} ms since the epoch)` : '');

export async function viewer(ctx) {
  const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const world = await World.create('viewer', { thanksctl: ctx.bins.thanksctl, appBin: ctx.bins.app });
  const origin = await startOrigin();
  const logs = join(world.dir, 'logs');
  await mkdir(logs);
  try {
    // A personal token: this figure is about the response, not about OAuth.
    await world.thanksctl(['--profile', 'big', 'profile', 'set', '--api-base', origin.apiBase]);
    await world.thanksctl(['--profile', 'big', 'login', '--with-token'], { input: 'bench-personal-token\n' });
    await world.remember('big', 'console');
    const script = await pageScript('bench/measure.ts', '__benchMeasure');
    const webkit = async () => {
      const win = await Window.open(ctx.bins.app, world.env(), logs);
      try {
        await ready(win);
        await win.exec(`${script}; window.__benchMeasure = __benchMeasure;`);
        return await win.execAsync(`const done = arguments[arguments.length - 1];
          window.__benchMeasure.measure(${MB}).then(done, (e) => done({ error: String(e) + ' ' + (e && e.stack) }));`, [], 600_000);
      } finally {
        await win.close();
      }
    };
    const chrome = async (i) => {
      const out = join(world.dir, `chromium-${i}.json`);
      await check(process.execPath, [join(REPO, 'ui/bench/run.mjs'), '--no-build', '--mb', String(MB), '--runs', '1', '--json', out, '--chromium', chromium], { timeoutMs: 300_000 });
      return JSON.parse(await readFile(out, 'utf8'))[0];
    };
    const haveChromium = existsSync(chromium);
    const runs = haveChromium
      ? await alternate(ctx.runs, webkit, chrome, { onRun: (k, i, v) => ctx.log(`  10 MB ${k === 'a' ? 'WebKitGTK' : 'Chromium '} #${i + 1}: first paint ${v.firstPaintMs} ms, heartbeat gap ${v.heartbeatGapMs} ms${gapAt(v)}`) })
      : { a: [], b: [] };
    if (!haveChromium) {
      ctx.log(`  (no Chromium at ${chromium}: the WebKitGTK window only)`);
      for (let i = 0; i < ctx.runs; i++) runs.a.push(await webkit());
    }
    for (const r of runs.a) if (r.error) throw new Error(`the measurement failed in the window: ${r.error}`);
    return { mb: MB, webkit: runs.a, chromium: runs.b };
  } finally {
    await origin.close();
    await world.close();
  }
}
