import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, startDelayProxy, type DelayProxy } from './proxy';

describe('classify', () => {
  it('names distribution API paths', () => {
    expect(classify('/v2/')).toBe('ping');
    expect(classify('/v2/_catalog?n=1000')).toBe('catalog');
    expect(classify('/v2/team/app/tags/list?n=10')).toBe('tags');
    expect(classify('/v2/team/app/manifests/v1')).toBe('manifest');
    expect(classify('/v2/team/app/manifests/sha256:abc')).toBe('manifest');
    expect(classify('/v2/team/app/blobs/sha256:abc')).toBe('blob');
    expect(classify('/v2/team/app/blobs/uploads/?mount=x')).toBe('upload');
    expect(classify('/v2/team/app/referrers/sha256:abc')).toBe('referrers');
    expect(classify('/favicon.ico')).toBe('other');
  });
});

describe('startDelayProxy', () => {
  let upstream: Server;
  let proxy: DelayProxy;

  beforeAll(async () => {
    // A stand-in registry that echoes method, path and body.
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', link: '</v2/_catalog?last=b&n=1>; rel="next"' });
        res.end(JSON.stringify({ method: req.method, url: req.url, body: Buffer.concat(chunks).toString() }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    proxy = await startDelayProxy({ upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, delayMs: 30 });
  });

  afterAll(async () => {
    await proxy.stop();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('forwards requests with bodies and headers after the delay', async () => {
    const started = performance.now();
    const res = await fetch(`${proxy.url}/v2/team/app/manifests/v1`, { method: 'PUT', body: 'hello' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    expect(res.headers.get('link')).toBe('</v2/_catalog?last=b&n=1>; rel="next"');
    expect(await res.json()).toEqual({ method: 'PUT', url: '/v2/team/app/manifests/v1', body: 'hello' });
  });

  it('counts by class, duplicates and concurrency, and resets', async () => {
    proxy.reset();
    await Promise.all([
      fetch(`${proxy.url}/v2/a/manifests/v1`).then((r) => r.arrayBuffer()),
      fetch(`${proxy.url}/v2/a/manifests/v1`).then((r) => r.arrayBuffer()),
      fetch(`${proxy.url}/v2/a/blobs/sha256:00`).then((r) => r.arrayBuffer()),
    ]);
    const counts = proxy.counts();
    expect(counts).toMatchObject({ total: 3, byClass: { 'GET blob': 1, 'GET manifest': 2 }, duplicates: 1 });
    expect(counts.maxInFlight).toBe(3);
    expect(proxy.repeated()).toEqual([{ key: 'GET /v2/a/manifests/v1', count: 2 }]);
    proxy.reset();
    expect(proxy.counts()).toMatchObject({ total: 0, byClass: {}, duplicates: 0 });
  });

  it('rate-limiting mode: 429 (with Retry-After when set) for requests beyond maxInFlight forwarded ones, counted as rejected', async () => {
    // An upstream that holds every request until the test lets go, so that "in flight" does not depend on timing.
    const held: (() => void)[] = [];
    const holding = createServer((req, res) => {
      req.resume();
      held.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((resolve) => holding.listen(0, '127.0.0.1', resolve));
    const limited = await startDelayProxy({ upstream: `http://127.0.0.1:${(holding.address() as AddressInfo).port}`, delayMs: 5, rateLimit: { maxInFlight: 2, retryAfterSeconds: 3 } });
    const get = async (path: string) => {
      const res = await fetch(limited.url + path);
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
    };
    try {
      const accepted = [get('/v2/a/manifests/v1'), get('/v2/a/manifests/v2')];
      while (held.length < 2) await new Promise((r) => setTimeout(r, 5));
      const rejected = await Promise.all([get('/v2/a/manifests/v3'), get('/v2/a/manifests/v4'), get('/v2/a/manifests/v5')]);
      for (const a of rejected) {
        expect(a.status).toBe(429);
        expect(a.retryAfter).toBe('3');
        expect(JSON.parse(a.body)).toMatchObject({ errors: [{ code: 'TOOMANYREQUESTS' }] });
      }
      for (const release of held.splice(0)) release();
      expect((await Promise.all(accepted)).map((a) => a.status)).toEqual([200, 200]);
      expect(limited.counts()).toMatchObject({ total: 5, rejected: 3, maxForwarded: 2 });
      // Below the limit nothing is refused.
      limited.reset();
      const next = get('/v2/a/manifests/v6');
      while (held.length < 1) await new Promise((r) => setTimeout(r, 5));
      held.splice(0)[0]!();
      expect((await next).status).toBe(200);
      expect(limited.counts()).toMatchObject({ total: 1, rejected: 0 });
      // Without retryAfterSeconds a 429 says nothing of when to come back.
      const plain = await startDelayProxy({ upstream: `http://127.0.0.1:${(holding.address() as AddressInfo).port}`, delayMs: 5, rateLimit: { maxInFlight: 0 } });
      try {
        const res = await fetch(plain.url + '/v2/a/manifests/v7');
        expect(res.status).toBe(429);
        expect(res.headers.get('retry-after')).toBeNull();
        await res.text();
      } finally {
        await plain.stop();
      }
    } finally {
      for (const release of held) release();
      await limited.stop();
      holding.closeAllConnections();
      await new Promise<void>((resolve) => holding.close(() => resolve()));
    }
  });
});
