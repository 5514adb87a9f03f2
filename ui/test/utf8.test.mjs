// A response body's bytes decoded in steps: the same text as one decode, whatever the chunk
// size, with characters split across chunks, invalid bytes and a BOM as Rust's
// from_utf8_lossy has them.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { loadJsonView } from './load.mjs';

let jv;
before(async () => { jv = await loadJsonView(); });

/** Steps to the end with no time budget, so every step decodes exactly one chunk. */
function decode(bytes, chunk) {
  const d = jv.utf8Decoding(bytes, chunk);
  let steps = 1;
  while (!d.step(0)) steps++;
  return { text: d.text(), steps };
}

test('any chunk size gives the whole text, multi-byte characters split or not', () => {
  const text = '{"name":"Zoë Ångström","city":"東京","note":"🎉 thanks!"}';
  const bytes = new TextEncoder().encode(text);
  for (const chunk of [1, 2, 3, 5, 7, 64, bytes.length, 1 << 20]) {
    const { text: got, steps } = decode(bytes, chunk);
    assert.equal(got, text, `chunk ${chunk}`);
    assert.equal(steps, Math.max(1, Math.ceil(bytes.length / chunk)), `chunk ${chunk}`);
  }
  // An ArrayBuffer, as Tauri hands raw bytes to the page.
  assert.equal(decode(bytes.buffer.slice(0), 4).text, text);
});

test('invalid bytes become U+FFFD, a BOM is kept, nothing is empty', () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0xff, 0x7d, 0xe2, 0x82]);
  // As Rust's String::from_utf8_lossy: BOM kept, a lone 0xFF and a truncated sequence replaced.
  assert.equal(decode(bytes, 3).text, '\uFEFF{\uFFFD}\uFFFD');
  assert.equal(decode(bytes, 1).text, '\uFEFF{\uFFFD}\uFFFD');
  assert.deepEqual(decode(new Uint8Array(0), 4), { text: '', steps: 1 });
});

test('a step decodes chunks until its deadline, and at least one', () => {
  const bytes = new TextEncoder().encode('x'.repeat(1000));
  const d = jv.utf8Decoding(bytes, 10);
  assert.equal(d.step(Number.POSITIVE_INFINITY), true);
  assert.equal(d.text().length, 1000);
});
