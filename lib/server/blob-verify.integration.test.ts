/**
 * Blob bodies served by digest are verified (issue 10 item 7). A loopback "registry" (node:http) redirects a
 * blob to another loopback port that serves a secret; the registry is itself on loopback, so the address
 * policy lets the redirect through and the digest check is what must stop it. Also: a large blob whose last
 * byte is wrong ends with an error (never as a complete answer), a good one is served whole and cached as
 * immutable, and byte ranges (which cannot be verified) are `no-store`. Through the real route handlers.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetSources, setConfigForTests } from './sources';
import { api } from '@/lib/server/testing/test-api';
import { configOf } from '@/lib/server/testing/test-support';

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

const SECRET = Buffer.from('{"secret":"internal-service-credentials"}');
/** What the blob should be: something else of the same length as the secret. */
const CLAIMED = Buffer.from('{"config":"the real blob, 41 bytes long."}'.slice(0, SECRET.length));
const LARGE = Buffer.alloc(6 * 1024 * 1024, 7);
const TAMPERED = Buffer.from(LARGE);
TAMPERED[TAMPERED.length - 1] = 8;

const servers: Server[] = [];
let secretHits = 0;

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const secretUrl = await listen((_req, res) => {
    secretHits++;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': SECRET.length }).end(SECRET);
  });
  const registryUrl = await listen((req, res) => {
    const url = req.url ?? '';
    if (url === '/v2/') return res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    const send = (bytes: Buffer) => {
      const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (range) {
        const [start, end] = [Number(range[1]), Number(range[2])];
        res.writeHead(206, { 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${bytes.length}` });
        return res.end(bytes.subarray(start, end + 1));
      }
      res.writeHead(200, { 'content-length': bytes.length });
      res.end(bytes);
    };
    if (url === `/v2/probe/r/blobs/${sha256(CLAIMED)}`) return res.writeHead(302, { location: `${secretUrl}/secret.json` }).end();
    if (url === `/v2/probe/r/blobs/${sha256(LARGE)}`) return send(LARGE);
    if (url === `/v2/probe/t/blobs/${sha256(LARGE)}`) return send(TAMPERED);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"BLOB_UNKNOWN","message":"unknown"}]}');
  });
  await setConfigForTests(configOf({ sources: [{ name: 'loop', url: registryUrl, retries: 0 }] }));
});

afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('blobs served by digest', () => {
  it('a redirect to another service whose body does not match the digest is a 502, with none of its bytes', async () => {
    const response = await api(`/api/sources/loop/repositories/probe/r/-/blobs/${sha256(CLAIMED)}`);
    const text = await response.text();
    expect(secretHits).toBe(1);
    expect(response.status).toBe(502);
    expect(JSON.parse(text)).toMatchObject({ errors: [{ code: 'DIGEST_INVALID' }] });
    expect(text).not.toContain('internal-service-credentials');
    expect(response.headers.get('cache-control') ?? '').not.toContain('immutable');
  });

  it('a large blob that fails verification ends with an error, its last chunk never sent', async () => {
    const response = await api(`/api/sources/loop/repositories/probe/t/-/blobs/${sha256(LARGE)}`);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = 0;
    const failure = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        received += value.length;
      }
    })().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'DIGEST_INVALID' });
    expect(received).toBeLessThan(LARGE.length);
  });

  it('a good large blob is served whole, verified, as immutable', async () => {
    const response = await api(`/api/sources/loop/repositories/probe/r/-/blobs/${sha256(LARGE)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBe(LARGE.length);
    expect(sha256(bytes)).toBe(sha256(LARGE));
  });

  it('a byte range cannot be verified and is served no-store', async () => {
    const response = await api(`/api/sources/loop/repositories/probe/r/-/blobs/${sha256(LARGE)}`, { headers: { range: 'bytes=0-9' } });
    expect(response.status).toBe(206);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(LARGE.subarray(0, 10));
  });
});
