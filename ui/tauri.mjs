// `npm run tauri <command>` in ui/, or `npm --prefix ui run tauri <command>` from the
// repository root (`tauri dev`, `tauri build`, `tauri info` …): the Tauri CLI, told where the
// app is. On its own it only looks for tauri.conf.json in folders below the current one, and
// npm runs scripts in ui/. The frontend folder is this one, where the CLI runs
// beforeDevCommand and beforeBuildCommand (`npm run watch`, `npm run build`).
import { fileURLToPath } from 'node:url';

import cli from '@tauri-apps/cli/main.js';

process.env.TAURI_APP_PATH ??= fileURLToPath(new URL('../src-tauri', import.meta.url));
process.env.TAURI_FRONTEND_PATH ??= fileURLToPath(new URL('.', import.meta.url));
try {
  await cli.run(process.argv.slice(2), 'npm run tauri');
} catch (error) {
  cli.logError(error.message);
  process.exit(1);
}
