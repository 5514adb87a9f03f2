// A local API origin for the figures that need bodies thanks.io (and the sandbox) don't give:
// `GET /api/v2/bench/big?mb=N` answers the generated list body the dev mock uses,
// `GET /api/v2/bench/body?bytes=N` a JSON body of about N bytes, `GET /api/v2/ping` a pong.
// Loopback only. It takes any bearer token: tokens come from the sandbox (which the profile's
// token URL points at) or are personal tokens made up for the run; checking them is the
// sandbox's job, not this one's.

import { createServer } from 'node:http';

import { nodeModule } from './bundle.mjs';

export async function startOrigin() {
  const { bigBody } = await nodeModule('dev/big-body.ts');
  const sized = new Map();
  const body = (bytes) => {
    if (!sized.has(bytes)) {
      const filler = 'x'.repeat(Math.max(0, bytes - 40));
      sized.set(bytes, JSON.stringify({ data: { bytes, filler } }));
    }
    return sized.get(bytes);
  };
  let served = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let text;
    if (url.pathname === '/api/v2/bench/big') text = bigBody(Number(url.searchParams.get('mb') ?? 10));
    else if (url.pathname === '/api/v2/bench/body') text = body(Number(url.searchParams.get('bytes') ?? 1000));
    else if (url.pathname === '/api/v2/ping') text = '{"message":"pong"}';
    if (text === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    served++;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    apiBase: `${base}/api/v2`,
    served: () => served,
    close: () => new Promise((r) => server.close(r)),
  };
}
