//! Messages that belong to a token state: "Validated 14:02 …", "Refresh failed 14:03 …", "Connected
//! profile …". Each remembers the profile and state it was shown in and disappears as soon as
//! either changes (another profile selected, disconnected, reconnected, rejected …), so a verdict
//! about an earlier state never sits next to a badge that says otherwise. While they stay, they
//! carry the time they were made.

import * as state from './state';
import type { TimedStatus } from './state';

const shown = new Map<HTMLElement, string>();

/** What a message is about: the profile, its state and how it is connected. */
function keyOf(profile: string, s: TimedStatus | null): string {
  return s ? `${profile}|${s.view.state}|${s.view.auth ?? ''}` : `${profile}|unknown`;
}

function currentKey(): string {
  return keyOf(state.currentProfile.value, state.status.value);
}

/** "14:02", in the user's locale: when a message that stays was made. */
export function clockTime(at: Date = new Date()): string {
  return at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/**
 * Marks `el` (filled and shown by the caller) as belonging to the current state: it is hidden
 * and emptied when the state or the profile changes.
 */
export function belongsToState(el: HTMLElement): void {
  shown.set(el, currentKey());
}

/** Forgets and clears a message now (the caller replaced or dismissed it). */
export function clearVerdict(el: HTMLElement): void {
  shown.delete(el);
  el.hidden = true;
  el.replaceChildren();
}

function sweep(): void {
  const key = currentKey();
  for (const [el, at] of [...shown]) if (at !== key) clearVerdict(el);
}

export function initVerdicts(): void {
  state.currentProfile.subscribe(sweep);
  state.status.subscribe((s) => {
    // `null` is the moment between profiles (selectProfile); the next status decides.
    if (s) sweep();
  });
}
