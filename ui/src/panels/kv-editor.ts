//! A list of name/value rows (query parameters, headers) with add and remove. Typing only
//! updates the model; the rows are rebuilt only when one is added or removed, so focus and the
//! caret never jump. Row ids are `<prefix>-key-<n>`, `<prefix>-value-<n>`, `<prefix>-remove-<n>`.

import type { Pair } from '../ipc';
import { h } from '../dom';

export class KvEditor {
  private rows: Pair[] = [];

  constructor(
    private readonly container: HTMLElement,
    private readonly prefix: string,
    /** Singular, lower case, for labels: "query parameter", "header". */
    private readonly noun: string,
    private readonly addButton: HTMLButtonElement,
  ) {
    addButton.addEventListener('click', () => this.add());
    this.render();
  }

  /** Rows with a name, trimmed; rows left empty are ignored rather than sent. */
  values(): Pair[] {
    return this.rows.filter(([k]) => k.trim() !== '').map(([k, v]) => [k.trim(), v]);
  }

  /** Replaces every row (filling the console from history, cURL or the catalog). */
  set(pairs: readonly Pair[]): void {
    this.rows = pairs.map(([k, v]) => [k, v]);
    this.render();
  }

  add(): void {
    this.rows.push(['', '']);
    this.render();
    this.field('key', this.rows.length - 1)?.focus();
  }

  private remove(index: number): void {
    this.rows.splice(index, 1);
    this.render();
    const next = Math.min(index, this.rows.length - 1);
    (next >= 0 ? this.field('key', next) : null)?.focus() ?? this.addButton.focus();
  }

  private field(part: 'key' | 'value', index: number): HTMLInputElement | null {
    return this.container.querySelector<HTMLInputElement>(`#${this.prefix}-${part}-${index}`);
  }

  private render(): void {
    const noun = this.noun;
    this.container.replaceChildren(...this.rows.map(([key, value], i) => {
      const n = i + 1;
      const keyInput = h('input', {
        id: `${this.prefix}-key-${i}`, type: 'text', class: 'kv-key', spellcheck: 'false', autocomplete: 'off',
        placeholder: 'name', 'aria-label': `${capitalise(noun)} ${n} name`,
      });
      const valueInput = h('input', {
        id: `${this.prefix}-value-${i}`, type: 'text', class: 'kv-value', spellcheck: 'false', autocomplete: 'off',
        placeholder: 'value', 'aria-label': `${capitalise(noun)} ${n} value`,
      });
      keyInput.value = key;
      valueInput.value = value;
      keyInput.addEventListener('input', () => { (this.rows[i] as Pair)[0] = keyInput.value; });
      valueInput.addEventListener('input', () => { (this.rows[i] as Pair)[1] = valueInput.value; });
      const removeButton = h('button', {
        id: `${this.prefix}-remove-${i}`, type: 'button', class: 'icon', 'aria-label': `Remove ${noun} ${n}`, title: `Remove ${noun}`,
      }, '×');
      removeButton.addEventListener('click', () => this.remove(i));
      return h('div', { class: 'kv-row' }, keyInput, valueInput, removeButton);
    }));
    this.container.hidden = this.rows.length === 0;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
