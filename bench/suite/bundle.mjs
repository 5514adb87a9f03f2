// TypeScript from ui/ for the suite, bundled with the UI's own esbuild: the body generator the
// dev mock uses (ui/dev/big-body.ts) and the in-page measuring code (ui/bench/measure.ts).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { REPO } from './world.mjs';

async function esbuild() {
  return import(pathToFileURL(join(REPO, 'ui/node_modules/esbuild/lib/main.js')).href);
}

/** `entry` (relative to ui/) as one script defining `globalName` (to run in a page). */
export async function pageScript(entry, globalName) {
  const { build } = await esbuild();
  const out = await build({ entryPoints: [join(REPO, 'ui', entry)], bundle: true, write: false, format: 'iife', globalName, target: 'es2020', logLevel: 'warning' });
  return out.outputFiles[0].text;
}

/** `entry` (relative to ui/) imported into this Node process. */
export async function nodeModule(entry) {
  const { build } = await esbuild();
  const out = await build({ entryPoints: [join(REPO, 'ui', entry)], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning' });
  const dir = await mkdtemp(join(tmpdir(), 'thanks-bench-bundle-'));
  const file = join(dir, 'module.mjs');
  await writeFile(file, out.outputFiles[0].text);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
