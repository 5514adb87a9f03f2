// One section of docs/BENCHMARKS.md per figure: what was measured and how, then the numbers.

import { fmt, fmtRatio, median, summary } from './stats.mjs';

const mib = (kib) => `${Math.round(kib / 1024)}`;
const verdict = (met) => (met ? 'met' : '**missed**');

export const SECTIONS = {
  startup: (x) => {
    const s = summary(x.app);
    return [
      '## 1. Start-up to the first meaningful paint',
      '',
      `${x.build === 'release' ? 'Release' : 'Debug'} builds under Xvfb, each started directly (no WebDriver) with the desktop data it`,
      'kept from its previous start: for the app, the connected profile and its token state; for',
      'the floor (`bench/hello`), its static page. One untimed start of each first. Measured from',
      'exec until the content is **on the screen**: a poller (`bench/suite/screen.py`) reads, about',
      'every 4 ms, a region of the X screen where the content shows a colour of its own (the app\'s',
      '"Connected" badge, the floor\'s heading). Beside it, until the page **reports** over IPC the',
      'wall-clock time at which its content had been painted (`requestAnimationFrame`, then the next',
      'task): the frame is then still to be composited (here by software OpenGL) and shown.',
      '',
      '| | median (min–max) | ratio | target |',
      '|---|---|---|---|',
      `| floor (bench/hello), on the screen | ${fmt(x.floor)} | 1 | |`,
      `| Thanks Connect, on the screen | ${fmt(x.app)} | **${fmtRatio(x.ratio)}** | ≤ 1.3×: ${verdict(x.ratio <= 1.3)} |`,
      `| its slowest start / its median | ${fmtRatio(x.tail)} | | ≤ 1.5×: ${verdict(x.tail <= 1.5)} |`,
      ...(x.appReport
        ? [
            `| floor, paint reported by the page | ${fmt(x.floorReport)} | 1 | |`,
            `| Thanks Connect, paint reported by the page | ${fmt(x.appReport)} | ${fmtRatio(x.reportRatio)} | |`,
            `| from the report to the screen: floor / app | ${fmt(x.floor.map((v, i) => v - x.floorReport[i]))} / ${fmt(x.app.map((v, i) => v - x.appReport[i]))} | | |`,
          ]
        : []),
      '',
      x.appLoaded.length
        ? `The app's page was loaded (its first IPC call, "window loaded") ${fmt(x.appLoaded)} after its \`main\` started.`
        : '',
      `Runs, on the screen (ms): app ${x.app.join(', ')}; floor ${x.floor.join(', ')}. Median ${s.median} ms.`,
      '',
    ];
  },
  memory: (x) => {
    const names = new Set([...x.appRuns, ...x.floorRuns].flatMap((r) => Object.keys(r.byName)));
    const med = (runs, f) => summary(runs.map(f)).median;
    const rows = [...names].map((n) => `| ${n} | ${mib(med(x.appRuns, (r) => r.byName[n] ?? 0))} | ${mib(med(x.floorRuns, (r) => r.byName[n] ?? 0))} |`);
    const parts = ['executable', 'libraries', 'heap', 'anonymous', 'other'];
    const inside = (key) => parts.map((p) => `| ${p} | ${mib(med(x.appRuns, (r) => r[key]?.[p] ?? 0))} | ${mib(med(x.floorRuns, (r) => r[key]?.[p] ?? 0))} |`);
    return [
      '## 2. Idle memory',
      '',
      `Proportional set size (shared pages split among their users) of the app and every process`,
      `below it (WebKit's web and network processes), after a login in the window and one console`,
      `call (\`GET orders/list\` on the sandbox), then ${x.idleSecs ?? 8} s idle; the floor idle for as long. Both`,
      'started through tauri-driver (WebDriver), the same way.',
      '',
      '| | total PSS, MiB: median (min–max) | ratio | target |',
      '|---|---|---|---|',
      `| floor (bench/hello), idle | ${fmt(x.floor, 'MiB')} | 1 | |`,
      `| Thanks Connect, after a login and a call | ${fmt(x.app, 'MiB')} | **${fmtRatio(x.ratio)}** | ≤ 1.2×: ${verdict(x.ratio <= 1.2)} |`,
      '',
      'Where it sits (medians, MiB):',
      '',
      '| process | app | floor |',
      '|---|---:|---:|',
      ...rows,
      '',
      'Inside the main process and the web process (medians, MiB; "anonymous" holds the',
      "JavaScript heap, WebKit's rendering buffers and thread stacks):",
      '',
      '| main process | app | floor |',
      '|---|---:|---:|',
      ...inside('main'),
      '',
      '| web process | app | floor |',
      '|---|---:|---:|',
      ...inside('web'),
      '',
    ];
  },
  console: (x) => {
    const e = x.inProcess.engine_ms;
    const b = x.inProcess.reqwest_ms;
    const extra = e.map((v, i) => v - b[i]);
    const noteFirst = x.inProcess.engine_note_first_ms;
    const procRatio = median(x.processes.thanksctl) / median(x.processes.curl);
    return [
      '## 3. Console overhead',
      '',
      `In process: \`GET /ping\` on the sandbox through the engine (\`Engine::call\`: profile,`,
      `token from the keyring, the request, the response view) as the app's console runs it (the`,
      `call's "last API call" note written after the answer), and as \`thanksctl call\` does (the note`,
      `on disk before the call returns), against the same request from a bare \`reqwest\` client`,
      `holding the same token; ${x.inProcess.calls_per_round} calls per round, each round's median, each round starting`,
      `with the next of the three (src-tauri/crates/cli/benches/engine.rs). Whole`,
      `processes: \`thanksctl call GET ping\` against \`curl\` with the same token (from a header`,
      `file), timed by hyperfine (no shell, 3 warm-up runs, ${x.perRound} runs each per round), rounds alternating.`,
      '',
      '| | median of round medians (min–max) | against the reference | target |',
      '|---|---|---|---|',
      `| bare reqwest | ${fmt(b, 'ms', 2)} | | |`,
      `| Engine::call, as the console runs it | ${fmt(e, 'ms', 2)} | **+${median(extra).toFixed(2)} ms** | ≤ +0.5 ms: ${verdict(median(extra) <= 0.5)} |`,
      `| of which the token lookup (config, metadata, keyring read) | ${fmt(x.inProcess.token_lookup_ms, 'ms', 2)} | | |`,
      ...(noteFirst
        ? [`| Engine::call, as \`thanksctl call\` runs it (its note on disk first) | ${fmt(noteFirst, 'ms', 2)} | +${median(noteFirst.map((v, i) => v - b[i])).toFixed(2)} ms | |`]
        : []),
      `| curl | ${fmt(x.processes.curl, 'ms', 1)} | | |`,
      `| thanksctl call | ${fmt(x.processes.thanksctl, 'ms', 1)} | **${fmtRatio(procRatio)}** | ≤ 1.5×: ${verdict(procRatio <= 1.5)} |`,
      '',
    ];
  },
  storm: (x) => {
    const single = x.single_ms;
    const p99 = x.storm_p99_ms;
    const r = median(p99) / median(single);
    const exact = [...x.storm_refreshes, ...x.single_refreshes].every((n) => n === 1);
    return [
      '## 4. Refresh storm',
      '',
      `The access token expired (the sandbox refuses it, and the engine's clock is past its expiry):`,
      `${x.concurrency} calls at once (\`GET /ping\`, one engine set up as the app's, tokio tasks) against one call alone on an expired`,
      'token (one refresh, then the request), alternating. Latency from the start of the storm to',
      "each call's answer. Refreshes counted by the sandbox.",
      '',
      '| | median (min–max) | ratio | target |',
      '|---|---|---|---|',
      `| one call on an expired token | ${fmt(single, 'ms', 1)} | 1 | |`,
      `| ${x.concurrency} calls at once: median latency | ${fmt(x.storm_p50_ms, 'ms', 1)} | | |`,
      `| ${x.concurrency} calls at once: 99th percentile | ${fmt(p99, 'ms', 1)} | **${fmtRatio(r)}** | ≤ 2×: ${verdict(r <= 2)} |`,
      `| ${x.concurrency} calls at once: slowest | ${fmt(x.storm_max_ms, 'ms', 1)} | | |`,
      `| refreshes per storm | ${x.storm_refreshes.join(', ')} | | exactly 1: ${verdict(exact)} |`,
      ...(x.calm_p99_ms?.length
        ? [
            `| the same ${x.concurrency} calls on a good token (no refresh), right after: 99th percentile | ${fmt(x.calm_p99_ms, 'ms', 1)} | ${fmtRatio(median(x.calm_p99_ms) / median(single))} | |`,
            `| what the refresh adds to the storm's 99th percentile | ${(median(p99) - median(x.calm_p99_ms)).toFixed(1)} ms | | |`,
            `| refreshes in those calls | ${x.calm_refreshes.join(', ')} | | none |`,
          ]
        : []),
      '',
    ];
  },
  viewer: (x) => {
    const w = x.webkit;
    const c = x.chromium;
    const col = (runs, k) => runs.map((r) => r[k]);
    const ipc = w.map((r) => r.clickToAnswerMs - r.httpMs);
    const longtask = w.some((r) => r.longTasksApi);
    const paint = median(col(w, 'firstPaintMs'));
    const gap = Math.max(...col(w, 'heartbeatGapMs'));
    const rows = [
      ['first paint after the answer arrived', 'firstPaintMs', 'ms'],
      ['longest gap between heartbeat tasks while formatting (bounds every task)', 'heartbeatGapMs', 'ms'],
      ['formatted to the end (in the background)', 'formattedMs', 'ms'],
      ['from Send to the answer in the page', 'clickToAnswerMs', 'ms'],
    ];
    return [
      '## 5. A 10 MB JSON response in the window',
      '',
      `A ${x.mb} MB generated \`/orders/list\`-like body (ui/dev/big-body.ts), sent from the console and`,
      `measured in the page by ui/bench/measure.ts: in the real app window (WebKitGTK ${w[0]?.userAgent?.match(/AppleWebKit\/[\d.]+/)?.[0] ?? ''}, the body`,
      'crossing the real IPC from Rust; the response from a local API origin) and in headless',
      'Chromium on the built UI with the dev mock (no IPC), alternating. The Long Tasks API',
      `${longtask ? 'is' : 'is **not**'} available in WebKitGTK, so its longest task is the heartbeat measure:`,
      'the largest gap between back-to-back MessageChannel tasks, an upper bound of every task.',
      '',
      `| | WebKitGTK window, median (min–max) | Chromium, median (min–max) | ratio |`,
      '|---|---|---|---|',
      ...rows.map(([label, k, u]) => `| ${label} | ${fmt(col(w, k), u)} | ${c.length ? fmt(col(c, k), u) : 'not measured'} | ${c.length ? fmtRatio(median(col(w, k)) / median(col(c, k))) : ''} |`),
      `| of that, the IPC crossing (answer in the page minus Rust's HTTP time) | ${fmt(ipc)} | (no IPC) | |`,
      '',
      `Targets in the window: first paint ≤ 500 ms: ${verdict(paint <= 500)} (${paint} ms); longest task ≤ 100 ms: ${verdict(gap <= 100)} (worst heartbeat gap ${gap} ms).`,
      '',
    ];
  },
  sizes: (x) => {
    const m = (b) => (b == null ? 'not built' : `${(b / 1e6).toFixed(1)} MB`);
    const ratio = (a, b) => (a != null && b != null ? fmtRatio(a / b) : '');
    return [
      '## 6. Sizes',
      '',
      'The app and the floor built with the same profile; the breakdown is by crate from the',
      "binary's symbol table (`nm --size-sort -S -C`, code and data, each symbol counted to the crate",
      'its path starts with; cargo-bloat does the same).',
      '',
      '| | app | floor | ratio | target |',
      '|---|---|---|---|---|',
      `| \`.deb\` | ${m(x.deb.app)} | ${m(x.deb.floor)} | ${ratio(x.deb.app, x.deb.floor)} | ≤ 12 MB: ${x.deb.app == null ? 'not built' : verdict(x.deb.app <= 12e6)} |`,
      `| binary | ${m(x.binary.app)} | ${m(x.binary.floor)} | **${ratio(x.binary.app, x.binary.floor)}** | |`,
      `| symbols (code and data) | ${m(x.symbols.app)} | ${m(x.symbols.floor)} | ${ratio(x.symbols.app, x.symbols.floor)} | |`,
      '',
      'Biggest contributors to the app binary:',
      '',
      '| crate | app | floor |',
      '|---|---:|---:|',
      ...x.top.map((t) => `| ${t.name} | ${(t.bytes / 1e3).toFixed(0)} kB | ${t.floor ? `${(t.floor / 1e3).toFixed(0)} kB` : '–'} |`),
      '',
    ];
  },
  micro: (x) => [
    '## 7. Micro-benchmarks',
    '',
    `Criterion${x.quick ? ' (quick mode, debug build: the smoke run)' : ''}, time per call: median and 95% confidence interval`,
    '(`src-tauri/crates/core/benches/micro.rs`, `src-tauri/crates/history/benches/history.rs`).',
    '',
    '| benchmark | median | 95% interval |',
    '|---|---:|---|',
    ...Object.entries(x.estimates).map(([id, e]) => `| ${id} | ${time(e.point_estimate)} | ${time(e.confidence_interval.lower_bound)} – ${time(e.confidence_interval.upper_bound)} |`),
    '',
  ],
  soak: (x) => {
    const base = x.samples.find((s) => s.sends >= Math.min(100, x.sends / 3)) ?? x.samples[0];
    const last = x.samples.at(-1);
    const growth = (last.pssMiB - base.pssMiB) / base.pssMiB;
    const late = Math.max(...x.samples.map((s) => s.lateMs));
    const lt = Math.max(...x.samples.map((s) => s.longtaskMs));
    return [
      '## 8. Soak',
      '',
      `${x.sends} console sends in the real window (three 2 kB bodies to one of 1 MB, from a local API origin)`,
      `and ${x.refreshes} token refreshes (*Refresh now*, against the sandbox) over ${(x.seconds / 60).toFixed(1)} min. Longest task: a`,
      `10 ms interval timer in the page (how late its worst tick came)${x.longtaskApi ? ', and the Long Tasks API' : '; WebKitGTK has no Long Tasks API'}.`,
      '',
      '| | value | target |',
      '|---|---|---|',
      `| PSS growth after send ${base.sends} (${base.pssMiB.toFixed(0)} → ${last.pssMiB.toFixed(0)} MiB) | **${(growth * 100).toFixed(1)}%** | ≤ 10%: ${verdict(growth <= 0.1)} |`,
      `| longest task (latest timer tick) | ${late.toFixed(0)} ms${x.longtaskApi ? `; Long Tasks API ${lt.toFixed(0)} ms` : ''} | ≤ 100 ms: ${verdict(late <= 100)} |`,
      `| errors | ${x.errors.length}${x.errors.length ? `: ${x.errors.slice(0, 3).join('; ')}` : ''} | none: ${verdict(x.errors.length === 0)} |`,
      ...(x.lateAfter
        ? [`| latest tick after a 1 MB answer / a 2 kB answer / a refresh (each with the pause after it) | ${x.lateAfter.big.toFixed(0)} / ${x.lateAfter.small.toFixed(0)} / ${x.lateAfter.refresh.toFixed(0)} ms | |`]
        : []),
      ...(x.latest?.endedAtMs
        ? [`| the latest tick ended at (UTC; to find it in a system-wide profile) | ${new Date(x.latest.endedAtMs).toISOString().slice(11, 23)}, after ${{ big: 'a 1 MB answer', small: 'a 2 kB answer', refresh: 'a refresh' }[x.latest.after] ?? 'the start'} | |`]
        : []),
      '',
      '| sends | minutes | PSS MiB | latest tick ms |',
      '|---:|---:|---:|---:|',
      ...x.samples.map((s) => `| ${s.sends} | ${(s.seconds / 60).toFixed(1)} | ${s.pssMiB.toFixed(0)} | ${s.lateMs.toFixed(0)} |`),
      '',
    ];
  },
};

/** Nanoseconds as criterion reports them, in a readable unit. */
function time(ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}
