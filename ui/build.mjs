// Builds dist/ from scratch: src/main.ts → main.js, styles/main.css → styles.css, and the
// files in static/ copied as they are. `tsc --noEmit` (run first by `npm run build`) does the
// type checking; esbuild only strips types and bundles. Dev-only files (dev/) never go here.
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const dist = `${root}dist`;
const started = performance.now();

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

await build({
  entryPoints: { main: `${root}src/main.ts`, styles: `${root}styles/main.css` },
  outdir: dist,
  bundle: true,
  format: 'esm',
  // The webviews Tauri 2 runs on: WebView2 (Chromium), WKWebView (Safari 15+), WebKitGTK.
  target: ['es2020', 'chrome105', 'safari15'],
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'warning',
});
await cp(`${root}static`, dist, { recursive: true });

console.log(`ui: built dist/ in ${Math.round(performance.now() - started)} ms`);
