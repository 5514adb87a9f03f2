//! Creates the window's fonts ahead of need, on Linux, once the window has painted and gone idle.
//!
//! WebKitGTK makes each font (a family list at one size, weight, style and set of numeric
//! features) the first time it lays out text in it, through fontconfig: about a hundred
//! FcFontSetMatch calls, ~1 ms here, for each family of the list it tries. Nothing on a start's
//! first panel uses the ten or so fonts of the Console's answer (its status line, timings,
//! header tables, the JSON rows), so the first answer of every session paid for them inside its
//! longest task: 30–34 lookups there, none at the second answer in the same window. In the 10 MB
//! benchmark that task was 68–116 ms before and 30–75 ms after, the first paint of the answer
//! 130–257 ms before and 76–134 after (bench/FINDINGS.md). WebView2 and WKWebView find fonts
//! without this cost, so elsewhere this does nothing.
//!
//! How: each panel is copied, with everything in it shown, a little text in its empty elements
//! and a sample of what answers add (a header row, JSON rows), laid out once off screen and
//! hidden, then removed, one panel per idle slot. WebKit keeps the fonts after the copy is gone.
//! The copy is inert, hidden from assistive technology, and lives within one task, so nothing
//! else (a click, a test's query by id) ever sees its duplicate ids.

import { headerRows } from './panels/response';
import { sampleRows } from './panels/viewer';

/** True where the fonts are worth making early: WebKitGTK (Rust marks Linux before the page loads). */
export function wanted(): boolean {
  return document.documentElement.dataset['os'] === 'linux';
}

/** Runs `fn` when the page is idle (a timer where the engine has no requestIdleCallback). */
function idle(fn: () => void): void {
  const ric = (window as Partial<Pick<Window, 'requestIdleCallback'>>).requestIdleCallback;
  if (ric) ric.call(window, fn, { timeout: 1000 });
  else window.setTimeout(fn, 50);
}

/**
 * Lays out a copy of each of `panels` (elements), one per idle slot, starting `delayMs` from now;
 * sets `data-fonts-ready` on <html> when all are done, which the window tests wait for.
 */
export function warmFonts(panels: HTMLElement[], delayMs: number): void {
  const queue = [...panels];
  const next = (): void => {
    const panel = queue.shift();
    if (!panel) {
      document.documentElement.dataset['fontsReady'] = 'true';
      return;
    }
    layOutCopy(panel);
    idle(next);
  };
  window.setTimeout(() => idle(next), delayMs);
}

function layOutCopy(panel: HTMLElement): void {
  const parent = panel.parentElement;
  if (!parent) return;
  const copy = panel.cloneNode(true) as HTMLElement;
  copy.hidden = false;
  for (const el of copy.querySelectorAll<HTMLElement>('[hidden]')) el.hidden = false;
  for (const el of copy.querySelectorAll<HTMLElement>('*')) {
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      if (!el.value) el.value = '0';
    } else if (el.childElementCount === 0 && !el.textContent && !(el instanceof HTMLSelectElement)) {
      el.textContent = '0';
    }
  }
  for (const table of copy.querySelectorAll<HTMLTableElement>('table')) (table.tBodies[0] ?? table).append(...headerRows([['name', 'value']]));
  for (const body of copy.querySelectorAll<HTMLElement>('.jv')) body.replaceChildren(...sampleRows());
  copy.setAttribute('aria-hidden', 'true');
  copy.inert = true;
  // Off screen, but as wide as the panel would be, so lines wrap as they will.
  copy.style.cssText = `position:absolute;top:0;left:-100000px;width:${Math.max(parent.clientWidth, 640)}px;visibility:hidden;pointer-events:none`;
  panel.after(copy);
  void copy.offsetHeight; // the layout, which makes the fonts
  copy.remove();
}
