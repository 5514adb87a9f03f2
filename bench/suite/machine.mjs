// What the numbers were measured on: machine, system, and the versions of what is compared.

import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';

import { run } from './procs.mjs';
import { REPO } from './world.mjs';

async function first(cmd, args, re = /(.*)/) {
  try {
    const r = await run(cmd, args, { timeoutMs: 20_000 });
    return (re.exec(`${r.stdout}${r.stderr}`)?.[1] ?? '').trim() || null;
  } catch {
    return null;
  }
}

/** The version of crate `name` in a Cargo.lock. */
async function locked(lockFile, name) {
  const text = await readFile(lockFile, 'utf8').catch(() => '');
  return new RegExp(`name = "${name}"\\nversion = "([^"]+)"`).exec(text)?.[1] ?? null;
}

export async function machine() {
  const os = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    os: /PRETTY_NAME="([^"]+)"/.exec(os)?.[1] ?? 'unknown',
    kernel: await first('uname', ['-r']),
    commit: await first('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']),
    rustc: await first('rustc', ['--version']),
    node: process.version,
    tauri: await locked(`${REPO}/Cargo.lock`, 'tauri'),
    floorTauri: await locked(`${REPO}/bench/hello/Cargo.lock`, 'tauri'),
    webkitgtk: await first('pkg-config', ['--modversion', 'webkit2gtk-4.1']),
    curl: await first('curl', ['--version'], /^curl (\S+)/),
    hyperfine: await first('hyperfine', ['--version'], /hyperfine (\S+)/),
    chromium: await first(process.env.CHROMIUM ?? 'chromium', ['--version'], /Chromium (\S+)/),
  };
}
