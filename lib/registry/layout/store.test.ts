import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from '@/lib/registry/iter';
import { artifact, image, pushBuilt, subjectOf, type Built } from '@/lib/registry/testing/build';
import { createLayoutRegistry } from './index';
import { LayoutStore, layoutGraphCost, manifestRecordCost } from './store';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'porthole-layout-store-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Pushes 40 tagged images into `repo` and returns them in push order. */
async function pushImages(repo: string): Promise<Built[]> {
  const registry = createLayoutRegistry(root);
  const images = Array.from({ length: 40 }, (_, i) => image({ seed: `image ${i}`, layers: [`layer ${i}`] }));
  for (const [i, built] of images.entries()) await pushBuilt(registry, repo, built, { tag: `t${i}` });
  await registry.close();
  return images;
}

describe('layout store: parsed-manifest cache', () => {
  it('stays within its byte bound while reading more manifests than it holds, and re-reads evicted ones', async () => {
    const images = await pushImages('app');
    const bound = 8 * 1024;
    const store = new LayoutStore(root, { manifestCacheBytes: bound });
    const dir = await store.open('app');
    // Each record weighs well over a tenth of the bound: 40 of them cannot all be kept.
    expect(manifestRecordCost((await store.manifest(dir, images[0]!.manifest.descriptor.digest)))).toBeGreaterThan(bound / 10);

    for (const built of images) {
      const record = await store.manifest(dir, built.manifest.descriptor.digest);
      expect(record.state === 'ok' && record.json).toEqual(built.manifest.json);
      expect(store.cachedManifests.bytes).toBeLessThanOrEqual(bound);
    }
    expect(store.cachedManifests.entries).toBeLessThan(10);

    // The first ones were evicted: read again from the layout, with the same answer.
    for (const built of images.slice(0, 5)) {
      const record = await store.manifest(dir, built.manifest.descriptor.digest);
      expect(record.state).toBe('ok');
      if (record.state !== 'ok') continue;
      expect(record.json).toEqual(built.manifest.json);
      expect(record.info.descriptor).toEqual(subjectOf(built));
    }
    expect(store.cachedManifests.bytes).toBeLessThanOrEqual(bound);
  });

  it('keeps tags, manifests, referrers and cascading deletes complete with a cache far smaller than the layout', async () => {
    const images = await pushImages('app');
    const subject = images[3]!;
    const referrers = Array.from({ length: 12 }, (_, i) =>
      artifact({ subject: subjectOf(subject), artifactType: 'application/vnd.test.sig', annotations: { n: String(i) } }),
    );
    const registry = createLayoutRegistry(root, { manifestCacheBytes: 4 * 1024 });
    try {
      for (const referrer of referrers) await pushBuilt(registry, 'app', referrer);

      expect((await collect(registry.listTags('app'))).length).toBe(40);
      for (const [i, built] of images.entries()) {
        const { bytes } = await registry.getTag('app', `t${i}`);
        expect(Buffer.from(bytes).equals(Buffer.from(built.manifest.bytes))).toBe(true);
      }
      const listed = await collect(registry.listReferrers('app', subject.manifest.descriptor.digest));
      expect(listed.map((d) => d.digest).sort()).toEqual(referrers.map((r) => r.manifest.descriptor.digest).sort());

      const result = await registry.deleteManifest('app', subject.manifest.descriptor.digest, { cascadeReferrers: true });
      expect(result.deleted.length).toBe(13);
      expect(result.tags).toEqual(['t3']);
      expect((await collect(registry.listTags('app'))).length).toBe(39);
      await expect(registry.getManifest('app', referrers[0]!.manifest.descriptor.digest)).rejects.toMatchObject({ code: 'MANIFEST_UNKNOWN' });
    } finally {
      await registry.close();
    }
  });
});

describe('layout store: index.json cache', () => {
  it('counts each repository graph in its bound, evicts whole repositories for it, and walks an evicted one again', async () => {
    const repos = ['a', 'b', 'c', 'd', 'e', 'f'];
    const pushed = new Map<string, Built[]>();
    const registry = createLayoutRegistry(root);
    for (const [r, repo] of repos.entries()) {
      const images = Array.from({ length: 6 }, (_, i) => image({ seed: `${repo} ${i}`, layers: [`layer ${r} ${i}`] }));
      for (const [i, built] of images.entries()) await pushBuilt(registry, repo, built, { tag: `t${i}` });
      pushed.set(repo, images);
    }
    await registry.close();

    const bound = 24 * 1024;
    const store = new LayoutStore(root, { indexCacheBytes: bound });
    const digestsOf = (repo: string) => pushed.get(repo)!.map((built) => built.manifest.descriptor.digest).sort();
    const graphOf = async (repo: string) => {
      const dir = await store.open(repo);
      const snapshot = await store.snapshot(dir, repo);
      return { snapshot, graph: await store.graph(dir, snapshot) };
    };

    await store.snapshot(await store.open('a'), 'a');
    const bare = store.indexes.cached.bytes;
    const first = await graphOf('a');
    // The graph weighs more than its snapshot: without it the bound would count a fraction of what is held.
    expect(store.indexes.cached.bytes - bare).toBe(layoutGraphCost(first.graph));
    expect(layoutGraphCost(first.graph)).toBeGreaterThan(bare);
    expect(store.indexes.cached.bytes).toBeGreaterThan(bound / 4);

    for (const repo of repos) {
      const { graph } = await graphOf(repo);
      expect([...graph.manifests.keys()].sort()).toEqual(digestsOf(repo));
      expect(store.indexes.cached.bytes).toBeLessThanOrEqual(bound);
    }
    expect(store.indexes.cached.entries).toBeLessThan(repos.length);

    // Repository a was evicted with its graph: a new snapshot, walked again to the same manifests.
    const again = await graphOf('a');
    expect(again.snapshot).not.toBe(first.snapshot);
    expect([...again.graph.manifests.keys()].sort()).toEqual(digestsOf('a'));
    expect(store.indexes.cached.bytes).toBeLessThanOrEqual(bound);
  });
});
