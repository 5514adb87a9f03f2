// Compiles the window's pure modules (src/jsonview/, src/profile-name.ts) with esbuild into one ES module in memory
// and imports it, so node:test exercises the very TypeScript the window bundles.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Bundles `contents` (TypeScript, imports relative to ui/) with esbuild and imports it. */
export async function loadBundle(contents, plugins = []) {
  const out = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'warning',
    plugins,
  });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

export function loadJsonView() {
  return loadBundle(
    [
      "export * from './src/jsonview/walker';",
      "export * from './src/jsonview/lines';",
      "export * from './src/jsonview/jsonpath';",
      "export * from './src/jsonview/summary';",
      "export * from './src/jsonview/utf8';",
      "export * from './src/profile-name';",
    ].join('\n'),
  );
}
