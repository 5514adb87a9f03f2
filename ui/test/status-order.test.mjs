// The window's status store (src/state.ts): the badge before any status arrives, and answers
// out of order: a status read that an event overtook must not put the older state back (window
// test S2 saw "Connected …" swept away by a poll that had left before the sign-in ended and
// came back after it).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadBundle } from './load.mjs';

/** src/state.ts with its ipc module replaced by a fake whose token_status answers on demand. */
async function loadState() {
  const fakeIpc = {
    name: 'fake-ipc',
    setup(b) {
      b.onResolve({ filter: /^\.\/(src\/)?ipc$/ }, () => ({ path: 'fake-ipc', namespace: 'fake' }));
      b.onLoad({ filter: /.*/, namespace: 'fake' }, () => ({
        contents: `export const reads = [];
          export class IpcError extends Error {}
          export const errorText = String;
          export function tokenStatus(profile) { return new Promise((resolve) => reads.push({ profile, resolve })); }`,
        loader: 'js',
      }));
    },
  };
  return loadBundle("export * from './src/state'; export { reads } from './src/ipc';", [fakeIpc]);
}

const view = (state) => ({ profile: 'p', state, auth: 'oauth' });

test('a status read overtaken by an event is dropped; one nothing overtook is kept', async () => {
  const m = await loadState();
  m.currentProfile.set('p');
  m.setStatus(view('disconnected'));

  // A poll leaves, the sign-in's event arrives, then the poll comes back with the old state.
  const poll = m.refreshStatus();
  m.setStatus(view('connected'));
  m.reads.shift().resolve(view('disconnected'));
  await poll;
  assert.equal(m.status.value.view.state, 'connected', 'the older answer put the old state back');

  // A read that nothing overtook is the news.
  const read = m.refreshStatus();
  m.reads.shift().resolve(view('expired'));
  await read;
  assert.equal(m.status.value.view.state, 'expired');
});

test('without a status the badge says "Checking…", after a failed read "State unknown", never "Disconnected"', async () => {
  const m = await loadState();
  // The same module as the test above (the same bundle is imported once): as a new profile.
  m.currentProfile.set('p');
  m.status.set(null);
  m.statusError.set(null);
  assert.equal(m.badgeState(), 'checking');
  assert.equal(m.BADGE_LABEL[m.badgeState()], 'Checking…');

  const read = m.refreshStatus();
  m.reads.shift().resolve(Promise.reject(new Error('the keyring is locked')));
  await read;
  assert.equal(m.badgeState(), 'unknown');
  assert.equal(m.BADGE_LABEL[m.badgeState()], 'State unknown');

  // A status that does arrive decides, whatever it is.
  m.setStatus(view('connected'));
  assert.equal(m.badgeState(), 'connected');
  m.setStatus(view('disconnected'));
  assert.equal(m.badgeState(), 'disconnected');
});
