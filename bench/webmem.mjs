// The web process's memory, taken apart: how the figure-2 difference (the app's WebKit web
// process against the floor's) was bisected. Not part of the suite and never run by it; a tool
// for the next time the idle-memory figure moves. Each step prints the web process's PSS, its
// anonymous, file-backed and shared parts (smaps_rollup) and its threads after the suite's
// idle time.
//
//   xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" scripts/with-keyring.sh \
//     node bench/webmem.mjs [--env K=V]... [--cut SELECTOR] [--css RULES] STEP...
//
// Steps, run one after another in fresh windows:
//   floor      the floor app idle
//   stages     the app: ready, after the login, the console shown, after one console call
//   snapshot   the app after the console call; its rendered page is kept for `replay`
//   replay     the floor's window showing that page with the app's stylesheet and no script,
//              less what --cut selects, plus --css: what the page costs to render, apart from
//              what the app's JavaScript holds
// --env sets WebKit's environment for every window (e.g. WEBKIT_DISABLE_COMPOSITING_MODE=1).
// Binaries as for the suite: THANKS_BENCH_APP, THANKS_BENCH_HELLO, THANKS_BENCH_THANKSCTL,
// THANKS_BENCH_REDIRECT_URI (scripts/bench.sh sets them; any build will do). ui/dist must hold
// the UI the app was built with (`npm --prefix ui run build`).

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { connect, prepare, ready, send, watchSends } from './suite/actions.mjs';
import { comm, sleep, tree } from './suite/procs.mjs';
import { Window } from './suite/window.mjs';
import { REPO, World } from './suite/world.mjs';

const { values: opts, positionals: steps } = parseArgs({
  allowPositionals: true,
  options: { env: { type: 'string', multiple: true, default: [] }, cut: { type: 'string', default: '' }, css: { type: 'string', default: '' } },
});
const need = (name) => process.env[name] ?? (() => { throw new Error(`${name} is not set (see the top of this file)`); })();
const bins = { app: need('THANKS_BENCH_APP'), hello: need('THANKS_BENCH_HELLO'), thanksctl: need('THANKS_BENCH_THANKSCTL'), redirectUri: need('THANKS_BENCH_REDIRECT_URI') };
const extraEnv = Object.fromEntries(opts.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const IDLE_MS = 8000; // the full suite's idle time before figure 2 measures
const dist = join(REPO, 'ui/dist');

function webProcess(win) {
  return tree(win.appPid()).find((p) => comm(p).startsWith('WebKitWebProces'));
}

async function report(win, label) {
  await sleep(IDLE_MS);
  const pid = webProcess(win);
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const mib = (key) => Math.round(Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0) / 1024);
  // Threads too: WebKit's painting workers, started once a page has enough to paint, each hold
  // memory of their own (FINDINGS.md, idle memory).
  const threads = readdirSync(`/proc/${pid}/task`).length;
  console.log(`${label.padEnd(32)} web process: PSS ${mib('Pss')} MiB = anonymous ${mib('Pss_Anon')} + files ${mib('Pss_File')} + shared ${mib('Pss_Shmem')}; ${threads} threads`);
}

const world = await World.create('webmem', { thanksctl: bins.thanksctl, appBin: bins.app });
const logs = join(world.dir, 'logs');
await mkdir(logs);
const snapshotFile = join(world.dir, 'page.json');
// A profile on a local sandbox, not connected yet: the login happens in each app window.
const sandbox = await world.startSandbox();
await world.thanksctl([
  '--profile', 'bench', 'profile', 'set',
  '--authorize-url', sandbox.authorize_url, '--token-url', sandbox.token_url, '--api-base', sandbox.api_base,
  '--client-id', sandbox.client_id, '--redirect-uri', bins.redirectUri, '--scope', '', '--client-secret-stdin',
], { input: `${sandbox.client_secret}\n` });
await world.remember('bench');
let homes = 0;

async function app(step) {
  const home = await world.copyHome(`home-${++homes}`);
  const win = await Window.open(bins.app, world.env(extraEnv, home), logs);
  try {
    await ready(win);
    if (step === 'stages') await report(win, 'app: ready, before the login');
    await connect(win);
    if (step === 'stages') await report(win, 'app: after the login');
    await watchSends(win);
    await prepare(win, 'orders/list');
    if (step === 'stages') await report(win, 'app: the console shown');
    const answer = await send(win);
    if (!answer.status?.startsWith('200')) throw new Error(`the console call failed: ${JSON.stringify(answer)}`);
    await report(win, 'app: after one console call');
    if (step === 'snapshot') {
      const page = await win.exec(`const attrs = (e) => [...e.attributes].map((a) => [a.name, a.value]);
        return { html: attrs(document.documentElement), body: attrs(document.body), content: document.body.innerHTML, elements: document.getElementsByTagName('*').length };`);
      await writeFile(snapshotFile, JSON.stringify(page));
      console.log(`  kept the rendered page: ${page.elements} elements`);
    }
  } finally {
    await win.close();
  }
}

async function floor(step) {
  const win = await Window.open(bins.hello, world.env(extraEnv), logs);
  try {
    await win.until("return !!document.querySelector('h1');", 'the floor page');
    if (step === 'replay') {
      const page = JSON.parse(await readFile(snapshotFile, 'utf8'));
      const css = `${await readFile(join(dist, 'styles.css'), 'utf8')}\n${opts.css}`;
      // A constructed stylesheet: the floor's CSP allows no inline <style>, and CSSOM is not inline.
      await win.exec(`const [page, css, cut] = arguments;
        for (const [k, v] of page.html) document.documentElement.setAttribute(k, v);
        for (const [k, v] of page.body) document.body.setAttribute(k, v);
        document.body.innerHTML = page.content;
        if (cut) for (const e of document.querySelectorAll(cut)) e.remove();
        const sheet = new CSSStyleSheet(); sheet.replaceSync(css); document.adoptedStyleSheets = [sheet];`, [page, css, opts.cut]);
    }
    await report(win, step === 'replay' ? `floor showing the app's page${opts.cut ? ` less ${opts.cut}` : ''}` : 'floor: idle');
  } finally {
    await win.close();
  }
}

try {
  for (const step of steps) {
    if (step === 'floor' || step === 'replay') await floor(step);
    else if (step === 'stages' || step === 'snapshot') await app(step);
    else throw new Error(`no such step: ${step}`);
  }
} finally {
  await world.close();
}
