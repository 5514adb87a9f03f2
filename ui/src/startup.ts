//! The page's side of the start-up timeline (src-tauri/src/startup.rs): marks around the steps
//! between the page loading and its first meaningful paint, sent to Rust with the paint report,
//! which logs them (at debug level) next to its own steps. Also `painted`, for what the first
//! paint doesn't need and so is fetched after it.

export interface PageTimeline { origin_unix_ms: number; marks: [string, number][] }

// main.ts imports this module first, so this runs before the rest of the bundle.
performance.mark('bundle');

/** Until the paint is reported: after it, nothing more is marked (the timeline is sent). */
let open = true;
let reportPainted: () => void = () => undefined;
/** Resolves once the first meaningful paint is reported (or the window failed to start). */
export const painted = new Promise<void>((resolve) => (reportPainted = resolve));

export function mark(name: string): void {
  if (open) performance.mark(name);
}

/** Marks the start of `name` now and its end when the returned function is called. */
export function span(name: string): () => void {
  if (!open) return () => undefined;
  mark(`${name} >`);
  return () => mark(`${name} <`);
}

/**
 * Ends the start-up: the marks so far, with the browser's own milestones of the page load, and
 * `painted` resolves.
 */
export function finish(): PageTimeline {
  open = false;
  reportPainted();
  const marks: [string, number][] = performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]);
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (nav) {
    marks.push(['response end', nav.responseEnd], ['dom interactive', nav.domInteractive], ['dom content loaded', nav.domContentLoadedEventEnd]);
  }
  for (const p of performance.getEntriesByType('paint')) marks.push([p.name, p.startTime]);
  for (const r of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    const name = r.name.split('/').pop() ?? '';
    marks.push([`${name} >`, r.startTime], [`${name} <`, r.responseEnd]);
  }
  performance.clearMarks();
  return { origin_unix_ms: performance.timeOrigin, marks: marks.filter(([, at]) => at > 0) };
}
