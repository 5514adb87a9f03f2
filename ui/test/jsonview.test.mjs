// The response viewer's pure parts: the validating walker, the pretty line model (folding data,
// shallow values), raw rows and folding, against the old prettyJson output.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { loadJsonView } from './load.mjs';

let jv;
before(async () => { jv = await loadJsonView(); });

const render = (lines) => Array.from({ length: lines.length }, (_, i) => '  '.repeat(lines.depth(i)) + lines.text(i)).join('\n');

test('pretty lines match JSON.stringify(…, 2) and keep numbers and key order exactly', () => {
  const samples = [
    '{"a":1,"b":[1,2,{"c":null}],"d":{},"e":[],"f":"x\\"y"}',
    '[]',
    '"just a string"',
    '  42 ',
    '[[[]],[{}],{"k":[1]}]',
    '{"nested":{"deep":{"deeper":[true,false,null]}}}',
    '{ "a" : [ 1 , 2 ] ,\n\t"b" : { } , "c": [ ], "s": "x : y, { z }" }',
    '{\r\n  "pretty": [\r\n    1\r\n  ]\r\n}',
  ];
  for (const s of samples) {
    assert.equal(render(jv.prettyLines(s)), JSON.stringify(JSON.parse(s), null, 2), s);
  }
  const exact = '{"id":90071992547409931,"10":"ten","2":"two","x":1.50}';
  assert.equal(render(jv.prettyLines(exact)), '{\n  "id": 90071992547409931,\n  "10": "ten",\n  "2": "two",\n  "x": 1.50\n}');
});

test('openers know their closing line, item count and kind', () => {
  const lines = jv.prettyLines('{"data":[{"id":1},{"id":2},{"id":3}],"meta":{"total":3}}');
  const texts = Array.from({ length: lines.length }, (_, i) => lines.text(i));
  const data = texts.indexOf('"data": [');
  assert.ok(data > 0);
  assert.equal(lines.count(data), 3);
  assert.equal(lines.kind(data), 'array');
  assert.equal(lines.text(lines.close(data)), '],');
  assert.equal(lines.count(0), 2);
  assert.equal(lines.kind(0), 'object');
  assert.equal(lines.close(0), lines.length - 1);
  assert.equal(lines.close(1 + 1), 3 + 1, 'first item closes two lines later');
  assert.equal(lines.kind(texts.indexOf('"id": 1')), null);
  assert.equal(lines.close(texts.indexOf('"id": 1')), -1);
});

test('shallow values: top-level and nested object scalars by dotted path, not inside arrays', () => {
  const lines = jv.prettyLines('{"message":"OK","links":{"next":"https://x/p?page=2","prev":null},"data":[{"id":7}],"next_page_url":null}');
  assert.equal(lines.shallow.get('message'), '"OK"');
  assert.equal(lines.shallow.get('links.next'), '"https://x/p?page=2"');
  assert.equal(lines.shallow.get('links.prev'), 'null');
  assert.equal(lines.shallow.get('next_page_url'), 'null');
  assert.equal(lines.shallow.has('data.id'), false);
  assert.equal(jv.nextPageUrl((p) => lines.shallow.get(p)), 'https://x/p?page=2');
});

test('the walker rejects invalid JSON with an offset, like checkJson', () => {
  const bad = [
    ['{"a":1,}', /comma before }/],
    ['[1,2,]', /comma before ]/],
    ["{'a':1}", /double quotes/],
    ['{"a":1} x', /more text after/],
    ['{"a":tru}', /“tru” is not valid/],
    ['{"a":01}', /number is not valid/],
    ['{"a":"x', /not closed/],
    ['[1 2]', /“,” or “]”/],
    ['{"a" 1}', /“:”/],
    ['', /ends where a value/],
    ['{"a":[1', /ends inside/],
    ['"tab\there"', /control character/],
  ];
  for (const [text, re] of bad) {
    assert.throws(() => jv.prettyLines(text), (e) => e instanceof jv.JsonSyntaxError && re.test(e.message) && typeof e.offset === 'number', text);
  }
  assert.deepEqual(jv.lineColumn('{\n  "a": x\n}', 9), { line: 2, column: 8 });
});

test('building in slices gives the same lines as at once', () => {
  const items = Array.from({ length: 3000 }, (_, i) => ({ id: i, name: `n${i}`, tags: ['a', 'b'], nested: { ok: i % 2 === 0 } }));
  const text = JSON.stringify({ data: items, meta: { total: items.length } });
  const whole = jv.prettyLines(text);
  const sliced = new jv.PrettyLines(text);
  let slices = 0;
  // A deadline in the past: every step returns after at most one batch of tokens.
  while (!sliced.step(0)) slices++;
  assert.ok(slices > 10, `only ${slices} slices`);
  assert.equal(sliced.length, whole.length);
  assert.equal(render(sliced), render(whole));
  assert.equal(render(whole), JSON.stringify(JSON.parse(text), null, 2));
});

test('folding hides the inside of a container; the opener row stays', () => {
  const lines = jv.prettyLines('{"a":[1,2,3],"b":{"c":1}}');
  assert.equal(jv.visibleRows(lines, new Set()), null);
  const rows = jv.visibleRows(lines, new Set([1]));
  assert.deepEqual([...rows].map((i) => lines.text(i)), ['{', '"a": [', '"b": {', '"c": 1', '}', '}']);
  const all = jv.visibleRows(lines, new Set([0]));
  assert.deepEqual([...all], [0]);
});

test('raw rows: line breaks and long lines cut into rows', () => {
  const raw = new jv.RawLines('a\r\nbb\n' + 'x'.repeat(jv.RAW_ROW_CHARS * 2 + 5));
  raw.step();
  assert.equal(raw.length, 5);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => raw.text(i).length), [1, 2, jv.RAW_ROW_CHARS, jv.RAW_ROW_CHARS, 5]);
  assert.equal(raw.text(0), 'a');
});
