// Deep links through the real opener. The "browser" hands the callback to `xdg-open`, as a
// real browser does with a link it can't show, instead of running the app itself: in generic
// mode (no desktop named: i3, sway, a bare X session), in GNOME mode (xdg-open → gio), and
// with a package's desktop entry installed next to the one an earlier version wrote with a
// quoted Exec, which generic xdg-open can't run.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { APP_BIN, assertAgreement, assertEnvironment, connect, run, scenario, startSandboxDemo, SANDBOX_PROFILE } from './harness.mjs';

assertEnvironment();

const SCHEME = 'dev.thanksconnect.app.debug';
const MIME = `x-scheme-handler/${SCHEME}`;
const OURS = 'thanks-connect-handler.desktop';

/**
 * A callback handler for the "browser" that opens the link with xdg-open, `desktop` named or
 * not, and records xdg-open's exit status in `<dir>/xdg-open.status`.
 */
async function opener(s, desktop) {
  const path = join(s.dir, `open-with-xdg-open-${desktop ?? 'generic'}`);
  const env = desktop ? `XDG_CURRENT_DESKTOP=${desktop}` : '-u XDG_CURRENT_DESKTOP -u DESKTOP_SESSION';
  await writeFile(path, [
    '#!/bin/sh',
    `env ${env} xdg-open "$1" 2>>"${s.dir}/xdg-open.stderr"`,
    `echo $? >"${s.dir}/xdg-open.status"`,
    '',
  ].join('\n'), { mode: 0o755 });
  return path;
}

/** What generic `xdg-mime` says handles the scheme, in the scenario's desktop settings. */
async function defaultHandler(s, extra) {
  const r = await run('xdg-mime', ['query', 'default', MIME], { env: s.env(extra) });
  return r.stdout.trim();
}

/** Waits for the app (which registers on a thread of its own) to make `entry` the handler. */
async function handlerBecomes(s, app, entry, extra = {}) {
  await app.waitFor(async () => (await defaultHandler(s, extra)) === entry, {
    timeout: 10_000,
    message: `xdg-mime to name ${entry} as the handler of ${MIME}`,
  });
}

/** Connects, and checks it was xdg-open that delivered the link. */
async function connectThroughXdgOpen(s, app) {
  await connect(s, app, SANDBOX_PROFILE);
  const status = await readFile(join(s.dir, 'xdg-open.status'), 'utf8').catch(() => 'none');
  const stderr = await readFile(join(s.dir, 'xdg-open.stderr'), 'utf8').catch(() => '');
  assert.equal(status.trim(), '0', `xdg-open's exit status; its stderr: ${stderr}`);
  await assertAgreement(s, app, SANDBOX_PROFILE, 'connected');
}

scenario('xdg-open, generic (no desktop environment) hands the callback to the app: Connected', async (s) => {
  const app = await s.startApp({ env: { THANKS_DEMO_CALLBACK_HANDLER: await opener(s, null) } });
  await startSandboxDemo(s, app);
  await handlerBecomes(s, app, OURS);
  const entry = await readFile(join(s.dir, 'xdg-data/applications', OURS), 'utf8');
  // The path unquoted: xdg-utils' generic mode takes Exec's first word as it stands.
  assert.match(entry, new RegExp(`^Exec=${escapeRe(APP_BIN)} %u$`, 'm'), entry);
  assert.match(entry, new RegExp(`^MimeType=${escapeRe(MIME)};$`, 'm'), entry);
  await connectThroughXdgOpen(s, app);
});

scenario('xdg-open under GNOME (gio) hands the callback to the app: Connected', async (s) => {
  const app = await s.startApp({ env: { THANKS_DEMO_CALLBACK_HANDLER: await opener(s, 'GNOME') } });
  await startSandboxDemo(s, app);
  await handlerBecomes(s, app, OURS);
  await connectThroughXdgOpen(s, app);
});

scenario('xdg-open with the .deb\'s entry installed, the app writes none of its own, removes an old quoted one, and xdg-open reaches it', async (s) => {
  // The package, installed: its desktop entry in a system data directory (with the MIME cache
  // its postinst builds), its `thanks-connect` on PATH (a link to the build under test).
  const system = join(s.dir, 'system-share');
  const pkgBin = join(s.dir, 'pkg-bin');
  await mkdir(join(system, 'applications'), { recursive: true });
  await mkdir(pkgBin, { recursive: true });
  const debDir = join(dirname(APP_BIN), 'bundle/deb');
  const deb = readdirSync(debDir).find((f) => f.endsWith('.deb'));
  assert.ok(deb, `no .deb in ${debDir}`);
  const extracted = join(s.dir, 'deb');
  execFileSync('dpkg-deb', ['-x', join(debDir, deb), extracted]);
  const packaged = readdirSync(join(extracted, 'usr/share/applications')).find((f) => f.endsWith('.desktop'));
  await writeFile(join(system, 'applications', packaged), await readFile(join(extracted, 'usr/share/applications', packaged)));
  execFileSync('update-desktop-database', [join(system, 'applications')]);
  await symlink(APP_BIN, join(pkgBin, 'thanks-connect'));
  const installed = {
    PATH: `${pkgBin}:${process.env.PATH}`,
    XDG_DATA_DIRS: `${system}:/usr/local/share:/usr/share`,
  };

  // What an earlier version left: its own entry with the quoted path, made the default.
  const stale = join(s.dir, 'xdg-data/applications', OURS);
  await writeFile(stale, `[Desktop Entry]\nType=Application\nName=Thanks Connect Debug\nExec="${APP_BIN}" %u\nTerminal=false\nMimeType=${MIME};\nNoDisplay=true\n`);
  execFileSync('update-desktop-database', [dirname(stale)]);
  execFileSync('xdg-mime', ['default', OURS, MIME], { env: s.env(installed) });
  // The bug, reproduced with the real opener: generic xdg-open can't run that entry.
  const broken = await run('xdg-open', [`${SCHEME}:/oauth/callback?probe=1`], { env: s.env(installed), timeoutMs: 10_000 });
  assert.notEqual(broken.code, 0, 'generic xdg-open ran the quoted Exec after all');
  assert.match(broken.stderr, /Permission denied/, broken.stderr);
  s.log(`the old entry through generic xdg-open: exit ${broken.code}, ${broken.stderr.trim()}`);

  const app = await s.startApp({ env: { ...installed, THANKS_DEMO_CALLBACK_HANDLER: await opener(s, null) } });
  await startSandboxDemo(s, app);
  await handlerBecomes(s, app, packaged, installed);
  assert.equal(existsSync(stale), false, 'the old entry is still there');
  await connectThroughXdgOpen(s, app);
});

function escapeRe(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
