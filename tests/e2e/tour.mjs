// The headless demo (scripts/demo.sh with no display): the real app on a virtual display, toured
// over WebDriver the way a person would click through it — start the sandbox, Connect, approve
// on the consent page, look at the token state, send a console request — with a screenshot of
// each step saved to $THANKS_DEMO_OUT. Not a test: it prints what it sees and exits 0 or 1.
import { join } from 'node:path';

import { SANDBOX_PROFILE, Scenario, connect, sandboxStats, startSandboxDemo } from './harness.mjs';

// scripts/demo.sh points THANKS_E2E_SCREENSHOT_DIR (read by the harness at import) at this too.
const out = process.env.THANKS_E2E_SCREENSHOT_DIR || join(process.cwd(), '.tmp/demo');
const say = (line) => console.log(line);

const s = await Scenario.create('demo tour', { diagnostic: (line) => say(`  ${line}`) });
let failed = false;
try {
  const app = await s.startApp();
  say('Thanks Connect is running. Starting the sandbox (a local thanks.io)…');
  const base = await startSandboxDemo(s, app);
  say(`Clicking Connect: the "browser" opens the sandbox's consent page at ${base} and approves…`);
  await connect(s, app, SANDBOX_PROFILE);
  say(`  → ${await app.text('#login-message')}`);
  await s.screenshot(app, 'account');

  await app.showPanel('token');
  say(`Token state: ${await app.text('#state-badge')}, ${await app.text('#expires-countdown')}; refresh token: ${await app.text('#has-refresh-token')}; keyring: ${await app.text('#keyring-status')}`);
  await s.screenshot(app, 'token');

  await app.showPanel('console');
  await app.session.clear('#console-path');
  await app.type('#console-path', '/orders/list');
  await app.click('#btn-send');
  await app.waitFor(async () => /200/.test(await app.text('#response-status')), { timeout: 15_000, message: 'the console response' });
  say(`Console: GET /orders/list → ${await app.text('#response-status')} in ${await app.text('#response-time')}, ${await app.text('#response-size')}`);
  await s.screenshot(app, 'console');

  const stats = await sandboxStats(base);
  say(`The sandbox saw ${stats.token_requests} token request(s) and ${stats.api_requests} API request(s).`);
  say(`Screenshots: ${['account', 'token', 'console'].map((n) => join(out, `${n}.png`)).join(', ')}`);
} catch (e) {
  failed = true;
  console.error(`The demo tour failed: ${e.message}`);
  await s.diagnose(e).catch(() => {});
} finally {
  await s.teardown(failed);
}
process.exit(failed ? 1 : 0);
