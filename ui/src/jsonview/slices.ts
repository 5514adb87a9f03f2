//! Runs long work in short slices so the window stays responsive: each slice gets a time budget,
//! then the task yields (a MessageChannel message, which unlike setTimeout isn't clamped to 4 ms)
//! and the browser can paint and handle input before the next slice.

export interface SliceJob {
  /** Resolves true when the work finished, false when it was cancelled. */
  readonly done: Promise<boolean>;
  cancel(): void;
}

const SLICE_MS = 8;

let channel: MessageChannel | null = null;
const queue: (() => void)[] = [];

function yieldThen(fn: () => void): void {
  if (typeof MessageChannel === 'undefined') {
    setTimeout(fn, 0);
    return;
  }
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => queue.shift()?.();
  }
  queue.push(fn);
  channel.port2.postMessage(null);
}

/**
 * Calls `step(deadline)` until it returns true, one call per task, each with a deadline
 * `sliceMs` away; `afterSlice` runs after each call (to paint progress). An exception from
 * `step` rejects `done`.
 */
export function runInSlices(step: (deadline: number) => boolean, afterSlice?: (finished: boolean) => void, sliceMs = SLICE_MS): SliceJob {
  let cancelled = false;
  const done = new Promise<boolean>((resolve, reject) => {
    const run = () => {
      if (cancelled) {
        resolve(false);
        return;
      }
      let finished: boolean;
      try {
        finished = step(performance.now() + sliceMs);
        afterSlice?.(finished);
      } catch (e) {
        reject(e);
        return;
      }
      if (finished) resolve(true);
      else yieldThen(run);
    };
    run();
  });
  return { done, cancel: () => { cancelled = true; } };
}
