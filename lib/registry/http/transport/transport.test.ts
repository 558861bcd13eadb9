/**
 * The HTTP backend over real loopback sockets (an in-process node:http server on a free port): what a mock
 * dispatcher cannot show — body timeouts, dropped connections, keep-alive, and concurrency slots held until a
 * body is consumed.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '@/lib/registry/iter';
import { readStream } from '@/lib/registry/testing/contract';
import { createHttpRegistry, type HttpRegistry, type HttpRegistryOptions } from '../index';
import { rejection } from '../testing/mock-session';
import { abortListeners } from '@/lib/registry/testing/listener-warnings';
import { WHOLE_BLOB_BYTES } from '../reader';

const sha256 = (bytes: Uint8Array | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface Loopback {
  url: string;
  server: Server;
  connections: number;
}

const servers: Server[] = [];
const sockets = new Set<Socket>();
const registries: HttpRegistry[] = [];

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Loopback> {
  const server = createServer(handler);
  const state: Loopback = { url: '', server, connections: 0 };
  server.on('connection', (socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(server);
  return state;
}

function open(url: string, options: Partial<HttpRegistryOptions> = {}): HttpRegistry {
  const registry = createHttpRegistry({ url, retries: { max: 2, baseDelayMs: 1, maxDelayMs: 5 }, ...options });
  registries.push(registry);
  return registry;
}

afterEach(async () => {
  for (const r of registries.splice(0)) await r.close();
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('transport over loopback sockets', () => {
  it('requests made with one long-lived signal leave nothing on it, and its abort still stops a body', async () => {
    // Larger than a blob read whole (WHOLE_BLOB_BYTES): its body is streamed after getBlob returns.
    const bytes = new TextEncoder().encode('y'.repeat(WHOLE_BLOB_BYTES + 1));
    let stall = false;
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(bytes.length) });
      if (stall) res.write(bytes.subarray(0, 10));
      else res.end(bytes);
    });
    const registry = open(url);
    const view = new AbortController();
    for (let i = 0; i < 30; i++) {
      const blob = await registry.getBlob('a/b', sha256(bytes), { signal: view.signal });
      expect(await readStream(blob.body)).toEqual(bytes);
    }
    // Neither a listener nor composite signals (AbortSignal.any keeps each request's signal among the
    // caller's dependants until a full garbage collection) stay behind on the caller's signal.
    expect(abortListeners(view.signal)).toBe(0);
    const dependants = Object.getOwnPropertySymbols(view.signal)
      .filter((symbol) => String(symbol.description).includes('ependant'))
      .map((symbol) => (view.signal as unknown as Record<symbol, Set<unknown> | undefined>)[symbol]?.size ?? 0);
    expect(dependants.every((size) => size === 0)).toBe(true);
    stall = true;
    const blob = await registry.getBlob('a/b', sha256(bytes), { signal: view.signal });
    const reading = readStream(blob.body);
    view.abort(new Error('view left'));
    await expect(reading).rejects.toThrow();
  });

  it('a body that stalls fails with TIMEOUT (504) while streaming', async () => {
    const bytes = new TextEncoder().encode('x'.repeat(WHOLE_BLOB_BYTES + 1));
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, 10)); // then nothing
    });
    const blob = await open(url, { timeouts: { body: 100 } }).getBlob('a/b', sha256(bytes));
    const error = await rejection(readStream(blob.body));
    expect(error).toMatchObject({ code: 'TIMEOUT', status: 504 });
    expect(error.message).toContain('stopped sending data');
  });

  it('a registry that sends no headers in time fails with TIMEOUT', async () => {
    const { url } = await serve(() => {
      // never answers
    });
    const error = await rejection(open(url, { timeouts: { headers: 100 }, retries: 0 }).resolveTag('a/b', 'v1'));
    expect(error).toMatchObject({ code: 'TIMEOUT', status: 504 });
  });

  it('a dropped connection is retried for reads, then reported as UNAVAILABLE (502)', async () => {
    let attempts = 0;
    const { url } = await serve((req) => {
      attempts++;
      req.socket.destroy();
    });
    const error = await rejection(collect(open(url).listTags('a/b')));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 502 });
    expect(error.message).toContain('closed unexpectedly');
    expect(attempts).toBe(3);
  });

  it('a refused connection is UNAVAILABLE at once', async () => {
    const { url, server } = await serve(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    servers.splice(servers.indexOf(server), 1);
    const error = await rejection(open(url).resolveTag('a/b', 'v1'));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('refused the connection');
  });

  it('keeps connections alive across sequential requests', async () => {
    const state = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'a/b', tags: ['v1'] }));
    });
    const r = open(state.url);
    for (let i = 0; i < 20; i++) expect(await collect(r.listTags('a/b'))).toEqual(['v1']);
    // undici may open a second socket while the first is being returned to the pool; never one per request.
    expect(state.connections).toBeLessThanOrEqual(2);
  });

  it('never exceeds the concurrency limit', async () => {
    let active = 0;
    let peak = 0;
    const state = await serve((req, res) => {
      active++;
      peak = Math.max(peak, active);
      setTimeout(() => {
        active--;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ name: 'a/b', tags: [req.url] }));
      }, 20);
    });
    const r = open(state.url, { concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => collect(r.listTags('a/b'))));
    expect(peak).toBe(3);
  });

  it('holds a slot until the body is consumed or cancelled', async () => {
    const bytes = new TextEncoder().encode('y'.repeat(200_000));
    const seen: string[] = [];
    const { url } = await serve((req, res) => {
      seen.push(req.method!);
      res.writeHead(200, { 'content-length': String(bytes.length) });
      res.end(req.method === 'HEAD' ? undefined : bytes);
    });
    const r = open(url, { concurrency: 2 });
    const digest = sha256(bytes);
    const first = await r.getBlob('a/b', digest);
    const second = await r.getBlob('a/b', digest);
    let resolved = false;
    const third = r.resolveBlob('a/b', digest).then((d) => ((resolved = true), d));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(resolved).toBe(false);
    expect(seen).toEqual(['GET', 'GET']);
    await first.body.cancel();
    expect(await third).toMatchObject({ size: bytes.length });
    expect(sha256(await readStream(second.body))).toBe(digest);
  });
});
