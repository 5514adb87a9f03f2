// Processes for the suite: start, find the whole tree, measure its memory, stop it. Everything
// started here is remembered and killed if the suite ends early, so a run leaves nothing behind.

import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';

const started = new Set();
process.on('exit', () => {
  for (const pid of started) for (const p of [...tree(pid)].reverse()) signal(p, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(sig, () => process.exit(sig === 'SIGINT' ? 130 : 143));

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** `pid` and every process below it, parents first. */
export function tree(pid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  const out = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

export function alive(pid) {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export function comm(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/** Starts a process (own process group) that the suite stops at the end if nobody did. */
export function start(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...opts });
  started.add(child.pid);
  child.exited = new Promise((r) => child.on('exit', (code, sig) => r(code ?? sig)));
  child.on('error', () => undefined);
  return child;
}

/** Stops `child` and everything below it: SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(child, graceMs = 3000) {
  if (!child?.pid) return;
  const pids = tree(child.pid);
  for (const p of [...pids].reverse()) signal(p, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(25);
  for (const p of pids.filter(alive)) signal(p, 'SIGKILL');
  signal(-child.pid, 'SIGKILL');
  while (pids.some(alive)) await sleep(25);
  started.delete(child.pid);
}

/** Runs to completion: {code, stdout, stderr}. Rejects only on a timeout or a failed start. */
export function run(cmd, args, { env = process.env, input = '', timeoutMs = 120_000, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const options = { env, cwd, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 256 * 2 ** 20 };
    const child = execFile(cmd, args, options, (error, stdout, stderr) => {
      // A non-zero exit is an answer; being killed (the timeout) or not starting is not.
      if (error && typeof error.code !== 'number') {
        reject(error.killed ? new Error(`${cmd} ${args.join(' ')} took longer than ${timeoutMs} ms; stderr: ${stderr.slice(-500)}`) : error);
      } else {
        resolve({ code: error ? error.code : 0, stdout, stderr });
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** Like run(), but a non-zero exit is an error that quotes stderr. */
export async function check(cmd, args, opts) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.code}: ${r.stderr.trim().slice(-800)}`);
  return r;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when `fn()` is truthy (its value); rejects after `timeoutMs` naming `what`. */
export async function until(fn, { timeoutMs = 30_000, intervalMs = 10, what = 'a condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

// ---- memory -------------------------------------------------------------------------------------

/** Proportional set size of one process in KiB (shared pages split among their users). */
export function pssKiB(pid) {
  try {
    const m = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Where one process's PSS sits, in KiB: its own executable, shared libraries, the malloc heap
 * and other anonymous memory (thread stacks, JIT, GPU/shm buffers), and everything else.
 */
export function pssBreakdown(pid) {
  const out = { executable: 0, libraries: 0, heap: 0, anonymous: 0, other: 0 };
  let text;
  let exe = '';
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
    exe = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
  } catch {
    return out;
  }
  let bucket = 'other';
  for (const line of text.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const name = head[1];
      if (name === '[heap]') bucket = 'heap';
      else if (name === '' || name.startsWith('[anon') || name.startsWith('[stack')) bucket = 'anonymous';
      else if (exe && name.endsWith(exe.split('/').pop()) && name.startsWith('/')) bucket = 'executable';
      else if (/\.so(\.|$)/.test(name)) bucket = 'libraries';
      else bucket = 'other';
      continue;
    }
    const pss = /^Pss:\s+(\d+)/.exec(line);
    if (pss) out[bucket] += Number(pss[1]);
  }
  return out;
}

/** PSS of `pid` and its descendants, per process name and in total (KiB). */
export function treePss(pid) {
  const byName = {};
  let total = 0;
  for (const p of tree(pid)) {
    const kib = pssKiB(p);
    const name = comm(p);
    byName[name] = (byName[name] ?? 0) + kib;
    total += kib;
  }
  return { total, byName };
}
