// What the app leaves behind after handling a secret (issue 8, findings 5 and 11), in the real
// window: when no browser can be opened, the log says so without the sign-in address (its
// `state` and PKCE challenge), and the log files are private; the sign-in address and the access
// token copied to the clipboard are cleared after the delay the window announces — unless the
// user copied something else meanwhile. THANKS_CONNECT_CLIPBOARD_CLEAR_SECS shortens 45 s to 2.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  SANDBOX_PROFILE,
  assertEnvironment,
  connect,
  profileUid,
  run,
  scenario,
  secretLookup,
  startSandboxDemo,
  waitFor,
} from './harness.mjs';

assertEnvironment();

const CLEAR_SECS = 2;

/** The absolute path of `program` on this process's PATH. */
async function which(program) {
  const r = await run('sh', ['-c', `command -v ${program}`]);
  assert.equal(r.code, 0, `${program} is not installed`);
  return r.stdout.trim();
}

/** The clipboard's text, as another program on the display sees it ('' when empty). */
async function clipboard() {
  const r = await run('xclip', ['-selection', 'clipboard', '-o']);
  return r.code === 0 ? r.stdout : '';
}

/** Puts `text` on the clipboard as another program would; serves two reads, then exits. */
function copyElsewhere(s, text) {
  const child = spawn('xclip', ['-selection', 'clipboard', '-loops', '2'], { stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin.end(text);
  s.defer('xclip', () => {
    if (child.exitCode === null) child.kill();
  });
}

/** The app's log so far, all files. */
async function logText(s) {
  const logs = join(s.dir, 'xdg-data/dev.thanksconnect.app.debug/logs');
  let text = '';
  for (const f of await readdir(logs).catch(() => [])) text += await readFile(join(logs, f), 'utf8');
  return text;
}

/** How many times the app has looked at the clipboard after a secret copy (it logs each look). */
async function clipboardChecks(s) {
  return ((await logText(s)).match(/clipboard checked after a secret copy/g) ?? []).length;
}

async function toastText(app) {
  await app.waitFor(() => app.displayed('#toast'), { timeout: 5000, message: 'a toast', show: ['#toast'] });
  return app.text('#toast');
}

scenario('11. No browser: the log says so without the sign-in address; the copied address leaves the clipboard', async (s) => {
  // No browser at all: the only launcher on the app's PATH is an xdg-open that fails at once,
  // as it does when nothing can open a web page (WebKitWebDriver, which starts the app, is
  // the one other program there).
  const bin = join(s.dir, 'bin-without-browser');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'xdg-open'), '#!/bin/sh\necho "xdg-open: no method available for opening $1" >&2\nexit 3\n', { mode: 0o755 });
  await symlink(await which('WebKitWebDriver'), join(bin, 'WebKitWebDriver'));
  const app = await s.startApp({ env: { PATH: bin, THANKS_CONNECT_CLIPBOARD_CLEAR_SECS: String(CLEAR_SECS) } });
  await startSandboxDemo(s, app);
  await app.click('#btn-connect');
  await app.waitFor(async () => (await app.displayed('#login-browser-error')) && /No web browser could be opened/.test(await app.text('#login-browser-error')), {
    timeout: 15_000,
    message: 'the window to say no browser could be opened',
    show: ['#login-browser-error', '#login-waiting', '#login-message'],
  });

  await app.click('#btn-copy-login-url');
  assert.match(await toastText(app), new RegExp(`cleared from the clipboard in ${CLEAR_SECS} s`));
  const url = await clipboard();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?.*state=/, `the clipboard holds: ${url.slice(0, 40)}…`);
  const state = new URL(url).searchParams.get('state');
  const challenge = new URL(url).searchParams.get('code_challenge');
  await waitFor(async () => (await clipboard()) !== url, { timeout: (CLEAR_SECS + 5) * 1000, message: 'the sign-in address to leave the clipboard' });

  // The log: the failure is there, the address is not; files 0600 in a 0700 directory.
  const logs = join(s.dir, 'xdg-data/dev.thanksconnect.app.debug/logs');
  const files = await readdir(logs);
  assert.ok(files.length > 0, 'no log file');
  assert.equal((await stat(logs)).mode & 0o777, 0o700, 'the log directory is not private');
  let text = '';
  for (const f of files) {
    assert.equal((await stat(join(logs, f))).mode & 0o777, 0o600, `${f} is not private`);
    text += await readFile(join(logs, f), 'utf8');
  }
  assert.match(text, /couldn't open the browser/);
  for (const [what, secret] of [['state', state], ['PKCE challenge', challenge], ['authorize query', 'code_challenge_method']]) {
    assert.ok(!text.includes(secret), `the log holds the ${what}`);
  }
});

scenario('12. Copy access token: cleared from the clipboard after the delay, unless something else was copied since', async (s) => {
  const app = await s.startApp({ env: { THANKS_CONNECT_CLIPBOARD_CLEAR_SECS: String(CLEAR_SECS) } });
  await startSandboxDemo(s, app);
  await connect(s, app, SANDBOX_PROFILE);
  const token = await secretLookup(await profileUid(s.home, SANDBOX_PROFILE), 'access-token');
  await app.showPanel('token');

  await app.click('#btn-copy-token');
  assert.equal(await toastText(app), `Copied — cleared from the clipboard in ${CLEAR_SECS} s.`);
  assert.equal(await clipboard(), token, 'the clipboard does not hold the access token');
  await waitFor(async () => (await clipboard()) !== token, { timeout: (CLEAR_SECS + 5) * 1000, message: 'the token to leave the clipboard' });
  assert.equal(await clipboard(), '', 'the clipboard should be empty');
  await waitFor(async () => (await clipboardChecks(s)) >= 1, { timeout: 10_000, message: 'the log line of the first clipboard check' });

  // Something the user copied after the token is theirs: it stays.
  await app.click('#toast');
  await app.click('#btn-copy-token');
  await toastText(app);
  copyElsewhere(s, 'a note of mine');
  // Wait for the app's own look at the clipboard (not a fixed time): then the note must be there.
  await waitFor(async () => (await clipboardChecks(s)) >= 2, { timeout: (CLEAR_SECS + 20) * 1000, message: 'the app to check the clipboard after the second copy' });
  assert.equal(await clipboard(), 'a note of mine');
});
