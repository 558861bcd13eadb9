import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { Annotation, MediaType } from '@/lib/oci/media-types';
import { referrersFallbackTag } from '@/lib/oci/manifest';
import { createMemoryRegistry } from '@/lib/registry/memory';
import type { Registry } from '@/lib/registry/registry';
import { artifact, image, index, pushBuilt, subjectOf, type Built } from '@/lib/registry/testing/build';
import { getSource, resetSources, setConfigForTests } from './sources';
import { getTagsPage, listTagRows } from './tags-service';
import { abortListeners, collectListenerWarnings } from '@/lib/registry/testing/listener-warnings';
import { configOf, countCalls } from './testing/test-support';
import { RESOLVE_WINDOW } from './windowed';

const REPO = 'team/app';
const SIG = 'application/vnd.dev.cosign.artifact.sig.v1+json';
const SBOM = 'application/spdx+json';

function img(seed: string, created: string, platform = { os: 'linux', architecture: 'amd64' }): Built {
  return image({
    seed,
    platform,
    layers: [`layer ${seed}`, `second ${seed}`],
    config: { created, architecture: platform.architecture, os: platform.os, rootfs: { type: 'layers', diff_ids: [] }, history: [] },
  });
}

function sizeOf(built: Built): number {
  const json = built.manifest.json as { config: { size: number }; layers: { size: number }[] };
  return json.config.size + json.layers.reduce((a, l) => a + l.size, 0);
}

interface Seeded {
  v1: Built;
  amd: Built;
  arm: Built;
  v2: Built;
  sig: Built;
}

async function seed(registry: Registry): Promise<Seeded> {
  const v1 = img('v1', '2024-01-01T00:00:00Z');
  const amd = img('v2-amd', '2024-02-01T00:00:00Z');
  const arm = img('v2-arm', '2024-02-03T00:00:00Z', { os: 'linux', architecture: 'arm64' });
  const attestation = image({ seed: 'att', layers: ['{"_type":"https://in-toto.io/Statement/v0.1"}'] });
  const v2 = index([
    { built: amd, platform: { os: 'linux', architecture: 'amd64' } },
    { built: arm, platform: { os: 'linux', architecture: 'arm64' } },
    {
      built: attestation,
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: { [Annotation.DockerReferenceType]: 'attestation-manifest', [Annotation.DockerReferenceDigest]: amd.manifest.descriptor.digest },
    },
  ]);
  await pushBuilt(registry, REPO, v1, { tag: 'v1.0.0' });
  await pushBuilt(registry, REPO, v2, { tag: 'v2.0.0' });
  await pushBuilt(registry, REPO, v2, { tag: 'latest' });
  // Referrers of v2 kept in a fallback index (as on registries without the referrers API).
  const sig = artifact({ subject: subjectOf(v2), artifactType: SIG, layers: ['sig'] });
  const sbom = artifact({ subject: subjectOf(v2), artifactType: SBOM, layers: ['sbom'] });
  await pushBuilt(registry, REPO, sig);
  await pushBuilt(registry, REPO, sbom);
  const fallback = {
    schemaVersion: 2,
    mediaType: MediaType.OciIndex,
    manifests: [
      { ...sig.manifest.descriptor, artifactType: SIG },
      { ...sbom.manifest.descriptor, artifactType: SBOM },
    ],
  };
  const bytes = new TextEncoder().encode(JSON.stringify(fallback));
  await registry.pushManifest(REPO, bytes, MediaType.OciIndex, { tag: referrersFallbackTag(v2.manifest.descriptor.digest) });
  // A cosign signature tag on v1.
  const cosign = artifact({ artifactType: SIG, layers: ['cosign'] });
  await pushBuilt(registry, REPO, cosign, { tag: `${referrersFallbackTag(v1.manifest.descriptor.digest)}.sig` });
  return { v1, amd, arm, v2, sig };
}

let counted: ReturnType<typeof countCalls>;
let seeded: Seeded;

beforeEach(async () => {
  const memory = createMemoryRegistry();
  seeded = await seed(memory);
  counted = countCalls(memory);
  await setConfigForTests(configOf({ sources: [{ name: 'mem', kind: 'memory', concurrency: 3 }] }), { mem: counted.registry });
});
afterEach(async () => {
  await setConfigForTests(null);
  await resetSources();
});

describe('tags service', () => {
  it('lists every tag with details, shared tags and attached artifacts', async () => {
    const rows = await listTagRows('mem', REPO);
    const { v1, amd, arm, v2 } = seeded;
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(rows.map((r) => r.name)).toEqual([...byName.keys()].sort());
    expect(byName.get('v1.0.0')).toMatchObject({
      kind: 'tag',
      digest: v1.manifest.descriptor.digest,
      manifestKind: 'image',
      size: sizeOf(v1),
      created: '2024-01-01T00:00:00Z',
      platforms: ['linux/amd64'],
      sharedWith: [],
      attached: { signature: 1 },
    });
    expect(byName.get('v2.0.0')).toMatchObject({
      digest: v2.manifest.descriptor.digest,
      manifestKind: 'index',
      size: sizeOf(amd) + sizeOf(arm),
      created: '2024-02-03T00:00:00Z',
      platforms: ['linux/amd64', 'linux/arm64'],
      sharedWith: ['latest'],
      // Referrers (from the fallback index) apart from the index's own attestation entry.
      attached: { signature: 1, sbom: 1 },
      indexAttestations: { attestation: 1 },
    });
    const fallbackRow = byName.get(referrersFallbackTag(v2.manifest.descriptor.digest))!;
    expect(fallbackRow).toMatchObject({ kind: 'referrers-fallback', subjectDigest: v2.manifest.descriptor.digest, manifestKind: 'index' });
    expect(byName.get(`${referrersFallbackTag(v1.manifest.descriptor.digest)}.sig`)).toMatchObject({ kind: 'signature', manifestKind: 'artifact', artifactType: SIG });
  });

  it('counts a referrer once when both its fallback index entry and a cosign tag name it', async () => {
    const { v2, sig } = seeded;
    await counted.registry.pushManifest(REPO, sig.manifest.bytes, sig.manifest.mediaType, { tag: `${referrersFallbackTag(v2.manifest.descriptor.digest)}.sig` });
    const rows = await listTagRows('mem', REPO);
    const row = rows.find((r) => r.name === 'v2.0.0')!;
    expect(row.attached).toEqual({ signature: 1, sbom: 1 });
    expect(row.indexAttestations).toEqual({ attestation: 1 });
  });

  it('makes the minimum registry requests cold, none warm, through a bounded pool', async () => {
    const source = await getSource('mem');
    let peak = 0;
    const run = source.pool.run.bind(source.pool);
    source.pool.run = (task) =>
      run(async () => {
        peak = Math.max(peak, source.pool.inFlight);
        return task();
      });
    const page = await getTagsPage(source, REPO, { n: 100, sort: { key: 'name', descending: false }, details: true });
    expect(page.total).toBe(5);
    expect(counted.count('listTags')).toBe(1);
    expect(counted.count('getTag')).toBe(5);
    expect(counted.count('resolveTag')).toBe(0);
    // v2's two platform children; the attestation child and the fallback index's entries are not fetched.
    expect(counted.count('getManifest')).toBe(2);
    // One config per image (v1, amd, arm); artifact configs are never read.
    expect(counted.count('getBlob')).toBe(3);
    expect(new Set(counted.calls.filter((c) => c.method === 'getBlob').map((c) => c.args[1])).size).toBe(3);
    expect(peak).toBeLessThanOrEqual(3);

    counted.reset();
    const again = await getTagsPage(source, REPO, { n: 2, sort: { key: 'created', descending: true }, details: true });
    expect(counted.calls).toEqual([]);
    // Newest first; the tie between the two tags of v2 keeps name order, as on the page (lib/tags/order.ts).
    expect(again.tags.map((t) => t.name)).toEqual(['latest', 'v2.0.0']);
    expect(again.next).toBe('v2.0.0');
  });

  it('answers details=false with names and kinds only, from the tag list alone', async () => {
    const source = await getSource('mem');
    const page = await getTagsPage(source, REPO, { n: 100, q: 'SHA256', sort: { key: 'name', descending: false }, details: false });
    expect(counted.calls.map((c) => c.method)).toEqual(['listTags']);
    expect(page.total).toBe(2);
    expect(page.tags.every((t) => t.digest === null && t.size === null && t.kind !== 'tag')).toBe(true);
    // The full view right after reuses the cached tag list.
    await getTagsPage(source, REPO, { n: 100, sort: { key: 'name', descending: false }, details: true });
    expect(counted.count('listTags')).toBe(1);
  });

  it('shares in-flight requests between concurrent views and dedupes digests', async () => {
    const source = await getSource('mem');
    const query = { n: 100, sort: { key: 'name' as const, descending: false }, details: true };
    await Promise.all([getTagsPage(source, REPO, query), getTagsPage(source, REPO, query), listTagRows(source, REPO)]);
    expect(counted.count('listTags')).toBe(1);
    expect(counted.count('getTag')).toBe(5);
    expect(counted.count('getManifest')).toBe(2);
    expect(counted.count('getBlob')).toBe(3);
  });

  it('lists the tag again after the cache time, but never refetches content by digest', async () => {
    await setConfigForTests(configOf({ sources: [{ name: 'mem', kind: 'memory', tagCacheSeconds: 0 }] }), { mem: counted.registry });
    const source = await getSource('mem');
    const query = { n: 100, sort: { key: 'name' as const, descending: false }, details: true };
    await getTagsPage(source, REPO, query);
    counted.reset();
    await getTagsPage(source, REPO, query);
    expect(counted.count('listTags')).toBe(1);
    expect(counted.count('getTag')).toBe(5);
    expect(counted.count('getManifest')).toBe(0);
    expect(counted.count('getBlob')).toBe(0);
  });

  /**
   * Two views of a cache time of 0 s, the second started while the first waits for `slowCall`: counted from the
   * listing's start or its last answer, the second view would list and read every tag again.
   */
  async function twoViewsWhileWaiting(slowCall: (base: Registry, gate: Promise<void>) => Partial<Registry>) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = countCalls({ ...counted.registry, ...slowCall(counted.registry, gate) } as Registry);
    await setConfigForTests(configOf({ sources: [{ name: 'mem', kind: 'memory', tagCacheSeconds: 0 }] }), { mem: slow.registry });
    const source = await getSource('mem');
    const query = { n: 100, sort: { key: 'name' as const, descending: false }, details: true };
    const first = getTagsPage(source, REPO, query);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = getTagsPage(source, REPO, query);
    release();
    await Promise.all([first, second]);
    expect(slow.count('listTags')).toBe(1);
    expect(slow.count('getTag')).toBe(5);
  }

  it('keeps a listing fresh while its tags are still being read, however long that takes', async () => {
    await twoViewsWhileWaiting((base, gate) => ({
      getTag: async (repo, tag, options) => {
        if (tag === 'latest') await gate;
        return base.getTag(repo, tag, options);
      },
    }));
  });

  it('keeps a listing fresh while the details of its tags (configs) are still being read', async () => {
    // Every tag's manifest arrives at once; the configs take long.
    await twoViewsWhileWaiting((base, gate) => ({
      getBlob: async (repo, digest, options) => {
        await gate;
        return base.getBlob(repo, digest, options);
      },
    }));
  });

  it('reads a big repository a bounded window of tags at a time, with the same requests', async () => {
    const { v1 } = seeded;
    const many = Array.from({ length: RESOLVE_WINDOW + 100 }, (_, i) => `many-${String(i).padStart(4, '0')}`);
    for (const tag of many) await counted.registry.pushManifest(REPO, v1.manifest.bytes, v1.manifest.mediaType, { tag });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const gated = countCalls({ ...counted.registry, getTag: async (...args: Parameters<Registry['getTag']>) => (await gate, counted.registry.getTag(...args)) } as Registry);
    await setConfigForTests(configOf({ sources: [{ name: 'mem', kind: 'memory', concurrency: 3 }] }), { mem: gated.registry });
    const source = await getSource('mem');
    const view = getTagsPage(source, REPO, { n: 1000, sort: { key: 'name', descending: false }, details: true });
    await vi.waitFor(() => expect(gated.count('getTag')).toBe(3));
    // Every tag started at once would hold a pending task (and its promises and listeners) for each of them.
    const started = source.cache.peekRepo(REPO)!.listing!.resolved.size;
    expect(started).toBeLessThanOrEqual(RESOLVE_WINDOW);
    release();
    const page = await view;
    expect(page.total).toBe(many.length + 5);
    expect(page.tags.filter((t) => t.name.startsWith('many-')).every((t) => t.digest === v1.manifest.descriptor.digest && t.created === '2024-01-01T00:00:00Z')).toBe(true);
    expect(gated.count('getTag')).toBe(many.length + 5);
    expect(gated.count('listTags')).toBe(1);
  });

  it('keeps rows whose tag cannot be read, with the error', async () => {
    const base = counted.registry;
    const broken = countCalls({
      ...base,
      getTag: (repo, tag, options) =>
        tag === 'latest' ? Promise.reject(new (class extends Error {})('boom')) : base.getTag(repo, tag, options),
    } as Registry);
    await setConfigForTests(configOf({ sources: [{ name: 'mem', kind: 'memory' }] }), { mem: broken.registry });
    const rows = await listTagRows('mem', REPO);
    const latest = rows.find((r) => r.name === 'latest')!;
    expect(latest.digest).toBeNull();
    expect(latest.error).toEqual({ code: 'UNKNOWN', message: 'internal error' });
    expect(rows.find((r) => r.name === 'v2.0.0')!.sharedWith).toEqual([]);
  });

  it('builds a 200-tag view on one request signal without a listener warning, leaving no listener on it', async () => {
    for (let i = 0; i < 200; i++) await pushBuilt(counted.registry, 'big/app', img(`big${i}`, '2024-03-01T00:00:00Z'), { tag: `t${i}` });
    const warnings = collectListenerWarnings();
    try {
      const request = new AbortController();
      const source = await getSource('mem');
      const page = await getTagsPage(source, 'big/app', { n: 1000, sort: { key: 'name', descending: false }, details: true }, request.signal);
      expect(page.total).toBe(200);
      expect(page.tags.every((t) => t.platforms.length === 1 && !t.error)).toBe(true);
      expect(abortListeners(request.signal)).toBe(0);
      expect(await warnings.messages()).toEqual([]);
    } finally {
      warnings.stop();
    }
  });

  it('builds the rows of a listing once for all its pages, but not while a row has an error', async () => {
    const source = await getSource('mem');
    const byName = { n: 2, sort: { key: 'name' as const, descending: false }, details: true };
    const first = await getTagsPage(source, REPO, byName);
    const second = await getTagsPage(source, REPO, { ...byName, last: first.next!, sort: { key: 'created', descending: true } });
    const all = await getTagsPage(source, REPO, { ...byName, n: 100 });
    // The same row objects: pages 2… of a 20,000-tag view no longer build every row again.
    for (const row of [...first.tags, ...second.tags]) expect(all.tags.find((r) => r.name === row.name)).toBe(row);

    let fail = true;
    const base = counted.registry;
    const flaky = countCalls({
      ...base,
      getBlob: (repo, digest, options) => (fail ? Promise.reject(new Error('config unreadable')) : base.getBlob(repo, digest, options)),
    } as Registry);
    await setConfigForTests(configOf({ sources: [{ name: 'mem', kind: 'memory' }] }), { mem: flaky.registry });
    const again = await getSource('mem');
    const broken = await getTagsPage(again, REPO, { ...byName, n: 100 });
    expect(broken.tags.find((r) => r.name === 'v1.0.0')!.error).toBeDefined();
    fail = false;
    const fixed = await getTagsPage(again, REPO, { ...byName, n: 100 });
    expect(fixed.tags.find((r) => r.name === 'v1.0.0')).toMatchObject({ created: '2024-01-01T00:00:00Z' });
    expect(fixed.tags.find((r) => r.name === 'v1.0.0')!.error).toBeUndefined();
  });

  it('reports an unknown repository as NAME_UNKNOWN', async () => {
    const error = await listTagRows('mem', 'nope/nothing').catch((e: unknown) => e);
    expect(isRegistryError(error, 'NAME_UNKNOWN')).toBe(true);
  });
});
