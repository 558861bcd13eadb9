/**
 * The HTTP backend's blob stream holds back its last chunk until the digest checks out (issue 10 item 7):
 * a corrupt blob sent in one chunk yields no bytes at all, a corrupt blob sent in several yields all but
 * the last before the error. A real loopback server, so that chunks arrive as they are written.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpRegistry, type HttpRegistry } from './index';

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const CHUNK = Buffer.alloc(1000, 1);
const GOOD = Buffer.concat([CHUNK, CHUNK, CHUNK]);
const BAD = Buffer.concat([CHUNK, CHUNK, Buffer.alloc(1000, 2)]);

let server: Server;
let registry: HttpRegistry;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/v2/') return void res.writeHead(200).end('{}');
    const many = req.url!.startsWith('/v2/many/');
    res.writeHead(200, { 'content-length': BAD.length });
    if (!many) return void res.end(BAD);
    // Three writes, apart: three chunks on the client side.
    let i = 0;
    const next = () => {
      res.write(BAD.subarray(i * 1000, (i + 1) * 1000));
      if (++i < 3) setTimeout(next, 50);
      else res.end();
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registry = createHttpRegistry({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, retries: 0 });
});

afterAll(async () => {
  await registry.close();
  await new Promise((resolve) => server.close(resolve));
});

async function drain(body: ReadableStream<Uint8Array>): Promise<{ received: number; error: unknown }> {
  const reader = body.getReader();
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { received, error: undefined };
      received += value.length;
    }
  } catch (error) {
    return { received, error };
  }
}

describe('blob stream verification', () => {
  it('a corrupt blob in one chunk yields no bytes before DIGEST_INVALID', async () => {
    const blob = await registry.getBlob('one/r', sha256(GOOD));
    const { received, error } = await drain(blob.body);
    expect(error).toMatchObject({ code: 'DIGEST_INVALID' });
    expect(received).toBe(0);
  });

  it('a corrupt blob in several chunks never delivers its last one', async () => {
    const blob = await registry.getBlob('many/r', sha256(GOOD));
    const { received, error } = await drain(blob.body);
    expect(error).toMatchObject({ code: 'DIGEST_INVALID' });
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(BAD.length);
  });
});
