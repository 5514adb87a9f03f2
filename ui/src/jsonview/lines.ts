//! The line model of the response viewer: JSON pretty-printed into lines (two-space indent,
//! like `prettyJson`), built incrementally by a `Walker`, with what folding needs: each line's
//! depth, and for a line that opens an object or array the line that closes it and how many
//! items it holds. Lines keep their text without the indentation; the viewer adds it.
//!
//! Also `RawLines`, the same interface over the body exactly as received (split at line breaks,
//! very long lines cut into rows), and `visibleRows`, which turns a set of folded lines into the
//! list of rows to show.

import { ARRAY, OBJECT, type ContainerKind, type ScalarKind, type Sink, Walker } from './walker';

export interface Lines {
  /** Lines known so far (grows while a build runs). */
  readonly length: number;
  text(i: number): string;
  depth(i: number): number;
  /** For a line that opens a container: the line that closes it, or -1 (not yet / not an opener). */
  close(i: number): number;
  /** For an opener: items (array) or keys (object) inside. */
  count(i: number): number;
  /** For an opener: 'object' or 'array'. */
  kind(i: number): 'object' | 'array' | null;
}

/** Scalars of objects near the top, by dotted path (`message`, `links.next`), as raw JSON text. */
export type Shallow = Map<string, string>;
const SHALLOW_DEPTH = 3;

export class PrettyLines implements Lines, Sink {
  // Per line, offsets into the source and folding data: numbers only, so a 10 MB body makes no
  // garbage per line; the text is made when a line is shown (see `text`).
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly depths: number[] = [];
  private readonly closes: number[] = [];
  private readonly counts: number[] = [];
  private readonly kinds: number[] = [];
  /** Opener line indexes of the containers currently open. */
  private readonly openers: number[] = [];
  /** The line being built: where its first token starts (-1: none yet), where its last ends. */
  private lineStart = -1;
  private lineEnd = -1;
  private curDepth = 0;
  /** How many containers are open. */
  private level = 0;
  /** The key of each open container but the root (null: an array item), for `shallow`. */
  private readonly keys: (string | null)[] = [];
  private pendingKey: string | null = null;
  /** Top-level scalars by dotted path (`message`, `links.next`, `meta.total`), raw token text. */
  readonly shallow: Shallow = new Map();
  readonly walker: Walker;

  constructor(private readonly src: string) {
    this.walker = new Walker(src, this);
  }

  get length(): number { return this.starts.length; }
  /** The line's tokens as printed: whitespace between tokens dropped, ": " after a key. */
  text(i: number): string { return compact(this.src, this.starts[i] ?? 0, this.ends[i] ?? 0); }
  depth(i: number): number { return this.depths[i] ?? 0; }
  close(i: number): number { return this.closes[i] ?? -1; }
  count(i: number): number { return this.counts[i] ?? 0; }
  kind(i: number): 'object' | 'array' | null {
    const k = this.kinds[i];
    return k === OBJECT ? 'object' : k === ARRAY ? 'array' : null;
  }

  /** Builds until done (true) or the deadline (false). Throws JsonSyntaxError. */
  step(deadline = Infinity): boolean {
    const done = this.walker.step(deadline);
    if (done && this.lineStart >= 0) this.push();
    return done;
  }

  private push(): void {
    this.starts.push(this.lineStart);
    this.ends.push(this.lineEnd);
    this.depths.push(this.curDepth);
    this.closes.push(-1);
    this.counts.push(0);
    this.kinds.push(0);
    this.lineStart = -1;
    this.curDepth = this.level;
  }

  private token(start: number, end: number): void {
    if (this.lineStart < 0) this.lineStart = start;
    this.lineEnd = end;
  }

  private counted(): void {
    const opener = this.openers[this.openers.length - 1];
    if (opener !== undefined) this.counts[opener] = (this.counts[opener] ?? 0) + 1;
  }

  // ---- Sink ----

  key(start: number, end: number): void {
    this.token(start, end);
    if (this.level > SHALLOW_DEPTH) {
      this.pendingKey = '';
      return;
    }
    const raw = this.src.slice(start, end);
    this.pendingKey = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }

  scalar(_kind: ScalarKind, start: number, end: number): void {
    this.counted();
    this.token(start, end);
    if (this.pendingKey !== null && this.level <= SHALLOW_DEPTH && !this.keys.includes(null)) {
      this.shallow.set([...this.keys, this.pendingKey].join('.'), this.src.slice(start, end));
    }
    this.pendingKey = null;
  }

  begin(kind: ContainerKind, start: number): void {
    this.counted();
    this.token(start, start + 1);
    const line = this.starts.length;
    if (this.level > 0) this.keys.push(this.pendingKey);
    this.pendingKey = null;
    this.level++;
    this.push();
    this.kinds[line] = kind;
    this.openers.push(line);
  }

  end(_kind: ContainerKind, end: number): void {
    // The line holding the last value ends; the bracket starts a new line one level out.
    this.level--;
    this.push();
    const opener = this.openers.pop();
    if (opener !== undefined) this.closes[opener] = this.starts.length;
    this.token(end - 1, end);
    if (this.level > 0) this.keys.pop();
    this.pendingKey = null;
  }

  comma(at: number): void {
    this.lineEnd = at + 1;
    this.push();
    this.pendingKey = null;
  }
}

/** `src[start, end)` without the whitespace between tokens, and with ": " after keys. */
export function compact(src: string, start: number, end: number): string {
  let out = '';
  let from = start;
  let i = start;
  while (i < end) {
    const c = src.charCodeAt(i);
    if (c === 34) {
      // Skip the string: to the closing quote that isn't escaped.
      i++;
      while (i < end) {
        const d = src.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
    } else if (c === 32 || c === 10 || c === 13 || c === 9) {
      out += src.slice(from, i);
      while (i < end && (src.charCodeAt(i) === 32 || src.charCodeAt(i) === 10 || src.charCodeAt(i) === 13 || src.charCodeAt(i) === 9)) i++;
      from = i;
    } else if (c === 58) {
      out += src.slice(from, i) + ': ';
      i++;
      while (i < end && (src.charCodeAt(i) === 32 || src.charCodeAt(i) === 10 || src.charCodeAt(i) === 13 || src.charCodeAt(i) === 9)) i++;
      from = i;
    } else {
      i++;
    }
  }
  return out + src.slice(from, end);
}

/** How many characters one row of raw text holds before it is cut (raw view of long lines). */
export const RAW_ROW_CHARS = 2000;

/** The body as received, as rows: one per line, very long lines cut into several rows. */
export class RawLines implements Lines {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private at = 0;
  private finished = false;

  constructor(private readonly src: string) {}

  get length(): number { return this.starts.length; }
  get done(): boolean { return this.finished; }
  text(i: number): string { return this.src.slice(this.starts[i] ?? 0, this.ends[i] ?? 0); }
  depth(): number { return 0; }
  close(): number { return -1; }
  count(): number { return 0; }
  kind(): null { return null; }

  step(deadline = Infinity): boolean {
    const s = this.src;
    let n = 0;
    while (this.at <= s.length && !this.finished) {
      if ((++n & 255) === 0 && performance.now() > deadline) return false;
      let nl = s.indexOf('\n', this.at);
      if (nl === -1) nl = s.length;
      let start = this.at;
      do {
        const end = Math.min(nl, start + RAW_ROW_CHARS);
        this.starts.push(start);
        this.ends.push(end > start && s.charCodeAt(end - 1) === 13 && end === nl ? end - 1 : end);
        start = end;
      } while (start < nl);
      this.at = nl + 1;
      if (nl >= s.length) this.finished = true;
    }
    this.finished = true;
    return true;
  }
}

/**
 * The rows to show: every line, except the insides of folded containers (a folded opener row
 * stands for the whole container). Null means "every line" (nothing folded).
 */
export function visibleRows(lines: Lines, folded: ReadonlySet<number>): Int32Array | null {
  if (folded.size === 0) return null;
  const n = lines.length;
  const rows = new Int32Array(n);
  let r = 0;
  for (let i = 0; i < n; i++) {
    rows[r++] = i;
    if (folded.has(i)) {
      const close = lines.close(i);
      if (close > i) i = close;
    }
  }
  return rows.subarray(0, r);
}

/** Builds the whole line model at once (small bodies, tests). Throws JsonSyntaxError. */
export function prettyLines(text: string): PrettyLines {
  const lines = new PrettyLines(text);
  lines.step();
  return lines;
}
