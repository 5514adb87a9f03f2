// Dev only: serves the built dist/ on 127.0.0.1 with the same CSP the Tauri shell sets, so a
// CSP mistake shows up here too. /dev.html is dist/index.html with the IPC mock (dev/mock.ts,
// compiled on each request) loaded first; /index.html stays exactly what ships.
//   npm run dev            → http://127.0.0.1:5178/dev.html?scenario=connected&panel=token
//   PORT=8080 node dev/serve.mjs
import { build } from 'esbuild';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const port = Number(process.env.PORT ?? 5178);
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ipc: http://ipc.localhost";
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

async function mockScript() {
  const out = await build({ entryPoints: [join(root, 'dev/mock.ts')], bundle: true, write: false, format: 'iife', target: 'es2020', logLevel: 'warning' });
  return out.outputFiles[0].text;
}

async function respond(path) {
  if (path === '/' || path === '/dev.html') {
    const html = await readFile(join(dist, 'index.html'), 'utf8');
    return ['.html', html.replace('<script type="module" src="main.js">', '<script src="/dev/mock.js"></script>\n  $&')];
  }
  if (path === '/dev/mock.js') return ['.js', await mockScript()];
  const file = normalize(join(dist, path));
  if (!file.startsWith(dist)) return null;
  return [extname(file), await readFile(file)];
}

createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  try {
    const found = await respond(path);
    if (!found) throw Object.assign(new Error('outside dist'), { code: 'ENOENT' });
    res.writeHead(200, { 'content-type': TYPES[found[0]] ?? 'application/octet-stream', 'content-security-policy': CSP, 'cache-control': 'no-store' });
    res.end(found[1]);
  } catch (e) {
    res.writeHead(e.code === 'ENOENT' ? 404 : 500, { 'content-type': 'text/plain' });
    res.end(String(e.message ?? e));
  }
}).listen(port, '127.0.0.1', () => console.log(`ui dev: http://127.0.0.1:${port}/dev.html (mock IPC; ?scenario=…&login=…&panel=…)`));
