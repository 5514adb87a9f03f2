#!/usr/bin/env node
// strip-release.mjs NAME MANIFEST: tauri's beforeBundleCommand for release builds (the app's
// tauri.release.conf.json and the benchmark floor's tauri.conf.json). On Linux it moves the
// symbol table of the binary NAME, built from the cargo package MANIFEST, out of what gets packaged: the binary is copied to
// NAME.symbols next to it (for symbolizing a crash report and for the benchmark suite's size
// breakdown), then stripped, so the .deb and .rpm carry about 9 MB less (issue 13's 12 MB
// target). Rust's release profile already leaves out debug info; the symbol table is what
// stays. Not done with `strip = true` in Cargo.toml because that would leave no symbols to
// break the size down with, and every build would have to be redone to get them.
//
// Debug builds (TAURI_ENV_DEBUG) keep their symbols: the tests' backtraces need them. Only
// Linux is stripped: Windows binaries keep their symbols in a .pdb already, and macOS is left
// as it is until it can be measured on a Mac.

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [name, manifest] = process.argv.slice(2);
if (!name || !manifest) {
  console.error('usage: node strip-release.mjs BINARY_NAME CARGO_MANIFEST');
  process.exit(2);
}
if (process.env.TAURI_ENV_DEBUG === 'true' || process.env.TAURI_ENV_PLATFORM !== 'linux') process.exit(0);

// cargo knows the target directory: CARGO_TARGET_DIR, or the target/ of the manifest's
// workspace. The manifest is named because tauri runs hooks in the frontend's directory, which
// for the floor (no package.json) is outside its workspace.
const meta = JSON.parse(
  execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps', '--manifest-path', manifest], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  }),
);
const triple = process.env.TAURI_ENV_TARGET_TRIPLE;
const candidates = [
  ...(triple ? [join(meta.target_directory, triple, 'release', name)] : []),
  join(meta.target_directory, 'release', name),
].filter((p) => existsSync(p));
if (!candidates.length) {
  console.error(`strip-release: no release binary named ${name} under ${meta.target_directory}`);
  process.exit(1);
}
// With and without --target both may exist: the one just linked is the newest.
const binary = candidates.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
// A binary cargo didn't link again since the last bundle is stripped already: copying it
// would replace the symbols kept then with nothing (the benchmark floor's were lost so once).
const nm = spawnSync('nm', ['--defined-only', binary], { encoding: 'utf8', maxBuffer: 256 << 20 });
if (nm.status !== 0 || nm.stdout.trim() === '') {
  console.log(`strip-release: ${binary} has no symbol table (stripped at an earlier bundle); ${name}.symbols kept as it was`);
  process.exit(0);
}
const before = statSync(binary).size;
copyFileSync(binary, `${binary}.symbols`);
execFileSync('strip', ['--strip-all', binary], { stdio: 'inherit' });
const after = statSync(binary).size;
console.log(`strip-release: ${binary}: ${(before / 1e6).toFixed(1)} MB → ${(after / 1e6).toFixed(1)} MB (symbols kept in ${name}.symbols)`);
