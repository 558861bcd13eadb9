/**
 * Adaptive registry concurrency (`concurrency: auto`, issue 16) against a real registry (distribution 2.8.2)
 * behind the benchmark's counting proxy in rate-limiting mode: 30 ms per request, and `429 Too Many Requests`
 * with `Retry-After: 1` for a request that arrives while 16 are in flight. A tag view with details and many
 * parallel reads complete without a failure while the shared limit waits out the 429s and resumes at what the
 * registry took; the same
 * reads with a fixed limit of 64 run into the rate limit over and over.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TagsResponse } from '@/lib/api/types';
import { createHttpRegistry, type HttpRegistry } from '@/lib/registry/http';
import { AdaptiveLimit, registryLimits } from '@/lib/registry/http/transport/adaptive-limit';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { seedTags } from '@/lib/registry/testing/seed-tags';
import { getJson } from '@/lib/server/testing/test-api';
import { configOf } from '@/lib/server/testing/test-support';
import { startDelayProxy, type DelayProxy } from '@/bench/proxy';
import { resetSources, setConfigForTests } from './sources';

const REPO = 'team/many';
const RATE_LIMIT = 16;

let registry: RunningRegistry;
let proxy: DelayProxy;
let dataDir: string;
const savedDataDir = process.env.PORTHOLE_DATA_DIR;
let seeded: Map<string, string>;

/** Samples the shared limit of `origin` every few ms while `work` runs: its successive values. */
async function traced<T>(origin: string, work: () => Promise<T>): Promise<{ value: T; trace: number[] }> {
  const trace: number[] = [];
  const timer = setInterval(() => {
    const limit = registryLimits().get(origin)?.limit;
    if (limit !== undefined && limit !== trace.at(-1)) trace.push(limit);
  }, 2);
  try {
    return { value: await work(), trace };
  } finally {
    clearInterval(timer);
  }
}

/** Reads every seeded tag at once through `client`; returns the failures. */
async function readEveryTag(client: HttpRegistry): Promise<unknown[]> {
  // getTag reads the body, so each slot is freed before the call returns.
  const results = await Promise.allSettled([...seeded.keys()].map((tag) => client.getTag(REPO, tag)));
  return results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
}

/** A second proxy for the raw reads, so that their origin has a limit of its own. */
let rawProxy: DelayProxy;

beforeAll(async () => {
  // A data directory of its own: the configs kept on disk by an earlier run would save their 60 GETs.
  dataDir = await mkdtemp(join(tmpdir(), 'porthole-adaptive-'));
  process.env.PORTHOLE_DATA_DIR = dataDir;
  registry = await startRegistry();
  // 60 images under 5 tags each: 300 tags, 300 tag GETs and 60 config GETs for a view with details.
  seeded = await seedTags(registry, REPO, { images: 60, tagsPer: () => 5, seed: 'adaptive' });
  const rateLimit = { maxInFlight: RATE_LIMIT, retryAfterSeconds: 1 };
  proxy = await startDelayProxy({ upstream: registry.url, delayMs: 30, rateLimit });
  rawProxy = await startDelayProxy({ upstream: registry.url, delayMs: 30, rateLimit });
  await setConfigForTests(configOf({ sources: [{ name: 'limited', url: proxy.url }] }));
}, 120_000);

afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  await proxy?.stop();
  await rawProxy?.stop();
  await registry?.stop();
  if (savedDataDir === undefined) delete process.env.PORTHOLE_DATA_DIR;
  else process.env.PORTHOLE_DATA_DIR = savedDataDir;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/**
 * At most this many 429s in a run: the adaptive limit meets the rate limit once, a step or two above 16, and
 * stays under it afterwards. A fixed limit of 64 sends 48 too many in its very first burst.
 */
const FEW_REJECTIONS = 16;

describe('concurrency: auto behind a registry that answers 429 above 16 requests in flight', () => {
  it('a tag view of 300 tags with details (the default source setting) has no failed row and meets few 429s', async () => {
    proxy.reset();
    const view = await getJson<TagsResponse>(`/api/sources/limited/repositories/${REPO}/-/tags?n=1000`);
    expect(view.status).toBe(200);
    expect(view.body.tags).toHaveLength(seeded.size);
    for (const row of view.body.tags) {
      expect(row).not.toHaveProperty('error');
      expect(row.digest).toBe(seeded.get(row.name));
    }
    const counts = proxy.counts();
    expect(counts.total - counts.rejected).toBe(1 + seeded.size + 60);
    expect(counts.rejected).toBeLessThanOrEqual(FEW_REJECTIONS);
    expect(registryLimits().get(proxy.url)!.inFlight).toBe(0);
  }, 120_000);

  it('600 reads, 300 at a time: the limit probes above 16, waits out the 429s and resumes at about 16; nothing fails', async () => {
    // Latency is left out of this run (thresholds no answer reaches) so that only the registry's 429s steer
    // the limit, whatever else loads the machine; the latency rules are unit-tested (concurrency-law.test.ts).
    const limit = new AdaptiveLimit(rawProxy.url, { nearFloor: 1000, tooSlow: 2000 });
    registryLimits().set(rawProxy.url, limit);
    const client = createHttpRegistry({ url: rawProxy.url, concurrency: 'auto' });
    try {
      expect(limit.users).toBe(1); // the registry took the limit of its origin
      rawProxy.reset();
      // Twice, so that the limit has requests left to grow back with after its last cut.
      const { value: failures, trace } = await traced(rawProxy.url, async () => [...(await readEveryTag(client)), ...(await readEveryTag(client))]);
      expect(failures).toEqual([]);
      const counts = rawProxy.counts();
      expect(counts.rejected).toBeGreaterThan(0);
      expect(counts.rejected).toBeLessThanOrEqual(FEW_REJECTIONS);
      const peak = trace.indexOf(Math.max(...trace));
      expect(trace[peak]).toBeGreaterThan(RATE_LIMIT);
      const after = trace.slice(peak + 1);
      // The Retry-After pause drained the registry: sending resumed near what it takes, not at half the peak.
      expect(Math.min(...after)).toBeGreaterThanOrEqual(RATE_LIMIT - 4);
      // The ceiling is what the registry took, below the peak that drew the 429s: Porthole's count is never
      // below the proxy's, and the answers that had already arrived are not counted.
      expect(limit.law.ceiling).toBeLessThan(trace[peak]!);
      expect(limit.law.ceiling).toBeGreaterThanOrEqual(RATE_LIMIT - 2);
      expect(limit.law.ceiling).toBeLessThanOrEqual(RATE_LIMIT + 1);
    } finally {
      await client.close();
    }
    expect(registryLimits().has(rawProxy.url)).toBe(false);
  }, 120_000);

  it('the same reads with a fixed limit of 64 meet the rate limit again and again', async () => {
    const client = createHttpRegistry({ url: rawProxy.url, concurrency: 64 });
    try {
      rawProxy.reset();
      await readEveryTag(client);
      expect(rawProxy.counts().rejected).toBeGreaterThan(FEW_REJECTIONS);
    } finally {
      await client.close();
    }
  }, 120_000);
});
