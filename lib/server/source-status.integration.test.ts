/**
 * Live source status (issue 14): `GET /api/sources?status=1` and `GET /api/health?deep=1` against real
 * docker-registry 2.8.2 instances — open, Basic, token, wrong credentials for both, and a stopped registry.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse, SourcesResponse, SourceStatus } from '@/lib/api/types';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { seedTags } from '@/lib/registry/testing/seed-tags';
import { getJson } from '@/lib/server/testing/test-api';
import { configOf } from '@/lib/server/testing/test-support';
import { resetSources, setConfigForTests } from './sources';

let open: RunningRegistry;
let basic: RunningRegistry;
let token: RunningRegistry;
let stopped: RunningRegistry;

beforeAll(async () => {
  [open, basic, token, stopped] = await Promise.all([
    startRegistry({ delete: true }),
    startRegistry({ auth: 'basic' }),
    startRegistry({ auth: 'token' }),
    startRegistry(),
  ]);
  await seedTags(open, 'status/app', { images: 1, tagsPer: () => 1, seed: 'status-open' });
  await stopped.stop();
}, 120_000);

afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  await Promise.all([open, basic, token, stopped].map((r) => r?.stop()));
});

async function useSources(sources: Record<string, unknown>[]): Promise<void> {
  await setConfigForTests(configOf({ sources }));
}

async function statuses(): Promise<Record<string, SourceStatus>> {
  const { status, body } = await getJson<SourcesResponse>('/api/sources?status=1');
  expect(status).toBe(200);
  return Object.fromEntries(body.sources.map((s) => [s.name, s.status!]));
}

describe('source status', () => {
  it('tells reachable, accepted, rejected and down apart, with what each registry can do', async () => {
    const good = basic.credentials!;
    const tokenUser = token.credentials!;
    await useSources([
      { name: 'open', url: open.url, delete: true, retries: 0 },
      { name: 'basic', url: basic.url, username: good.username, password: good.password, retries: 0 },
      { name: 'token', url: token.url, username: tokenUser.username, password: tokenUser.password, retries: 0 },
      { name: 'basic-wrong', url: basic.url, username: good.username, password: 'not-the-password', retries: 0 },
      { name: 'token-wrong', url: token.url, username: tokenUser.username, password: 'not-the-password', retries: 0 },
      { name: 'down', url: stopped.url, retries: 0 },
      { name: 'mem', kind: 'memory' },
    ]);
    const s = await statuses();

    expect(s.open).toMatchObject({ reachable: true, auth: 'anonymous', catalog: true, referrersApi: false, tagDelete: 'placeholder' });
    expect(s.open!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(s.open!.error).toBeUndefined();
    expect(s.basic).toMatchObject({ reachable: true, auth: 'accepted', catalog: true, tagDelete: 'unsupported' });
    expect(s.token).toMatchObject({ reachable: true, auth: 'accepted', catalog: true });
    for (const name of ['basic-wrong', 'token-wrong']) {
      expect(s[name], name).toMatchObject({ reachable: true, auth: 'rejected', catalog: 'unknown', error: { code: 'UNAUTHORIZED' } });
      expect(s[name]!.error!.message).not.toContain('not-the-password');
    }
    expect(s.down).toMatchObject({ reachable: false, auth: 'unknown', latencyMs: null, error: { code: 'UNAVAILABLE' } });
    expect(s.down!.error!.message).toContain(stopped.host);
    expect(s.mem).toMatchObject({ reachable: true, auth: 'none', latencyMs: null, catalog: true });
  }, 60_000);

  it('reuses a probe for a short while instead of asking every registry again', async () => {
    await useSources([{ name: 'open', url: open.url, retries: 0 }]);
    const first = await statuses();
    const second = await statuses();
    expect(second.open!.checkedAt).toBe(first.open!.checkedAt);
  }, 60_000);

  it('bounds a registry that never answers by the probe deadline', async () => {
    const held = new Set<ServerResponse>();
    const silent = createServer((_req, res) => void held.add(res));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      await useSources([{ name: 'silent', url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, retries: 0, timeoutSeconds: 600 }]);
      const s = await statuses();
      expect(s.silent).toMatchObject({ reachable: false, auth: 'unknown', error: { code: 'TIMEOUT' } });
    } finally {
      for (const res of held) res.destroy();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 60_000);

  it('leaves the status out unless asked for', async () => {
    await useSources([{ name: 'open', url: open.url }]);
    const { body } = await getJson<SourcesResponse>('/api/sources');
    expect(body.sources[0]).not.toHaveProperty('status');
  });
});

describe('deep health', () => {
  it('answers 200 when every source is reachable and accepts its credentials', async () => {
    await useSources([
      { name: 'open', url: open.url },
      { name: 'token', url: token.url, username: token.credentials!.username, password: token.credentials!.password },
    ]);
    const { status, body } = await getJson<HealthResponse>('/api/health?deep=1');
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', sources: 2, failing: [] });
  }, 60_000);

  it('answers 503 naming the sources that are down or reject their credentials', async () => {
    await useSources([
      { name: 'open', url: open.url },
      { name: 'basic-wrong', url: basic.url, username: 'admin', password: 'not-the-password', retries: 0 },
      { name: 'down', url: stopped.url, retries: 0 },
    ]);
    const { status, body } = await getJson<HealthResponse>('/api/health?deep=1');
    expect(status).toBe(503);
    expect(body.status).toBe('failing');
    expect(body.failing!.map((f) => [f.name, f.error?.code])).toEqual([
      ['basic-wrong', 'UNAUTHORIZED'],
      ['down', 'UNAVAILABLE'],
    ]);
    // The plain health check still contacts no registry.
    expect((await getJson<HealthResponse>('/api/health')).status).toBe(200);
  }, 60_000);
});
