// What the production build (build.mjs) and the dev server of `tauri dev` (dev/watch.mjs)
// produce, and how: one definition, so the window under `tauri dev` runs the same code and
// page as the one that ships.
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
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

/** Every file under `dir`, as paths relative to it. */
export async function files(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  // `parentPath` is Node 20.12+; Debian 12's Node 18 calls it `path`.
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)));
}

/**
 * The files static/ contributes to the page, by path: index.html with its
 * `<!-- include: NAME.html -->` lines replaced by static/parts/NAME.html (one file per panel
 * and per dialog, so adding one touches index.html by a line), and every other file as it is.
 */
export async function staticFiles() {
  const dir = `${root}static`;
  const out = new Map();
  for (const file of await files(dir)) {
    if (file.startsWith('parts/') || file === 'index.html') continue;
    out.set(file, await readFile(join(dir, file)));
  }
  out.set('index.html', Buffer.from(await assemble(join(dir, 'index.html'))));
  return out;
}

/** index.html with every include line replaced by its part, indented like the line. */
async function assemble(file) {
  const html = await readFile(file, 'utf8');
  const used = new Set();
  const out = [];
  for (const line of html.split('\n')) {
    const m = /^(\s*)<!-- include: ([a-z0-9-]+\.html) -->\s*$/.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const [, indent, name] = m;
    if (used.has(name)) throw new Error(`static/index.html includes ${name} twice`);
    used.add(name);
    const part = (await readFile(`${root}static/parts/${name}`, 'utf8')).replace(/\n$/, '');
    out.push(...part.split('\n').map((l) => (l ? indent + l : l)));
  }
  return out.join('\n');
}
