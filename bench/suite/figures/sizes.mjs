// Figure 6, sizes: the .deb and the binary of the app against the floor's, built with the same
// profile, and what the app's binary is made of. The breakdown is cargo-bloat's crate view done
// from the symbol table: `nm --size-sort -C` on the binary, each symbol counted to the crate
// its demangled path starts with (for `<A as B>::f`, A's crate), C symbols as "C and other".

import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';

import { run } from '../procs.mjs';

/** The crate a demangled Rust symbol belongs to, or null for a C/other symbol. */
export function crateOf(symbol) {
  let s = symbol.trim();
  while (s.startsWith('<')) s = s.slice(1);
  s = s.replace(/^(?:dyn |&(?:mut )?|\*(?:const|mut) |\[)/, '');
  const m = /^([A-Za-z_][A-Za-z0-9_]*)::/.exec(s);
  return m ? m[1] : null;
}

/** Bytes per crate in `binary` (code and data symbols), largest first. A release binary is
 * stripped before it is packaged (scripts/strip-release.mjs), which leaves its symbol table in
 * `binary.symbols`: that copy is read then. */
export async function crates(binary) {
  let r = await nmSizes(binary);
  // On a stripped binary nm lists nothing (and says "no symbols" on stderr).
  if (r.code === 0 && r.stdout.trim() === '' && existsSync(`${binary}.symbols`)) r = await nmSizes(`${binary}.symbols`);
  if (r.code !== 0) throw new Error(`nm failed on ${binary}: ${r.stderr.trim()}`);
  const sizes = new Map();
  let total = 0;
  for (const line of r.stdout.split('\n')) {
    const m = /^[0-9a-f]+ ([0-9a-f]+) ([A-Za-z]) (.*)$/.exec(line);
    if (!m || !/[TtDdRrBbVvWw]/.test(m[2])) continue;
    const bytes = parseInt(m[1], 16);
    const key = crateOf(m[3]) ?? 'C and other';
    sizes.set(key, (sizes.get(key) ?? 0) + bytes);
    total += bytes;
  }
  return { total, crates: [...sizes].sort((a, b) => b[1] - a[1]) };
}

const nmSizes = (file) => run('nm', ['--size-sort', '-S', '-C', '--defined-only', file], { timeoutMs: 300_000 });

const size = async (file) => (file ? (await stat(file)).size : null);

export async function sizes(ctx) {
  const [app, floor] = await Promise.all([crates(ctx.bins.app), crates(ctx.bins.hello)]);
  const floorOf = new Map(floor.crates);
  return {
    binary: { app: await size(ctx.bins.app), floor: await size(ctx.bins.hello) },
    deb: { app: await size(ctx.files.appDeb), floor: await size(ctx.files.helloDeb) },
    symbols: { app: app.total, floor: floor.total },
    top: app.crates.slice(0, 15).map(([name, bytes]) => ({ name, bytes, floor: floorOf.get(name) ?? 0 })),
  };
}
