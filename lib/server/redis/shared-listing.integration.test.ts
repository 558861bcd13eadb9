/**
 * Tag listings and source status shared through a real redis-server between "replicas" (the sources built
 * afresh from the same configuration, so nothing local is left; each over its own counting client of a real
 * docker-registry 2.8.2): replica B's view right after replica A's sends no tag list and no tag request, B's
 * status asks nothing; a delete's invalidation sends the next listing to the registry on every replica; with
 * Redis stopped the answers stay the same.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpRegistry } from '@/lib/registry/http';
import { countingRegistry, type CountingRegistry } from '@/lib/registry/testing/counting';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { seedTags } from '@/lib/registry/testing/seed-tags';
import { startRedis, type RunningRedis } from '@/lib/testing/redis-server';
import { sourceStatus } from '../source-status';
import { getSource, resetSources, setConfigForTests } from '../sources';
import { invalidateTags, listTagRows } from '../tags-service';
import { configOf } from '../testing/test-support';
import { closeSharedRedis, sharedRedis } from './client';
import { redisHealth } from './health';
import { TAGS_PREFIX } from './shared-tags';
import { waitUntilReady } from './testing/ready';

const REPO = 'shared/app';
let registry: RunningRegistry;
let redis: RunningRedis;
const replicas: CountingRegistry[] = [];

/** A new replica: fresh sources (empty local caches) over a new counting client of the same registry. */
async function replica(): Promise<CountingRegistry> {
  const counting = countingRegistry(createHttpRegistry({ url: registry.url }));
  replicas.push(counting);
  await setConfigForTests(configOf({ cache: { redis: redis.url }, tagCacheSeconds: 300, sources: [{ name: 'reg', url: registry.url, delete: true }] }), { reg: counting.registry });
  return counting;
}

const calls = (counting: CountingRegistry, method: string) => counting.calls.get(method) ?? 0;
const digests = async () => (await listTagRows('reg', REPO)).map((row) => `${row.name} ${row.digest}`);

beforeAll(async () => {
  [registry, redis] = await Promise.all([startRegistry({ delete: true }), startRedis()]);
  await seedTags(registry, REPO, { images: 3, tagsPer: () => 2, seed: 'shared listing' });
  await waitUntilReady(sharedRedis(redis.url)!);
}, 120_000);
afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  await closeSharedRedis();
  await Promise.all([registry?.stop(), redis?.stop()]);
});

describe('shared tag listings', () => {
  it('serve replica B the listing replica A just made, without a tag list or tag request', async () => {
    const a = await replica();
    const fromA = await digests();
    expect(fromA).toHaveLength(6);
    expect(calls(a, 'listTags')).toBe(1);
    expect(calls(a, 'getTag')).toBe(6);
    // Shares are written without holding the view up: wait until all six tags are in.
    await vi.waitFor(async () => expect(Object.keys(await sharedRedis(redis.url)!.hgetall((await sharedRedis(redis.url)!.keys(`${TAGS_PREFIX}*`))[0]!))).toHaveLength(7));

    const b = await replica();
    expect(await digests()).toEqual(fromA);
    expect(calls(b, 'listTags')).toBe(0);
    expect(calls(b, 'getTag')).toBe(0);
    // The shared hash expires with the tag cache time.
    const [key] = await sharedRedis(redis.url)!.keys(`${TAGS_PREFIX}*`);
    expect(await sharedRedis(redis.url)!.pttl(key!)).toBeGreaterThan(200_000);
  });

  it('after an invalidation (a delete) the next listing asks the registry, here and on other replicas', async () => {
    const b = await replica();
    await digests();
    expect(calls(b, 'listTags')).toBe(0);
    invalidateTags(await getSource('reg'), REPO);
    await digests();
    expect(calls(b, 'listTags')).toBe(1);
    expect(calls(b, 'getTag')).toBe(6);
    // The invalidation removed the shared listing; B shared its fresh one again.
    await vi.waitFor(async () => expect(await sharedRedis(redis.url)!.keys(`${TAGS_PREFIX}*`)).toHaveLength(1));
  });

  it('share source status: replica B answers with A’s probe', async () => {
    const a = await replica();
    const first = await sourceStatus(await getSource('reg'));
    expect(first.reachable).toBe(true);
    expect(calls(a, 'ping')).toBe(1);
    const b = await replica();
    const second = await sourceStatus(await getSource('reg'));
    expect(second).toEqual(first);
    expect(calls(b, 'ping')).toBe(0);
  });

  it('give the same answers with Redis stopped mid-run, and share again once it is back', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await replica();
      const before = await digests();
      await redis.halt();
      const c = await replica();
      expect(await digests()).toEqual(before);
      expect(calls(c, 'listTags')).toBe(1);
      expect((await sourceStatus(await getSource('reg'))).reachable).toBe(true);
      expect(calls(c, 'ping')).toBe(1);
      await vi.waitFor(() => expect(redisHealth().down).toBe(true));
      await redis.start();
      await waitUntilReady(sharedRedis(redis.url)!);
      const d = await replica();
      expect(await digests()).toEqual(before);
      expect(calls(d, 'listTags')).toBe(1);
      expect(warn.mock.calls.filter(([line]) => String(line).includes('redis: unavailable'))).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });
});
