// The page is assembled from the parts in ui/static/parts/ (each panel and dialog its own file,
// written by different people): an id used twice makes getElementById answer with the first,
// so the second element's handlers are never wired. The Accounts view's Disconnect button was
// dead that way once (the profile form's save question had the same id).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const STATIC = join(dirname(fileURLToPath(import.meta.url)), '..', 'static');

function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? htmlFiles(join(dir, e.name)) : e.name.endsWith('.html') ? [join(dir, e.name)] : []);
}

test('every id in the page is used once', () => {
  const seen = new Map();
  for (const file of htmlFiles(STATIC)) {
    for (const [, id] of readFileSync(file, 'utf8').matchAll(/\bid="([^"]+)"/g)) {
      seen.set(id, [...(seen.get(id) ?? []), file.slice(STATIC.length + 1)]);
    }
  }
  assert.ok(seen.size > 100, `only ${seen.size} ids found: are the parts still under ui/static?`);
  const twice = [...seen].filter(([, files]) => files.length > 1).map(([id, files]) => `${id} (${files.join(', ')})`);
  assert.deepEqual(twice, []);
});
