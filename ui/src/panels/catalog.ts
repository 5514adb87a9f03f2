//! The endpoint catalog in the console: every thanks.io endpoint the app knows, searchable by
//! name, path and purpose (every word typed must appear), each with its tags ($ costs money,
//! legacy, no auth). Choosing one fills the request: method, path with fields for its path
//! parameters, and a valid body template. Arrow keys move through the list.

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
      list().querySelector<HTMLButtonElement>('button')?.focus();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      list().querySelector<HTMLButtonElement>('button')?.click();
    }
  });
  list().addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const buttons = [...list().querySelectorAll<HTMLButtonElement>('button')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    e.preventDefault();
    const next = at + (e.key === 'ArrowDown' ? 1 : -1);
    if (next < 0) search().focus();
    else buttons[Math.min(next, buttons.length - 1)]?.focus();
  });
  consolePanel.endpoints.subscribe((eps) => {
    all = eps;
    render();
  });
  render();
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
    button.addEventListener('click', () => onChosen(ep));
    return h('li', {}, button);
  }));
}
