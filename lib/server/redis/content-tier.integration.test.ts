import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningRedis } from '@/lib/testing/redis-server';
import { CONTENT_PREFIX, RedisContentStore, redisContentTier } from './content-tier';
import { redisHealth } from './health';
import { waitUntilReady } from './testing/ready';
import { startRedisPair, stopRedisPair } from './testing/redis-pair';

let redis: RunningRedis;
let a: Redis;
let b: Redis;

beforeAll(async () => {
  ({ redis, a, b } = await startRedisPair());
});
afterAll(() => stopRedisPair({ redis, a, b }));
afterEach(() => vi.restoreAllMocks());

const bytes = (text: string) => new TextEncoder().encode(text);

describe('RedisContentStore', () => {
  it('shares entries between clients (two replicas) under the porthole:content: prefix, with a TTL', async () => {
    const one = new RedisContentStore({ client: () => a });
    const two = new RedisContentStore({ client: () => b });
    await one.put('manifest/sha256:aa', bytes('{"schemaVersion":2}'));
    expect(new TextDecoder().decode(await two.get('manifest/sha256:aa'))).toBe('{"schemaVersion":2}');
    expect(await two.get('manifest/sha256:bb')).toBeUndefined();
    const ttl = await b.ttl(`${CONTENT_PREFIX}manifest/sha256:aa`);
    expect(ttl).toBeGreaterThan(29 * 24 * 3600);
    await two.delete('manifest/sha256:aa');
    expect(await one.get('manifest/sha256:aa')).toBeUndefined();
  });

  it('keeps binary bytes intact and skips entries above the size bound', async () => {
    const store = new RedisContentStore({ client: () => a, maxEntryBytes: 1024 });
    const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
    await store.put('toc/sha256:01', binary);
    expect(await store.get('toc/sha256:01')).toEqual(binary);
    await store.put('toc/sha256:02', new Uint8Array(2048));
    expect(await b.exists(`${CONTENT_PREFIX}toc/sha256:02`)).toBe(0);
  });

  it('is absent without cache.redis and one tier with it', () => {
    expect(redisContentTier({})).toEqual([]);
    const tiers = redisContentTier({ cache: { redis: redis.url } });
    expect(tiers.map((tier) => tier.name)).toEqual(['redis']);
  });

  it('misses without errors while Redis is down, warns once per outage, and reconnects by itself', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = new RedisContentStore({ client: () => a });
    await store.put('blob/sha256:cc', bytes('config'));
    const outagesBefore = redisHealth().outages;

    await redis.halt();
    for (let i = 0; i < 20; i++) {
      await expect(store.get('blob/sha256:cc')).resolves.toBeUndefined();
      await expect(store.put(`blob/sha256:d${i}`, bytes('x'))).resolves.toBeUndefined();
      await expect(store.delete('blob/sha256:cc')).resolves.toBeUndefined();
    }
    await vi.waitFor(() => expect(redisHealth().down).toBe(true), { timeout: 10_000 });
    const unavailable = () => warn.mock.calls.filter(([line]) => String(line).includes('redis: unavailable'));
    expect(unavailable()).toHaveLength(1);
    expect(redisHealth().outages).toBe(outagesBefore + 1);

    // Restarted empty (no persistence): the client comes back without being told, and the tier works again.
    await redis.start();
    await waitUntilReady(a);
    await waitUntilReady(b);
    expect(redisHealth().down).toBe(false);
    expect(warn.mock.calls.some(([line]) => String(line).includes('redis: answering again'))).toBe(true);
    expect(await store.get('blob/sha256:cc')).toBeUndefined();
    await store.put('blob/sha256:cc', bytes('config'));
    expect(new TextDecoder().decode(await new RedisContentStore({ client: () => b }).get('blob/sha256:cc'))).toBe('config');
    expect(unavailable()).toHaveLength(1);
  });

  it('misses when Redis is slow (command timeout), without an error', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = new RedisContentStore({ client: () => a });
    await store.put('blob/sha256:ee', bytes('slow'));
    // Every client's commands wait 3 s: longer than the 1 s command timeout. The pause ends by itself.
    await b.call('CLIENT', 'PAUSE', '3000', 'ALL');
    const started = Date.now();
    await expect(store.get('blob/sha256:ee')).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_900);
    expect(redisHealth().down).toBe(true);
    await vi.waitFor(async () => expect(new TextDecoder().decode(await store.get('blob/sha256:ee'))).toBe('slow'), { timeout: 10_000 });
    expect(redisHealth().down).toBe(false);
  });
});
