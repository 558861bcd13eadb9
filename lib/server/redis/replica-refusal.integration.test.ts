/**
 * The routes with `cache.redis` set: while another replica (a second client with its own identity) holds a
 * source's cleanup or a copy destination, `POST /api/sources/{source}/cleanup` and `POST /api/copy` answer 409
 * DENIED `already-running` naming it — as JSON and before a progress stream starts — and audit the refusal;
 * once it is released they run, and leave no lock behind.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as cleanupRoute from '@/app/api/sources/[source]/cleanup/route';
import { pushImage } from '@/lib/cleanup/testing/seed';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { startRedis, type RunningRedis } from '@/lib/testing/redis-server';
import { resetSources, setConfigForTests } from '../sources';
import { api, ORIGIN } from '../testing/test-api';
import { configOf } from '../testing/test-support';
import { closeSharedRedis, createRedisClient, sharedRedis } from './client';
import { LOCK_PREFIX } from './lock';
import { holdAcrossReplicas } from './replica-hold';
import { waitUntilReady } from './testing/ready';

const other = { replica: 'replica-b', host: 'host-b', pid: 2 };
const POLICY = { repositories: ['team/app'], rules: [{ match: '^ci-', olderThanDays: 30 }], protect: [], now: '2026-03-01T00:00:00Z', dryRun: false };

let redis: RunningRedis;
let replicaB: Redis;
let dir: string;

beforeAll(async () => {
  redis = await startRedis();
  replicaB = createRedisClient(redis.url);
  dir = await mkdtemp(join(tmpdir(), 'porthole-replica-refusal-'));
  const mem = createMemoryRegistry();
  await pushImage(mem, 'team/app', { tags: ['ci-1'], created: '2025-12-01T00:00:00Z', seed: 'ci-1' });
  await pushImage(mem, 'team/app', { tags: ['latest'], created: '2026-02-28T00:00:00Z', seed: 'latest' });
  await setConfigForTests(
    configOf({
      auditLog: join(dir, 'audit.log'),
      cache: { redis: redis.url },
      sources: [
        { name: 'mem', kind: 'memory', delete: true },
        { name: 'dest', kind: 'memory', write: true },
      ],
    }),
    { mem, dest: createMemoryRegistry() },
  );
  await waitUntilReady(sharedRedis(redis.url)!);
  await waitUntilReady(replicaB);
});
afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  replicaB?.disconnect();
  await closeSharedRedis();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

function cleanup(accept = 'application/json'): Promise<Response> {
  const request = new Request(`${ORIGIN}/api/sources/mem/cleanup`, {
    method: 'POST',
    headers: { host: new URL(ORIGIN).host, 'content-type': 'application/json', accept },
    body: JSON.stringify(POLICY),
  });
  return cleanupRoute.POST(request, { params: Promise.resolve({ source: 'mem' }) });
}

function copy(): Promise<Response> {
  return api('/api/copy', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 'mem/team/app:latest', to: 'dest/team/app:latest' }) });
}

interface ErrorBody {
  errors: { code: string; message: string; detail?: { reason?: string; holder?: { replica: string; host: string; startedAt: string } } }[];
}

describe('another replica holding the target', () => {
  it('refuses a cleanup of the same source with 409 already-running, as JSON and for a progress stream', async () => {
    const hold = await holdAcrossReplicas('cleanup/mem', 'a cleanup of source "mem"', { client: replicaB, identity: other });
    try {
      for (const accept of ['application/json', 'application/x-ndjson']) {
        const response = await cleanup(accept);
        expect(response.status).toBe(409);
        const error = ((await response.json()) as ErrorBody).errors[0]!;
        expect(error.code).toBe('DENIED');
        expect(error.message).toContain('a cleanup of source "mem" is already running on replica replica-b');
        expect(error.detail).toEqual({ reason: 'already-running', holder: { ...other, startedAt: hold.holder!.startedAt } });
      }
      expect(await readFile(join(dir, 'audit.log'), 'utf8')).toContain('already running');
    } finally {
      await hold.release();
    }
    const response = await cleanup();
    expect(response.status).toBe(200);
    expect(((await response.json()) as { deleted: number }).deleted).toBe(1);
    expect(await replicaB.keys(`${LOCK_PREFIX}*`)).toEqual([]);
  });

  it('refuses a copy to the same destination, then copies once it is free', async () => {
    const hold = await holdAcrossReplicas('copy/dest/team/app:latest', 'a copy to dest/team/app:latest', { client: replicaB, identity: other });
    try {
      const response = await copy();
      expect(response.status).toBe(409);
      const error = ((await response.json()) as ErrorBody).errors[0]!;
      expect(error.detail).toMatchObject({ reason: 'already-running', holder: { replica: 'replica-b' } });
    } finally {
      await hold.release();
    }
    const response = await copy();
    expect(response.status).toBe(200);
    expect(await replicaB.keys(`${LOCK_PREFIX}*`)).toEqual([]);
  });
});
