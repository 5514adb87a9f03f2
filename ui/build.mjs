// Builds dist/: src/main.ts → main.js, styles/main.css → styles.css, and the files of static/
// (index.html assembled from static/parts/, see esbuild.options.mjs). `tsc --noEmit` (run
// first by `npm run build`) does the type checking; esbuild only strips types and bundles.
// Dev-only files (dev/) never go here.
//
// Only files whose bytes changed are written, and files no longer built are removed, so a
// build with nothing new leaves dist/ untouched: the Rust build embeds dist/ and recompiles
// the app whenever a file in it is newer, and `tauri build` runs this again
// (beforeBuildCommand) after scripts/test.sh has already built the UI.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

import { dist, files, options, staticFiles } from './esbuild.options.mjs';

const started = performance.now();

const wanted = await staticFiles();
const { outputFiles } = await build({ ...options, write: false });
for (const file of outputFiles) wanted.set(relative(dist, file.path), file.contents);

let written = 0;
for (const [file, contents] of wanted) {
  const path = join(dist, file);
  const old = await readFile(path).catch(() => null);
  if (old && Buffer.compare(old, contents) === 0) continue;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, contents);
  written += 1;
}
for (const file of await files(dist)) {
  if (!wanted.has(file)) await rm(join(dist, file));
}

console.log(`ui: built dist/ in ${Math.round(performance.now() - started)} ms (${written} of ${wanted.size} files changed)`);
