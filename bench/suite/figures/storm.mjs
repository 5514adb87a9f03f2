// Figure 4, the refresh storm: with the access token expired (on the sandbox and on the
// engine's clock), N calls at once must cause exactly one refresh, and their 99th-percentile
// latency is compared with one call alone on an expired token (one refresh, then the request),
// alternating. The engine benchmark (src-tauri/crates/cli/benches/engine.rs) does the work.

import { check } from '../procs.mjs';
import { World } from '../world.mjs';

export async function storm(ctx) {
  const world = await World.create('storm', { thanksctl: ctx.bins.thanksctl });
  try {
    const sandbox = await world.startSandbox();
    await world.connect('bench', sandbox, ctx.bins.redirectUri);
    const concurrency = 200;
    const out = await check(ctx.bins.engine, ['storm', '--home', world.home, '--profile', 'bench', '--sandbox', sandbox.base_url, '--rounds', String(ctx.runs), '--concurrency', String(concurrency)], { env: world.env(), timeoutMs: 600_000 });
    return JSON.parse(out.stdout);
  } finally {
    await world.close();
  }
}
