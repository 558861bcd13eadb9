/**
 * The catalog API's read ahead against a real docker-registry 2.8.2 (which pages `_catalog` with `Link`
 * headers), counted through the benchmark's proxy: paging through costs the registry exactly one `_catalog`
 * request per page and gives the registry's own pages; two clients paging at once each get every repository
 * once; a change made through Porthole drops what was read ahead.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepositoriesResponse } from '@/lib/api/types';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { seedTags } from '@/lib/registry/testing/seed-tags';
import { startDelayProxy, type DelayProxy } from '@/bench/proxy';
import { invalidateCatalog } from './catalog-service';
import { getSource, setConfigForTests } from './sources';
import { endApiTest } from './testing/api-teardown';
import { getJson } from './testing/test-api';
import { configOf } from './testing/test-support';

let registry: RunningRegistry;
let proxy: DelayProxy;
let dir: string;
const previousDataDir = process.env.PORTHOLE_DATA_DIR;
const NAMES = Array.from({ length: 25 }, (_, i) => `ahead/r${String(i).padStart(2, '0')}`);

const catalogRequests = () => proxy.counts().byClass['GET catalog'] ?? 0;

async function page(n: number, last?: string): Promise<RepositoriesResponse> {
  const answer = await getJson<RepositoriesResponse>(`/api/sources/reg/repositories?n=${n}${last ? `&last=${encodeURIComponent(last)}` : ''}`);
  expect(answer.status).toBe(200);
  return answer.body;
}

/** Every repository, page by page as a client pages (following `next`). */
async function pageThrough(n: number): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let pages = 0;
  let last: string | undefined;
  for (;;) {
    const body = await page(n, last);
    pages++;
    names.push(...body.repositories);
    if (!body.next) return { names, pages };
    last = body.next;
  }
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-catalog-ahead-'));
  process.env.PORTHOLE_DATA_DIR = join(dir, 'data');
  registry = await startRegistry();
  for (const repo of NAMES) await seedTags(registry, repo, { images: 1, tagsPer: () => 1, seed: repo });
  proxy = await startDelayProxy({ upstream: registry.url, delayMs: 0 });
  // No kept catalog: its background reads would land in the counts.
  await setConfigForTests(configOf({ sources: [{ name: 'reg', url: proxy.url, catalogCacheSeconds: 0 }] }));
}, 120_000);

afterAll(async () => {
  await endApiTest({ registry, dir, previousDataDir });
  await proxy?.stop();
});

describe('the catalog API read ahead, against docker-registry', () => {
  it('costs one registry page per API page, and gives the registry’s pages', async () => {
    proxy.reset();
    const pass = await pageThrough(10);
    expect(pass).toEqual({ names: NAMES, pages: 3 });
    // Page 1 and 2 asked by the client, page 3 read ahead and given to the client's third request.
    expect(catalogRequests()).toBe(3);
  });

  it('gives two clients paging at once every repository once each', async () => {
    proxy.reset();
    const [a, b] = await Promise.all([pageThrough(10), pageThrough(10)]);
    expect([a.names, b.names]).toEqual([NAMES, NAMES]);
    expect(catalogRequests()).toBeLessThanOrEqual(6);
  });

  it('reads a page again after a change made through Porthole', async () => {
    proxy.reset();
    const first = await page(10);
    const second = await page(10, first.next!);
    await until(() => catalogRequests() === 3); // the third page, read ahead
    invalidateCatalog(await getSource('reg'));
    expect(await page(10, second.next!)).toEqual({ repositories: NAMES.slice(20), next: null });
    expect(catalogRequests()).toBe(4);
  });
});
