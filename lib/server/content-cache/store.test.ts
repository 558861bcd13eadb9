import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { manifestKey } from '@/lib/registry/cache/keys';
import { digestOf } from '@/lib/registry/testing/digest';
import { metricsText } from '@/lib/server/metrics';
import { parseSamples, sampleSum } from '@/lib/server/testing/metrics-text';
import { relativePathOf } from './key-path';
import { contentStore, contentTiers } from './store';

let dir: string;
const saved = process.env.PORTHOLE_DATA_DIR;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-content-store-'));
  process.env.PORTHOLE_DATA_DIR = dir;
});
afterEach(async () => {
  if (saved === undefined) delete process.env.PORTHOLE_DATA_DIR;
  else process.env.PORTHOLE_DATA_DIR = saved;
  await rm(dir, { recursive: true, force: true });
});

describe('the process-wide content store', () => {
  it('has a memory tier, a disk tier under <data dir>/cache unless cacheMaxBytes is 0, then Redis when set', () => {
    expect(contentTiers({}).map((t) => t.name)).toEqual(['memory', 'disk']);
    expect(contentTiers({ cacheMaxBytes: 0 }).map((t) => t.name)).toEqual(['memory']);
    // The replicas' shared Redis comes last (nothing connects until a lookup).
    expect(contentTiers({ cache: { redis: 'redis://127.0.0.1:9/0' } }).map((t) => t.name)).toEqual(['memory', 'disk', 'redis']);
  });

  it('is one store per settings, and drops (never serves) a disk entry that fails its digest', async () => {
    const store = contentStore({ cacheMaxBytes: 1000 });
    expect(contentStore()).toBe(store);
    expect(contentStore({ cacheMaxBytes: 1000 })).toBe(store);
    const bytes = new TextEncoder().encode('{"schemaVersion":2}');
    const key = manifestKey(digestOf(bytes));
    await store.put(key, bytes);

    // A new store (another process) on the same directory reads it from disk, verified.
    const restarted = contentStore({ cacheMaxBytes: 2000 });
    expect(restarted).not.toBe(store);
    expect(new TextDecoder().decode(await restarted.get(key))).toBe('{"schemaVersion":2}');

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await writeFile(join(dir, 'cache', relativePathOf(key)), '{"schemaVersion":3}');
    const again = contentStore({ cacheMaxBytes: 3000 });
    expect(await again.get(key)).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('failed verification'));
    warn.mockRestore();
  });

  it('counts every tier lookup in the metrics (porthole_cache_lookups_total)', async () => {
    const lookups = async (tier: string, outcome: string) =>
      sampleSum(parseSamples((await metricsText()).text), 'porthole_cache_lookups_total', { tier, outcome });
    const bytes = new TextEncoder().encode('{"schemaVersion":2,"counted":true}');
    const key = manifestKey(digestOf(bytes));
    await contentStore({ cacheMaxBytes: 1000 }).put(key, bytes);
    const restarted = contentStore({ cacheMaxBytes: 2000 });
    const [memoryMisses, diskHits] = [await lookups('memory', 'miss'), await lookups('disk', 'hit')];
    await restarted.get(key);
    expect(await lookups('memory', 'miss')).toBe(memoryMisses + 1);
    expect(await lookups('disk', 'hit')).toBe(diskHits + 1);
  });
});
