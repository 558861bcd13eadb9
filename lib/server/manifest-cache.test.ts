/**
 * The manifest view is served from the digest cache (issue 10 "Also"): a repeat view of a manifest by digest
 * within the tag cache time makes no registry request, the presence of an index's children included; after
 * that time the children's presence is checked again, so a deleted platform manifest shows as missing
 * instead of being proved present forever by cached details (issue 11 item 5). A call-counting memory registry.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRegistry } from '@/lib/registry/memory';
import type { Registry } from '@/lib/registry/registry';
import { image, index, pushBuilt, type Built } from '@/lib/registry/testing/build';
import { getManifestView } from './manifest-service';
import { getSource, resetSources, setConfigForTests } from './sources';
import { listTagRows } from './tags-service';
import { configOf, countCalls } from '@/lib/server/testing/test-support';

const REPO = 'team/app';
const TAG_CACHE_SECONDS = 15;

function img(seed: string, architecture: string): Built {
  return image({
    seed,
    platform: { os: 'linux', architecture },
    layers: [`layer ${seed}`],
    config: { created: '2026-01-01T00:00:00Z', architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, history: [] },
  });
}

let memory: Registry;
let counted: ReturnType<typeof countCalls>;
let amd: Built;
let arm: Built;
let multi: Built;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  memory = createMemoryRegistry();
  amd = img('amd', 'amd64');
  arm = img('arm', 'arm64');
  multi = index([
    { built: amd, platform: { os: 'linux', architecture: 'amd64' } },
    { built: arm, platform: { os: 'linux', architecture: 'arm64' } },
  ]);
  await pushBuilt(memory, REPO, multi, { tag: 'v1' });
  counted = countCalls(memory);
  await setConfigForTests(configOf({ tagCacheSeconds: TAG_CACHE_SECONDS, sources: [{ name: 'mem', kind: 'memory' }] }), { mem: counted.registry });
});

afterEach(async () => {
  vi.useRealTimers();
  await setConfigForTests(null);
  await resetSources();
});

const later = (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000);
const missing = (view: Awaited<ReturnType<typeof getManifestView>>) => view.children!.filter((c) => c.missing).map((c) => c.descriptor.digest);

describe('manifest views from the digest cache', () => {
  it('a repeat view of an index by digest makes no registry request, children included', async () => {
    const source = await getSource('mem');
    const digest = multi.manifest.descriptor.digest;
    const first = await getManifestView(source, REPO, digest);
    expect(first.children).toHaveLength(2);
    // One GET of the index plus one presence check per child.
    expect(counted.count('getManifest')).toBe(1);
    expect(counted.count('resolveManifest')).toBe(2);
    counted.reset();

    later(TAG_CACHE_SECONDS - 1);
    const again = await getManifestView(source, REPO, digest);
    expect(counted.calls).toEqual([]);
    expect(again).toEqual(first);
  });

  it('a view of an image by digest reuses its config; by tag only the tag is read', async () => {
    const source = await getSource('mem');
    await getManifestView(source, REPO, amd.manifest.descriptor.digest);
    // Manifest + config blob; the page also starts listing the repository's tags to name every tag on the digest.
    const reads = () => counted.calls.map((c) => c.method).filter((m) => m !== 'listTags' && m !== 'resolveTag');
    expect(reads()).toEqual(['getManifest', 'getBlob']);
    counted.reset();
    const view = await getManifestView(source, REPO, amd.manifest.descriptor.digest);
    expect(reads()).toEqual([]);
    expect(view.config?.architecture).toBe('amd64');

    await getManifestView(source, REPO, 'v1');
    counted.reset();
    const byTag = await getManifestView(source, REPO, 'v1');
    expect(counted.calls.map((c) => c.method)).toEqual(['getTag']);
    expect(byTag.tags).toEqual(['v1']);
  });

  it('after the tag cache time a deleted platform manifest shows as missing', async () => {
    const source = await getSource('mem');
    const digest = multi.manifest.descriptor.digest;
    expect(missing(await getManifestView(source, REPO, digest))).toEqual([]);
    // Another client deletes the arm64 image; Porthole's cache still holds the view.
    await memory.deleteManifest(REPO, arm.manifest.descriptor.digest);
    later(1);
    expect(missing(await getManifestView(source, REPO, digest))).toEqual([]);

    later(TAG_CACHE_SECONDS);
    counted.reset();
    const view = await getManifestView(source, REPO, digest);
    expect(missing(view)).toEqual([arm.manifest.descriptor.digest]);
    expect(view.children!.find((c) => c.missing)!.missing!.code).toBe('MANIFEST_UNKNOWN');
    // The index itself is read again (it might be gone too), and each child is checked.
    expect(counted.count('getManifest')).toBe(1);
    expect(counted.count('resolveManifest')).toBe(2);
  });

  it('details cached by a tags view prove presence only within the tag cache time', async () => {
    const source = await getSource('mem');
    await listTagRows(source, REPO);
    // Another client deletes the amd64 image after the tags view computed its details.
    await memory.deleteManifest(REPO, amd.manifest.descriptor.digest);
    later(TAG_CACHE_SECONDS + 1);
    const view = await getManifestView(source, REPO, multi.manifest.descriptor.digest);
    expect(missing(view)).toEqual([amd.manifest.descriptor.digest]);
  });
});
