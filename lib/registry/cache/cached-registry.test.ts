import { describe, expect, it } from 'vitest';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { image, index, pushBuilt } from '@/lib/registry/testing/build';
import { countingRegistry } from '@/lib/registry/testing/counting';
import { directServer } from '@/lib/registry/server/testing/direct';
import { cachedContent } from './cached-registry';
import { tieredStore } from './content-store';
import { blobKey, manifestKey } from './keys';
import { mapStore } from './testing/map-store';
import { verifyContent } from './verify';

async function setup() {
  const inner = createMemoryRegistry();
  const img = image({ seed: 'one' });
  const idx = index([img, image({ seed: 'two', platform: { os: 'linux', architecture: 'arm64' } })]);
  await pushBuilt(inner, 'app', idx, { tag: 'v1' });
  const counting = countingRegistry(inner);
  const tier = mapStore();
  const store = tieredStore([tier], { verify: verifyContent });
  const registry = cachedContent(counting.registry, store, { maxBlobBytes: 1024, scope: 'registry-one' });
  return { registry, counting, tier, store, inner, img, idx };
}

const text = async (body: ReadableStream<Uint8Array>) => new Response(body).text();

describe('cachedContent', () => {
  it('reads a manifest by digest once from the registry, then from the store with the same descriptor', async () => {
    const { registry, counting, img } = await setup();
    const first = await registry.getManifest('app', img.manifest.descriptor.digest);
    const second = await registry.getManifest('app', img.manifest.descriptor.digest);
    expect(counting.calls.get('getManifest')).toBe(1);
    expect(second.descriptor).toEqual(first.descriptor);
    expect(second.bytes).toEqual(img.manifest.bytes);
  });

  it('keeps what a tag GET returns, so the same manifest by digest costs nothing; tags always ask the registry', async () => {
    const { registry, counting, idx } = await setup();
    await registry.getTag('app', 'v1');
    await registry.getTag('app', 'v1');
    expect(counting.calls.get('getTag')).toBe(2);
    const byDigest = await registry.getManifest('app', idx.manifest.descriptor.digest);
    expect(counting.calls.get('getManifest')).toBeUndefined();
    expect(byDigest.descriptor.mediaType).toBe(idx.manifest.mediaType);
  });

  it('keeps small whole blobs (configs); ranges and blobs over the bound stream from the registry', async () => {
    const { registry, counting, tier, img } = await setup();
    const config = img.blobs[0]!;
    expect(await text((await registry.getBlob('app', config.descriptor.digest)).body)).toBe(new TextDecoder().decode(config.bytes));
    expect(await text((await registry.getBlob('app', config.descriptor.digest)).body)).toBe(new TextDecoder().decode(config.bytes));
    expect(counting.calls.get('getBlob')).toBe(1);
    expect(tier.data.has(blobKey(config.descriptor.digest))).toBe(true);

    const ranged = await registry.getBlob('app', config.descriptor.digest, { range: { start: 0, end: 1 } });
    expect(await text(ranged.body)).toBe(new TextDecoder().decode(config.bytes.slice(0, 2)));
    expect(counting.calls.get('getBlob')).toBe(2);

    const small = cachedContent(counting.registry, tieredStore([tier], { verify: verifyContent }), { maxBlobBytes: 4, scope: 'registry-one' });
    const layer = img.blobs[1]!;
    await text((await small.getBlob('app', layer.descriptor.digest)).body);
    expect(tier.data.has(blobKey(layer.descriptor.digest))).toBe(false);
  });

  it('never serves a corrupted entry: it is dropped and read again from the registry', async () => {
    const { registry, counting, tier, img } = await setup();
    const digest = img.manifest.descriptor.digest;
    await registry.getManifest('app', digest);
    tier.data.set(manifestKey(digest), new TextEncoder().encode('{"schemaVersion":2,"tampered":true}'));
    const again = await registry.getManifest('app', digest);
    expect(again.bytes).toEqual(img.manifest.bytes);
    expect(counting.calls.get('getManifest')).toBe(2);
    expect(tier.data.get(manifestKey(digest))).toEqual(img.manifest.bytes);
  });

  it('checks names and digests before the store, and forgets a deleted manifest', async () => {
    const { registry, tier, img } = await setup();
    const digest = img.manifest.descriptor.digest;
    await registry.getManifest('app', digest);
    await expect(registry.getManifest('App!', digest)).rejects.toMatchObject({ code: 'NAME_INVALID' });
    await expect(registry.getManifest('app', 'sha256:nope')).rejects.toMatchObject({ code: 'DIGEST_INVALID' });
    await registry.deleteManifest('app', digest);
    expect(tier.data.has(manifestKey(digest))).toBe(false);
    await expect(registry.getManifest('app', digest)).rejects.toMatchObject({ code: 'MANIFEST_UNKNOWN' });
  });
});

describe('cachedContent: content is served only where the registry has it', () => {
  /** `setup()` plus a repository `other` of the same registry that holds an unrelated image. */
  async function withOther() {
    const s = await setup();
    await pushBuilt(s.inner, 'other', image({ seed: 'unrelated' }), { tag: 'v1' });
    return s;
  }

  it('a manifest kept for one repository is not served for another that lacks it: one check, then MANIFEST_UNKNOWN', async () => {
    const { registry, counting, img } = await withOther();
    const digest = img.manifest.descriptor.digest;
    await registry.getManifest('app', digest);
    await expect(registry.getManifest('other', digest)).rejects.toMatchObject({ code: 'MANIFEST_UNKNOWN' });
    expect(counting.args.get('resolveManifest')).toEqual([digest]);
    expect(counting.calls.get('getManifest')).toBe(1);
  });

  it('a blob kept for one repository is not served for another that lacks it: one check, then BLOB_UNKNOWN', async () => {
    const { registry, counting, img } = await withOther();
    const config = img.blobs[0]!.descriptor.digest;
    await text((await registry.getBlob('app', config)).body);
    await expect(registry.getBlob('other', config)).rejects.toMatchObject({ code: 'BLOB_UNKNOWN' });
    expect(counting.args.get('resolveBlob')).toEqual([config]);
    expect(counting.calls.get('getBlob')).toBe(1);
  });

  it('content that the other repository has too costs one existence check there, then comes from the store', async () => {
    const { registry, counting, inner, img } = await withOther();
    const digest = img.manifest.descriptor.digest;
    await registry.getManifest('app', digest);
    await pushBuilt(inner, 'other', img);
    expect((await registry.getManifest('other', digest)).bytes).toEqual(img.manifest.bytes);
    expect((await registry.getManifest('other', digest)).bytes).toEqual(img.manifest.bytes);
    expect(counting.calls.get('resolveManifest')).toBe(1);
    expect(counting.calls.get('getManifest')).toBe(1);
    // The config too: one check in `other` (the manifest there proves nothing about it), then from the store.
    const config = img.blobs[0]!;
    await text((await registry.getBlob('app', config.descriptor.digest)).body);
    expect(await text((await registry.getBlob('other', config.descriptor.digest)).body)).toBe(new TextDecoder().decode(config.bytes));
    expect(await text((await registry.getBlob('other', config.descriptor.digest)).body)).toBe(new TextDecoder().decode(config.bytes));
    expect(counting.args.get('resolveBlob')).toEqual([config.descriptor.digest]);
    expect(counting.calls.get('getBlob')).toBe(1);
  });

  it('a manifest answered in a repository proves nothing about its config (deleted there by another tool): one check, then BLOB_UNKNOWN', async () => {
    const { registry, counting, store, img } = await withOther();
    const config = img.blobs[0]!.descriptor.digest;
    await registry.getManifest('app', img.manifest.descriptor.digest);
    await text((await registry.getBlob('app', config)).body);
    // The registry answers the manifest for `other` (by tag, and by digest), whose config blob is gone there.
    const answering = cachedContent(
      {
        ...counting.registry,
        getTag: () => Promise.resolve({ descriptor: img.manifest.descriptor, bytes: img.manifest.bytes }),
        resolveManifest: () => Promise.resolve(img.manifest.descriptor),
      },
      store,
      { maxBlobBytes: 1024, scope: 'registry-one' },
    );
    await answering.getTag('other', 'v1');
    await answering.getManifest('other', img.manifest.descriptor.digest);
    await expect(answering.getBlob('other', config)).rejects.toMatchObject({ code: 'BLOB_UNKNOWN' });
    expect(counting.args.get('resolveBlob')).toEqual([config]);
    // Still served where it is.
    expect(await text((await registry.getBlob('app', config)).body)).toBe(new TextDecoder().decode(img.blobs[0]!.bytes));
  });

  it('an index proves nothing about its children: a child kept from another repository is checked there (sparse indexes exist)', async () => {
    const { registry, counting, store, idx } = await withOther();
    const child = idx.children[0]!.manifest.descriptor.digest;
    await registry.getManifest('app', child);
    // The registry answers an index for `other` that lists the child, which `other` does not have.
    const sparse = cachedContent(
      { ...counting.registry, getTag: () => Promise.resolve({ descriptor: idx.manifest.descriptor, bytes: idx.manifest.bytes }) },
      store,
      { maxBlobBytes: 1024, scope: 'registry-one' },
    );
    await sparse.getTag('other', 'sparse');
    await expect(sparse.getManifest('other', child)).rejects.toMatchObject({ code: 'MANIFEST_UNKNOWN' });
    expect(counting.args.get('resolveManifest')).toEqual([child]);
  });

  it('is per registry and account: another scope over the same store checks once', async () => {
    const { registry, counting, store, img } = await setup();
    const digest = img.manifest.descriptor.digest;
    await registry.getManifest('app', digest);
    const elsewhere = cachedContent(counting.registry, store, { maxBlobBytes: 1024, scope: 'registry-two' });
    await elsewhere.getManifest('app', digest);
    await elsewhere.getManifest('app', digest);
    expect(counting.calls.get('resolveManifest')).toBe(1);
    expect(counting.calls.get('getManifest')).toBe(1);
  });

  it('what a tag read proves is kept in the store: after a restart the index, its children and their configs cost no request', async () => {
    const { registry, counting, store, idx } = await setup();
    await registry.getTag('app', 'v1');
    for (const child of idx.children) {
      await registry.getManifest('app', child.manifest.descriptor.digest);
      await text((await registry.getBlob('app', child.blobs[0]!.descriptor.digest)).body);
    }
    counting.calls.clear();
    const restarted = cachedContent(counting.registry, store, { maxBlobBytes: 1024, scope: 'registry-one' });
    await restarted.getManifest('app', idx.manifest.descriptor.digest);
    for (const child of idx.children) {
      await restarted.getManifest('app', child.manifest.descriptor.digest);
      expect(await text((await restarted.getBlob('app', child.blobs[0]!.descriptor.digest)).body)).toBe(new TextDecoder().decode(child.blobs[0]!.bytes));
    }
    expect([...counting.calls.keys()]).toEqual([]);
  });

  it('a resolved tag proves its manifest: read by digest from the store with no check', async () => {
    const { registry, counting, store, img } = await withOther();
    const digest = img.manifest.descriptor.digest;
    await registry.getManifest('app', digest);
    await pushBuilt(counting.registry, 'other', img, { tag: 'same' });
    const before = counting.calls.get('resolveManifest') ?? 0;
    await registry.resolveTag('other', 'same');
    const restarted = cachedContent(counting.registry, store, { maxBlobBytes: 1024, scope: 'registry-one' });
    expect((await restarted.getManifest('other', digest)).bytes).toEqual(img.manifest.bytes);
    expect(counting.calls.get('resolveManifest') ?? 0).toBe(before);
    expect(counting.calls.get('getManifest')).toBe(1);
  });
});

describe('cachedContent behind the /v2 server', () => {
  it('never serves a cached blob through a source whose repository does not hold it', async () => {
    const { tier, img } = await setup();
    const config = img.blobs[0]!;
    // The blob is in the shared store (read through another source), not in the served source.
    tier.data.set(blobKey(config.descriptor.digest), config.bytes);
    const s = await directServer();
    try {
      const store = tieredStore([tier], { verify: verifyContent });
      s.sources.ro = { ...s.sources.ro, registry: cachedContent(s.sources.ro.registry, store, { maxBlobBytes: 1024, scope: 'served' }) };
      await pushBuilt(s.sources.mem.registry, 'app', img);
      const absent = await s.call('GET', `/v2/ro/app/blobs/${config.descriptor.digest}`);
      expect(absent.status).toBe(404);
      await absent.body?.cancel();
      await pushBuilt(s.sources.ro.registry, 'app', img);
      const present = await s.call('GET', `/v2/ro/app/blobs/${config.descriptor.digest}`);
      expect(present.status).toBe(200);
      expect(new Uint8Array(await present.arrayBuffer())).toEqual(config.bytes);
    } finally {
      await s.close();
    }
  });

  it('a tag read again does not write its presence records again (each view would rewrite a file per tag)', async () => {
    const { registry, tier } = await setup();
    const puts: string[] = [];
    const put = tier.put;
    tier.put = async (key, bytes) => {
      puts.push(key);
      await put(key, bytes);
    };
    await registry.getTag('app', 'v1');
    const firstView = puts.filter((key) => key.startsWith('presence/')).length;
    expect(firstView).toBeGreaterThan(0);
    await registry.getTag('app', 'v1');
    await registry.getTag('app', 'v1');
    expect(puts.filter((key) => key.startsWith('presence/')).length).toBe(firstView);
  });
});
