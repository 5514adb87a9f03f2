//! Fields for a catalog entry's path parameters: `/orders/{orderId}/track` gets an "orderId"
//! field, and the path follows what is typed there (`/orders/48213/track`). Typing in the path
//! itself keeps the fields in step while the path still has the template's shape, and drops
//! them when it no longer does.

import type { Param } from '../ipc';
import { byId, h } from '../dom';

let template: { path: string; params: Param[] } | null = null;
let pathInput: HTMLInputElement;
let changed: () => void = () => undefined;

/** `onChange` runs after the fields rewrote the path. */
export function initPathParams(path: HTMLInputElement, onChange: () => void, onEdit: () => void): void {
  pathInput = path;
  changed = onChange;
  byId('path-param-fields').addEventListener('input', () => {
    apply();
    onEdit();
  });
}

export function field(name: string): HTMLInputElement | null {
  return document.querySelector<HTMLInputElement>(`[data-param="${CSS.escape(name)}"]`);
}

/** Shows fields for `params` of the path template `path` (none: hides them). */
export function useTemplate(path: string | null, params: Param[] = []): void {
  template = path && params.length ? { path, params } : null;
  render();
}

function render(): void {
  const box = byId('path-params');
  const fields = byId('path-param-fields');
  if (!template) {
    box.hidden = true;
    fields.replaceChildren();
    return;
  }
  fields.replaceChildren(...template.params.map((p) => h('div', { class: 'field' },
    h('label', { for: `path-param-${p.name}` }, p.name, p.required ? null : h('span', { class: 'muted' }, ' (optional)')),
    h('input', {
      id: `path-param-${p.name}`, type: 'text', autocomplete: 'off', spellcheck: 'false',
      'data-param': p.name, 'aria-describedby': `path-param-${p.name}-hint`,
      inputmode: p.type === 'integer' || p.type === 'number' ? 'numeric' : undefined,
    }),
    h('p', { id: `path-param-${p.name}-hint`, class: 'hint' }, p.description))));
  box.hidden = false;
}

/** The first field, to focus after choosing an entry. */
export function firstField(): HTMLInputElement | null {
  const name = template?.params[0]?.name;
  return name ? field(name) : null;
}

/** Rewrites the path from the fields; an empty field leaves `{name}` in place. */
function apply(): void {
  if (!template) return;
  pathInput.value = template.path.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const value = field(name)?.value.trim() ?? '';
    return value ? encodeURIComponent(value) : whole;
  });
  changed();
}

/** The path was typed: keep the fields in step, or drop them when the shape is gone. */
export function follow(): void {
  if (!template) return;
  const names: string[] = [];
  const pattern = template.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]*)';
  });
  const m = new RegExp(`^${pattern}$`).exec(pathInput.value.trim());
  if (!m) {
    useTemplate(null);
    return;
  }
  names.forEach((name, i) => {
    const input = field(name);
    if (!input) return;
    let value = m[i + 1] ?? '';
    try {
      value = decodeURIComponent(value);
    } catch {
      // keep it as typed
    }
    input.value = value === `{${name}}` ? '' : value;
  });
}

/** Whether the path still follows a catalog template (its fields are shown). */
export function active(): boolean {
  return template !== null;
}
