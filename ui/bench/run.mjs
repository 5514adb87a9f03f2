// Benchmark: a 10 MB JSON response in the console, in headless Chromium with the dev mock.
//   node bench/run.mjs                 # build the UI, run once, print the numbers
//   node bench/run.mjs --mb 20 --runs 3 --write   # also rewrite bench/RESULTS.md's table
//   node bench/run.mjs --no-build --runs 7 --json FILE   # every run's numbers as JSON (the
//                                                        # benchmark suite, scripts/bench.sh)
// It serves dist/ + dev/mock.ts + bench/driver.ts (compiled here) on 127.0.0.1 with the
// window's CSP (plus connect-src 'self' for the result), starts Chromium with a fresh profile,
// waits for the driver to POST its numbers, and stops everything it started.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const { values: opts } = parseArgs({
  options: {
    mb: { type: 'string', default: '10' },
    runs: { type: 'string', default: '1' },
    write: { type: 'boolean', default: false },
    json: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    chromium: { type: 'string', default: process.env.CHROMIUM ?? '/usr/bin/chromium' },
  },
});

if (!opts['no-build']) {
  await new Promise((resolve, reject) => {
    const b = spawn(process.execPath, [join(root, 'build.mjs')], { stdio: 'inherit' });
    b.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`build.mjs exited with ${code}`))));
  });
}

async function bundle(entry, format) {
  const out = await build({ entryPoints: [join(root, entry)], bundle: true, write: false, format, target: 'es2020', logLevel: 'warning' });
  return out.outputFiles[0].text;
}
const [mockJs, driverJs] = await Promise.all([bundle('dev/mock.ts', 'iife'), bundle('bench/driver.ts', 'esm')]);

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ipc: http://ipc.localhost";
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
let deliver = () => undefined;

const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  try {
    if (req.method === 'POST' && path === '/__bench/result') {
      let text = '';
      for await (const chunk of req) text += chunk;
      res.writeHead(204).end();
      deliver(JSON.parse(text));
      return;
    }
    let type;
    let body;
    if (path === '/bench.html') {
      const html = await readFile(join(dist, 'index.html'), 'utf8');
      body = html.replace('<script type="module" src="main.js">', '<script src="/mock.js"></script>\n  <script type="module" src="/driver.js"></script>\n  $&');
      type = '.html';
    } else if (path === '/mock.js' || path === '/driver.js') {
      [type, body] = ['.js', path === '/mock.js' ? mockJs : driverJs];
    } else {
      const file = normalize(join(dist, path));
      if (!file.startsWith(dist)) throw Object.assign(new Error('outside dist'), { code: 'ENOENT' });
      [type, body] = [extname(file), await readFile(file)];
    }
    res.writeHead(200, { 'content-type': TYPES[type] ?? 'application/octet-stream', 'content-security-policy': CSP, 'cache-control': 'no-store' });
    res.end(body);
  } catch (e) {
    res.writeHead(e.code === 'ENOENT' ? 404 : 500, { 'content-type': 'text/plain' }).end(String(e.message ?? e));
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

async function once() {
  const profile = await mkdtemp(join(tmpdir(), 'thanks-bench-chromium-'));
  const result = new Promise((resolve, reject) => {
    deliver = resolve;
    setTimeout(() => reject(new Error('no result from the page within 180 s')), 180_000).unref();
  });
  const chromium = spawn(opts.chromium, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, '--window-size=1280,800',
    `http://127.0.0.1:${port}/bench.html?panel=console&mb=${opts.mb}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  chromium.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const exited = new Promise((r) => chromium.on('exit', r));
  try {
    const answer = await Promise.race([result, exited.then(() => { throw new Error(`chromium exited early: ${stderr}`); })]);
    if (!answer.ok) throw new Error(`the bench page failed: ${answer.error}`);
    return answer.result;
  } finally {
    // Its whole process group (it leads one): a helper still writing into the profile made
    // the removal below fail with ENOTEMPTY, and the figure with it.
    try {
      process.kill(-chromium.pid, 'SIGKILL');
    } catch {
      // gone already
    }
    await exited;
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

const results = [];
try {
  for (let i = 0; i < Number(opts.runs); i++) results.push(await once());
} finally {
  server.close();
}

const first = results[0];
const worst = (key) => Math.max(...results.map((r) => r[key]));
const lines = [
  `Body: ${(first.bodyBytes / 1e6).toFixed(1)} MB generated JSON; ${first.userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? first.userAgent}; ${first.cores} cores; ${results.length} run(s), worst shown.`,
  '',
  '| measure | ms |',
  '|---|---:|',
  `| first paint after the answer arrived | ${worst('firstPaintMs')} |`,
  `| longest main-thread task while formatting (Long Tasks API, ≥ 50 ms reported) | ${worst('longestTaskMs') || '< 50'} |`,
  `| longest gap between heartbeat tasks while formatting (bounds every task) | ${worst('heartbeatGapMs')} |`,
  `| formatted to the end (in the background) | ${worst('formattedMs')} |`,
  '',
  '| then | took ms | longest task ms | heartbeat gap ms |',
  '|---|---:|---:|---:|',
  ...first.steps.map((s, i) => {
    const all = results.map((r) => r.steps[i]);
    const w = (k) => Math.max(...all.map((x) => x[k]));
    return `| ${s.name} | ${w('ms')} | ${w('longestTaskMs') || '< 50'} | ${w('heartbeatGapMs')} |`;
  }),
];
console.log(lines.join('\n'));
console.log(`\nraw: ${JSON.stringify(results)}`);

if (opts.json) await writeFile(opts.json, JSON.stringify(results));

if (opts.write) {
  const file = join(root, 'bench/RESULTS.md');
  const old = await readFile(file, 'utf8').catch(() => '');
  const marker = '<!-- results -->';
  const head = old.includes(marker) ? old.slice(0, old.indexOf(marker)) : '# Response viewer benchmark\n\n';
  await writeFile(file, `${head}${marker}\n${lines.join('\n')}\n\nMeasured ${new Date().toISOString().slice(0, 10)} with \`node bench/run.mjs --mb ${opts.mb} --runs ${opts.runs} --write\`.\n`);
  console.log(`wrote ${file}`);
}
