//! The response body viewer: pretty JSON with folding, or the raw text, for bodies from a few
//! bytes to tens of megabytes without freezing the window.
//!
//! Small bodies are formatted at once and every line is in the DOM (so the text can be selected
//! and read whole). Big ones are formatted in slices (see `runInSlices`) and only the rows in
//! view are in the DOM: a fixed-height scroller with a spacer as tall as all rows, and a window
//! of ~80 rows moved to where the user scrolled. Folding works on the line model: a folded
//! opener row stands for its whole container. Everything is set as text, never parsed as HTML;
//! positions are set through the CSSOM (the CSP forbids style attributes).

import { type Lines, PrettyLines, RawLines, type Shallow, visibleRows } from '../jsonview/lines';
import { runInSlices, type SliceJob } from '../jsonview/slices';
import { JsonSyntaxError, lineColumn } from '../jsonview/walker';

/** Row height in px; the CSS sets the same for `.jv[data-virtual="true"] .jv-row`. */
const ROW_PX = 18;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 24;
/** Bodies up to this many characters are formatted in one go. */
const SYNC_CHARS = 200_000;
/** Up to this many rows, all are in the DOM; beyond, only the visible window. */
const FULL_ROWS = 3000;
/** Taller than this the spacer is scaled (browsers cap element heights). */
const MAX_SPACER_PX = 8_000_000;
/** A virtual row shows at most this many characters of a very long line. */
const ROW_CHARS = 4000;

export type ViewMode = 'pretty' | 'raw';

export interface ViewStatus {
  state: 'empty' | 'building' | 'ready';
  mode: ViewMode;
  /** 0…1 while building. */
  progress: number;
  lines: number;
  /** Why the pretty view fell back to raw text. */
  invalid: { line: number; column: number; message: string } | null;
  /** Shallow scalars of a pretty body (e.g. `links.next`), once formatted. */
  shallow: Shallow | null;
}

export class JsonViewer {
  private lines: Lines | null = null;
  private job: SliceJob | null = null;
  private readonly folded = new Set<number>();
  private rows: Int32Array | null = null;
  private virtual = false;
  private pretty = false;
  private lastKey = '';
  private frame = 0;
  private readonly spacer: HTMLDivElement;
  private readonly win: HTMLDivElement;
  private status: ViewStatus = { state: 'empty', mode: 'pretty', progress: 1, lines: 0, invalid: null, shallow: null };
  /** Called when the state, progress or line count changes. */
  onStatus: ((s: ViewStatus) => void) | null = null;

  constructor(private readonly el: HTMLElement) {
    this.spacer = document.createElement('div');
    this.spacer.className = 'jv-spacer';
    this.win = document.createElement('div');
    this.win.className = 'jv-window';
    this.spacer.append(this.win);
    el.addEventListener('scroll', () => {
      if (this.virtual) this.schedule();
    });
    el.addEventListener('click', (e) => {
      const button = (e.target as Element | null)?.closest<HTMLElement>('.jv-fold');
      if (button && el.contains(button)) this.toggle(Number(button.dataset['line']));
    });
    window.addEventListener('resize', () => {
      if (this.virtual) this.schedule();
    });
  }

  get current(): ViewStatus { return this.status; }

  /** Shows `text` (replacing whatever was shown, stopping any formatting still running). */
  show(text: string, mode: ViewMode): void {
    this.stop();
    this.folded.clear();
    this.rows = null;
    this.lastKey = '';
    this.el.scrollTop = 0;
    this.el.dataset['empty'] = String(text === '');
    this.status = { state: 'ready', mode, progress: 1, lines: 0, invalid: null, shallow: null };
    if (text === '') {
      this.lines = null;
      this.setVirtual(false);
      this.el.replaceChildren();
      this.emit();
      return;
    }
    if (mode === 'raw') this.showRaw(text, null);
    else this.showPretty(text);
  }

  /** Stops formatting (a new response is coming). */
  stop(): void {
    this.job?.cancel();
    this.job = null;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  expandAll(): void {
    if (!this.pretty || this.folded.size === 0) return;
    this.folded.clear();
    this.refold();
  }

  /** Folds every container below the top level. */
  collapseAll(): void {
    const lines = this.lines;
    if (!this.pretty || !lines) return;
    this.folded.clear();
    for (let i = 1; i < lines.length; i++) if (lines.close(i) > i && lines.depth(i) >= 1) this.folded.add(i);
    this.refold();
  }

  private showPretty(text: string): void {
    const lines = new PrettyLines(text);
    this.lines = lines;
    this.pretty = true;
    this.status.shallow = lines.shallow;
    if (text.length <= SYNC_CHARS) {
      try {
        lines.step();
      } catch (e) {
        this.fallBack(text, e);
        return;
      }
      this.setVirtual(lines.length > FULL_ROWS);
      this.status.lines = lines.length;
      this.render(true);
      this.emit();
      return;
    }
    this.setVirtual(true);
    this.status.state = 'building';
    this.status.progress = 0;
    const job = runInSlices((deadline) => lines.step(deadline), (finished) => {
      this.status.lines = lines.length;
      this.status.progress = finished ? 1 : lines.walker.progress;
      if (finished) this.status.state = 'ready';
      if (this.folded.size) this.rows = visibleRows(lines, this.folded);
      this.render(finished);
      this.emit();
    });
    this.job = job;
    job.done.catch((e: unknown) => {
      if (this.job === job) this.fallBack(text, e);
    });
  }

  private fallBack(text: string, e: unknown): void {
    if (!(e instanceof JsonSyntaxError)) throw e;
    this.showRaw(text, { ...lineColumn(text, e.offset), message: e.message });
  }

  private showRaw(text: string, invalid: ViewStatus['invalid']): void {
    this.pretty = false;
    this.status = { ...this.status, mode: 'raw', invalid, shallow: null, state: 'ready', progress: 1 };
    if (text.length <= SYNC_CHARS) {
      this.lines = null;
      this.setVirtual(false);
      const pre = document.createElement('div');
      pre.className = 'jv-raw';
      pre.textContent = text;
      this.el.replaceChildren(pre);
      this.status.lines = 1;
      this.emit();
      return;
    }
    const raw = new RawLines(text);
    this.lines = raw;
    this.setVirtual(true);
    this.status.state = 'building';
    const job = runInSlices((deadline) => raw.step(deadline), (finished) => {
      this.status.lines = raw.length;
      if (finished) this.status.state = 'ready';
      this.render(finished);
      this.emit();
    });
    this.job = job;
  }

  private setVirtual(on: boolean): void {
    this.virtual = on;
    this.el.dataset['virtual'] = String(on);
    if (on) {
      this.win.replaceChildren();
      this.el.replaceChildren(this.spacer);
    }
  }

  private emit(): void {
    this.el.setAttribute('aria-busy', String(this.status.state === 'building'));
    this.el.dataset['state'] = this.status.state;
    this.onStatus?.({ ...this.status });
  }

  private toggle(line: number): void {
    if (!this.lines || !(this.lines.close(line) > line)) return;
    if (this.folded.has(line)) this.folded.delete(line);
    else this.folded.add(line);
    this.refold();
    // Keep the keyboard where it was: the row was rebuilt.
    this.el.querySelector<HTMLElement>(`.jv-fold[data-line="${line}"]`)?.focus();
  }

  private refold(): void {
    if (!this.lines) return;
    this.rows = visibleRows(this.lines, this.folded);
    const total = this.rows ? this.rows.length : this.lines.length;
    // Folding can turn a big body into a few rows and back; full mode only for small bodies.
    if (!this.virtual && total > FULL_ROWS) this.setVirtual(true);
    this.render(true);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render(false);
    });
  }

  private rowCount(): number {
    if (!this.lines) return 0;
    return this.rows ? this.rows.length : this.lines.length;
  }

  private lineAt(row: number): number {
    return this.rows ? (this.rows[row] as number) : row;
  }

  private render(force: boolean): void {
    const lines = this.lines;
    if (!lines) return;
    const total = this.rowCount();
    if (!this.virtual) {
      const frag = document.createDocumentFragment();
      for (let r = 0; r < total; r++) frag.append(this.row(lines, this.lineAt(r)));
      this.el.replaceChildren(frag);
      return;
    }
    const fullPx = total * ROW_PX;
    const spacerPx = Math.min(fullPx, MAX_SPACER_PX);
    const viewPx = this.el.clientHeight || 420;
    const viewRows = Math.ceil(viewPx / ROW_PX);
    const top = this.el.scrollTop;
    let first: number;
    let offset: number;
    if (spacerPx === fullPx) {
      first = Math.floor(top / ROW_PX);
      offset = first * ROW_PX;
    } else {
      // Scaled: the scroll fraction picks the row; the window sits at the viewport.
      const exact = (top / Math.max(1, spacerPx - viewPx)) * Math.max(0, total - viewRows);
      first = Math.floor(exact);
      offset = top - (exact - first) * ROW_PX;
    }
    const from = Math.max(0, first - OVERSCAN);
    const to = Math.min(total, first + viewRows + OVERSCAN);
    const key = `${from}:${to}:${Math.round(offset)}:${spacerPx}`;
    this.spacer.style.height = `${spacerPx}px`;
    if (!force && key === this.lastKey) return;
    // While formatting, rows already shown don't change: only re-render when the window moved
    // or is still filling up.
    if (!force && this.status.state === 'building' && this.lastKey.startsWith(`${from}:${to}:`)) return;
    this.lastKey = key;
    this.win.style.transform = `translateY(${offset - (first - from) * ROW_PX}px)`;
    const frag = document.createDocumentFragment();
    for (let r = from; r < to; r++) frag.append(this.row(lines, this.lineAt(r)));
    this.win.replaceChildren(frag);
  }

  private row(lines: Lines, i: number): HTMLDivElement {
    if (!this.pretty) {
      const div = document.createElement('div');
      div.className = 'jv-row';
      div.textContent = lines.text(i);
      return div;
    }
    const text = lines.text(i);
    const close = lines.close(i);
    let fold: Fold | null = null;
    if (close > i) {
      const folded = this.folded.has(i);
      const n = lines.count(i);
      const what = lines.kind(i) === 'array' ? `${n} ${n === 1 ? 'item' : 'items'}` : `${n} ${n === 1 ? 'key' : 'keys'}`;
      const name = /^"((?:[^"\\]|\\.)*)": /.exec(text)?.[1];
      const label = `${folded ? 'Expand' : 'Collapse'} ${name ? `“${name}”` : lines.kind(i) ?? ''} (${what})`;
      fold = { line: i, what, label, close: folded ? lines.text(close) : null };
    }
    return prettyRow(this.virtual ? cut(text) : text, lines.depth(i), fold);
  }
}

/** A foldable row's button, and when folded (`close` set) the line that closes what it hides. */
interface Fold { line: number; what: string; label: string; close: string | null }

/** One pretty row: its fold button, the indent, the tokens and, folded, an ellipsis and the close. */
function prettyRow(text: string, depth: number, fold: Fold | null): HTMLDivElement {
  const div = document.createElement('div');
  div.className = 'jv-row';
  if (fold) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'jv-fold';
    button.dataset['line'] = String(fold.line);
    button.setAttribute('aria-expanded', String(fold.close === null));
    button.setAttribute('aria-label', fold.label);
    div.append(button);
    if (fold.close !== null) div.dataset['count'] = fold.what;
  }
  div.append('  '.repeat(depth));
  highlight(div, text);
  if (fold && fold.close !== null) {
    const ellipsis = document.createElement('span');
    ellipsis.className = 'jv-ellipsis';
    ellipsis.textContent = ' … ';
    div.append(ellipsis);
    highlight(div, fold.close);
    div.classList.add('jv-folded');
  }
  return div;
}

/**
 * Rows as the viewer draws them (every kind of token, an open and a folded row, the raw view),
 * for laying out ahead of time (warmup.ts).
 */
export function sampleRows(): HTMLElement[] {
  const raw = document.createElement('pre');
  raw.className = 'jv-raw';
  raw.textContent = '{}';
  return [
    prettyRow('{"data": [1, -2.5e3, "text", true, null],', 0, { line: 0, what: '2 keys', label: 'Collapse (2 keys)', close: null }),
    prettyRow('"meta": {', 1, { line: 1, what: '2 keys', label: 'Expand “meta” (2 keys)', close: '}' }),
    raw,
  ];
}

function cut(text: string): string {
  return text.length > ROW_CHARS ? `${text.slice(0, ROW_CHARS)} … (${(text.length - ROW_CHARS).toLocaleString()} more characters; the raw view, Copy and Save have them all)` : text;
}

const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d[\d.eE+-]*)|(true|false|null)|([{}[\],])/g;

/** Appends `text` as spans by token kind (key, string, number, literal, punctuation). */
function highlight(parent: HTMLElement, text: string): void {
  TOKEN.lastIndex = 0;
  let at = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    if (m.index > at) parent.append(text.slice(at, m.index));
    const span = document.createElement('span');
    if (m[1] !== undefined) {
      span.className = m[2] !== undefined ? 'jv-key' : 'jv-str';
      span.textContent = m[1];
      parent.append(span);
      if (m[2] !== undefined) parent.append(m[2]);
    } else {
      span.className = m[3] !== undefined ? 'jv-num' : m[4] !== undefined ? 'jv-lit' : 'jv-punct';
      span.textContent = m[0];
      parent.append(span);
    }
    at = m.index + m[0].length;
  }
  if (at < text.length) parent.append(text.slice(at));
}
