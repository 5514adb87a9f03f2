// Profile names as the window checks them while they are typed: the same cases as Rust's
// thanks_core::profile_name tests, so the two rules can't drift apart unnoticed.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadJsonView } from './load.mjs';

const m = await loadJsonView();

test('display names are welcome, and every old-style name still is', () => {
  for (const name of ['Acme Marketing', "Bob's Bakery (EU)", 'Café Zürich', 'Client 7 & Partners, Inc.', 'default', 'sandbox-2', 'a_b', 'x'.repeat(64), '-', 'A-z_09']) {
    assert.equal(m.nameProblem(name), null, name);
  }
  // What is saved is trimmed, so spaces around the name are no problem while typing.
  assert.equal(m.nameProblem(' Acme '), null);
});

test('refusals say what to change', () => {
  const cases = [
    ['', /Give the profile a name/],
    ['   ', /Give the profile a name/],
    ['Acme  Marketing', /two spaces/],
    ['Acme/Marketing', /letters, digits, spaces/],
    ['Acme\tMarketing', /letters, digits, spaces/],
    ['Acme \u202e', /letters, digits, spaces/],
    ['a"b', /letters, digits, spaces/],
    ['é'.repeat(65), /64/],
  ];
  for (const [name, expected] of cases) assert.match(m.nameProblem(name) ?? 'accepted', expected, JSON.stringify(name));
});
