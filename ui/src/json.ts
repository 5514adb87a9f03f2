//! JSON for the console, without `JSON.parse`: engines word (and place) parse errors
//! differently (WebKit gives no position at all), and parsing would also round large numbers and
//! reorder integer-like keys. So `checkJson` is a small validating scanner that reports a line,
//! column and plain sentence, and `prettyJson` re-indents the text token by token, leaving every
//! number and key exactly as the server sent it.

export interface JsonProblem { message: string; offset: number; line: number; column: number }

const MAX_DEPTH = 512;

class Problem extends Error {
  constructor(message: string, readonly offset: number) { super(message); }
}

/** Null when `text` is one valid JSON value (surrounding whitespace allowed). */
export function checkJson(text: string): JsonProblem | null {
  try {
    new Scanner(text).document();
    return null;
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    return { message: e.message, offset: e.offset, ...lineColumn(text, e.offset) };
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

class Scanner {
  private i = 0;
  constructor(private readonly s: string) {}

  document(): void {
    this.value(0);
    this.space();
    if (this.i < this.s.length) this.fail('There is more text after the JSON value; remove it or wrap the values in [ ]');
  }

  private fail(message: string, at = this.i): never {
    throw new Problem(message, at);
  }

  private space(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i] as string)) this.i++;
  }

  private value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail('The JSON is nested too deeply');
    this.space();
    const c = this.s[this.i];
    if (c === undefined) this.fail('The text ends where a value was expected');
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    this.unexpected('a value');
  }

  private unexpected(wanted: string): never {
    const c = this.s[this.i];
    if (c === undefined) this.fail(`The text ends where ${wanted} was expected`);
    if (c === "'") this.fail('JSON strings need "double quotes", not single quotes');
    const word = /^[A-Za-z_$][\w$]*/.exec(this.s.slice(this.i, this.i + 40))?.[0];
    if (word) this.fail(`“${word}” is not valid here: names and text need "double quotes" (true, false and null are lowercase)`);
    this.fail(`Unexpected ${c === '\n' ? 'line break' : `“${c}”`}; expected ${wanted}`);
  }

  private object(depth: number): void {
    this.i++;
    this.space();
    if (this.s[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      if (this.s[this.i] === '}') this.fail('A comma before } is not allowed in JSON');
      if (this.s[this.i] !== '"') this.unexpected('a property name in "double quotes"');
      this.string();
      this.space();
      if (this.s[this.i] !== ':') this.unexpected('“:” after the property name');
      this.i++;
      this.value(depth + 1);
      this.space();
      const c = this.s[this.i];
      this.i++;
      if (c === '}') return;
      if (c !== ',') {
        this.i--;
        this.unexpected('“,” or “}” after the property value');
      }
    }
  }

  private array(depth: number): void {
    this.i++;
    this.space();
    if (this.s[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      if (this.s[this.i] === ']') this.fail('A comma before ] is not allowed in JSON');
      this.value(depth + 1);
      this.space();
      const c = this.s[this.i];
      this.i++;
      if (c === ']') return;
      if (c !== ',') {
        this.i--;
        this.unexpected('“,” or “]” after the array item');
      }
    }
  }

  private string(): void {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i] as string;
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === '\\') {
        const next = this.s[this.i + 1];
        if (next !== undefined && '"\\/bfnrt'.includes(next)) this.i += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(this.s.slice(this.i + 2, this.i + 6))) this.i += 6;
        else this.fail('Invalid escape in a string (use \\", \\\\, \\n, \\uXXXX …)');
      } else if (c < ' ') {
        this.fail(c === '\n' ? 'A string is not closed before the line ends' : 'A control character in a string must be escaped');
      } else {
        this.i++;
      }
    }
    this.fail('A string is not closed', start);
  }

  private number(): void {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const found = m.exec(this.s)?.[0] ?? '';
    const after = this.s[this.i + found.length];
    if (!found || found === '-' || (after !== undefined && /[\d.eE+\-]/.test(after))) this.fail('This number is not valid JSON');
    this.i += found.length;
  }
}

/** Re-indents valid JSON with two spaces; call `checkJson` first (invalid input comes back as is). */
export function prettyJson(text: string): string {
  if (checkJson(text)) return text;
  let out = '';
  let depth = 0;
  const newline = () => '\n' + '  '.repeat(depth);
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      let j = i + 1;
      while (' \t\n\r'.includes(text[j] as string)) j++;
      if (text[j] === close) {
        out += c + close;
        i = j;
      } else {
        depth++;
        out += c + newline();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') {
      out += ',' + newline();
    } else if (c === ':') {
      out += ': ';
    } else if (!' \t\n\r'.includes(c)) {
      out += c;
    }
  }
  return out;
}
