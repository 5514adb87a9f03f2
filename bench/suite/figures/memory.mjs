// Figure 2, idle memory: PSS of the app and its WebKit processes after a login in the window
// and one console call, against the floor idle; both started the same way (through
// tauri-driver), both measured after the same idle time. Also where the memory sits: per
// process, and inside the app's own process (its binary, libraries, malloc heap, other
// anonymous memory) so a difference can be traced to its owner.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { connect, prepare, ready, send, watchSends } from '../actions.mjs';
import { alternate, ratio } from '../stats.mjs';
import { comm, pssBreakdown, sleep, tree, treePss } from '../procs.mjs';
import { Window } from '../window.mjs';
import { World } from '../world.mjs';

function measure(win) {
  const pid = win.appPid();
  if (!pid) throw new Error('the app process is gone');
  const { total, byName } = treePss(pid);
  const web = tree(pid).find((p) => comm(p).startsWith('WebKitWebProces'));
  return { total, byName, main: pssBreakdown(pid), web: web ? pssBreakdown(web) : null };
}

export async function memory(ctx) {
  const world = await World.create('memory', { thanksctl: ctx.bins.thanksctl, appBin: ctx.bins.app });
  const logs = join(world.dir, 'logs');
  await mkdir(logs);
  try {
    const sandbox = await world.startSandbox();
    await world.thanksctl([
      '--profile', 'bench', 'profile', 'set',
      '--authorize-url', sandbox.authorize_url, '--token-url', sandbox.token_url, '--api-base', sandbox.api_base,
      '--client-id', sandbox.client_id, '--redirect-uri', ctx.bins.redirectUri, '--scope', '', '--client-secret-stdin',
    ], { input: `${sandbox.client_secret}\n` });
    await world.remember('bench');
    let round = 0;
    const app = async () => {
      // A disconnected copy of the profile each time: the login happens in this window.
      const home = await world.copyHome(`home-${++round}`);
      const win = await Window.open(ctx.bins.app, world.env({}, home), logs);
      try {
        await ready(win);
        await connect(win);
        await watchSends(win);
        await prepare(win, 'orders/list');
        const answer = await send(win);
        if (!answer.status?.startsWith('200')) throw new Error(`the console call failed: ${JSON.stringify(answer)}`);
        await sleep(ctx.idleMs);
        return measure(win);
      } finally {
        await win.close();
      }
    };
    const hello = async () => {
      const win = await Window.open(ctx.bins.hello, world.env(), logs);
      try {
        await win.until("return !!document.querySelector('h1');", 'the floor page');
        await sleep(ctx.idleMs);
        return measure(win);
      } finally {
        await win.close();
      }
    };
    const mib = (kib) => Math.round(kib / 1024);
    const runs = await alternate(ctx.runs, app, hello, {
      onRun: (k, i, v) => ctx.log(`  memory ${k === 'a' ? 'app  ' : 'floor'} #${i + 1}: ${mib(v.total)} MiB (${Object.entries(v.byName).map(([n, kib]) => `${n} ${mib(kib)}`).join(', ')})`),
    });
    const totals = (rs) => rs.map((r) => r.total / 1024);
    return {
      app: totals(runs.a),
      floor: totals(runs.b),
      ratio: ratio(totals(runs.a), totals(runs.b)),
      appRuns: runs.a,
      floorRuns: runs.b,
    };
  } finally {
    await world.close();
  }
}
