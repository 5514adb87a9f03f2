//! The response-viewer measurement, shared by both places it runs: headless Chromium on the
//! built UI with the dev mock (bench/driver.ts, started by bench/run.mjs), and the real app's
//! WebKitGTK window, where the benchmark suite injects it over WebDriver (bench/suite in the
//! repository root) and the body crosses the real IPC. It sends a request whose answer is a
//! generated JSON body of `mb` megabytes through the console and measures what the user feels:
//!   - first paint: from the moment the response reaches the window (its body's bytes, which
//!     come after the rest of the answer) to the first frame that shows body rows;
//!   - the longest main-thread task, two ways: the Long Tasks API (reports tasks ≥ 50 ms; not
//!     every engine has it, `longTasksApi` says) and a heartbeat (the largest gap between
//!     back-to-back MessageChannel tasks, which bounds every task from above);
//!   - then, each with its own longest task: formatting to the end, scrolling to the middle and
//!     the end, folding the big array, collapse all, a JSON-path filter, the raw view.

interface Step { name: string; ms: number; longestTaskMs: number; heartbeatGapMs: number }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

// ---- measuring ----

const longTasks: { start: number; duration: number }[] = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
} catch {
  // No Long Tasks API: the heartbeat still measures.
}

let beats: number[] = [];
let beating = false;
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  if (!beating) return;
  beats.push(performance.now());
  channel.port2.postMessage(null);
};
function startHeartbeat(): void {
  beats = [performance.now()];
  beating = true;
  channel.port2.postMessage(null);
}
/** The largest gap since startHeartbeat, and where it began on the page's clock. */
function stopHeartbeat(): { gap: number; from: number } {
  beating = false;
  let gap = 0;
  let from = 0;
  for (let i = 1; i < beats.length; i++) {
    const d = (beats[i] as number) - (beats[i - 1] as number);
    if (d > gap) [gap, from] = [d, beats[i - 1] as number];
  }
  return { gap, from };
}

function longestSince(t0: number): number {
  return longTasks.filter((t) => t.start + t.duration >= t0).reduce((m, t) => Math.max(m, t.duration), 0);
}

/** Resolves at the first frame after the current one was painted. */
function painted(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(() => {
    const c = new MessageChannel();
    c.port1.onmessage = () => resolve(performance.now());
    c.port2.postMessage(null);
  }));
}

async function waitFor(fn: () => boolean, timeout = 60_000): Promise<void> {
  const t0 = performance.now();
  while (!fn()) {
    if (performance.now() - t0 > timeout) throw new Error(`timed out waiting for ${fn.toString()}`);
    await sleep(10);
  }
}

async function step(name: string, action: () => void | Promise<void>, done: () => boolean): Promise<Step> {
  await sleep(200);
  const t0 = performance.now();
  startHeartbeat();
  await action();
  await waitFor(done);
  const end = await painted();
  const { gap } = stopHeartbeat();
  await sleep(100); // let the Long Tasks observer deliver
  return { name, ms: Math.round(end - t0), longestTaskMs: Math.round(longestSince(t0)), heartbeatGapMs: Math.round(gap) };
}

function setValue(id: string, value: string): void {
  const el = $<HTMLInputElement>(id);
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

// ---- the run ----

type Invoke = (cmd: string, args?: unknown, options?: unknown) => Promise<unknown>;

/**
 * Calls `seen` with each answer to `cmd` as it reaches the page, just before the UI's promise
 * settles. The dev mock's invoke() can be wrapped; Tauri's is read-only, but its IPC is a
 * fetch() to ipc://localhost/<cmd> (or http://ipc.localhost/<cmd>), and fetch can be: its
 * answer is read as JSON, or as an ArrayBuffer when the command returns raw bytes.
 */
function onAnswer(cmd: string, seen: (result: unknown) => void): void {
  const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: Invoke } }).__TAURI_INTERNALS__;
  const invoke = internals.invoke;
  const wrapped: Invoke = async (c, args, options) => {
    const result = await invoke(c, args, options);
    if (c === cmd) seen(result);
    return result;
  };
  try {
    internals.invoke = wrapped;
  } catch {
    // read-only (strict mode throws): Tauri's
  }
  if (internals.invoke === wrapped) return;
  const fetch = window.fetch;
  window.fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (String(input instanceof Request ? input.url : input).endsWith(`/${cmd}`) && response.headers.get('Tauri-Response') === 'ok') {
      for (const how of ['json', 'arrayBuffer'] as const) {
        const read = response[how].bind(response) as () => Promise<unknown>;
        (response as unknown as Record<typeof how, () => Promise<unknown>>)[how] = async () => {
          const body = await read();
          seen(body);
          return body;
        };
      }
    }
    return response;
  };
}

/**
 * Sends `GET /bench/big?mb=MB` from the console of the window this runs in (the built UI with
 * the dev mock, or the real app, whose API origin serves the same body) and measures it.
 * `prepare` runs first, before anything is timed (e.g. the mock generates its body).
 */
export async function measure(mb: number, prepare: () => void = () => undefined): Promise<unknown> {
  await waitFor(() => !!$('app-version')?.textContent && !$('connect-summary').textContent?.startsWith('Checking'));
  prepare();
  $('nav-console').click();
  setValue('console-path', '/bench/big');
  $('btn-add-query').click();
  setValue('query-key-0', 'mb');
  setValue('query-value-0', String(mb));
  await sleep(500);

  // Note when the answer is in the window: console_send's (status, headers, timings), then the
  // body's bytes (response_body), which is when it has arrived; decoding them is the page's work.
  let arrived = 0;
  let answer: { size?: number; timings?: { total_ms?: number } } = {};
  onAnswer('console_send', (result) => {
    answer = result as typeof answer;
  });
  onAnswer('response_body', () => {
    arrived = performance.now();
  });
  const viewer = $('response-body');
  let firstRows = 0;
  const seen = new MutationObserver(() => {
    if (!firstRows && arrived && viewer.querySelector('.jv-row')) firstRows = performance.now();
  });
  seen.observe(viewer, { childList: true, subtree: true });

  startHeartbeat();
  const clicked = performance.now();
  $('btn-send').click();
  await waitFor(() => firstRows > 0);
  const firstPaintAt = await painted();
  await waitFor(() => viewer.dataset['state'] === 'ready');
  const readyAt = await painted();
  const { gap: gapFormatting, from: gapFrom } = stopHeartbeat();
  seen.disconnect();
  await sleep(200);
  const longestFormatting = longestSince(arrived);
  const rows = viewer.querySelectorAll('.jv-row').length;

  const steps: Step[] = [];
  steps.push(await step('scroll to the middle', () => { viewer.scrollTop = viewer.scrollHeight / 2; }, () => true));
  steps.push(await step('scroll to the end', () => { viewer.scrollTop = viewer.scrollHeight; }, () => true));
  steps.push(await step('back to the top', () => { viewer.scrollTop = 0; }, () => !!viewer.querySelector('.jv-fold[data-line="1"]')));
  steps.push(await step('fold "data" (the big array)', () => viewer.querySelector<HTMLElement>('.jv-fold[data-line="1"]')?.click(), () => !!viewer.querySelector('.jv-folded')));
  steps.push(await step('unfold it', () => viewer.querySelector<HTMLElement>('.jv-fold[data-line="1"]')?.click(), () => !viewer.querySelector('.jv-folded')));
  steps.push(await step('collapse all', () => $('btn-collapse-all').click(), () => !!viewer.querySelector('.jv-folded')));
  steps.push(await step('expand all', () => $('btn-expand-all').click(), () => !viewer.querySelector('.jv-folded')));
  const filter = (path: string) => () => {
    setValue('response-filter', path);
    $('response-filter').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  };
  const filtered = () => /match/.test($('response-filter-status').textContent ?? '') && viewer.dataset['state'] === 'ready';
  steps.push(await step('filter $.data[0].id', filter('$.data[0].id'), filtered));
  steps.push(await step('filter data[*].status (all items)', filter('data[*].status'), filtered));
  steps.push(await step('clear the filter', filter(''), () => viewer.dataset['state'] === 'ready' && !!viewer.querySelector('.jv-fold[data-line="1"]')));
  steps.push(await step('raw view', () => $('response-raw').click(), () => viewer.dataset['state'] === 'ready' && !viewer.querySelector('.jv-fold')));

  return {
    userAgent: navigator.userAgent,
    cores: navigator.hardwareConcurrency,
    bodyBytes: answer.size ?? 0,
    // The HTTP exchange as Rust timed it; the rest of click-to-answer is the IPC crossing.
    httpMs: Math.round(answer.timings?.total_ms ?? 0),
    longTasksApi: PerformanceObserver.supportedEntryTypes?.includes('longtask') ?? false,
    clickToAnswerMs: Math.round(arrived - clicked),
    firstPaintMs: Math.round(firstPaintAt - arrived),
    formattedMs: Math.round(readyAt - arrived),
    longestTaskMs: Math.round(longestFormatting),
    heartbeatGapMs: Math.round(gapFormatting),
    // Where that gap began: after the answer arrived (ms), and on the wall clock (ms since the
    // epoch), to find it in a system-wide profile (perf's timestamps, lined up by the caller).
    heartbeatGapFromMs: Math.round(gapFrom - arrived),
    heartbeatGapWallMs: performance.timeOrigin + gapFrom,
    rowsInDom: rows,
    status: $('response-progress').textContent,
    longTasks: longTasks.map((t) => [Math.round(t.start - arrived), Math.round(t.duration)]),
    steps,
  };
}

