// Statistics for the suite: medians, spreads and same-run ratios. Small on purpose: every
// figure is a handful of runs, and what matters is that subject and reference were measured
// in the same minutes, alternating, so load on the machine hits both alike.

/** The p-th percentile (0–100) by linear interpolation between closest ranks. */
export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export const median = (values) => percentile(values, 50);

/** {n, median, min, max, p25, p75} of a list of numbers. */
export function summary(values) {
  return {
    n: values.length,
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    p25: percentile(values, 25),
    p75: percentile(values, 75),
  };
}

/** subject/reference of the medians: how many times the reference the subject costs. */
export function ratio(subject, reference) {
  return median(subject) / median(reference);
}

/**
 * Runs `a` and `b` alternately, `runs` times each, in ABBA order (a b, b a, a b, …) so neither
 * always runs right after the other and drifting load hits both alike.
 * Resolves {a: [results], b: [results]}.
 */
export async function alternate(runs, a, b, { onRun } = {}) {
  const out = { a: [], b: [] };
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? [['a', a], ['b', b]] : [['b', b], ['a', a]];
    for (const [key, fn] of order) {
      const value = await fn(i);
      out[key].push(value);
      onRun?.(key, i, value);
    }
  }
  return out;
}

/** "412 ms (380–455)": median and min–max, in the unit given. */
export function fmt(values, unit = 'ms', digits = 0) {
  const s = summary(values);
  const f = (v) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${f(s.median)} ${unit} (${f(s.min)}–${f(s.max)})`;
}

export function fmtRatio(r) {
  return `${r.toFixed(2)}×`;
}
