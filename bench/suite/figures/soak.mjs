// Figure 8, the soak: console sends in the real window (three small bodies to one of 1 MB) and
// a token refresh ("Refresh now") every tenth send, paced over 15 minutes. Recorded: the PSS of
// the app and its WebKit processes every 100 sends (growth is measured from the 100th, when
// caches and the history have filled), the longest main-thread task, and every error.
//
// The longest task is measured by a light heartbeat (a 10 ms interval timer in the page; a task
// of T ms makes one tick up to T ms late), plus the Long Tasks API where the engine has it;
// a tight MessageChannel heartbeat as in the 10 MB figure would keep a core busy for 15 min.
// The heartbeat is read before every action, so each late tick is put down to the action it
// followed (a 1 MB answer, a 2 kB one, a refresh: the action and the pause after it).

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { prepare, ready, refresh, send, watchSends } from '../actions.mjs';
import { startOrigin } from '../origin.mjs';
import { sleep, treePss } from '../procs.mjs';
import { Window } from '../window.mjs';
import { World } from '../world.mjs';

const MONITOR = `
  if (window.__soak) return;
  const m = (window.__soak = { late: 0, lateAt: 0, longtask: 0, api: !!PerformanceObserver.supportedEntryTypes?.includes('longtask') });
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last - 10 > m.late) [m.late, m.lateAt] = [now - last - 10, performance.timeOrigin + now];
    last = now;
  }, 10);
  if (m.api) new PerformanceObserver((l) => { for (const e of l.getEntries()) m.longtask = Math.max(m.longtask, e.duration); }).observe({ type: 'longtask' });`;

export async function soak(ctx) {
  const sends = ctx.smoke ? 12 : 1000;
  const refreshEvery = ctx.smoke ? 6 : 10;
  const sampleEvery = ctx.smoke ? 4 : 100;
  const durationMs = ctx.smoke ? 0 : 15 * 60_000;
  const world = await World.create('soak', { thanksctl: ctx.bins.thanksctl, appBin: ctx.bins.app });
  const origin = await startOrigin();
  const logs = join(world.dir, 'logs');
  await mkdir(logs);
  // Once, in a full run, the window's WebDriver session was lost after 200 sends ("page crash or
  // hang") and the scratch directory went with the logs that could say why: a failed soak keeps it.
  let failed = true;
  try {
    // OAuth against the sandbox (so "Refresh now" is a real refresh), the API on the origin
    // (which has the 1 MB bodies).
    const sandbox = await world.startSandbox();
    await world.connect('soak', { ...sandbox, api_base: origin.apiBase }, ctx.bins.redirectUri);
    await world.remember('soak', 'console');
    const win = await Window.open(ctx.bins.app, world.env(), logs);
    try {
      await ready(win);
      await watchSends(win);
      await win.exec(MONITOR);
      const samples = [];
      const errors = [];
      let refreshes = 0;
      // The latest tick since the last sample, and the latest after each kind of action.
      let late = 0;
      const lateAfter = { big: 0, small: 0, refresh: 0 };
      // The latest tick of the whole soak: when it ended (wall clock, ms since the epoch, to find
      // it in a system-wide profile), and the action it followed.
      const latest = { ms: 0, endedAtMs: 0, after: null };
      let previous = null;
      const readHeartbeat = async (next) => {
        const [ms, at] = await win.exec('const m = window.__soak, r = [m.late, m.lateAt]; m.late = 0; return r;');
        late = Math.max(late, ms);
        if (previous) lateAfter[previous] = Math.max(lateAfter[previous], ms);
        if (ms > latest.ms) Object.assign(latest, { ms, endedAtMs: at, after: previous });
        previous = next;
      };
      const t0 = Date.now();
      for (let i = 1; i <= sends; i++) {
        const bytes = i % 4 === 0 ? 1_000_000 : 2_000;
        await readHeartbeat(bytes > 100_000 ? 'big' : 'small');
        await prepare(win, 'bench/body', ['bytes', String(bytes)]);
        const answer = await send(win);
        if (answer.error || !answer.status?.startsWith('200')) errors.push(`send ${i}: ${answer.error ?? answer.status}`);
        if (i % refreshEvery === 0) {
          await readHeartbeat('refresh');
          const r = await refresh(win);
          if (r.error) errors.push(`refresh after send ${i}: ${r.error}`);
          else refreshes++;
        }
        if (i % sampleEvery === 0 || i === sends) {
          await readHeartbeat(previous);
          const pid = win.appPid();
          const m = await win.exec('return { ...window.__soak };');
          samples.push({ sends: i, seconds: (Date.now() - t0) / 1000, pssMiB: pid ? treePss(pid).total / 1024 : null, lateMs: late, longtaskMs: m.longtask });
          await win.exec('window.__soak.longtask = 0;');
          ctx.log(`  soak: ${i} sends, ${refreshes} refreshes, ${errors.length} errors, PSS ${samples.at(-1).pssMiB?.toFixed(0)} MiB, longest tick delay ${late.toFixed(0)} ms`);
          late = 0;
        }
        const due = t0 + (i * durationMs) / sends;
        if (Date.now() < due) await sleep(due - Date.now());
      }
      const api = await win.exec('return window.__soak.api;');
      failed = false;
      await readHeartbeat(null);
      return { sends, refreshes, errors, samples, lateAfter, latest, longtaskApi: api, seconds: (Date.now() - t0) / 1000, served: origin.served() };
    } finally {
      await win.close();
    }
  } finally {
    await origin.close();
    await world.close({ keep: failed });
  }
}
