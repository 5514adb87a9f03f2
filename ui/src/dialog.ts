//! Modal dialogs, one way for all of them: `new Dialog(byId('x-dialog'), cancelValue)`, then
//! `await dialog.open()` resolves with what `close(value)` was given, or `cancelValue` when the
//! user pressed Escape. While open the rest of the window is inert (`showModal()`), Tab stays
//! inside, a click on the backdrop is not an answer (focus goes back into the dialog), and focus
//! returns to where it was. Markup and styles: `.dialog` in static/parts/dialog-*.html (see
//! ui/README.md); the box is as tall as its content, never the window.

const FOCUSABLE = 'button, [href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';

export class Dialog<T> {
  private answer: ((value: T) => void) | null = null;

  constructor(readonly el: HTMLDialogElement, private readonly cancelValue: T) {
    // Escape: the browser fires `cancel` on a modal dialog; handled here too for engines that don't.
    el.addEventListener('cancel', (e) => {
      e.preventDefault();
      this.close(this.cancelValue);
    });
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        this.close(this.cancelValue);
      } else if (e.key === 'Tab') {
        this.keepTabInside(e);
      }
    });
    el.addEventListener('click', (e) => {
      if (e.target === el) this.focusables()[0]?.focus();
    });
  }

  get isOpen(): boolean {
    return this.answer !== null;
  }

  /**
   * Shows the dialog and resolves with the answer. `focus` is where the keyboard starts (the
   * safe choice, for a question); by default the first focusable element. Opening it again
   * while open answers the earlier question with the cancel value first.
   */
  open(focus?: HTMLElement): Promise<T> {
    if (this.answer) this.close(this.cancelValue);
    const d = this.el;
    const opener = document.activeElement as HTMLElement | null;
    return new Promise<T>((resolve) => {
      this.answer = (value) => {
        opener?.focus({ preventScroll: true });
        resolve(value);
      };
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
      d.scrollTop = 0;
      (focus ?? this.focusables()[0])?.focus();
    });
  }

  /** Closes with `value` as the answer; nothing happens when it isn't open. */
  close(value: T): void {
    const d = this.el;
    if (d.open) {
      if (typeof d.close === 'function') d.close();
      else d.removeAttribute('open');
    }
    const done = this.answer;
    this.answer = null;
    done?.(value);
  }

  /** Closes it as a cancel (the question no longer applies). */
  dismiss(): void {
    if (this.answer) this.close(this.cancelValue);
  }

  private focusables(): HTMLElement[] {
    return [...this.el.querySelectorAll<HTMLElement>(FOCUSABLE)]
      .filter((el) => !(el as HTMLButtonElement).disabled && !el.closest('[hidden]'));
  }

  private keepTabInside(e: KeyboardEvent): void {
    const items = this.focusables();
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !this.el.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !this.el.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  }
}
