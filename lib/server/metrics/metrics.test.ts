import { afterEach, describe, expect, it, vi } from 'vitest';
import { tieredStore, type ContentStore } from '@/lib/registry/cache/content-store';
import { parseSamples, sampleSum } from '@/lib/server/testing/metrics-text';
import { recordCacheEvent, recordChange, recordRegistryEvent } from './record';
import { metricsText, REGISTRY_LIMITS_KEY } from './registry';

const scope = globalThis as Record<symbol, unknown>;
const text = async () => (await metricsText()).text;
const base = { source: 'unit-src', registry: 'http://127.0.0.1:1', path: '/v2/a/manifests/1' } as const;

afterEach(() => {
  delete scope[REGISTRY_LIMITS_KEY];
});

describe('metrics registry', () => {
  it('counts registry requests by source, registry, method and status, with latency', async () => {
    const before = parseSamples(await text());
    recordRegistryEvent({ type: 'request', ...base, method: 'GET', status: 200, durationMs: 30, attempt: 0 });
    recordRegistryEvent({ type: 'request', ...base, method: 'GET', status: 200, durationMs: 3000, attempt: 0 });
    recordRegistryEvent({ type: 'request', ...base, method: 'HEAD', error: 'TIMEOUT', durationMs: 10, attempt: 1 });
    const after = parseSamples(await text());
    const delta = (name: string, labels: Record<string, string>) => sampleSum(after, name, labels) - sampleSum(before, name, labels);

    expect(delta('porthole_registry_requests_total', { ...pick(base), method: 'GET', status: '200' })).toBe(2);
    expect(delta('porthole_registry_requests_total', { ...pick(base), method: 'HEAD', status: 'TIMEOUT' })).toBe(1);
    expect(delta('porthole_registry_request_duration_seconds_count', { ...pick(base), method: 'GET' })).toBe(2);
    expect(delta('porthole_registry_request_duration_seconds_sum', { ...pick(base), method: 'GET' })).toBeCloseTo(3.03, 5);
    // 30 ms falls in the 0.05 s bucket, 3 s only from the 5 s bucket on.
    expect(delta('porthole_registry_request_duration_seconds_bucket', { ...pick(base), method: 'GET', le: '0.05' })).toBe(1);
    expect(delta('porthole_registry_request_duration_seconds_bucket', { ...pick(base), method: 'GET', le: '5' })).toBe(2);
  });

  it('counts retries by reason', async () => {
    const before = sampleSum(await text(), 'porthole_registry_retries_total', { source: 'unit-src', reason: '429' });
    recordRegistryEvent({ type: 'retry', ...base, method: 'GET', reason: '429', attempt: 1 });
    recordRegistryEvent({ type: 'retry', ...base, method: 'GET', reason: '503', attempt: 2 });
    const after = await text();
    expect(sampleSum(after, 'porthole_registry_retries_total', { source: 'unit-src', reason: '429' }) - before).toBe(1);
    expect(sampleSum(after, 'porthole_registry_retries_total', { source: 'unit-src', reason: '503' })).toBeGreaterThanOrEqual(1);
  });

  it('counts cache lookups per tier and outcome; every series exists from the start; unknown ones are ignored', async () => {
    const first = parseSamples(await text()).filter((s) => s.name === 'porthole_cache_lookups_total');
    expect(first.map((s) => `${s.labels.tier}/${s.labels.outcome}`).sort()).toEqual(
      ['disk', 'memory', 'redis'].flatMap((t) => ['corrupt', 'error', 'hit', 'miss'].map((o) => `${t}/${o}`)).sort(),
    );
    const before = sampleSum(first, 'porthole_cache_lookups_total', { tier: 'disk', outcome: 'hit' });
    recordCacheEvent({ tier: 'disk', outcome: 'hit' });
    recordCacheEvent({ tier: 'disk', outcome: 'hit' });
    recordCacheEvent({ tier: 'tape', outcome: 'hit' });
    recordCacheEvent({ tier: 'memory+disk', outcome: 'hit' });
    recordCacheEvent({ tier: 'disk', outcome: 'maybe' });
    const after = parseSamples(await text());
    expect(sampleSum(after, 'porthole_cache_lookups_total', { tier: 'disk', outcome: 'hit' }) - before).toBe(2);
    expect(after.filter((s) => s.name === 'porthole_cache_lookups_total')).toHaveLength(12);
  });

  it('takes a tiered content store\'s events as they are', async () => {
    const mapTier = (name: string, entries: [string, Uint8Array][] = []): ContentStore => {
      const map = new Map(entries);
      return { name, get: async (key) => map.get(key), put: async (key, bytes) => void map.set(key, bytes), delete: async (key) => void map.delete(key) };
    };
    const bytes = new TextEncoder().encode('{}');
    const store = tieredStore([mapTier('memory'), mapTier('disk', [['k', bytes]])], { verify: () => true, onEvent: recordCacheEvent });
    const before = parseSamples(await text());
    expect(await store.get('k')).toEqual(bytes);
    const after = parseSamples(await text());
    const delta = (tier: string, outcome: string) => sampleSum(after, 'porthole_cache_lookups_total', { tier, outcome }) - sampleSum(before, 'porthole_cache_lookups_total', { tier, outcome });
    expect([delta('memory', 'miss'), delta('disk', 'hit')]).toEqual([1, 1]);
  });

  it('counts audited changes by action and outcome', async () => {
    const before = sampleSum(await text(), 'porthole_changes_total', { action: 'cleanup', outcome: 'denied' });
    recordChange('cleanup', 'denied');
    expect(sampleSum(await text(), 'porthole_changes_total', { action: 'cleanup', outcome: 'denied' }) - before).toBe(1);
  });

  it('reads the adaptive limit per registry live from the limiter map, and shows none without a map', async () => {
    expect(parseSamples(await text()).filter((s) => s.name === 'porthole_registry_concurrency_limit')).toEqual([]);
    const view = { limit: 8, inFlight: 3 };
    scope[REGISTRY_LIMITS_KEY] = new Map([['https://a.example', view]]);
    let samples = parseSamples(await text());
    expect(sampleSum(samples, 'porthole_registry_concurrency_limit', { registry: 'https://a.example' })).toBe(8);
    expect(sampleSum(samples, 'porthole_registry_in_flight', { registry: 'https://a.example' })).toBe(3);
    // Live values: the next scrape sees the limiter's change; a registry that left the map leaves the output.
    scope[REGISTRY_LIMITS_KEY] = new Map([['https://b.example', { limit: 21, inFlight: 0 }]]);
    samples = parseSamples(await text());
    expect(samples.filter((s) => s.name === 'porthole_registry_concurrency_limit').map((s) => [s.labels.registry, s.value])).toEqual([['https://b.example', 21]]);
  });

  it('keeps one registry for the whole process, whichever module copy counts (Next.js chunks)', async () => {
    vi.resetModules();
    const copy = await import('./record');
    const labels = { tier: 'redis', outcome: 'error' } as const;
    const before = sampleSum(await text(), 'porthole_cache_lookups_total', labels);
    copy.recordCacheEvent(labels);
    expect(sampleSum(await text(), 'porthole_cache_lookups_total', labels) - before).toBe(1);
  });

  it('includes the process metrics of Node', async () => {
    expect(await text()).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});

function pick(b: typeof base): { source: string; registry: string } {
  return { source: b.source, registry: b.registry };
}
