// Figure 7, micro-benchmarks (criterion): callback validation, token-response parsing and
// redaction (thanks-core), history insert and search at 1,000 entries (thanks-history). The
// numbers are criterion's own: median and 95% confidence interval of the time per call. The
// smoke run uses criterion's quick mode on the debug build, so the code keeps compiling and
// running without taking minutes.

import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { check } from '../procs.mjs';

/** Every `new/estimates.json` below `root`, by benchmark id. */
async function estimates(root) {
  const out = {};
  const walk = async (dir, id) => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (!e.isDirectory() || e.name === 'report') continue;
      if (e.name === 'new') {
        const est = JSON.parse(await readFile(join(dir, 'new/estimates.json'), 'utf8'));
        const bench = JSON.parse(await readFile(join(dir, 'new/benchmark.json'), 'utf8'));
        out[bench.full_id ?? id] = est.median;
      } else {
        await walk(join(dir, e.name), id ? `${id}/${e.name}` : e.name);
      }
    }
  };
  await walk(root, '');
  return out;
}

export async function micro(ctx) {
  const exes = (process.env.THANKS_BENCH_MICRO ?? '').split(':').filter(Boolean);
  if (!exes.length) throw new Error('THANKS_BENCH_MICRO names no benchmark executables; run the suite through scripts/bench.sh');
  const home = await mkdtemp(join(tmpdir(), 'thanks-bench-criterion-'));
  try {
    // What `cargo bench` passes, plus quick mode in the smoke run.
    const args = ctx.smoke ? ['--bench', '--quick', '--warm-up-time', '0.1', '--measurement-time', '0.3', '--noplot'] : ['--bench', '--noplot'];
    for (const exe of exes) await check(exe, args, { env: { ...process.env, CRITERION_HOME: home }, timeoutMs: 900_000 });
    const found = await estimates(home);
    if (!Object.keys(found).length) throw new Error('criterion wrote no estimates');
    return { quick: ctx.smoke, estimates: found };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
