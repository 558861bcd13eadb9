import { describe, expect, it } from 'vitest';
import { MediaType } from '@/lib/oci/media-types';
import { collect } from '@/lib/registry/iter';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { allBlobs, artifact, image, index, pushBuilt, subjectOf, type Built } from '@/lib/registry/testing/build';
import { expectRegistryError } from '@/lib/registry/testing/contract';
import { countingRegistry } from '@/lib/registry/testing/counting';
import { copyManifest, type CopyEvent } from './index';

const amd64 = image({ seed: 'amd64', platform: { os: 'linux', architecture: 'amd64' }, layers: ['a1', 'shared'] });
const arm64 = image({ seed: 'arm64', platform: { os: 'linux', architecture: 'arm64' }, layers: ['b1', 'shared'] });
const armv7 = image({ seed: 'armv7', platform: { os: 'linux', architecture: 'arm', variant: 'v7' }, layers: ['c1'] });
const attestation = image({ seed: 'att-amd64', platform: { os: 'unknown', architecture: 'unknown' }, layers: ['{"_type":"in-toto"}'] });
const multi = index([
  { built: amd64, platform: { os: 'linux', architecture: 'amd64' } },
  { built: arm64, platform: { os: 'linux', architecture: 'arm64' } },
  { built: armv7, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
  {
    built: attestation,
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd64.manifest.descriptor.digest },
  },
]);
// Two levels of referrers: a signature and an SBOM on the index, and a signature on the SBOM.
const sbom = artifact({ subject: subjectOf(multi), artifactType: 'application/spdx+json', layers: ['{"spdx":1}'] });
const signature = artifact({ subject: subjectOf(multi), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', layers: ['sig of index'] });
const sbomSignature = artifact({ subject: subjectOf(sbom), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', layers: ['sig of sbom'] });

async function seeded(): Promise<ReturnType<typeof createMemoryRegistry>> {
  const registry = createMemoryRegistry();
  await pushBuilt(registry, 'team/app', multi, { tag: 'v1' });
  for (const referrer of [sbom, signature, sbomSignature]) await pushBuilt(registry, 'team/app', referrer);
  return registry;
}

function digestsOf(built: Built): string[] {
  return [...built.children.flatMap(digestsOf), built.manifest.descriptor.digest];
}

describe('copyManifest', () => {
  it('copies an index with every platform, its attestation and referrers two levels deep, digests unchanged', async () => {
    const source = await seeded();
    const target = createMemoryRegistry();
    const events: CopyEvent[] = [];
    const result = await copyManifest(
      { registry: source, repo: 'team/app', tag: 'v1' },
      { registry: target, repo: 'prod/app', tag: 'v1' },
      { onEvent: (e) => events.push(e) },
    );
    expect(result.digest).toBe(multi.manifest.descriptor.digest);
    expect((await target.getTag('prod/app', 'v1')).bytes).toEqual(multi.manifest.bytes);
    for (const digest of [...digestsOf(multi), ...[sbom, signature, sbomSignature].map((b) => b.manifest.descriptor.digest)]) {
      const copied = await target.getManifest('prod/app', digest);
      expect((await source.getManifest('team/app', digest)).bytes).toEqual(copied.bytes);
    }
    expect(result.referrers.sort()).toEqual([sbom, signature, sbomSignature].map((b) => b.manifest.descriptor.digest).sort());
    const sbomReferrers = await collect(target.listReferrers('prod/app', sbom.manifest.descriptor.digest));
    expect(sbomReferrers.map((d) => d.digest)).toEqual([sbomSignature.manifest.descriptor.digest]);
    const blobCount = new Set([...allBlobs(multi), ...allBlobs(sbom), ...allBlobs(signature), ...allBlobs(sbomSignature)].map((b) => b.descriptor.digest)).size;
    expect(result.blobs).toEqual({ sent: blobCount, skipped: 0, mounted: 0 });
    // Progress ends at the totals announced by the plan.
    const plan = events.find((e) => e.type === 'plan')!;
    const last = events.filter((e) => e.type === 'progress').at(-1)!;
    expect(last).toMatchObject({ itemsDone: last.itemsTotal, bytesDone: last.bytesTotal });
    expect(plan).toMatchObject({ manifests: 8, blobs: blobCount });
    expect(events.at(-1)).toEqual({ type: 'tag', tag: 'v1', digest: multi.manifest.descriptor.digest });
  });

  it('copies without referrers when asked', async () => {
    const source = await seeded();
    const target = createMemoryRegistry();
    const result = await copyManifest({ registry: source, repo: 'team/app', tag: 'v1' }, { registry: target, repo: 'prod/app', tag: 'v1' }, { referrers: false });
    expect(result.referrers).toEqual([]);
    await expectRegistryError(target.getManifest('prod/app', sbom.manifest.descriptor.digest), 'MANIFEST_UNKNOWN');
  });

  it('sends nothing twice when run again after an interruption', async () => {
    const source = await seeded();
    const counting = countingRegistry(createMemoryRegistry());
    counting.failAfter('pushBlob', 3);
    await expectRegistryError(
      copyManifest({ registry: source, repo: 'team/app', tag: 'v1' }, { registry: counting.registry, repo: 'prod/app', tag: 'v1' }, { concurrency: 1 }),
      'UNAVAILABLE',
    );
    const firstRun = counting.args.get('pushBlob')!.length;
    expect(firstRun).toBe(4);
    await expectRegistryError(counting.registry.getTag('prod/app', 'v1'), ['MANIFEST_UNKNOWN', 'NAME_UNKNOWN']);
    counting.failAfter('pushBlob', undefined);
    const result = await copyManifest({ registry: source, repo: 'team/app', tag: 'v1' }, { registry: counting.registry, repo: 'prod/app', tag: 'v1' });
    expect(result.blobs.skipped).toBe(3);
    const pushed = counting.args.get('pushBlob')!;
    // The failed fourth push is the only digest pushed twice.
    const twice = pushed.filter((d, i) => pushed.indexOf(d) !== i);
    expect(twice).toEqual([pushed[3]]);
    const again = await copyManifest({ registry: source, repo: 'team/app', tag: 'v1' }, { registry: counting.registry, repo: 'prod/app', tag: 'v1' });
    expect(again.blobs.sent).toBe(0);
    expect(again.manifests.every((m) => m.action === 'skipped')).toBe(true);
  });

  it('mounts blobs within one registry instead of sending them', async () => {
    const inner = await seeded();
    const counting = countingRegistry(inner);
    const result = await copyManifest({ registry: counting.registry, repo: 'team/app', tag: 'v1' }, { registry: counting.registry, repo: 'backup/app', tag: 'v1' });
    expect(result.blobs.sent).toBe(0);
    expect(result.blobs.mounted).toBeGreaterThan(0);
    expect(counting.calls.get('getBlob') ?? 0).toBe(0);
    expect(result.bytesSent).toBe(0);
  });

  it('copies a chosen platform (with its attestation) and refuses a subset whose index would be sparse', async () => {
    const source = await seeded();
    const target = createMemoryRegistry();
    const refused = await expectRegistryError(
      copyManifest({ registry: source, repo: 'team/app', tag: 'v1' }, { registry: target, repo: 'prod/app', tag: 'v1' }, { platforms: ['linux/amd64'] }),
      'UNSUPPORTED',
    );
    expect((refused.detail as { missing: string[] }).missing.sort()).toEqual([arm64, armv7].map((b) => b.manifest.descriptor.digest).sort());
    // Nothing was sent.
    expect(await collect(target.listRepositories())).toEqual([]);
    // Once the other platforms are there, the subset copy completes with the index bytes unchanged.
    await pushBuilt(target, 'prod/app', arm64);
    await pushBuilt(target, 'prod/app', armv7);
    const result = await copyManifest({ registry: source, repo: 'team/app', tag: 'v1' }, { registry: target, repo: 'prod/app', tag: 'v1' }, { platforms: ['linux/amd64'], referrers: false });
    expect(result.manifests.map((m) => m.digest).sort()).toEqual([amd64, attestation, multi].map((b) => b.manifest.descriptor.digest).sort());
    expect((await target.getTag('prod/app', 'v1')).bytes).toEqual(multi.manifest.bytes);
  });

  it('checks that a tag given with a digest still points at it', async () => {
    const source = await seeded();
    const moved = await expectRegistryError(
      copyManifest({ registry: source, repo: 'team/app', tag: 'v1', digest: amd64.manifest.descriptor.digest }, { registry: createMemoryRegistry(), repo: 'x' }),
      'MANIFEST_UNKNOWN',
    );
    expect(moved.status).toBe(409);
    expect(moved.message).toContain('has moved');
  });

  it('copies only referrers whose subject really is the copied manifest', async () => {
    const source = await seeded();
    const other = image({ seed: 'other' });
    const otherSig = artifact({ subject: subjectOf(other), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', layers: ['other sig'] });
    await pushBuilt(source, 'team/app', other, { tag: 'other' });
    await pushBuilt(source, 'team/app', otherSig);
    // A backend whose referrers listing (like a wrong fallback index) names the other image's signature too.
    const lying = countingRegistry(source).registry;
    const listReferrers = lying.listReferrers.bind(lying);
    lying.listReferrers = (repo, digest, options) =>
      (async function* () {
        yield* listReferrers(repo, digest, options);
        if (digest === multi.manifest.descriptor.digest) yield { ...subjectOf(otherSig), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json' };
      })();
    const target = createMemoryRegistry();
    const result = await copyManifest({ registry: lying, repo: 'team/app', tag: 'v1' }, { registry: target, repo: 'prod/app' });
    expect(result.referrers).not.toContain(otherSig.manifest.descriptor.digest);
    await expectRegistryError(target.getManifest('prod/app', otherSig.manifest.descriptor.digest), 'MANIFEST_UNKNOWN');
  });

  it('copies a Docker schema2 image by digest without a tag', async () => {
    const source = createMemoryRegistry();
    const docker = image({ seed: 'docker', format: 'docker' });
    await pushBuilt(source, 'lib/d', docker, { tag: 'latest' });
    const target = createMemoryRegistry();
    const result = await copyManifest({ registry: source, repo: 'lib/d', digest: docker.manifest.descriptor.digest }, { registry: target, repo: 'lib/d' });
    expect(result.tag).toBeUndefined();
    expect(result.mediaType).toBe(MediaType.DockerManifest);
    expect(await collect(target.listTags('lib/d'))).toEqual([]);
    expect((await target.getManifest('lib/d', docker.manifest.descriptor.digest)).bytes).toEqual(docker.manifest.bytes);
  });
});
