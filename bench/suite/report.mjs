// Writes docs/BENCHMARKS.md from one run's results: every figure as median and spread of its
// runs and as a ratio to its reference measured in the same run, beside its target.

import { SECTIONS } from './sections.mjs';

function header(r) {
  const m = r.machine;
  const load = (l) => l.map((v) => v.toFixed(2)).join(' / ');
  return [
    '# Benchmarks',
    '',
    'Written by `scripts/bench.sh` (the whole suite, one command); every figure below comes from',
    'one run of it. The machine these numbers come from is shared, so an absolute number moves',
    'from run to run; what holds is the ratio to a reference measured in the same run, in',
    `alternating (ABBA) order: that is the headline of every figure. Medians, with the spread as`,
    '(min–max) over the runs. Benchmarks are never pass/fail: a missed target is reported here.',
    '',
    `| run | |`,
    '|---|---|',
    `| date | ${m.date}, commit ${m.commit ?? '?'}, ${r.ctx.build} builds, ${r.ctx.runs} runs per side${r.ctx.smoke ? ' (smoke run)' : ''} |`,
    `| machine | ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB; ${m.os}, Linux ${m.kernel} |`,
    `| load average (1 / 5 / 15 min) | at start ${load(r.loadStart)}; at end ${load(r.loadEnd)} |`,
    `| versions | ${m.rustc}; tauri ${m.tauri} (floor: ${m.floorTauri}); WebKitGTK ${m.webkitgtk}; Node ${m.node}; curl ${m.curl}${m.chromium ? `; Chromium ${m.chromium}` : ''}${m.hyperfine ? `; hyperfine ${m.hyperfine}` : ''} |`,
    `| duration | ${(r.seconds / 60).toFixed(1)} min |`,
    '',
  ];
}

/**
 * The page: the run's numbers, then bench/FINDINGS.md as it is (the profiles behind each miss
 * and each fix, with before/after numbers: written by people, kept across runs).
 */
export function render(r, findings = '') {
  const out = header(r);
  for (const [id, result] of Object.entries(r.results)) {
    const section = SECTIONS[id];
    if (section) out.push(...section({ ...result, idleSecs: r.ctx.idleMs / 1000, build: r.ctx.build }));
  }
  for (const [id, error] of Object.entries(r.errors)) {
    out.push(`## ${id}: not measured`, '', '```', String(error).split('\n').slice(0, 8).join('\n'), '```', '');
  }
  if (findings.trim()) out.push('', findings.trim().replace(/^# .*\n/, ''), '');
  return `${out.filter((l) => l !== undefined).join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}
