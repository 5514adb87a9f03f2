//! A generated list body of about `mb` megabytes, like a long `/orders/list`: the dev mock
//! answers `/bench/big?mb=` with it, and the benchmark suite's local API origin serves the same
//! bytes to the real window (bench/suite/origin.mjs), so both viewer figures see one body.
//! No DOM, no `location`: it runs in a page and in Node alike.

const cache = new Map<number, string>();

export function bigBody(mb: number): string {
  const cached = cache.get(mb);
  if (cached) return cached;
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < mb * 1_000_000; i++) {
    const item = JSON.stringify({
      id: 100000 + i, type: i % 5 ? 'postcard' : 'notecard', status: i % 3 ? 'Delivered' : 'Reviewing', recipients: i % 250,
      created_at: '2024-05-02T14:03:11Z', cost: 2.875, message: 'Hi %FIRST_NAME%, thank you for your business this year!',
      recipient: { name: 'Ada Lovelace', city: 'Any Town', postal_code: '12345', tags: ['vip', 'spring'] },
    });
    parts.push(item);
    size += item.length + 1;
  }
  const body = `{"data":[${parts.join(',')}],"links":{"next":null},"meta":{"total":${parts.length}}}`;
  cache.set(mb, body);
  return body;
}

const bytesCache = new Map<number, ArrayBuffer>();

/** The same body as UTF-8 bytes (how Rust hands a body to the window), made once. */
export function bigBodyBytes(mb: number): ArrayBuffer {
  const cached = bytesCache.get(mb);
  if (cached) return cached;
  const bytes = new TextEncoder().encode(bigBody(mb));
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  bytesCache.set(mb, buffer);
  return buffer;
}
