/**
 * The HTTP backend never hands on a corrupt blob as complete (issue 10 item 7): a small one (read whole at
 * once) yields no bytes at all, getBlob fails; a streamed one holds back its last chunk until the digest checks
 * out, so it yields all but the last before the error. A real loopback server, so that chunks arrive as they are written.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpRegistry, type HttpRegistry } from './index';
import { WHOLE_BLOB_BYTES } from './reader';

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
// Three chunks larger than a blob read whole at once (WHOLE_BLOB_BYTES): these blobs are streamed.
const CHUNK_BYTES = Math.ceil(WHOLE_BLOB_BYTES / 2);
const CHUNK = Buffer.alloc(CHUNK_BYTES, 1);
const GOOD = Buffer.concat([CHUNK, CHUNK, CHUNK]);
const BAD = Buffer.concat([CHUNK, CHUNK, Buffer.alloc(CHUNK_BYTES, 2)]);
const SMALL_GOOD = Buffer.alloc(3000, 1);
const SMALL_BAD = Buffer.concat([Buffer.alloc(2000, 1), Buffer.alloc(1000, 2)]);

let server: Server;
let registry: HttpRegistry;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/v2/') return void res.writeHead(200).end('{}');
    const many = req.url!.startsWith('/v2/many/');
    if (!many) return void res.writeHead(200, { 'content-length': SMALL_BAD.length }).end(SMALL_BAD);
    res.writeHead(200, { 'content-length': BAD.length });
    // Three writes, apart: three chunks on the client side.
    let i = 0;
    const next = () => {
      res.write(BAD.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES));
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
  it('a corrupt small blob yields no bytes: getBlob fails with DIGEST_INVALID', async () => {
    await expect(registry.getBlob('one/r', sha256(SMALL_GOOD))).rejects.toMatchObject({ code: 'DIGEST_INVALID' });
  });

  it('a corrupt blob in several chunks never delivers its last one', async () => {
    const blob = await registry.getBlob('many/r', sha256(GOOD));
    const { received, error } = await drain(blob.body);
    expect(error).toMatchObject({ code: 'DIGEST_INVALID' });
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(BAD.length);
  });
});
