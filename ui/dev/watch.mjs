// The dev server of `tauri dev` (tauri.conf.json: beforeDevCommand `npm run watch`, devUrl
// http://127.0.0.1:5179): esbuild rebuilds the UI into dev-dist/ whenever a source file changes
// and serves it, and the window reloads itself after each rebuild. The reload is one line added
// to main.js here only (an EventSource on esbuild's change events); it never reaches dist/,
// which is what the app embeds, and only the dev CSP (security.devCsp) lets it connect.
// Unlike `npm run dev`, there is no IPC mock: the real app is on the other side. No type
// check either: `npm run check` does that.
import { context } from 'esbuild';
import { rmSync, watch } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { files, options, root, staticFiles } from '../esbuild.options.mjs';

const port = Number(process.env.PORT ?? 5179);
const dist = `${root}dev-dist`;
async function copyStatic() {
  for (const [file, contents] of await staticFiles()) {
    await mkdir(dirname(join(dist, file)), { recursive: true });
    await writeFile(join(dist, file), contents);
  }
}

// esbuild tells the page to reload only when an output it builds changes, and static/ isn't
// part of its graph: a rebuild after a static/ change alone changes no output and sends no
// event. So a one-line module of its own, rewritten on every static/ change, is built beside
// the page (dev-dist/dev-reload.js, never loaded), and its new output is the change event.
const stampDir = await mkdtemp(join(tmpdir(), 'thanks-ui-watch-'));
process.on('exit', () => rmSync(stampDir, { recursive: true, force: true }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
const stamp = join(stampDir, 'dev-reload.js');
let changes = 0;
const writeStamp = () => writeFile(stamp, `export const change = ${(changes += 1)};\n`);

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await copyStatic();
await writeStamp();
const ctx = await context({
  ...options,
  entryPoints: { ...options.entryPoints, 'dev-reload': stamp },
  outdir: dist,
  logLevel: 'info',
  banner: { js: "new EventSource('/esbuild').addEventListener('change', () => location.reload());" },
});
await ctx.watch();
// static/ isn't part of esbuild's graph: assemble it again, then rebuild with a new stamp.
// Each folder is watched on its own: Node 18 (Debian 12's) can't watch recursively on Linux.
// A folder added while this runs is seen after a restart.
const onStaticChange = () =>
  copyStatic()
    .then(writeStamp)
    .then(() => ctx.rebuild())
    .catch((e) => console.error(e.message));
const staticDir = `${root}static`;
const folders = new Set([staticDir, ...(await files(staticDir)).map((f) => dirname(join(staticDir, f)))]);
for (const folder of folders) watch(folder, onStaticChange);
// One line per page load and per live-reload connection, so a reload can be seen.
const onRequest = ({ method, path, status }) => {
  if (path === '/' || path === '/index.html' || path === '/esbuild') console.log(`ui watch: ${method} ${path} ${status}`);
};
await ctx.serve({ host: '127.0.0.1', port, servedir: dist, onRequest });
console.log(`ui watch: serving dev-dist/ on http://127.0.0.1:${port}, rebuilding on changes`);
