// What the desktop around the window does, for the window tests: the X clipboard (xclip) and
// the app's native GTK file dialogs, answered with the keyboard through XTEST (xdotool) as a
// person would. WebDriver reaches only the web page, not these.

import { run, waitFor } from './harness.mjs';

/** The text on the X clipboard (what Copy put there), or '' when it holds none. */
export async function clipboardText() {
  const r = await run('xclip', ['-o', '-selection', 'clipboard']);
  return r.code === 0 ? r.stdout : '';
}

/** Waits for a top-level window titled `title` (a file dialog) and returns its X window id. */
async function windowTitled(title, timeout) {
  let id = '';
  await waitFor(async () => {
    const r = await run('xdotool', ['search', '--onlyvisible', '--name', `^${title}$`]);
    id = r.code === 0 ? r.stdout.trim().split('\n')[0] : '';
    return id !== '';
  }, { timeout, interval: 100, message: `a window titled "${title}"` });
  return id;
}

async function xdotool(args) {
  const r = await run('xdotool', args);
  if (r.code !== 0) throw new Error(`xdotool ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
}

async function shown(title) {
  const r = await run('xdotool', ['search', '--onlyvisible', '--name', `^${title}$`]);
  return r.code === 0 && r.stdout.trim() !== '';
}

/**
 * Answers the GTK file dialog titled `title` with `path`, as a person at the keyboard would:
 * Ctrl+L (the location field of an Open dialog; a Save dialog's name field has the focus and
 * takes a whole path), the path over whatever the field holds, Enter. Keys go to the focused
 * window through XTEST; there is no window manager under Xvfb, so the dialog is given the focus
 * first. A dialog that has just appeared may still be building itself and drop the keys (GTK
 * says so with a "widget not realized" warning); then the dialog is still there a moment later
 * and the same keys are typed again, until it closes. Resolves once it is gone.
 */
export async function answerFileDialog(title, path, { timeout = 30_000 } = {}) {
  const deadline = Date.now() + timeout;
  const id = await windowTitled(title, timeout);
  for (let attempt = 1; ; attempt += 1) {
    await waitFor(async () => {
      await xdotool(['windowfocus', '--sync', id]);
      return (await run('xdotool', ['getwindowfocus'])).stdout.trim() === id;
    }, { timeout: Math.max(deadline - Date.now(), 1000), interval: 200, message: `the dialog "${title}" to take the keyboard` });
    await xdotool(['key', '--clearmodifiers', 'ctrl+l']);
    await xdotool(['key', '--clearmodifiers', 'ctrl+a']);
    await xdotool(['type', '--delay', '5', path]);
    await xdotool(['key', '--clearmodifiers', 'Return']);
    try {
      await waitFor(async () => !(await shown(title)), { timeout: Math.min(3000, Math.max(deadline - Date.now(), 100)), interval: 100 });
      return;
    } catch (e) {
      if (Date.now() >= deadline) throw new Error(`the dialog "${title}" was still open ${attempt} tries at choosing ${path} later`, { cause: e });
    }
  }
}
