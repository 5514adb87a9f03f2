//! The endpoint catalog in the console: every thanks.io endpoint the app knows, searchable by
//! name, path and purpose (every word typed must appear), each with its tags ($ costs money,
//! legacy, no auth). Choosing one fills the request: method, path with fields for its path
//! parameters, and a valid body template. The list is one Tab stop (a roving tabindex: the
//! entry last moved to); arrow keys, Home and End move inside it.

import type { Endpoint } from '../ipc';
import { byId, h } from '../dom';
import { endpointBadges } from './badges';
import * as consolePanel from './console';

let all: Endpoint[] = [];
let onChosen: (ep: Endpoint) => void = () => undefined;

const search = () => byId<HTMLInputElement>('catalog-search');
const list = () => byId<HTMLUListElement>('catalog-list');

export function initCatalog(chosen: (ep: Endpoint) => void): void {
  onChosen = chosen;
  search().addEventListener('input', render);
  search().addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      const first = entries()[0];
      if (first) moveTo(first);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      list().querySelector<HTMLButtonElement>('button')?.click();
    }
  });
  list().addEventListener('keydown', (e) => {
    const buttons = entries();
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    let next: number;
    if (e.key === 'ArrowDown') next = Math.min(at + 1, buttons.length - 1);
    else if (e.key === 'ArrowUp') next = at - 1;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = buttons.length - 1;
    else return;
    e.preventDefault();
    if (next < 0) search().focus();
    else moveTo(buttons[next]);
  });
  // A click (or a focus from the search box) makes that entry the list's Tab stop.
  list().addEventListener('focusin', (e) => {
    const button = (e.target as Element | null)?.closest<HTMLButtonElement>('button.catalog-item');
    if (button) rove(button);
  });
  consolePanel.endpoints.subscribe((eps) => {
    all = eps;
    render();
  });
  render();
}

function entries(): HTMLButtonElement[] {
  return [...list().querySelectorAll<HTMLButtonElement>('button.catalog-item')];
}

/** Makes `button` the only entry Tab reaches. */
function rove(button: HTMLButtonElement): void {
  for (const b of entries()) b.tabIndex = b === button ? 0 : -1;
}

function moveTo(button: HTMLButtonElement | undefined): void {
  if (!button) return;
  rove(button);
  button.focus();
  button.scrollIntoView({ block: 'nearest' });
}

/** Words of the entry a search matches against: method, path, purpose, tags. */
function haystack(ep: Endpoint): string {
  const tags = [ep.costs_money ? 'costs money $ paid' : 'free', ep.status, ep.needs_auth ? '' : 'no auth'];
  return `${ep.method} ${ep.path} ${ep.purpose} ${tags.join(' ')}`.toLowerCase();
}

export function matching(endpoints: readonly Endpoint[], text: string): Endpoint[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...endpoints];
  return endpoints.filter((ep) => {
    const hay = haystack(ep);
    return words.every((w) => hay.includes(w));
  });
}

function render(): void {
  const found = matching(all, search().value);
  byId('catalog-count').textContent = all.length === 0
    ? 'The catalog could not be loaded; type a path below instead.'
    : found.length === all.length ? `${all.length} endpoints` : `${found.length} of ${all.length} endpoints`;
  list().replaceChildren(...found.map((ep) => {
    const index = all.indexOf(ep);
    const button = h('button', { type: 'button', class: 'catalog-item', id: `catalog-item-${index}`, 'data-endpoint': `${ep.method} ${ep.path}` },
      h('span', { class: 'method', 'data-method': ep.method }, ep.method),
      h('span', { class: 'catalog-path mono' }, ep.path),
      h('span', { class: 'catalog-purpose' }, ep.purpose),
      h('span', { class: 'tags' }, ...endpointBadges(ep)));
    button.tabIndex = -1;
    button.addEventListener('click', () => onChosen(ep));
    return h('li', {}, button);
  }));
  const first = entries()[0];
  if (first) first.tabIndex = 0;
}
