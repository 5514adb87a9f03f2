// Builds dist/ from scratch: src/main.ts → main.js, styles/main.css → styles.css, and
// static/index.html with its `<!-- include: NAME.html -->` lines replaced by static/parts/NAME.html
// (one file per panel and per dialog, so adding one touches index.html by a line). Other files
// in static/ are copied as they are. `tsc --noEmit` (run first by `npm run build`) does the type
// checking; esbuild only strips types and bundles. Dev-only files (dev/) never go here.
import { build } from 'esbuild';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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
await cp(`${root}static`, dist, {
  recursive: true,
  filter: (src) => !src.startsWith(`${root}static/parts`) && src !== `${root}static/index.html`,
});
await writeFile(`${dist}/index.html`, await assemble(`${root}static/index.html`));

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

console.log(`ui: built dist/ in ${Math.round(performance.now() - started)} ms`);
