/**
 * The request pipeline under trouble: retries and Retry-After, methods never retried, connection resets, header timeouts, the caller signal, Warning headers.
 * Unit test of the HTTP backend through undici's MockAgent (no sockets, `disableNetConnect`), for what a real
 * distribution 2.8.2 cannot show (split out of the former http.test.ts; shared setup: testing/mock-session.ts).
 * Timeouts, dropped connections and concurrency against a real loopback socket are in transport/transport.test.ts.
 */
import type { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { collect } from '@/lib/registry/iter';
import { image } from '@/lib/registry/testing/build';
import { json, REGISTRY, route } from '../testing/mock-registry';
import { mockSession, REPO, rejection } from '../testing/mock-session';

let agent: MockAgent;
const open = mockSession((a) => (agent = a));

describe('resilience', () => {
  it('retries 429 honouring Retry-After, then succeeds', async () => {
    let calls = 0;
    const times: number[] = [];
    route(agent, REGISTRY, () => {
      times.push(Date.now());
      return ++calls === 1
        ? { statusCode: 429, data: '{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}', responseOptions: { headers: { 'retry-after': '1' } } }
        : json({ name: REPO, tags: ['v1'] });
    });
    expect(await collect(open().listTags(REPO))).toEqual(['v1']);
    expect(calls).toBe(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  it('gives up after the retries with the registry error; a Retry-After beyond the limit is not waited for', async () => {
    let calls = 0;
    route(agent, REGISTRY, (request) => {
      calls++;
      return request.path.includes('/long/')
        ? { statusCode: 429, responseOptions: { headers: { 'retry-after': '3600' } } }
        : { statusCode: 503, data: '{"errors":[{"code":"UNAVAILABLE","message":"maintenance"}]}' };
    });
    const r = open();
    const error = await rejection(collect(r.listTags(REPO)));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 502 });
    expect(calls).toBe(4); // 1 + 3 retries
    calls = 0;
    const started = Date.now();
    expect((await rejection(collect(r.listTags('long/app')))).code).toBe('TOOMANYREQUESTS');
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('never retries a PUT or DELETE on 502/504, but does on 503 (not applied)', async () => {
    const img = image({ seed: 'retry' });
    let puts = 0;
    route(agent, REGISTRY, (request) => {
      if (request.method === 'PUT') return ++puts === 1 && request.path.endsWith('/ok') ? { statusCode: 503 } : request.path.endsWith('/ok') ? { statusCode: 201 } : { statusCode: 502 };
      return { statusCode: 502 };
    });
    const r = open();
    expect((await rejection(r.pushManifest(REPO, img.manifest.bytes, img.manifest.mediaType, { tag: 'bad' }))).status).toBe(502);
    expect(puts).toBe(1);
    puts = 0;
    await r.pushManifest(REPO, img.manifest.bytes, img.manifest.mediaType, { tag: 'ok' });
    expect(puts).toBe(2);
  });

  it('retries connection resets for reads; a refused connection fails at once with UNAVAILABLE', async () => {
    let calls = 0;
    const pool = agent.get(REGISTRY);
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    pool.intercept({ path: `/v2/${REPO}/tags/list?n=1000` }).replyWithError(reset);
    pool.intercept({ path: `/v2/${REPO}/tags/list?n=1000` }).reply(() => (calls++, { statusCode: 200, data: JSON.stringify({ name: REPO, tags: ['ok'] }) }));
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    pool.intercept({ path: '/v2/down/app/tags/list?n=1000' }).replyWithError(refused);
    const r = open();
    expect(await collect(r.listTags(REPO))).toEqual(['ok']);
    expect(calls).toBe(1);
    const error = await rejection(collect(r.listTags('down/app')));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 502 });
    expect(error.message).toBe('registry.example.com refused the connection');
  });

  it('maps a registry that sends no headers in time to TIMEOUT (504)', async () => {
    agent
      .get(REGISTRY)
      .intercept({ path: () => true, method: () => true })
      .reply(200, '{}')
      .delay(500)
      .persist();
    const error = await rejection(open({ timeouts: { headers: 50 }, retries: 0 }).resolveTag(REPO, 'slow'));
    expect(error).toMatchObject({ code: 'TIMEOUT', status: 504 });
    expect(error.message).toContain('did not answer within');
  });

  it('passes the caller signal through: aborting a pending request rejects with AbortError', async () => {
    agent
      .get(REGISTRY)
      .intercept({ path: () => true })
      .reply(200, '{}')
      .delay(5_000);
    const controller = new AbortController();
    const pending = open().getTag(REPO, 'v1', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('surfaces Warning headers once each, through onWarning and on the registry', async () => {
    const seen: string[] = [];
    route(agent, REGISTRY, () =>
      json({ name: REPO, tags: ['v1'] }, 200, { warning: '299 - "repository will be removed on 2026-12-01", 299 - "quota at 95%"' } as Record<string, string>),
    );
    const r = open({ onWarning: (w) => seen.push(w) });
    await collect(r.listTags(REPO));
    await collect(r.listTags(REPO));
    expect(seen).toEqual(['repository will be removed on 2026-12-01', 'quota at 95%']);
    expect(r.warnings).toEqual(seen);
  });
});
