import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Annotation, MediaType } from '@/lib/oci/media-types';
import type { Descriptor } from '@/lib/oci/types';
import { IndexCache, type IndexDocument } from './index-file';
import { INDEX_FILE } from './paths';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'porthole-index-cache-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** An index.json of `tags` tagged entries, distinct per repository number `n`. */
function indexOf(n: number, tags: number): IndexDocument {
  const manifests: Descriptor[] = Array.from({ length: tags }, (_, i) => ({
    mediaType: MediaType.OciManifest,
    digest: `sha256:${n.toString(16).padStart(8, '0')}${i.toString(16).padStart(56, '0')}`,
    size: 700 + i,
    annotations: { [Annotation.RefName]: `v${n}.${i}` },
  }));
  return { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests };
}

/** Writes repository directory `n` with its index.json; returns the directory. */
async function writeRepo(n: number, tags: number): Promise<string> {
  const dir = join(root, `repo-${n}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, INDEX_FILE), JSON.stringify(indexOf(n, tags)));
  return dir;
}

describe('IndexCache: bounded by weight', () => {
  it('does not grow past its bound over many directories, and reads an evicted one again correctly', async () => {
    const bound = 64 * 1024;
    const cache = new IndexCache(bound);
    const dirs: string[] = [];
    for (let n = 0; n < 60; n++) dirs.push(await writeRepo(n, 20));

    const first = await cache.load(dirs[0]!, 'repo-0');
    const one = cache.cached.bytes;
    // Each snapshot weighs well over a twentieth of the bound: 60 of them cannot all be kept.
    expect(one).toBeGreaterThan(bound / 20);
    for (const [n, dir] of dirs.entries()) {
      const snapshot = await cache.load(dir, `repo-${n}`);
      expect(snapshot.tags.get(`v${n}.7`)?.digest).toBe(indexOf(n, 20).manifests[7]!.digest);
      expect(cache.cached.bytes).toBeLessThanOrEqual(bound);
    }
    expect(cache.cached.entries).toBeLessThan(20);

    // Directory 0 was evicted: read again from its file (a new snapshot), with the same content.
    const again = await cache.load(dirs[0]!, 'repo-0');
    expect(again).not.toBe(first);
    expect(again.version).toBe(first.version);
    expect(again.document).toEqual(indexOf(0, 20));
    expect([...again.tags.keys()]).toEqual(Array.from({ length: 20 }, (_, i) => `v0.${i}`));
    expect(cache.cached.bytes).toBeLessThanOrEqual(bound);
    // …and it is cached again: the next load is the same snapshot.
    expect(await cache.load(dirs[0]!, 'repo-0')).toBe(again);
  });

  it('keeps recently used directories over older ones', async () => {
    const cache = new IndexCache(64 * 1024);
    const hot = await writeRepo(0, 20);
    const snapshot = await cache.load(hot, 'repo-0');
    for (let n = 1; n < 60; n++) {
      await cache.load(await writeRepo(n, 20), `repo-${n}`);
      expect(await cache.load(hot, 'repo-0')).toBe(snapshot);
    }
  });

  it('counts a graph in the weight of the snapshot it belongs to, and evicts others for it', async () => {
    const bound = 64 * 1024;
    const cache = new IndexCache(bound);
    const dirs = await Promise.all(Array.from({ length: 5 }, (_, n) => writeRepo(n, 5)));
    const snapshots = [];
    for (const [n, dir] of dirs.entries()) snapshots.push(await cache.load(dir, `repo-${n}`));
    const before = cache.cached;
    expect(before.entries).toBe(5);

    // A snapshot no longer cached for its directory (replaced by a save) adds nothing.
    const replaced = snapshots[0]!;
    await cache.save(dirs[0]!, indexOf(0, 5));
    cache.weighGraph(dirs[0]!, replaced, 10_000);
    expect(cache.cached.bytes).toBe(before.bytes);

    cache.weighGraph(dirs[1]!, snapshots[1]!, 10_000);
    expect(cache.cached.bytes).toBe(before.bytes + 10_000);
    // A graph as heavy as the bound leaves its snapshot alone in the cache (never evicted for itself).
    cache.weighGraph(dirs[2]!, snapshots[2]!, bound);
    expect(cache.cached.entries).toBe(1);
    expect(await cache.load(dirs[2]!, 'repo-2')).toBe(snapshots[2]);
  });

  it('forgets a directory on invalidate', async () => {
    const cache = new IndexCache();
    const dir = await writeRepo(0, 3);
    const snapshot = await cache.load(dir, 'repo-0');
    cache.invalidate(dir);
    expect(cache.cached).toEqual({ entries: 0, bytes: 0 });
    const again = await cache.load(dir, 'repo-0');
    expect(again).not.toBe(snapshot);
    expect(again.document).toEqual(snapshot.document);
  });
});
