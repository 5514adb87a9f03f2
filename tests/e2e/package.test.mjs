// The .deb the build makes: the desktop entry must pass the link to the app (Exec … %u; the
// bundler's default template doesn't) and declare the deep-link scheme, so links opened through
// the desktop reach the app; the executable and the icons are in it.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

import { APP_BIN } from './harness.mjs';

test('the .deb ships the app and a desktop entry that hands deep links to it', () => {
  const dir = join(dirname(APP_BIN), 'bundle/deb');
  const debs = readdirSync(dir).filter((f) => f.endsWith('.deb'));
  assert.equal(debs.length, 1, `expected one .deb in ${dir}, found ${debs}`);
  const out = mkdtempSync(join(tmpdir(), 'thanks-deb-'));
  try {
    execFileSync('dpkg-deb', ['-x', join(dir, debs[0]), out]);
    const apps = join(out, 'usr/share/applications');
    const entries = readdirSync(apps).filter((f) => f.endsWith('.desktop'));
    assert.equal(entries.length, 1, `desktop entries: ${entries}`);
    const text = readFileSync(join(apps, entries[0]), 'utf8');
    assert.match(text, /^Exec=thanks-connect %u$/m, text);
    assert.match(text, /^MimeType=.*x-scheme-handler\/dev\.thanksconnect\.app\.debug\b/m, text);
    // Setup files (.thanksconnect) open with the app: its MIME type, declared and described.
    assert.match(text, /^MimeType=.*\bapplication\/x-thanksconnect\b/m, text);
    const mime = readFileSync(join(out, 'usr/share/mime/packages/thanks-connect.xml'), 'utf8');
    assert.match(mime, /<mime-type type="application\/x-thanksconnect">/);
    assert.match(mime, /<glob pattern="\*\.thanksconnect"\/>/);
    assert.ok(statSync(join(out, 'usr/bin/thanks-connect')).mode & 0o111, 'the app is executable');
    assert.ok(statSync(join(out, 'usr/share/icons/hicolor/128x128/apps/thanks-connect.png')).size > 0);
    const control = execFileSync('dpkg-deb', ['-f', join(dir, debs[0]), 'Depends']).toString();
    assert.match(control, /libwebkit2gtk-4\.1-0/, `Depends: ${control}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
