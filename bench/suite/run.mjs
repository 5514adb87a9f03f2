// The benchmark suite: every figure of docs/BENCHMARKS.md, measured side by side in one run.
// Started by scripts/bench.sh, which builds what is measured and provides the display, the
// session bus and the keyring; run directly only inside those (see bench.sh).
//
//   node bench/suite/run.mjs [--smoke] [--runs N] [--only startup,memory,…] [--write FILE]
//
// Numbers are never pass/fail: a figure that misses its target is reported as a miss. A figure
// that can't be measured at all (a crash, a timeout) is an error, and the exit status says so,
// which is what the smoke run in scripts/test.sh checks: that the suite still works.

import { loadavg } from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { machine } from './machine.mjs';
import { render } from './report.mjs';
import { FIGURES } from './figures/index.mjs';

const { values: opts } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    runs: { type: 'string' },
    only: { type: 'string' },
    write: { type: 'string' },
  },
});

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set; run the suite through scripts/bench.sh`);
  return v;
};

const ctx = {
  smoke: opts.smoke,
  runs: Number(opts.runs ?? (opts.smoke ? 1 : 7)),
  idleMs: opts.smoke ? 1000 : 8000,
  build: process.env.THANKS_BENCH_BUILD ?? (opts.smoke ? 'debug' : 'release'),
  bins: {
    app: env('THANKS_BENCH_APP'),
    hello: env('THANKS_BENCH_HELLO'),
    thanksctl: env('THANKS_BENCH_THANKSCTL'),
    engine: env('THANKS_BENCH_ENGINE'),
    redirectUri: env('THANKS_BENCH_REDIRECT_URI'),
  },
  files: {
    appDeb: process.env.THANKS_BENCH_APP_DEB,
    helloDeb: process.env.THANKS_BENCH_HELLO_DEB,
  },
  log: (line) => console.log(line),
};

const only = opts.only ? new Set(opts.only.split(',')) : null;
const unknown = [...(only ?? [])].filter((n) => !FIGURES.some((f) => f.id === n));
if (unknown.length) throw new Error(`no such figure: ${unknown.join(', ')} (figures: ${FIGURES.map((f) => f.id).join(', ')})`);

const started = Date.now();
const report = { machine: await machine(), loadStart: loadavg(), ctx, results: {}, errors: {} };
for (const figure of FIGURES) {
  if (only && !only.has(figure.id)) continue;
  console.log(`== ${figure.title}`);
  const t0 = Date.now();
  try {
    report.results[figure.id] = await figure.run(ctx);
  } catch (e) {
    report.errors[figure.id] = e?.stack ?? String(e);
    console.error(`!! ${figure.title} could not be measured: ${e?.stack ?? e}`);
  }
  console.log(`   (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
report.loadEnd = loadavg();
report.seconds = (Date.now() - started) / 1000;

console.log(`\n${render(report)}`);
if (opts.write) {
  const findings = await readFile(new URL('../FINDINGS.md', import.meta.url), 'utf8');
  await writeFile(opts.write, render(report, findings));
  console.log(`wrote ${opts.write}`);
}
const failed = Object.keys(report.errors);
if (failed.length) {
  console.error(`bench: ${failed.length} figure(s) could not be measured: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`bench: ${Object.keys(report.results).length} figure(s) in ${report.seconds.toFixed(0)} s`);
