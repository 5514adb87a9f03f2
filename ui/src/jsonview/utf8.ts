//! A response body's bytes to text without a long task: Rust hands the body over as raw bytes
//! (an ArrayBuffer), and decoding 10 MB in one call would hold the window as long as the JSON
//! string it replaces did. The decoding is resumable (`step`), like the viewer's formatting, so
//! `runInSlices` can spread it over short tasks and tests can drive it by hand.

import { runInSlices } from './slices';

/** Bytes per TextDecoder call; a slice decodes chunks until its deadline. */
const CHUNK = 256 * 1024;

export interface Utf8Decoding {
  /** Decodes at least one chunk, then more until `deadline`; true when all bytes are text. */
  step(deadline: number): boolean;
  /** The text so far (all of it once `step` returned true). */
  text(): string;
}

/**
 * Invalid sequences become U+FFFD and a leading BOM is kept, as with Rust's
 * `String::from_utf8_lossy`, which made the body's text before it came as bytes.
 */
export function utf8Decoding(bytes: ArrayBuffer | Uint8Array, chunk = CHUNK): Utf8Decoding {
  const all = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const parts: string[] = [];
  let at = 0;
  let done = false;
  return {
    step(deadline) {
      while (!done) {
        const end = Math.min(at + chunk, all.length);
        done = end === all.length;
        // stream: a character split between two chunks waits for the next one.
        parts.push(decoder.decode(all.subarray(at, end), { stream: !done }));
        at = end;
        if (performance.now() >= deadline) break;
      }
      return done;
    },
    text: () => parts.join(''),
  };
}

/** The whole text, decoded over as many short tasks as it takes. */
export async function decodeInSlices(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const decoding = utf8Decoding(bytes);
  await runInSlices((deadline) => decoding.step(deadline)).done;
  return decoding.text();
}
