//! The small tags a catalog entry carries: costs money ($), legacy, undocumented, no auth.

import type { Endpoint } from '../ipc';
import { h } from '../dom';

export function endpointBadges(ep: Endpoint): HTMLElement[] {
  const tags: HTMLElement[] = [];
  if (ep.costs_money) {
    tags.push(h('span', { class: 'tag tag-money', title: 'Costs money: it can print, mail or charge' }, '$', h('span', { class: 'sr-only' }, ' costs money')));
  }
  if (ep.status === 'legacy') tags.push(h('span', { class: 'tag tag-legacy', title: 'Only in older thanks.io documentation' }, 'legacy'));
  if (ep.status === 'undocumented') tags.push(h('span', { class: 'tag tag-legacy', title: 'Used by official code but not in the spec' }, 'undocumented'));
  if (!ep.needs_auth) tags.push(h('span', { class: 'tag', title: 'Works without an access token' }, 'no auth'));
  return tags;
}
