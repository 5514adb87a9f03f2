// Figure 3, console overhead, two ways, against the same sandbox endpoint (GET /ping):
//   in process: Engine::call (what the console and `thanksctl call` run) against a bare
//     reqwest request with the same token (the engine benchmark, src-tauri/crates/cli/benches);
//   whole processes: `thanksctl call GET ping` against `curl` with the same token, timed by
//     hyperfine without a shell, one hyperfine per round, rounds alternating which goes first.
// Figure 4, the refresh storm, uses the same sandbox and profile (see storm.mjs).

import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { check } from '../procs.mjs';
import { median } from '../stats.mjs';
import { World } from '../world.mjs';

export async function consoleOverhead(ctx) {
  const world = await World.create('console', { thanksctl: ctx.bins.thanksctl });
  try {
    const sandbox = await world.startSandbox();
    await world.connect('bench', sandbox, ctx.bins.redirectUri);
    const calls = ctx.smoke ? 20 : 200;
    const inProcess = JSON.parse((await check(ctx.bins.engine, ['console', '--home', world.home, '--profile', 'bench', '--rounds', String(ctx.runs), '--calls', String(calls)], { env: world.env(), timeoutMs: 600_000 })).stdout);

    // curl gets the token from a header file (mode 600), never on a command line.
    const token = (await world.thanksctl(['--profile', 'bench', 'token'])).stdout.trim();
    const headers = join(world.dir, 'auth-header');
    await writeFile(headers, `Authorization: Bearer ${token}\nAccept: application/json\n`, { mode: 0o600 });
    const url = `${sandbox.api_base}/ping`;
    const thanksctl = `${ctx.bins.thanksctl} --profile bench call GET ping`;
    const curl = `curl -sS -o /dev/null -H @${headers} ${url}`;
    const perRound = ctx.smoke ? 3 : 15;
    const rounds = { thanksctl: [], curl: [] };
    for (let i = 0; i < ctx.runs; i++) {
      const out = join(world.dir, `hyperfine-${i}.json`);
      const order = i % 2 === 0 ? [thanksctl, curl] : [curl, thanksctl];
      await check('hyperfine', ['-N', '--warmup', '3', '--runs', String(perRound), '--export-json', out, ...order], { env: world.env(), timeoutMs: 300_000 });
      for (const r of JSON.parse(await readFile(out, 'utf8')).results) {
        const key = r.command === thanksctl ? 'thanksctl' : 'curl';
        rounds[key].push(median(r.times) * 1000);
      }
      ctx.log(`  round ${i + 1}: thanksctl ${rounds.thanksctl.at(-1).toFixed(1)} ms, curl ${rounds.curl.at(-1).toFixed(1)} ms`);
    }
    return { inProcess, processes: rounds, perRound };
  } finally {
    await world.close();
  }
}
