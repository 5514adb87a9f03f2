// The dev server of `tauri dev` (tauri.conf.json: beforeDevCommand `npm run watch`, devUrl
// http://127.0.0.1:5179): esbuild rebuilds the UI into dev-dist/ whenever a source file changes
// and serves it, and the window reloads itself after each rebuild. The reload is one line added
// to main.js here only (an EventSource on esbuild's change events); it never reaches dist/,
// which is what the app embeds, and only the dev CSP (security.devCsp) lets it connect.
// Unlike `npm run dev`, there is no IPC mock: the real app is on the other side. No type
// check either: `npm run check` does that.
import { context } from 'esbuild';
import { watch } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { options, root, staticFiles } from '../esbuild.options.mjs';

const port = Number(process.env.PORT ?? 5179);
const dist = `${root}dev-dist`;
async function copyStatic() {
  for (const [file, contents] of await staticFiles()) {
    await mkdir(dirname(join(dist, file)), { recursive: true });
    await writeFile(join(dist, file), contents);
  }
}

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await copyStatic();
const ctx = await context({
  ...options,
  outdir: dist,
  logLevel: 'info',
  banner: { js: "new EventSource('/esbuild').addEventListener('change', () => location.reload());" },
});
await ctx.watch();
// static/ isn't part of esbuild's graph: assemble it again and rebuild, so the page reloads.
watch(`${root}static`, { recursive: true }, () => copyStatic().then(() => ctx.rebuild()).catch((e) => console.error(e.message)));
// One line per page load and per live-reload connection, so a reload can be seen.
const onRequest = ({ method, path, status }) => {
  if (path === '/' || path === '/index.html' || path === '/esbuild') console.log(`ui watch: ${method} ${path} ${status}`);
};
await ctx.serve({ host: '127.0.0.1', port, servedir: dist, onRequest });
console.log(`ui watch: serving dev-dist/ on http://127.0.0.1:${port}, rebuilding on changes`);
