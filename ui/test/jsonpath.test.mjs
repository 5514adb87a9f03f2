// The response filter's JSONPath subset: $, .key, ['key'], [n], [*], .*, ..key.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { loadJsonView } from './load.mjs';

let jv;
before(async () => { jv = await loadJsonView(); });

const body = JSON.stringify({
  data: [
    { id: 48213, status: 'Delivered', recipient: { name: 'Ada', id: 'r1' } },
    { id: 48190, status: 'In Production', recipient: { name: 'Bob', id: 'r2' } },
  ],
  links: { next: 'https://api.example/orders/list?page=2', 'odd key': 1 },
  meta: { total: 2, current_page: 1 },
}).replace('48213', '90071992547409931');

const q = (path) => jv.query(body, path);

test('root, keys, indexes and wildcards', () => {
  assert.deepEqual(q('$'), [body]);
  assert.deepEqual(q('$.data[0].id'), ['90071992547409931'], 'numbers come back exactly as sent');
  assert.deepEqual(q('data[*].status'), ['"Delivered"', '"In Production"']);
  assert.deepEqual(q('meta.total'), ['2']);
  assert.deepEqual(q("$['links']['odd key']"), ['1']);
  assert.deepEqual(q('$["meta"].current_page'), ['1']);
  assert.deepEqual(q('$.data[1].recipient.name'), ['"Bob"']);
  assert.deepEqual(q('$.meta.*'), ['2', '1']);
  assert.deepEqual(q('$.data[5]'), []);
  assert.deepEqual(q('$.nope'), []);
  assert.deepEqual(q('$.data.id'), [], 'an index is needed to go into an array');
});

test('recursive descent', () => {
  assert.deepEqual(q('$..id'), ['90071992547409931', '"r1"', '48190', '"r2"']);
  assert.deepEqual(q('..name'), ['"Ada"', '"Bob"']);
  assert.deepEqual(q('$..recipient.id'), ['"r1"', '"r2"']);
  assert.deepEqual(q('$..[1].id'), ['48190']);
  assert.equal(q('$..*').length, 19);
});

test('containers come back whole, in document order', () => {
  const [first] = q('$.data[0]');
  assert.deepEqual(JSON.parse(first.replace('90071992547409931', '1')).recipient, { name: 'Ada', id: 'r1' });
  const segs = jv.parsePath('data[*].id');
  const search = jv.searchPath(body, segs);
  search.step();
  assert.equal(jv.matchesText(body, segs, search.starts, search.ends), '[90071992547409931,48190]');
  const one = jv.parsePath('$.meta.total');
  const s1 = jv.searchPath(body, one);
  s1.step();
  assert.equal(jv.matchesText(body, one, s1.starts, s1.ends), '2', 'a single-value path gives the value itself');
});

test('escaped keys are compared decoded', () => {
  assert.deepEqual(jv.query('{"st\\u0061tus":"ok"}', '$.status'), ['"ok"']);
});

test('path syntax errors name the column', () => {
  const bad = [
    ['$.', /ends after/],
    ['$.data[', /ends inside|not closed/],
    ['$.data[-1]', /Negative/],
    ['$.data[x]', /Inside \[ \]/],
    ["$['a]", /not closed/],
    ['$ data', /Unexpected/],
    ['', /Enter a path/],
    ['#x', /can't start/],
  ];
  for (const [path, re] of bad) {
    assert.throws(() => jv.parsePath(path), (e) => e instanceof jv.PathError && re.test(e.message) && e.column >= 1, path);
  }
  assert.throws(() => jv.parsePath('$.data[x]'), (e) => e.column === 8);
});

test('matching is resumable: slices give the same matches', () => {
  const big = JSON.stringify({ data: Array.from({ length: 5000 }, (_, i) => ({ id: i, v: { id: -i } })) });
  const segs = jv.parsePath('$..id');
  const s = jv.searchPath(big, segs);
  let n = 0;
  while (!s.step(0)) n++;
  assert.ok(n > 5);
  assert.equal(s.starts.length, 10000);
  assert.equal(s.truncated, false);
  const more = jv.searchPath(big.replace('{"data":', '{"x":[1],"data":'), jv.parsePath('$..*'));
  more.step();
  assert.equal(more.starts.length, jv.MAX_MATCHES);
  assert.equal(more.truncated, true);
});
