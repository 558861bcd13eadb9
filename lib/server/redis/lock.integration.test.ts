import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import type { RunningRedis } from '@/lib/testing/redis-server';
import { createRedisClient } from './client';
import { LOCK_PREFIX, lockHolder, tryLock } from './lock';
import { holdAcrossReplicas, runOnceAcrossReplicas } from './replica-hold';
import { waitUntilReady } from './testing/ready';
import { startRedisPair, stopRedisPair } from './testing/redis-pair';

let redis: RunningRedis;
let a: Redis;
let b: Redis;
const replicaA = { replica: 'replica-a', host: 'host-a', pid: 1 };
const replicaB = { replica: 'replica-b', host: 'host-b', pid: 2 };

beforeAll(async () => {
  ({ redis, a, b } = await startRedisPair());
});
afterAll(() => stopRedisPair({ redis, a, b }));

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isRegistryError(error)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe('tryLock', () => {
  it('lets one of two holders in, names the holder to the other, and frees the lock on release', async () => {
    const first = await tryLock(a, 'two-holders', replicaA);
    const second = await tryLock(b, 'two-holders', replicaB);
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, holder: { replica: 'replica-a', host: 'host-a' } });
    expect(await lockHolder(b, 'two-holders')).toMatchObject({ replica: 'replica-a' });
    // The stored value carries the token; the holder reported to others does not.
    expect(JSON.stringify(second)).not.toContain('token');
    if (!first.ok) throw new Error('unreachable');
    expect(await first.lock.release()).toBe(true);
    expect(await a.exists(`${LOCK_PREFIX}two-holders`)).toBe(0);
    const third = await tryLock(b, 'two-holders', replicaB);
    expect(third.ok).toBe(true);
    if (third.ok) await third.lock.release();
  });

  it('renews only its own lock, and release never deletes a lock another holder took after expiry', async () => {
    const first = await tryLock(a, 'renew', replicaA, 60_000);
    if (!first.ok) throw new Error('expected the lock');
    await a.pexpire(`${LOCK_PREFIX}renew`, 1_000);
    expect(await first.lock.renew()).toBe(true);
    expect(await a.pttl(`${LOCK_PREFIX}renew`)).toBeGreaterThan(50_000);
    // The lock expired (deleted here to stand for it) and B took it: A's renew and release leave B's lock alone.
    await a.del(`${LOCK_PREFIX}renew`);
    const second = await tryLock(b, 'renew', replicaB, 60_000);
    expect(second.ok).toBe(true);
    expect(await first.lock.renew()).toBe(false);
    expect(await first.lock.release()).toBe(false);
    expect(await lockHolder(a, 'renew')).toMatchObject({ replica: 'replica-b' });
    if (second.ok) await second.lock.release();
  });

  it('expires after a holder crashed (stopped renewing without releasing)', async () => {
    const crashing = createRedisClient(redis.url);
    await waitUntilReady(crashing);
    const taken = await tryLock(crashing, 'crash', replicaA, 500);
    expect(taken.ok).toBe(true);
    crashing.disconnect();
    expect((await tryLock(b, 'crash', replicaB, 500)).ok).toBe(false);
    await vi.waitFor(async () => expect((await tryLock(b, 'crash', replicaB, 60_000)).ok).toBe(true), { timeout: 20_000, interval: 100 });
    expect(await lockHolder(a, 'crash')).toMatchObject({ replica: 'replica-b' });
  });
});

describe('holdAcrossReplicas', () => {
  it('refuses a second replica with 409 already-running naming the holder, and lets it in after release', async () => {
    const hold = await holdAcrossReplicas('cleanup/prod', 'a cleanup of source "prod"', { client: a, identity: replicaA });
    expect(hold.holder).toMatchObject({ replica: 'replica-a' });
    const error = await refusal(holdAcrossReplicas('cleanup/prod', 'a cleanup of source "prod"', { client: b, identity: replicaB }));
    expect(error.code).toBe('DENIED');
    expect(error.status).toBe(409);
    expect(error.message).toContain('a cleanup of source "prod" is already running on replica replica-a');
    expect(error.detail).toMatchObject({ reason: 'already-running', holder: { replica: 'replica-a', host: 'host-a', startedAt: hold.holder!.startedAt } });
    await hold.release();
    const next = await holdAcrossReplicas('cleanup/prod', 'a cleanup of source "prod"', { client: b, identity: replicaB });
    expect(next.holder).toMatchObject({ replica: 'replica-b' });
    await next.release();
    expect(await a.exists(`${LOCK_PREFIX}cleanup/prod`)).toBe(0);
  });

  it('shares one lock among the holds of one replica and releases it with the last', async () => {
    const first = await holdAcrossReplicas('copy/x', 'a copy to x', { client: a, identity: replicaA });
    const second = await holdAcrossReplicas('copy/x', 'a copy to x', { client: a, identity: replicaA });
    expect(second.holder).toEqual(first.holder);
    await first.release();
    await first.release();
    expect(await lockHolder(b, 'copy/x')).toMatchObject({ replica: 'replica-a' });
    await refusal(holdAcrossReplicas('copy/x', 'a copy to x', { client: b, identity: replicaB }));
    await second.release();
    expect(await lockHolder(b, 'copy/x')).toBeUndefined();
  });

  it('renews the lock while the work runs', async () => {
    await runOnceAcrossReplicas(
      'cleanup/long',
      'a long cleanup',
      async () => {
        // Shorten the lock from outside; the renewal (every 50 ms here) brings it back to its full TTL.
        await b.pexpire(`${LOCK_PREFIX}cleanup/long`, 5_000);
        await vi.waitFor(async () => expect(await b.pttl(`${LOCK_PREFIX}cleanup/long`)).toBeGreaterThan(30_000), { timeout: 20_000 });
      },
      { client: a, identity: replicaA, ttlMs: 60_000, renewEveryMs: 50 },
    );
    expect(await b.exists(`${LOCK_PREFIX}cleanup/long`)).toBe(0);
  });

  it('is local only without Redis and while Redis is down (work goes on)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const offline = createRedisClient('redis://127.0.0.1:1');
      const hold = await holdAcrossReplicas('cleanup/offline', 'a cleanup', { client: offline, identity: replicaA });
      expect(hold.holder).toBeUndefined();
      await hold.release();
      offline.disconnect();
    } finally {
      warn.mockRestore();
    }
  });
});
