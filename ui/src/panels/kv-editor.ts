//! A list of name/value rows (query parameters, headers) with add and remove. Typing only
//! updates the model; the rows are rebuilt only when one is added or removed, so focus and the
//! caret never jump. Row ids are `<prefix>-key-<n>`, `<prefix>-value-<n>`, `<prefix>-remove-<n>`.
//! With a suggestions element, the names an endpoint takes (from the catalog) are offered as
//! one-click buttons (those not already in a row) and as completions of the name fields.

import type { Pair, Param } from '../ipc';
import { h } from '../dom';

export class KvEditor {
  private rows: Pair[] = [];

  private suggested: readonly Param[] = [];

  constructor(
    private readonly container: HTMLElement,
    private readonly prefix: string,
    /** Singular, lower case, for labels: "query parameter", "header". */
    private readonly noun: string,
    private readonly addButton: HTMLButtonElement,
    /** Where suggested names go (`<prefix>-suggest-<name>` buttons), with a `<datalist>` after it. */
    private readonly suggestions?: HTMLElement,
  ) {
    addButton.addEventListener('click', () => this.add());
    this.render();
  }

  /** The names this request takes (the chosen catalog entry's), offered until each is used. */
  suggest(params: readonly Param[]): void {
    this.suggested = params;
    this.renderSuggestions();
  }

  private renderSuggestions(): void {
    const box = this.suggestions;
    if (!box) return;
    const used = new Set(this.rows.map(([k]) => k.trim()));
    const open = this.suggested.filter((p) => !used.has(p.name));
    const buttons = open.map((p) => {
      const b = h('button', {
        type: 'button', class: 'suggestion mono', id: `${this.prefix}-suggest-${p.name}`,
        title: p.description, 'aria-label': `Add ${this.noun} ${p.name}${p.description ? `: ${p.description}` : ''}`,
      }, `+ ${p.name}`);
      b.addEventListener('click', () => this.add(p.name));
      return b;
    });
    box.replaceChildren(...(buttons.length ? [h('span', { class: 'hint' }, 'This endpoint takes:'), ...buttons] : []));
    box.hidden = buttons.length === 0;
    const list = document.getElementById(`${this.prefix}-names`);
    list?.replaceChildren(...this.suggested.map((p) => h('option', { value: p.name, label: p.description })));
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

  /** Adds a row (named, from a suggestion: then the value is focused). */
  add(name = ''): void {
    this.rows.push([name, '']);
    this.render();
    this.field(name ? 'value' : 'key', this.rows.length - 1)?.focus();
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
      if (this.suggestions) keyInput.setAttribute('list', `${this.prefix}-names`);
      keyInput.addEventListener('input', () => { (this.rows[i] as Pair)[0] = keyInput.value; });
      keyInput.addEventListener('change', () => this.renderSuggestions());
      valueInput.addEventListener('input', () => { (this.rows[i] as Pair)[1] = valueInput.value; });
      const removeButton = h('button', {
        id: `${this.prefix}-remove-${i}`, type: 'button', class: 'icon', 'aria-label': `Remove ${noun} ${n}`, title: `Remove ${noun}`,
      }, '×');
      removeButton.addEventListener('click', () => this.remove(i));
      return h('div', { class: 'kv-row' }, keyInput, valueInput, removeButton);
    }));
    this.container.hidden = this.rows.length === 0;
    this.renderSuggestions();
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
