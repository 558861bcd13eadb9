import { afterEach, describe, expect, it } from 'vitest';
import type { Descriptor } from '@/lib/oci/types';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { image, pushBuilt } from '@/lib/registry/testing/build';
import { DescriptorInterner, isSettledTag } from './settled-tags';
import { getSource, resetSources, setConfigForTests } from './sources';
import { getTagsPage } from './tags-service';
import { configOf } from './testing/test-support';

const REPO = 'team/many';

/**
 * Every object reachable from `root` through own properties, array items and Map/Set entries, with what the walk
 * found that a compact listing must not hold per tag: promises, abort controllers and signals, functions (whose
 * closures may keep anything alive).
 */
function walk(root: unknown): { objects: number; promises: number; aborts: number; functions: number } {
  const seen = new Set<object>();
  const found = { objects: 0, promises: 0, aborts: 0, functions: 0 };
  const stack: unknown[] = [root];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value === 'function') found.functions++;
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) continue;
    seen.add(value);
    found.objects++;
    if (value instanceof Promise) found.promises++;
    if (value instanceof AbortController || value instanceof AbortSignal) found.aborts++;
    if (value instanceof Map) for (const [k, v] of value) stack.push(k, v);
    else if (value instanceof Set) for (const v of value) stack.push(v);
    else if (typeof value === 'object') for (const key of Reflect.ownKeys(value)) stack.push((value as Record<PropertyKey, unknown>)[key]);
  }
  return found;
}

afterEach(async () => {
  await setConfigForTests(null);
  await resetSources();
});

describe('settled tags', () => {
  it('a listing of 400 tags keeps one plain descriptor per digest, and no per-tag promise, signal or closure', async () => {
    const registry = createMemoryRegistry();
    const images = Array.from({ length: 20 }, (_, i) =>
      image({
        seed: `img-${i}`,
        layers: [`layer ${i}`],
        config: { created: `2024-01-${String(i + 1).padStart(2, '0')}T00:00:00Z`, architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, history: [] },
      }),
    );
    // 400 tags over 20 manifests: every manifest has 20 aliases.
    for (let t = 0; t < 400; t++) await pushBuilt(registry, REPO, images[t % 20]!, { tag: `t-${String(t).padStart(3, '0')}` });
    await setConfigForTests(configOf({ sources: [{ name: 'mem', kind: 'memory', concurrency: 4 }] }), { mem: registry });
    const source = await getSource('mem');

    const page = await getTagsPage(source, REPO, { n: 1000, sort: { key: 'name', descending: false }, details: true });
    expect(page.total).toBe(400);
    expect(page.tags.every((row) => row.digest !== null && row.created !== null && row.sharedWith.length === 19 && !row.error)).toBe(true);

    const repo = source.cache.peekRepo(REPO)!;
    const entries = [...repo.listing!.resolved.values()];
    expect(entries).toHaveLength(400);
    expect(entries.every((entry) => isSettledTag(entry))).toBe(true);
    // Aliases share one descriptor object, and every tag's last known digest is the descriptor's own string.
    expect(new Set(entries).size).toBe(20);
    expect(walk(repo.listing!.resolved)).toMatchObject({ promises: 0, aborts: 0, functions: 0 });
    expect(walk(repo.lastKnown)).toMatchObject({ promises: 0, aborts: 0, functions: 0 });
    expect(walk(repo.listing!.rows)).toMatchObject({ promises: 0, aborts: 0, functions: 0 });

    // A second page of the same listing answers the same rows from the settled descriptors.
    const again = await getTagsPage(source, REPO, { n: 1000, sort: { key: 'created', descending: true }, details: true });
    expect(again.tags.map((row) => row.name).sort()).toEqual(page.tags.map((row) => row.name));
    expect(again.tags[0]!.created).toBe('2024-01-20T00:00:00Z');
  });

  it('interns descriptors by digest and media types by value, keeping a differing answer apart', () => {
    const interner = new DescriptorInterner();
    const digest = `sha256:${'a'.repeat(64)}`;
    const make = (mediaType: string, size: number): Descriptor => ({ mediaType: `${mediaType}`, digest: `${digest}`, size, annotations: { x: 'y' } });
    const first = interner.intern(make('application/vnd.oci.image.manifest.v1+json', 10));
    const second = interner.intern(make('application/vnd.oci.image.manifest.v1+json', 10));
    expect(second).toBe(first);
    expect(first).toEqual({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 10 });
    const odd = interner.intern(make('application/vnd.oci.image.manifest.v1+json', 11));
    expect(odd).not.toBe(first);
    expect(odd.size).toBe(11);
    expect(odd.digest).toBe(first.digest);
    expect(interner.intern(make('application/vnd.oci.image.manifest.v1+json', 10))).toBe(first);
  });
});
