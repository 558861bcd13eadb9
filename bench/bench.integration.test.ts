/**
 * The benchmark's own pieces against a real registry, on a small data set: seeding, the delay proxy, the
 * direct and naive reference clients (right answers with exactly the minimum requests), catalog paging and
 * the skopeo sample. The full benchmark (`npm run bench`) is not part of the test suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { closeAppClient, fetchCatalogDirect } from './app-client';
import { compareDetails, fetchDirect } from './direct';
import { startDelayProxy, type DelayProxy } from './proxy';
import { seedRegistry, WARMUP_REPO } from './seed';
import { planSeed } from './seed-plan';
import { sampleTags, skopeoInspectSample } from './skopeo-sample';

describe('benchmark harness', () => {
  const plan = planSeed({ tags: 60, manifests: 20 });
  let registry: RunningRegistry;
  let proxy: DelayProxy;

  beforeAll(async () => {
    registry = await startRegistry();
    const seeded = await seedRegistry(registry.url, plan, { catalogSize: 120 });
    expect(seeded.repositories).toHaveLength(120);
    proxy = await startDelayProxy({ upstream: registry.url, delayMs: 5 });
  });

  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
    await closeAppClient();
  });

  it('direct client finds every tag’s details with exactly the minimum requests, each once', async () => {
    proxy.reset();
    const result = await fetchDirect(proxy.url, plan.repo, 8);
    expect(compareDetails(plan.expected, result.details)).toEqual([]);
    const counts = proxy.counts();
    expect(counts.total).toBe(plan.minimum.total);
    expect(counts.byClass).toEqual({
      'GET tags': 1,
      'GET manifest': plan.minimum.tagManifests + plan.minimum.childManifests,
      'GET blob': plan.minimum.configs,
    });
    expect(counts.duplicates).toBe(0);
    expect(counts.maxInFlight).toBe(8);
  });

  it('naive client asks one thing at a time', async () => {
    proxy.reset();
    const result = await fetchDirect(proxy.url, plan.repo, 1);
    expect(compareDetails(plan.expected, result.details)).toEqual([]);
    expect(proxy.counts()).toMatchObject({ total: plan.minimum.total, maxInFlight: 1 });
    // Each request waits the proxy's delay, one after another.
    expect(result.ms).toBeGreaterThanOrEqual(plan.minimum.total * 5);
  });

  it('reports a wrong answer', () => {
    const wrong = new Map([...plan.expected].map(([tag, d]) => [tag, { ...d }]));
    const first = [...wrong.keys()][0]!;
    wrong.get(first)!.size += 1;
    wrong.delete([...wrong.keys()][1]!);
    expect(compareDetails(plan.expected, wrong)).toHaveLength(2);
  });

  it('pages the whole catalog through the Link header', async () => {
    proxy.reset();
    const catalog = await fetchCatalogDirect(proxy.url, 50);
    expect(catalog.pages).toBe(3);
    expect(new Set(catalog.repositories).size).toBe(120);
    expect(catalog.repositories).toContain(WARMUP_REPO);
    expect(catalog.repositories).toContain(plan.repo);
    expect(proxy.counts().byClass['GET catalog']).toBe(catalog.pages);
  });

  it('runs skopeo inspect per tag and checks the digests', async () => {
    const tags = sampleTags([...plan.expected.keys()], 3);
    const sample = await skopeoInspectSample(`127.0.0.1:${proxy.port}`, plan.repo, tags, (tag) => plan.expected.get(tag)?.digest);
    expect(sample.tags).toBe(3);
    expect(sample.perTag).toHaveLength(3);
    expect(sample.wrongDigests).toEqual([]);
  });
});
