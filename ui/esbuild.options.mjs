// What the production build (build.mjs) and the dev server of `tauri dev` (dev/watch.mjs)
// bundle, and how: one definition, so the window under `tauri dev` runs the same code as the
// one that ships.
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('.', import.meta.url));
export const dist = `${root}dist`;

export const options = {
  entryPoints: { main: `${root}src/main.ts`, styles: `${root}styles/main.css` },
  outdir: dist,
  bundle: true,
  format: 'esm',
  // The webviews Tauri 2 runs on: WebView2 (Chromium), WKWebView (Safari 15+), WebKitGTK.
  target: ['es2020', 'chrome105', 'safari15'],
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'warning',
};
