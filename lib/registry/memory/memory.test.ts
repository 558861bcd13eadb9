import { describe, expect, it } from 'vitest';
import { MediaType } from '@/lib/oci/media-types';
import { collect } from '@/lib/registry/iter';
import { artifact, blob, image, index, pushBuilt, subjectOf } from '@/lib/registry/testing/build';
import { expectRegistryError, runRegistryContract } from '@/lib/registry/testing/contract';
import { REGCLIENT_EXTERNAL, REGCLIENT_TESTREPO } from '@/lib/registry/testing/fixtures';
import { loadLayoutInto } from '@/lib/registry/testing/load-layout';
import { expectLayoutServed, expectReferrersMatchFallbackTags } from '@/lib/registry/testing/round-trip';
import { createMemoryRegistry } from './index';

runRegistryContract('memory', async () => {
  const registry = createMemoryRegistry();
  return { registry, cleanup: () => registry.close() };
});

describe('memory registry: regclient fixture round trip', () => {
  it('serves testrepo and external byte-identical after loading them through the interface', async () => {
    const registry = createMemoryRegistry();
    const testrepo = await loadLayoutInto(registry, 'testrepo', REGCLIENT_TESTREPO);
    const external = await loadLayoutInto(registry, 'external', REGCLIENT_EXTERNAL);
    expect(testrepo.tags.size).toBe(24);
    expect(testrepo.manifests.size).toBe(48);
    expect(await collect(registry.listRepositories())).toEqual(['external', 'testrepo']);
    await expectLayoutServed(registry, 'testrepo', testrepo);
    await expectLayoutServed(registry, 'external', external);
  });

  it('computes referrers equal to the fixture fallback indexes (v2: a1, a2) and finds those without one (v3)', async () => {
    const registry = createMemoryRegistry();
    const testrepo = await loadLayoutInto(registry, 'testrepo', REGCLIENT_TESTREPO);
    const external = await loadLayoutInto(registry, 'external', REGCLIENT_EXTERNAL);
    const v2 = testrepo.tags.get('v2')!.digest;
    const checked = await expectReferrersMatchFallbackTags(registry, 'testrepo', testrepo);
    expect(checked).toContain(v2);
    expect(checked).toHaveLength(6);
    expect(await expectReferrersMatchFallbackTags(registry, 'external', external)).toEqual([v2]);
    const v2Referrers = (await collect(registry.listReferrers('testrepo', v2))).map((d) => d.digest).sort();
    expect(v2Referrers).toEqual([testrepo.tags.get('a1')!.digest, testrepo.tags.get('a2')!.digest].sort());
    // v3's two sbom artifacts have no fallback tag in the fixture; the subject scan finds them.
    const v3 = await collect(registry.listReferrers('testrepo', testrepo.tags.get('v3')!.digest));
    expect(v3.map((d) => d.annotations?.type).sort()).toEqual(['drink', 'eat']);
    expect(v3.every((d) => d.artifactType === 'application/example.sbom')).toBe(true);
  });
});

describe('memory registry specifics', () => {
  it('accepts foreign layers (with urls) that were never pushed', async () => {
    const registry = createMemoryRegistry();
    const img = image({ seed: 'windows' });
    const foreign = { mediaType: MediaType.DockerForeignLayerGzip, digest: blob('foreign').descriptor.digest, size: 7, urls: ['https://example.invalid/layer'] };
    const json = { ...img.manifest.json, layers: [foreign] };
    const bytes = new TextEncoder().encode(JSON.stringify(json));
    await registry.pushBlob('win', img.blobs[0]!.descriptor, img.blobs[0]!.bytes);
    const pushed = await registry.pushManifest('win', bytes, MediaType.OciManifest, { tag: 'ltsc' });
    expect((await registry.getTag('win', 'ltsc')).descriptor.digest).toBe(pushed.digest);
  });

  it('refuses media types that are not manifest types', async () => {
    const registry = createMemoryRegistry();
    const img = image({ seed: 'odd type' });
    await pushBuilt(registry, 'odd', img);
    await expectRegistryError(() => registry.pushManifest('odd', img.manifest.bytes, 'text/plain'), 'MANIFEST_INVALID');
    await expectRegistryError(() => registry.pushManifest('odd', img.manifest.bytes, ''), 'MANIFEST_INVALID');
    // Content-Type parameters are ignored.
    const pushed = await registry.pushManifest('odd', img.manifest.bytes, `${MediaType.OciManifest}; charset=utf-8`);
    expect(pushed.mediaType).toBe(MediaType.OciManifest);
  });

  it('hands out copies: callers cannot change stored manifests', async () => {
    const registry = createMemoryRegistry();
    const img = image({ seed: 'immutable' });
    await pushBuilt(registry, 'copy', img, { tag: 't' });
    const first = await registry.getTag('copy', 't');
    first.bytes.fill(0);
    expect((await registry.getTag('copy', 't')).bytes).toEqual(img.manifest.bytes);
  });

  it('keeps a repository after its last manifest is deleted, with no tags', async () => {
    const registry = createMemoryRegistry();
    const img = image({ seed: 'last' });
    await pushBuilt(registry, 'keep/me', img, { tag: 'only' });
    await registry.deleteManifest('keep/me', img.manifest.descriptor.digest);
    expect(await collect(registry.listRepositories())).toEqual(['keep/me']);
    expect(await collect(registry.listTags('keep/me'))).toEqual([]);
  });

  it('cascades through referrers of referrers and reports tags in deletion order', async () => {
    const registry = createMemoryRegistry();
    const app = image({ seed: 'cascade app' });
    const a = artifact({ subject: subjectOf(app), artifactType: 'application/vnd.example.a' });
    const b = artifact({ subject: subjectOf(a), artifactType: 'application/vnd.example.b' });
    const c = index([artifact({ artifactType: 'application/vnd.example.part' })], { subject: subjectOf(b), artifactType: 'application/vnd.example.c' });
    await pushBuilt(registry, 'cascade', app, { tag: 'app' });
    await pushBuilt(registry, 'cascade', a, { tag: 'a' });
    await pushBuilt(registry, 'cascade', b, { tag: 'b' });
    await pushBuilt(registry, 'cascade', c, { tag: 'c' });
    const result = await registry.deleteManifest('cascade', app.manifest.descriptor.digest, { cascadeReferrers: true });
    expect(result.deleted).toEqual([app, a, b, c].map((x) => x.manifest.descriptor.digest));
    expect(result.tags).toEqual(['app', 'a', 'b', 'c']);
  });

  it('capabilities are all native', async () => {
    expect(await createMemoryRegistry().capabilities()).toEqual({
      catalog: true,
      write: true,
      manifestDelete: true,
      tagDelete: 'native',
      referrersApi: true,
    });
  });
});
