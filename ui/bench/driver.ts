//! Runs inside the bench page (bench/run.mjs serves it: the built window + the dev mock + this):
//! the measurement of measure.ts on the mock's generated body. Results are POSTed to
//! /__bench/result.

import { measure } from './measure';

const MB = Number(new URLSearchParams(location.search).get('mb') ?? 10);
const mock = (window as unknown as { __mock: { bigBodyBytes: (mb: number) => ArrayBuffer } }).__mock;

// The body (and its bytes) is generated and cached before anything is measured.
measure(MB, () => void mock.bigBodyBytes(MB)).then(
  (result) => fetch('/__bench/result', { method: 'POST', body: JSON.stringify({ ok: true, result }) }),
  (e: unknown) => fetch('/__bench/result', { method: 'POST', body: JSON.stringify({ ok: false, error: String(e instanceof Error ? e.stack ?? e.message : e) }) }),
);
