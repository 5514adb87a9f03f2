//! Words for the support desk's facts, shared by the Accounts view, the timeline and the Token
//! panel: who did something (this window, `thanksctl`, another process), why a refresh
//! happened, and what each timeline event means.

import type { Actor, EventKind, EventView, Trigger } from './ipc';
import * as state from './state';

/** "this window", "thanksctl (pid 4242)", "another Thanks Connect window (pid 77)". */
export function actorWords(actor: Actor | null | undefined): string {
  if (!actor) return 'an earlier version';
  if (actor.pid === state.info.value?.pid && actor.process === 'app') return 'this window';
  if (actor.process === 'app') return `another Thanks Connect window (pid ${actor.pid})`;
  return `${actor.process} (pid ${actor.pid})`;
}

/** Shorter, for table cells: "this window", "thanksctl", "other window". */
export function actorShort(actor: Actor | null | undefined): string {
  if (!actor) return '';
  if (actor.pid === state.info.value?.pid && actor.process === 'app') return 'this window';
  return actor.process === 'app' ? 'other window' : actor.process;
}

export const TRIGGER_WORDS: Record<Trigger, string> = {
  proactive: 'before it expired',
  after_401: 'after a 401',
  manual: 'on request',
  background: 'in the background',
};

const KIND_WORDS: Record<EventKind, string> = {
  login_started: 'Sign-in started',
  login_completed: 'Connected',
  login_failed: 'Sign-in failed',
  refreshed: 'Refreshed',
  refresh_failed: 'Refresh failed',
  needs_reconnect: 'Needs reconnect',
  disconnected: 'Disconnected',
  personal_token_saved: 'Personal token saved',
  token_copied: 'Token copied',
  validated: 'Validated',
};

export function eventTitle(e: EventView): string {
  if (e.kind === 'validated' && !e.ok) return 'Validation failed';
  return KIND_WORDS[e.kind];
}

/** The timeline's filter groups. */
export type EventFilter = 'all' | 'problems' | 'signins' | 'refreshes' | 'use';

export function matchesFilter(e: EventView, filter: EventFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'problems':
      return !e.ok;
    case 'signins':
      return ['login_started', 'login_completed', 'login_failed', 'personal_token_saved', 'disconnected'].includes(e.kind);
    case 'refreshes':
      return ['refreshed', 'refresh_failed', 'needs_reconnect'].includes(e.kind);
    case 'use':
      return e.kind === 'validated' || e.kind === 'token_copied';
  }
}

export function isEventFilter(v: string): v is EventFilter {
  return ['all', 'problems', 'signins', 'refreshes', 'use'].includes(v);
}
