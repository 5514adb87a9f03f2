//! Telling the user something happened. `announce` speaks through the screen-reader live
//! regions; `toast` shows a short message and announces it (the toast itself is visual only,
//! so nothing is read twice). Messages that belong to a field or a card stay there; these are
//! for outcomes with no better place, like "Copied".

import { byId, message } from './dom';

export type ToastKind = 'ok' | 'error' | 'info';

let toastTimer: number | undefined;

export function announce(text: string, urgent = false): void {
  const region = byId(urgent ? 'live-alert' : 'live-status');
  // Clearing first makes a repeated identical message count as a change.
  region.textContent = '';
  window.setTimeout(() => { region.textContent = text; }, 30);
}

export function toast(text: string, kind: ToastKind = 'ok'): void {
  const el = byId('toast');
  window.clearTimeout(toastTimer);
  el.dataset['kind'] = kind;
  el.textContent = text;
  el.hidden = false;
  announce(text, kind === 'error');
  toastTimer = window.setTimeout(hideToast, kind === 'error' ? 8000 : 4000);
}

export function hideToast(): void {
  window.clearTimeout(toastTimer);
  byId('toast').hidden = true;
}

export function initToast(): void {
  byId('toast').addEventListener('click', hideToast);
}

/** Shows (or clears) the message under a field, marks the field invalid and speaks the message. */
export function fieldError(input: HTMLElement, error: HTMLElement, text: string | null): void {
  message(error, text, 'error');
  if (text) {
    input.setAttribute('aria-invalid', 'true');
    announce(text, true);
  } else {
    input.removeAttribute('aria-invalid');
  }
}
