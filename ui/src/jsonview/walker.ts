//! A resumable, validating JSON walker: reads the text token by token, checks the grammar and
//! tells a `Sink` what it found (keys, scalars, containers opening and closing), by offsets into
//! the text, so nothing is copied and no number is ever converted. `step(deadline)` stops at the
//! deadline and picks up where it left off, which lets a 10 MB body be pretty-printed or filtered
//! in slices without a long main-thread task. No DOM here: unit-tested under Node.

/** What a scalar is; empty containers count as scalars (they print on one line as {} or []). */
export const STRING = 1;
export const NUMBER = 2;
export const LITERAL = 3;
export const EMPTY_OBJECT = 4;
export const EMPTY_ARRAY = 5;
export type ScalarKind = typeof STRING | typeof NUMBER | typeof LITERAL | typeof EMPTY_OBJECT | typeof EMPTY_ARRAY;

export const OBJECT = 6;
export const ARRAY = 7;
export type ContainerKind = typeof OBJECT | typeof ARRAY;

export interface Sink {
  /** An object key; `start`/`end` span the quoted token. */
  key(start: number, end: number): void;
  scalar(kind: ScalarKind, start: number, end: number): void;
  /** A non-empty container starts at `start` (its bracket). */
  begin(kind: ContainerKind, start: number): void;
  /** The innermost container closes; `end` is just after its bracket. */
  end(kind: ContainerKind, end: number): void;
  /** A comma (at `at`) between two items of the innermost container. */
  comma(at: number): void;
}

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) { super(message); }
}

// What the walker expects next.
const VALUE = 0; // a value (document start, after ':' or after ',' in an array)
const KEY = 2; // a key (after '{' or ',' in an object)
const COLON = 3;
const AFTER_VALUE = 4; // ',' or the closing bracket (or the end, at top level)
const DONE = 5;

const MAX_DEPTH = 10_000;
const SPECIAL_IN_STRING = /["\\\u0000-\u001f]/g;
const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export class Walker {
  private i = 0;
  private expect = VALUE;
  private readonly stack: ContainerKind[] = [];
  private finished = false;

  constructor(private readonly s: string, private readonly sink: Sink) {}

  get done(): boolean { return this.finished; }
  /** How far the walk has got, 0…1. */
  get progress(): number { return this.s.length ? this.i / this.s.length : 1; }

  /** Walks until the text ends (true) or `performance.now()` passes `deadline` (false). */
  step(deadline = Infinity): boolean {
    const s = this.s;
    const sink = this.sink;
    const n = s.length;
    let count = 0;
    while (!this.finished) {
      if ((++count & 1023) === 0 && performance.now() > deadline) return false;
      // Skip whitespace.
      let c = s.charCodeAt(this.i);
      while (c === 32 || c === 10 || c === 13 || c === 9) c = s.charCodeAt(++this.i);
      if (this.i >= n) {
        if (this.expect === DONE || (this.expect === AFTER_VALUE && this.stack.length === 0)) {
          this.finished = true;
          return true;
        }
        this.fail(this.stack.length ? `The text ends inside ${this.stack.length === 1 ? 'an' : 'a nested'} ${this.stack[this.stack.length - 1] === OBJECT ? 'object' : 'array'}` : 'The text ends where a value was expected');
      }
      switch (this.expect) {
        case VALUE:
          this.value(c);
          break;
        case KEY:
          if (c !== 34) {
            if (c === 125) this.fail('A comma before } is not allowed in JSON');
            this.unexpected('a property name in "double quotes"');
          }
          {
            const start = this.i;
            this.string();
            sink.key(start, this.i);
          }
          this.expect = COLON;
          break;
        case COLON:
          if (c !== 58) this.unexpected('“:” after the property name');
          this.i++;
          this.expect = VALUE;
          break;
        case AFTER_VALUE: {
          const top = this.stack[this.stack.length - 1];
          if (top === undefined) this.fail('There is more text after the JSON value; remove it or wrap the values in [ ]');
          if (c === 44) {
            sink.comma(this.i);
            this.i++;
            this.expect = top === OBJECT ? KEY : VALUE;
            // A trailing comma is caught where the next key/value is read.
            if (top === ARRAY) {
              let j = this.i;
              let d = s.charCodeAt(j);
              while (d === 32 || d === 10 || d === 13 || d === 9) d = s.charCodeAt(++j);
              if (d === 93) this.fail('A comma before ] is not allowed in JSON', j);
            }
          } else if ((c === 125 && top === OBJECT) || (c === 93 && top === ARRAY)) {
            this.i++;
            this.stack.pop();
            sink.end(top, this.i);
            this.expect = this.stack.length ? AFTER_VALUE : DONE;
          } else {
            this.unexpected(top === OBJECT ? '“,” or “}” after the property value' : '“,” or “]” after the array item');
          }
          break;
        }
        default: // DONE with text left
          this.fail('There is more text after the JSON value; remove it or wrap the values in [ ]');
      }
    }
    return true;
  }

  private value(c: number): void {
    const s = this.s;
    const start = this.i;
    if (c === 34) {
      this.string();
      this.sink.scalar(STRING, start, this.i);
    } else if (c === 123 || c === 91) {
      const kind = c === 123 ? OBJECT : ARRAY;
      const close = c === 123 ? 125 : 93;
      let j = this.i + 1;
      let d = s.charCodeAt(j);
      while (d === 32 || d === 10 || d === 13 || d === 9) d = s.charCodeAt(++j);
      if (d === close) {
        this.i = j + 1;
        this.sink.scalar(kind === OBJECT ? EMPTY_OBJECT : EMPTY_ARRAY, start, this.i);
      } else {
        if (this.stack.length >= MAX_DEPTH) this.fail('The JSON is nested too deeply');
        this.i++;
        this.stack.push(kind);
        this.sink.begin(kind, start);
        this.expect = kind === OBJECT ? KEY : VALUE;
        return;
      }
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      NUMBER_RE.lastIndex = start;
      const m = NUMBER_RE.exec(s);
      const len = m ? m[0].length : 0;
      const after = s.charCodeAt(start + len);
      // digits, '.', 'e', 'E', '+', '-' right after a number mean it was malformed
      if (!m || m[0] === '-' || (after >= 48 && after <= 57) || after === 46 || after === 101 || after === 69 || after === 43 || after === 45) {
        this.fail('This number is not valid JSON');
      }
      this.i += len;
      this.sink.scalar(NUMBER, start, this.i);
    } else if (s.startsWith('true', start) || s.startsWith('null', start)) {
      this.i += 4;
      this.sink.scalar(LITERAL, start, this.i);
    } else if (s.startsWith('false', start)) {
      this.i += 5;
      this.sink.scalar(LITERAL, start, this.i);
    } else {
      if (c === 93 && this.stack[this.stack.length - 1] === ARRAY) this.fail('A comma before ] is not allowed in JSON');
      this.unexpected('a value');
    }
    this.expect = this.stack.length ? AFTER_VALUE : DONE;
  }

  private string(): void {
    const s = this.s;
    const start = this.i;
    let i = start + 1;
    for (;;) {
      SPECIAL_IN_STRING.lastIndex = i;
      const m = SPECIAL_IN_STRING.exec(s);
      if (!m) this.fail('A string is not closed', start);
      i = m.index;
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.i = i + 1;
        return;
      }
      if (c === 92) {
        const next = s.charCodeAt(i + 1);
        // " \ / b f n r t
        if (next === 34 || next === 92 || next === 47 || next === 98 || next === 102 || next === 110 || next === 114 || next === 116) {
          i += 2;
        } else if (next === 117 && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
          i += 6;
        } else {
          this.fail('Invalid escape in a string (use \\", \\\\, \\n, \\uXXXX …)', i);
        }
      } else {
        this.fail(c === 10 ? 'A string is not closed before the line ends' : 'A control character in a string must be escaped', i);
      }
    }
  }

  private fail(message: string, at = this.i): never {
    throw new JsonSyntaxError(message, at);
  }

  private unexpected(wanted: string): never {
    const c = this.s[this.i];
    if (c === undefined) this.fail(`The text ends where ${wanted} was expected`);
    if (c === "'") this.fail('JSON strings need "double quotes", not single quotes');
    const word = /^[A-Za-z_$][\w$]*/.exec(this.s.slice(this.i, this.i + 40))?.[0];
    if (word) this.fail(`“${word}” is not valid here: names and text need "double quotes" (true, false and null are lowercase)`);
    this.fail(`Unexpected ${c === '\n' ? 'line break' : `“${c}”`}; expected ${wanted}`);
  }
}

/** Line (1-based) and column (1-based) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lastNl = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lastNl = i;
  }
  return { line, column: offset - lastNl };
}
