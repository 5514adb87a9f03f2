// Steps the setup scenarios share (setup.test.mjs, ways-in.test.mjs): an admin's computer that
// exports a setup for the standalone sandbox, and the setup confirmation opening and closing.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { DEBUG_REDIRECT_URI } from './harness.mjs';

export const SCHEME = 'dev.thanksconnect.app.debug';
export const PASSPHRASE = 'our team passphrase';

/**
 * An admin's computer (a config home of its own): a profile for the standalone sandbox, and
 * its setup exported as a file (`withSecret`: the client secret encrypted) or a link.
 */
export async function adminSetup(s, sandbox, { withSecret = false, link = false, name = 'Team' } = {}) {
  const admin = join(s.dir, 'admin-home');
  await mkdir(admin, { recursive: true });
  const ctl = (args, input) => s.thanksctl(['--profile', name, ...args], { env: s.env({ THANKS_CONNECT_HOME: admin }), input });
  const made = await ctl(['profile', 'set', '--authorize-url', sandbox.authorize_url, '--token-url', sandbox.token_url,
    '--api-base', sandbox.api_base, '--client-id', sandbox.client_id, '--redirect-uri', DEBUG_REDIRECT_URI,
    '--client-secret-stdin'], `${sandbox.client_secret}\n`);
  assert.equal(made.code, 0, made.stderr);
  if (link) {
    const r = await ctl(['profile', 'export', '--link', '--scheme', SCHEME]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim();
  }
  const file = join(s.dir, `${name}.thanksconnect`);
  const r = withSecret
    ? await ctl(['profile', 'export', '--with-secret', '--passphrase-stdin', '-o', file], `${PASSPHRASE}\n`)
    : await ctl(['profile', 'export', '-o', file]);
  assert.equal(r.code, 0, r.stderr);
  return file;
}

export async function dialogShows(app, title) {
  await app.waitFor(async () => (await app.prop('#setup-dialog', 'open')) && (await app.text('#setup-title')).includes(title), {
    timeout: 10_000,
    message: `the setup confirmation "${title}"`,
    show: ['#setup-dialog', '#setup-title', '#setup-error'],
  });
}

export async function dialogClosed(app) {
  await app.waitFor(async () => !(await app.prop('#setup-dialog', 'open')), {
    timeout: 15_000,
    message: 'the setup confirmation to close',
    show: ['#setup-error', '#setup-passphrase-error', '#setup-client-secret-error'],
  });
}

export async function configHas(s, name) {
  const file = join(s.home, 'config.toml');
  return existsSync(file) && (await readFile(file, 'utf8')).includes(`[profiles.${name}]`);
}
