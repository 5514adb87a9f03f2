// scripts/with-keyring.sh's answer to gnome-keyring-daemon crashing under a test run (an
// upstream bug that aborts the daemon when many short-lived clients connect at once): the run
// ends with status 75, which scripts/test.sh answers with one rerun, and the daemon's output is
// shown. A failure of the command alone keeps its own status, and a crash under a command
// that passed changes nothing. Each case runs in a keyring session of its own, nested in this
// one, and crashes only its own daemon (the child of with-keyring.sh's inner shell).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

import { REPO } from './harness.mjs';

const WITH_KEYRING = join(REPO, 'scripts', 'with-keyring.sh');
// The command's parent is with-keyring.sh's inner shell, whose child the daemon is.
const CRASH_THE_DAEMON = 'kill -TRAP "$(pgrep -P "$PPID" gnome-keyring)" && sleep 0.5';

function withKeyring(script) {
  const run = spawnSync(WITH_KEYRING, ['bash', '-c', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.error, undefined, `with-keyring.sh didn't run: ${run.error}`);
  return run;
}

test('a command that fails after the daemon crashed ends with 75 and the daemon output', () => {
  const run = withKeyring(`${CRASH_THE_DAEMON}; exit 3`);
  assert.equal(run.status, 75, run.stderr);
  assert.match(run.stderr, /gnome-keyring-daemon died while the command ran/);
});

test('a command that fails on its own keeps its status', () => {
  const run = withKeyring('secret-tool store --label=t k v <<<"s" && exit 3');
  assert.equal(run.status, 3, run.stderr);
  assert.doesNotMatch(run.stderr, /died while the command ran/);
});

test('a command that passed passes, even if the daemon crashed after its last call', () => {
  const run = withKeyring(`${CRASH_THE_DAEMON}; exit 0`);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /died while the command ran/);
});
