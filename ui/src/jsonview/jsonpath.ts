//! The response filter: a small JSONPath subset, evaluated while walking the text (no parse
//! tree, so numbers stay exactly as sent and a 10 MB body is filtered in slices).
//!
//! Supported: root `$` (optional), `.key`, `['key']` / `["key"]`, `[n]` (n ≥ 0), `[*]`, `.*`,
//! and recursive descent `..key` / `..*` / `..[n]`. Without a leading `$`, a path starts at the
//! root: `data[*].status`, `meta.total`. Matches come back as offsets into the text, in
//! document order; `matchesText` joins them into JSON.

import { type ContainerKind, OBJECT, type ScalarKind, type Sink, Walker } from './walker';

export type Selector = { key: string } | { index: number } | { wild: true };
export interface Segment { descendant: boolean; sel: Selector }

export class PathError extends Error {
  /** 1-based column in the filter text. */
  constructor(message: string, readonly column: number) { super(message); }
}

const NAME = /[A-Za-z0-9_$@\-]+/y;

/** Parses a path; throws PathError with a column for the user. */
export function parsePath(input: string): Segment[] {
  const s = input.trim();
  const lead = input.length - input.trimStart().length;
  const segments: Segment[] = [];
  let i = 0;
  const fail = (message: string, at = i): never => { throw new PathError(message, lead + at + 1); };
  if (s === '') fail('Enter a path, for example $.data[0].id');
  if (s[0] === '$') i = 1;
  else if (s[0] !== '.' && s[0] !== '[') {
    // A bare first name: `data[*].status`.
    NAME.lastIndex = 0;
    const m = NAME.exec(s);
    if (!m) fail(`“${s[0]}” can't start a path; start with $ or a key name`);
    segments.push({ descendant: false, sel: { key: (m as RegExpExecArray)[0] } });
    i = (m as RegExpExecArray)[0].length;
  }
  while (i < s.length) {
    const c = s[i];
    if (c === '.') {
      let descendant = false;
      i++;
      if (s[i] === '.') {
        descendant = true;
        i++;
      }
      if (s[i] === '*') {
        segments.push({ descendant, sel: { wild: true } });
        i++;
      } else if (descendant && s[i] === '[') {
        const [sel, next] = bracket(s, i, fail);
        segments.push({ descendant, sel });
        i = next;
      } else {
        NAME.lastIndex = i;
        const m = NAME.exec(s);
        if (!m) fail(i >= s.length ? 'The path ends after “.”; add a key name' : `Expected a key name after “.”, found “${s[i]}”`);
        segments.push({ descendant, sel: { key: (m as RegExpExecArray)[0] } });
        i += (m as RegExpExecArray)[0].length;
      }
    } else if (c === '[') {
      const [sel, next] = bracket(s, i, fail);
      segments.push({ descendant: false, sel });
      i = next;
    } else {
      fail(`Unexpected “${c}”; use .key, ['key'], [0] or [*]`);
    }
  }
  return segments;
}

function bracket(s: string, open: number, fail: (m: string, at?: number) => never): [Selector, number] {
  let i = open + 1;
  while (s[i] === ' ') i++;
  let sel: Selector;
  const c = s[i];
  if (c === '*') {
    sel = { wild: true };
    i++;
  } else if (c === "'" || c === '"') {
    let key = '';
    let j = i + 1;
    for (; j < s.length && s[j] !== c; j++) {
      if (s[j] === '\\' && j + 1 < s.length) j++;
      key += s[j];
    }
    if (j >= s.length) fail('A quoted key is not closed', i);
    sel = { key };
    i = j + 1;
  } else if (c !== undefined && /[0-9]/.test(c)) {
    const m = /[0-9]+/y;
    m.lastIndex = i;
    const digits = (m.exec(s) as RegExpExecArray)[0];
    sel = { index: Number(digits) };
    i += digits.length;
  } else if (c === '-') {
    fail('Negative indexes are not supported; count from the start ([0] is the first item)', i);
  } else {
    fail(c === undefined ? 'The path ends inside [ ]' : `Inside [ ] use a number, * or a quoted key, not “${c}”`, i);
  }
  while (s[i] === ' ') i++;
  if (s[i] !== ']') fail(s[i] === undefined ? 'A “[” is not closed with “]”' : `Expected “]”, found “${s[i]}”`, i);
  return [sel, i + 1];
}

/** One step of a value's location: an object key or an array index. */
type Step = string | number;

/** Does the location `path` match `segments`? (`..` matches zero or more levels.) */
export function matches(segments: readonly Segment[], path: readonly Step[], si = 0, pi = 0): boolean {
  if (si === segments.length) return pi === path.length;
  const seg = segments[si] as Segment;
  if (!seg.descendant) {
    return pi < path.length && selects(seg.sel, path[pi] as Step) && matches(segments, path, si + 1, pi + 1);
  }
  for (let t = pi; t < path.length; t++) {
    if (selects(seg.sel, path[t] as Step) && matches(segments, path, si + 1, t + 1)) return true;
  }
  return false;
}

function selects(sel: Selector, step: Step): boolean {
  if ('wild' in sel) return true;
  if ('index' in sel) return step === sel.index;
  return step === sel.key;
}

/** At most this many matches are kept (a `..*` over 10 MB would otherwise repeat it many times). */
export const MAX_MATCHES = 10_000;

/** The walker's sink that records the spans of matching values. */
class PathSink implements Sink {
  /** The location of the value about to be read: keys and indexes, root excluded. */
  private readonly path: Step[] = [];
  /** Per open container: its kind, and the match slot when it matched itself. */
  private readonly frames: { kind: ContainerKind; slot: number; index: number }[] = [];
  private pendingKey: string | null = null;
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  truncated = false;
  /** A segment list without `..` can't match deeper than its length: skip the test there. */
  private readonly maxDepth: number;

  constructor(private readonly src: string, private readonly segments: Segment[]) {
    this.maxDepth = segments.some((s) => s.descendant) ? Infinity : segments.length;
  }

  private location(): boolean {
    const frame = this.frames[this.frames.length - 1];
    if (frame) {
      this.path.length = this.frames.length - 1;
      this.path.push(frame.kind === OBJECT ? (this.pendingKey as string) : frame.index++);
    } else {
      this.path.length = 0;
    }
    return this.path.length <= this.maxDepth && matches(this.segments, this.path);
  }

  private record(start: number, end: number): number {
    if (this.starts.length >= MAX_MATCHES) {
      this.truncated = true;
      return -1;
    }
    this.starts.push(start);
    this.ends.push(end);
    return this.starts.length - 1;
  }

  key(start: number, end: number): void {
    const raw = this.src.slice(start, end);
    this.pendingKey = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }

  scalar(_kind: ScalarKind, start: number, end: number): void {
    if (this.location()) this.record(start, end);
  }

  begin(kind: ContainerKind, start: number): void {
    const slot = this.location() ? this.record(start, -1) : -1;
    this.frames.push({ kind, slot, index: 0 });
  }

  end(_kind: ContainerKind, end: number): void {
    const frame = this.frames.pop();
    if (frame && frame.slot >= 0) this.ends[frame.slot] = end;
  }

  comma(_at: number): void {}
}

export interface PathSearch {
  /** Walks until done (true) or the deadline (false). Throws JsonSyntaxError for invalid JSON. */
  step(deadline?: number): boolean;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  /** More than MAX_MATCHES matched; only the first are kept. */
  readonly truncated: boolean;
  readonly progress: number;
}

/** Prepares a (resumable) search for `segments` in the JSON `text`. */
export function searchPath(text: string, segments: Segment[]): PathSearch {
  const sink = new PathSink(text, segments);
  const walker = new Walker(text, sink);
  return {
    step: (deadline?: number) => walker.step(deadline),
    get starts() { return sink.starts; },
    get ends() { return sink.ends; },
    get truncated() { return sink.truncated; },
    get progress() { return walker.progress; },
  };
}

/**
 * The matches as one JSON text: the value itself when exactly one matched and the path picks a
 * single value (no `*` or `..`), else an array of all matches (possibly empty).
 */
export function matchesText(text: string, segments: readonly Segment[], starts: readonly number[], ends: readonly number[]): string {
  const single = segments.every((s) => !s.descendant && !('wild' in s.sel));
  if (single && starts.length === 1) return text.slice(starts[0], ends[0]);
  const parts: string[] = [];
  for (let i = 0; i < starts.length; i++) parts.push(text.slice(starts[i], ends[i]));
  return `[${parts.join(',')}]`;
}

/** Evaluates `path` on `text` in one go (tests, small bodies): the matching values as JSON text. */
export function query(text: string, path: string): string[] {
  const segments = parsePath(path);
  const search = searchPath(text, segments);
  search.step();
  return search.starts.map((s, i) => text.slice(s, search.ends[i]));
}
