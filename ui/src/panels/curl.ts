//! cURL in and out. "Copy as cURL" asks Rust to put the console's request on the clipboard, with
//! the real token only when "Include the access token" is checked (it is not by default); the
//! window only ever gets the preview, which reads the token from `$THANKS_TOKEN`. "Paste cURL"
//! sends a pasted command to Rust, which reads it into a request (leaving credentials out),
//! points it at the profile's own API, and names every option it didn't take over; the console
//! is filled with the result.

import * as ipc from '../ipc';
import { busy, byId, message } from '../dom';
import { toast } from '../notify';
import * as state from '../state';
import * as consolePanel from './console';

export function initCurl(onImported: () => void): void {
  const copy = byId<HTMLButtonElement>('btn-copy-curl');
  const include = byId<HTMLInputElement>('curl-include-token');
  const preview = byId<HTMLTextAreaElement>('curl-preview');
  include.checked = false;
  copy.addEventListener('click', () => void busy(copy, async () => {
    const spec = consolePanel.currentSpec();
    if (!spec.path) {
      toast('Enter a path first: there is no request to copy yet.', 'error');
      return;
    }
    try {
      const { preview: text, clears_in_secs: secs } = await ipc.curlCopy(state.currentProfile.value, spec, include.checked);
      preview.value = text;
      preview.hidden = false;
      preview.rows = Math.min(12, Math.max(3, text.split('\n').length));
      toast(secs !== null ? `cURL command copied, with your access token: paste it only where it is safe. Cleared from the clipboard in ${secs} s.` : 'cURL command copied; it reads the token from $THANKS_TOKEN.');
    } catch (e) {
      toast(ipc.errorText(e), 'error');
    }
  }));
  // The preview goes stale as soon as the request changes.
  consolePanel.requestChanged.subscribe(() => {
    if (!preview.hidden) preview.hidden = true;
  });

  const importButton = byId<HTMLButtonElement>('btn-import-curl');
  const paste = byId<HTMLTextAreaElement>('curl-paste');
  paste.addEventListener('input', () => message(byId('curl-import-error'), null));
  importButton.addEventListener('click', () => void busy(importButton, async () => {
    const text = paste.value.trim();
    const error = byId('curl-import-error');
    const unsupported = byId('curl-unsupported');
    if (!text) {
      message(error, 'Paste a curl command first.', 'error');
      paste.focus();
      return;
    }
    try {
      const result = await ipc.curlImport(state.currentProfile.value, text);
      onImported();
      consolePanel.fill(result.spec);
      message(error, null);
      const said = [
        ...result.notes,
        result.unsupported.length ? `Not taken over: ${result.unsupported.join('; ')}.` : null,
        result.ignored.length ? `Left out, as they only change how curl itself runs: ${result.ignored.join(', ')}.` : null,
      ].filter((line): line is string => line !== null);
      message(unsupported, said.length ? said.join(' ') : null);
      toast(`Console filled from the cURL command: ${result.spec.method} ${result.spec.path}.`);
    } catch (e) {
      message(unsupported, null);
      message(error, ipc.errorText(e), 'error');
    }
  }));
}
