import { beforeEach, describe, expect, it } from 'vitest';
import { RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import { createMemoryRegistry } from '@/lib/registry/memory';
import type { Registry, RegistryReader } from '@/lib/registry/registry';
import { estimateReclaim } from './reclaim';
import { pushImage, type SeededImage } from './testing/seed';

let registry: Registry;
let a: SeededImage;
let b: SeededImage;
let kept: SeededImage;
let multi: SeededImage;

const sizeOf = (...images: SeededImage[]) => {
  const sizes = new Map<Digest, number>();
  for (const image of images) for (const d of [image.descriptor, ...image.children, ...image.blobs]) sizes.set(d.digest, d.size);
  return sizes;
};
const total = (sizes: Map<Digest, number>, except: Set<Digest> = new Set()) =>
  [...sizes].filter(([d]) => !except.has(d)).reduce((sum, [, s]) => sum + s, 0);

/** Counts manifest reads and fails those listed. */
function instrumented(inner: Registry, failing: Set<Digest>): { reader: RegistryReader; reads: Digest[] } {
  const reads: Digest[] = [];
  const reader: RegistryReader = {
    resolveTag: (...args) => inner.resolveTag(...args),
    resolveManifest: (...args) => inner.resolveManifest(...args),
    resolveBlob: (...args) => inner.resolveBlob(...args),
    getTag: (...args) => inner.getTag(...args),
    getBlob: (...args) => inner.getBlob(...args),
    async getManifest(repo, digest, options) {
      reads.push(digest);
      if (failing.has(digest)) throw new RegistryError('UNAVAILABLE', 'registry down');
      return inner.getManifest(repo, digest, options);
    },
  };
  return { reader, reads };
}

beforeEach(async () => {
  registry = createMemoryRegistry();
  a = await pushImage(registry, 'r', { tags: ['a'], created: null, layers: ['shared by all', 'shared by a and b', 'only a'] });
  b = await pushImage(registry, 'r', { tags: ['b'], created: null, layers: ['shared by all', 'shared by a and b', 'only b'] });
  kept = await pushImage(registry, 'r', { tags: ['kept'], created: null, layers: ['shared by all', 'only kept'] });
  multi = await pushImage(registry, 'r', {
    tags: ['multi'],
    created: null,
    layers: ['only multi'],
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ],
  });
});

describe('estimateReclaim', () => {
  it('counts each freed digest once and nothing a kept manifest reaches', async () => {
    const result = await estimateReclaim(registry, [{ repository: 'r', untagged: [a.descriptor.digest, b.descriptor.digest], remaining: [kept.descriptor.digest] }]);
    const freed = sizeOf(a, b);
    const held = new Set(sizeOf(kept).keys());
    expect(result).toEqual({ bytes: total(freed, held), blobs: [...freed.keys()].filter((d) => !held.has(d)).length, exact: true, warnings: [] });
    // a, b manifests + configs + 'shared by a and b' + 'only a' + 'only b'; not 'shared by all'.
    expect(result.blobs).toBe(7);
  });

  it('walks index children and their blobs', async () => {
    const result = await estimateReclaim(registry, [{ repository: 'r', untagged: [multi.descriptor.digest], remaining: [kept.descriptor.digest] }]);
    // index + 2 child manifests + 2 configs + 2 layers (the layer text differs per platform).
    expect(result.blobs).toBe(7);
    expect(result.bytes).toBe(total(sizeOf(multi)));
  });

  it('is zero, without reading anything, when nothing becomes untagged', async () => {
    const { reader, reads } = instrumented(registry, new Set());
    const result = await estimateReclaim(reader, [{ repository: 'r', untagged: [], remaining: [kept.descriptor.digest] }]);
    expect(result).toEqual({ bytes: 0, blobs: 0, exact: true, warnings: [] });
    expect(reads).toEqual([]);
  });

  it('stops reading kept manifests once every candidate is known to be held', async () => {
    // twin loses one tag but keeps another: its digest is in both lists.
    const twin = await pushImage(registry, 'r', { tags: ['twin'], created: null, layers: ['only twin'] });
    const { reader, reads } = instrumented(registry, new Set());
    // Everything twin reaches is held by twin itself, read first; the other kept manifests need no reading.
    const result = await estimateReclaim(reader, [
      { repository: 'r', untagged: [twin.descriptor.digest], remaining: [twin.descriptor.digest, kept.descriptor.digest, multi.descriptor.digest] },
    ], { concurrency: 1 });
    expect(result.bytes).toBe(0);
    expect(reads).toEqual([twin.descriptor.digest]);
  });

  it('is not exact, and says why, when a kept manifest cannot be read', async () => {
    const { reader } = instrumented(registry, new Set([kept.descriptor.digest]));
    const result = await estimateReclaim(reader, [{ repository: 'r', untagged: [a.descriptor.digest], remaining: [kept.descriptor.digest] }]);
    expect(result.exact).toBe(false);
    expect(result.warnings).toEqual([`r@${kept.descriptor.digest} could not be read (registry down)`]);
    // Without knowing what `kept` holds, the shared layer is counted.
    expect(result.bytes).toBe(total(sizeOf(a)));
  });

  it('is not exact when a kept tag could not be resolved', async () => {
    const result = await estimateReclaim(registry, [{ repository: 'r', untagged: [a.descriptor.digest], remaining: [], unknownRemaining: true }]);
    expect(result.exact).toBe(false);
    expect(result.warnings[0]).toMatch(/could not be resolved/);
  });

  it('ignores a child missing from a sparse index', async () => {
    const missing = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'e'.repeat(64)}`, size: 10 };
    const index = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [missing] }));
    // The memory registry refuses sparse indexes, so the reader serves one.
    const { reader } = instrumented(registry, new Set());
    const sparse: RegistryReader = {
      ...reader,
      async getManifest(repo, digest, options) {
        if (digest === `sha256:${'f'.repeat(64)}`) {
          return { descriptor: { mediaType: 'application/vnd.oci.image.index.v1+json', digest, size: index.length }, bytes: index };
        }
        if (digest === missing.digest) throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown');
        return reader.getManifest(repo, digest, options);
      },
    };
    const result = await estimateReclaim(sparse, [{ repository: 'r', untagged: [`sha256:${'f'.repeat(64)}`], remaining: [] }]);
    expect(result).toEqual({ bytes: index.length, blobs: 1, exact: true, warnings: [] });
  });

  it('with one blob store for all repositories, counts a blob once and never one another planned repository keeps', async () => {
    // The same image in a second repository: one copy of each blob in a registry.
    const copy = await pushImage(registry, 's', { tags: ['a'], created: null, layers: ['shared by all', 'shared by a and b', 'only a'] });
    expect(copy.descriptor.digest).toBe(a.descriptor.digest);
    const both = [
      { repository: 'r', untagged: [a.descriptor.digest], remaining: [kept.descriptor.digest] },
      { repository: 's', untagged: [a.descriptor.digest], remaining: [] },
    ];
    const freedOnce = total(sizeOf(a), new Set(sizeOf(kept).keys()));
    // Registry: each blob once, even though both repositories lose it…
    expect((await estimateReclaim(registry, both, { sharedStorage: true })).bytes).toBe(freedOnce);
    // …and nothing at all while `s` keeps it.
    const keptInS = [both[0]!, { repository: 's', untagged: [], remaining: [a.descriptor.digest] }];
    expect((await estimateReclaim(registry, keptInS, { sharedStorage: true })).bytes).toBe(0);
    // Layout directories: each repository is its own store.
    expect((await estimateReclaim(registry, keptInS)).bytes).toBe(freedOnce);
    expect((await estimateReclaim(registry, both)).bytes).toBe(freedOnce + total(sizeOf(a)));
  });
});
