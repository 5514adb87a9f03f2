// The bundles the build makes, and the configuration the other systems' bundles come from.
// The .deb and .rpm: the desktop entry must pass the link to the app (Exec … %u; the bundler's
// default template doesn't) and declare the deep-link scheme, so links opened through the
// desktop reach the app; the executable and the icons are in them. macOS and Windows bundles
// can only be made on those systems (CI checks the .app's Info.plist and the installers);
// here, the scheme they are made from is checked for both identities.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

import { APP_BIN, REPO, THANKSCTL_BIN } from './harness.mjs';

const DEBUG_SCHEME = 'dev.thanksconnect.app.debug';

/** The one bundle of this kind (`deb`, `rpm`) the build left, unpacked into a temporary folder. */
function unpacked(kind, unpack) {
  const dir = join(dirname(APP_BIN), 'bundle', kind);
  const found = readdirSync(dir).filter((f) => f.endsWith(`.${kind}`));
  assert.equal(found.length, 1, `expected one .${kind} in ${dir}, found ${found}`);
  const out = mkdtempSync(join(tmpdir(), `thanks-${kind}-`));
  unpack(join(dir, found[0]), out);
  return { file: join(dir, found[0]), out };
}

/** What every Linux package must hold: the executable, the icon, a desktop entry for links. */
function assertLinuxPackage(out) {
  const apps = join(out, 'usr/share/applications');
  const entries = readdirSync(apps).filter((f) => f.endsWith('.desktop'));
  assert.equal(entries.length, 1, `desktop entries: ${entries}`);
  const text = readFileSync(join(apps, entries[0]), 'utf8');
  assert.match(text, /^Exec=thanks-connect %u$/m, text);
  assert.match(text, new RegExp(`^MimeType=.*x-scheme-handler/${DEBUG_SCHEME.replaceAll('.', '\\.')}\\b`, 'm'), text);
  // Setup files (.thanksconnect) open with the app: its MIME type, declared and described.
  assert.match(text, /^MimeType=.*\bapplication\/x-thanksconnect\b/m, text);
  const mime = readFileSync(join(out, 'usr/share/mime/packages/thanks-connect.xml'), 'utf8');
  assert.match(mime, /<mime-type type="application\/x-thanksconnect">/);
  assert.match(mime, /<glob pattern="\*\.thanksconnect"\/>/);
  assert.ok(statSync(join(out, 'usr/bin/thanks-connect')).mode & 0o111, 'the app is executable');
  assert.ok(statSync(join(out, 'usr/share/icons/hicolor/128x128/apps/thanks-connect.png')).size > 0);
}

test('the .deb ships the app and a desktop entry that hands deep links to it', () => {
  const { file, out } = unpacked('deb', (deb, to) => execFileSync('dpkg-deb', ['-x', deb, to]));
  try {
    assertLinuxPackage(out);
    const control = execFileSync('dpkg-deb', ['-f', file, 'Depends']).toString();
    assert.match(control, /libwebkit2gtk-4\.1-0/, `Depends: ${control}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the .rpm, built offline beside the .deb, ships the same app and desktop entry', () => {
  // bsdtar (libarchive) reads an rpm's payload without rpm's own tools.
  const { out } = unpacked('rpm', (rpm, to) => execFileSync('bsdtar', ['-xf', rpm, '-C', to]));
  try {
    assertLinuxPackage(out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

/** RFC 7396 merge patch, which is how `tauri build --config FILE` layers a file over the base. */
function mergePatch(base, patch) {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = base !== null && typeof base === 'object' && !Array.isArray(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

test('both identities declare their own scheme where the macOS and Windows bundlers read it', () => {
  const read = (name) => JSON.parse(readFileSync(join(REPO, 'src-tauri', name), 'utf8'));
  const debug = read('tauri.conf.json');
  const release = mergePatch(debug, read('tauri.release.conf.json'));
  const identities = [
    ['debug', debug, DEBUG_SCHEME],
    ['release', release, 'dev.thanksconnect.app'],
  ];
  for (const [name, config, scheme] of identities) {
    // `plugins.deep-link.desktop` is what the bundler writes into the .app's Info.plist as
    // CFBundleURLTypes (macOS registers nothing at run time) and into the NSIS and WiX
    // installers' registry keys; the app registers the same scheme at start on Linux and Windows.
    const desktop = config.plugins?.['deep-link']?.desktop;
    assert.deepEqual(desktop?.schemes, [scheme], `${name}: plugins.deep-link.desktop.schemes`);
    assert.equal(config.identifier, scheme, `${name}: the scheme is the identifier, so two builds never share one`);
  }
  assert.notEqual(debug.productName, release.productName, 'the two builds show different names');
  // The .deb and .rpm entries above were made from the debug identity's scheme.
  assert.deepEqual(debug.bundle.targets, ['deb', 'rpm']);
});

// Release bundles carry a stripped binary (issue 13's .deb size): tauri runs
// scripts/strip-release.mjs before bundling, for the app and for the benchmark floor alike.
test('release bundles strip the binary first and keep its symbols beside it; debug ones keep them', () => {
  const release = JSON.parse(readFileSync(join(REPO, 'src-tauri/tauri.release.conf.json'), 'utf8'));
  // tauri runs the hook in the frontend's directory: ui/ for the app, bench/ for the floor.
  assert.equal(release.build?.beforeBundleCommand, 'node ../scripts/strip-release.mjs thanks-connect ../src-tauri/Cargo.toml');
  const floor = JSON.parse(readFileSync(join(REPO, 'bench/hello/tauri.conf.json'), 'utf8'));
  assert.equal(floor.build?.beforeBundleCommand, 'node ../scripts/strip-release.mjs thanks-hello hello/Cargo.toml');

  // The hook, run as tauri runs it, on a copy of thanksctl (a binary with its symbols) in a
  // throwaway cargo workspace of its own.
  const dir = mkdtempSync(join(tmpdir(), 'thanks-strip-'));
  try {
    writeFileSync(join(dir, 'Cargo.toml'), '[package]\nname = "strip-probe"\nversion = "0.0.0"\nedition = "2021"\n');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/main.rs'), 'fn main() {}\n');
    mkdirSync(join(dir, 'target/release'), { recursive: true });
    const binary = join(dir, 'target/release/probe');
    copyFileSync(THANKSCTL_BIN, binary);
    const symbolCount = (file) => execFileSync('nm', ['--defined-only', file], { maxBuffer: 1 << 28 }).toString().split('\n').filter(Boolean).length;
    const hook = (debug) => {
      const env = { ...process.env, TAURI_ENV_PLATFORM: 'linux', TAURI_ENV_DEBUG: String(debug) };
      delete env.CARGO_TARGET_DIR;
      return execFileSync('node', [join(REPO, 'scripts/strip-release.mjs'), 'probe', 'Cargo.toml'], { cwd: dir, env }).toString();
    };
    const before = statSync(binary).size;
    const symbols = symbolCount(binary);
    assert.ok(symbols > 1000, `thanksctl has ${symbols} symbols`);

    hook(true);
    assert.equal(statSync(binary).size, before, 'a debug build is left as it is');
    assert.ok(!existsSync(`${binary}.symbols`));

    assert.match(hook(false), /strip-release: .*probe: [\d.]+ MB → [\d.]+ MB/);
    assert.ok(statSync(binary).size < before, 'the binary got smaller');
    assert.equal(symbolCount(`${binary}.symbols`), symbols, 'every symbol is kept in the copy');
    const stripped = spawnSync('nm', ['--defined-only', binary], { encoding: 'utf8' });
    assert.match(stripped.stderr, /no symbols/, 'the packaged binary has no symbol table');
    assert.match(execFileSync(binary, ['--version']).toString(), /thanksctl/, 'and still runs');

    // The next bundle without a new link (cargo found nothing to rebuild): the symbols stay.
    assert.match(hook(false), /has no symbol table .*kept as it was/);
    assert.equal(symbolCount(`${binary}.symbols`), symbols, 'the kept symbols were not overwritten');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
