//! The few DOM helpers the panels share. No templating: elements are built with `h()` and text
//! is always set as text, so nothing that came from Rust or the network is ever parsed as HTML
//! (and nothing needs an inline `style=`, which the CSP forbids).

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | undefined>;

/** The element with this id; the markup is ours, so a missing one is a bug worth failing on. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el as T;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/** Sets text only when it differs, so per-second renders don't churn the DOM or assistive tech. */
export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}

/** Sets text and hides the element when there is none (used for messages next to fields). */
export function message(el: HTMLElement, text: string | null, kind?: 'ok' | 'error' | 'info'): void {
  el.textContent = text ?? '';
  el.hidden = !text;
  if (kind) el.dataset['kind'] = kind;
  else delete el.dataset['kind'];
}

/**
 * Runs an action with its button disabled and marked busy, so a double click can't start it
 * twice; CSS shows a spinner from `aria-busy`. `settle` runs last, so a panel can re-apply its
 * own enabled/disabled rules after the action changed what they depend on.
 */
export async function busy<T>(button: HTMLButtonElement, action: () => Promise<T>, settle?: () => void): Promise<T> {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } finally {
    button.removeAttribute('aria-busy');
    button.disabled = false;
    settle?.();
  }
}

export function isBusy(button: HTMLButtonElement): boolean {
  return button.getAttribute('aria-busy') === 'true';
}

/**
 * Resolves with the wall-clock time (ms since the epoch) once what is in the DOM now has been
 * painted: a frame was drawn (requestAnimationFrame runs just before it), and the task after
 * that frame runs. `onFrame` runs in the frame's animation callback, before its style, layout
 * and paint.
 */
export function afterPaint(onFrame?: () => void): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(() => {
    onFrame?.();
    const next = new MessageChannel();
    next.port1.onmessage = () => resolve(Date.now());
    next.port2.postMessage(null);
  }));
}
