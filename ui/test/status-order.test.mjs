// The window's status store (src/state.ts) against out-of-order answers: a status read that an
// event overtook must not put the older state back (window test S2 saw "Connected …" swept
// away by a poll that had left before the sign-in ended and came back after it).
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
