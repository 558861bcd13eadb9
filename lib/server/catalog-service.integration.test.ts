/**
 * The kept catalog against a real docker-registry 2.8.2 (and a real redis-server for the replicas): a repository
 * pushed behind Porthole's back is not listed while the kept list is fresh, appears on a forced refresh and,
 * after the cache time, through the background refresh; a delete through Porthole makes the next read ask the
 * registry; a second replica takes the list the first one shared instead of reading the registry.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpRegistry } from '@/lib/registry/http';
import { countingRegistry, type CountingRegistry } from '@/lib/registry/testing/counting';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { seedTags } from '@/lib/registry/testing/seed-tags';
import { startRedis, type RunningRedis } from '@/lib/testing/redis-server';
import { getKeptCatalog } from './catalog-service';
import { prepareCopy, runCopy } from './copy-service';
import { deleteTagAudited } from './delete-service';
import { closeSharedRedis, sharedRedis } from './redis/client';
import { CATALOG_PREFIX, sharedCatalogStore } from './redis/shared-catalog';
import { waitUntilReady } from './redis/testing/ready';
import { getSource, resetSources, setConfigForTests } from './sources';
import { configOf } from './testing/test-support';

let registry: RunningRegistry;
let redis: RunningRedis;
let dir: string;

/** A new replica (fresh sources, nothing kept locally) over a new counting client of the same registry. */
async function replica(options: { catalogCacheSeconds: number; redis?: boolean }): Promise<CountingRegistry> {
  const counting = countingRegistry(createHttpRegistry({ url: registry.url }));
  await setConfigForTests(
    configOf({
      auditLog: join(dir, 'audit.jsonl'),
      ...(options.redis ? { cache: { redis: redis.url } } : {}),
      sources: [{ name: 'reg', url: registry.url, delete: true, write: true, catalogCacheSeconds: options.catalogCacheSeconds }],
    }),
    { reg: counting.registry },
  );
  return counting;
}

const listings = (counting: CountingRegistry) => counting.calls.get('listRepositories') ?? 0;
const catalog = async (options: { fresh?: boolean } = {}) => getKeptCatalog(await getSource('reg'), options);
const image = (repo: string) => seedTags(registry, repo, { images: 1, tagsPer: () => 1, seed: repo });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-catalog-'));
  [registry, redis] = await Promise.all([startRegistry({ delete: true }), startRedis()]);
  await image('first/app');
  await waitUntilReady(sharedRedis(redis.url)!);
}, 120_000);
afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  await closeSharedRedis();
  await Promise.all([registry?.stop(), redis?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe('the kept catalog', () => {
  it('answers the kept list while fresh; a forced refresh lists a repository pushed meanwhile', async () => {
    const counting = await replica({ catalogCacheSeconds: 300 });
    const first = await catalog();
    expect(first.repositories).toContain('first/app');
    expect(first.cacheSeconds).toBe(300);
    expect(listings(counting)).toBe(1);

    await image('pushed/behind');
    const kept = await catalog();
    expect(kept.repositories).not.toContain('pushed/behind');
    expect(kept.listedAt).toBe(first.listedAt);
    expect(listings(counting)).toBe(1);

    const forced = await catalog({ fresh: true });
    expect(forced.repositories).toContain('pushed/behind');
    expect(Date.parse(forced.listedAt)).toBeGreaterThanOrEqual(Date.parse(first.listedAt));
    expect(listings(counting)).toBe(2);
  });

  it('after the cache time answers the old list at once and lists the new repository once the background refresh is in', async () => {
    const counting = await replica({ catalogCacheSeconds: 1 });
    const before = await catalog();
    await image('later/app');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const stale = await catalog();
    expect(stale.repositories).not.toContain('later/app');
    expect(stale.refreshing).toBe(true);
    expect(stale.listedAt).toBe(before.listedAt);
    await vi.waitFor(async () => expect((await catalog()).repositories).toContain('later/app'), { timeout: 30_000, interval: 100 });
    expect(listings(counting)).toBeGreaterThanOrEqual(2);
  });

  it('a delete through Porthole makes the next read ask the registry', async () => {
    const counting = await replica({ catalogCacheSeconds: 300 });
    await catalog();
    await image('gone/soon');
    expect((await catalog()).repositories).not.toContain('gone/soon');
    expect(listings(counting)).toBe(1);
    await deleteTagAudited('reg', 'first/app', 't0-0', 'tester');
    const after = await catalog();
    expect(listings(counting)).toBe(2);
    expect(after.repositories).toContain('gone/soon');
  });

  it('a copy through Porthole to a new repository makes the next read list it', async () => {
    const counting = await replica({ catalogCacheSeconds: 300 });
    const before = await catalog();
    expect(before.repositories).not.toContain('copied/here');
    await runCopy(await prepareCopy({ from: 'reg/pushed/behind:t0-0', to: 'reg/copied/here:v1' }, 'tester'));
    expect((await catalog()).repositories).toContain('copied/here');
    expect(listings(counting)).toBe(2);
  });

  it('a refresh against a stopped registry keeps the old list and reports the failure', async () => {
    const lonely = await startRegistry({ delete: false });
    try {
      await seedTags(lonely, 'only/app', { images: 1, tagsPer: () => 1, seed: 'lonely' });
      await setConfigForTests(configOf({ sources: [{ name: 'reg', url: lonely.url, catalogCacheSeconds: 300 }] }));
      const before = await catalog();
      expect(before.repositories).toEqual(['only/app']);
      await lonely.stop();
      const after = await catalog({ fresh: true });
      expect(after.repositories).toEqual(['only/app']);
      expect(after.listedAt).toBe(before.listedAt);
      expect(after.refreshError).toMatchObject({ code: 'UNAVAILABLE' });
      expect(after.refreshError!.message).not.toBe('');
    } finally {
      await lonely.stop();
    }
  });

  it('replica B takes the list replica A shared through Redis instead of reading the registry', async () => {
    const a = await replica({ catalogCacheSeconds: 300, redis: true });
    const fromA = await catalog({ fresh: true });
    expect(listings(a)).toBe(1);
    await vi.waitFor(async () => expect(await sharedRedis(redis.url)!.keys(`${CATALOG_PREFIX}*`)).toHaveLength(1));

    const b = await replica({ catalogCacheSeconds: 300, redis: true });
    const fromB = await catalog();
    expect(fromB.repositories).toEqual(fromA.repositories);
    expect(fromB.listedAt).toBe(fromA.listedAt);
    expect(listings(b)).toBe(0);
  });

  it("another replica's invalidation (a delete there) makes this replica read the registry again", async () => {
    await replica({ catalogCacheSeconds: 300, redis: true });
    await catalog({ fresh: true });
    const b = await replica({ catalogCacheSeconds: 300, redis: true });
    await catalog();
    expect(listings(b)).toBe(0);
    // What a delete, push or copy through replica A does: forget the shared list and stamp the invalidation.
    await sharedCatalogStore(await getSource('reg'))!.forget();
    await image('after/invalidation');
    const after = await catalog();
    expect(listings(b)).toBe(1);
    expect(after.repositories).toContain('after/invalidation');
  });
});
