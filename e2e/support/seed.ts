/**
 * Content pushed into the harness registries for the browser tests, through the plain distribution API.
 * Each spec works on its own repository, so specs stay independent of each other's deletes.
 */
import { MediaType } from '@/lib/oci/media-types';
import { artifact, image, index, manifestOf, subjectOf, type Built } from '@/lib/registry/testing/build';
import { pushBuiltRaw, pushManifest } from '@/lib/registry/testing/push-layout-raw';
import type { RunningRegistry } from '@/lib/registry/testing/registry-server';

type Target = Pick<RunningRegistry, 'url' | 'auth' | 'credentials'>;

const AMD64 = { os: 'linux', architecture: 'amd64' };
const ARM64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };

function img(seed: string, created: string, platform = AMD64): Built {
  return image({
    seed,
    platform,
    config: {
      created,
      architecture: platform.architecture,
      os: platform.os,
      ...('variant' in platform ? { variant: platform.variant } : {}),
      config: { Env: ['PATH=/usr/bin:/bin'], Cmd: ['/bin/sh'], Labels: { seed } },
      rootfs: { type: 'layers', diff_ids: [] },
      history: [{ created, created_by: `COPY ${seed} /` }],
    },
    layers: [`layer of ${seed}`],
  });
}

/** Pushes children, blobs and the manifest by digest, then the manifest again under every tag. */
export const pushWithTags = pushBuiltRaw;

export interface SeedResult {
  /** Digests by name, for assertions. */
  digests: Record<string, string>;
  manyTags: number;
}

export const MANY_TAGS = 2000;

/** The delete-enabled registry (also served read-only as the `readonly` source). */
export async function seedMain(target: Target): Promise<SeedResult> {
  const digests: Record<string, string> = {};
  const webV1 = index([img('web-1-amd64', '2026-01-10T09:00:00Z'), img('web-1-arm64', '2026-01-10T09:05:00Z', ARM64)]);
  const webV2 = img('web-2', '2026-02-01T12:00:00Z');
  digests.webV1 = await pushWithTags(target, 'shop/web', webV1, ['v1.0.0', 'v1.0', 'v1', 'latest']);
  digests.webV2 = await pushWithTags(target, 'shop/web', webV2, ['v2.0.0']);
  digests.webOld = await pushWithTags(target, 'shop/web', img('web-0', '2025-11-20T08:00:00Z'), ['v0.9.0']);
  // A cosign-style signature of v2.0.0, pushed by digest and found through the referrers fallback tag.
  const signature = artifact({
    subject: subjectOf(webV2),
    artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
    layers: ['signature of web-2'],
  });
  digests.signature = await pushWithTags(target, 'shop/web', signature);
  // The referrers tag schema: an index listing the referrer descriptors, with their artifactType.
  const fallback: Built = {
    manifest: manifestOf(
      {
        schemaVersion: 2,
        mediaType: MediaType.OciIndex,
        manifests: [{ ...signature.manifest.descriptor, artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json' }],
      },
      MediaType.OciIndex,
    ),
    blobs: [],
    children: [],
  };
  const hex = digests.webV2.slice('sha256:'.length);
  await pushWithTags(target, 'shop/web', fallback, [`sha256-${hex}`]);

  digests.shared = await pushWithTags(target, 'shop/delete-tag', img('dt-shared', '2026-01-20T10:00:00Z'), ['keep-1', 'keep-2', 'doomed']);
  digests.dtOther = await pushWithTags(target, 'shop/delete-tag', img('dt-other', '2026-01-21T10:00:00Z'), ['other']);

  digests.manifest = await pushWithTags(target, 'shop/delete-manifest', img('dm', '2026-01-22T10:00:00Z'), ['m1', 'm2']);
  digests.dmOther = await pushWithTags(target, 'shop/delete-manifest', img('dm-other', '2026-01-23T10:00:00Z'), ['m3']);

  digests.security = await pushWithTags(target, 'security/probe', img('security', '2026-01-27T10:00:00Z'), ['t1', 't5']);
  digests.bulkA = await pushWithTags(target, 'shop/bulk', img('bulk-a', '2026-01-24T10:00:00Z'), ['b1', 'b4']);
  digests.bulkB = await pushWithTags(target, 'shop/bulk', img('bulk-b', '2026-01-25T10:00:00Z'), ['b2']);
  digests.bulkC = await pushWithTags(target, 'shop/bulk', img('bulk-c', '2026-01-26T10:00:00Z'), ['b3']);

  // Never listed before the delete-plan spec opens them by deep link: one digest with two tags each.
  digests.coldTag = await pushWithTags(target, 'cold/tag-link', img('cold-tag', '2026-01-27T10:00:00Z'), ['a', 'b']);
  digests.coldTagOther = await pushWithTags(target, 'cold/tag-link', img('cold-tag-other', '2026-01-27T11:00:00Z'), ['c']);
  digests.coldDigest = await pushWithTags(target, 'cold/digest-link', img('cold-digest', '2026-01-28T10:00:00Z'), ['a', 'b']);

  // Many tags on one manifest: the virtualised table and client-side sort/filter over the full list.
  const many = img('many', '2026-01-01T00:00:00Z');
  await pushWithTags(target, 'stress/many', many);
  const names = Array.from({ length: MANY_TAGS }, (_, i) => `build-${String(i + 1).padStart(4, '0')}`);
  const { bytes, mediaType } = many.manifest;
  for (let i = 0; i < names.length; i += 25) {
    await Promise.all(names.slice(i, i + 25).map((tag) => pushManifest(target, 'stress/many', tag, bytes, mediaType)));
  }
  // What the copy spec selects in the tag table and copies to the `copies` source (c3 is moved meanwhile).
  digests.copyC1 = await pushWithTags(target, 'copy/source', img('copy-c1', '2026-01-11T10:00:00Z'), ['c1']);
  digests.copyC2 = await pushWithTags(target, 'copy/source', img('copy-c2', '2026-01-12T10:00:00Z'), ['c2']);
  digests.copyC3 = await pushWithTags(target, 'copy/source', img('copy-c3', '2026-01-13T10:00:00Z'), ['c3']);
  digests.copyMoved = await pushWithTags(target, 'copy/source', img('copy-moved', '2026-01-14T10:00:00Z'));
  await seedTruth(target, digests);
  return { digests, manyTags: MANY_TAGS };
}

/** The 128-character tag of `long/app` (the longest the grammar allows). */
export const LONG_TAG = `release-${'x'.repeat(128 - 'release-'.length - 4)}-end`;

/** Content for the "numbers that are true" and layout checks (e2e/truth.spec.ts). */
async function seedTruth(target: Target, digests: Record<string, string>): Promise<void> {
  // One signature both listed in the referrers fallback index and tagged by cosign: counted once.
  const subject = img('twice', '2026-01-05T00:00:00Z');
  digests.twice = await pushWithTags(target, 'twice/app', subject, ['v1']);
  const signature = artifact({ subject: subjectOf(subject), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', layers: ['signature of twice'] });
  const hex = digests.twice.slice('sha256:'.length);
  await pushWithTags(target, 'twice/app', signature, [`sha256-${hex}.sig`]);
  const fallback: Built = {
    manifest: manifestOf(
      { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [{ ...signature.manifest.descriptor, artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json' }] },
      MediaType.OciIndex,
    ),
    blobs: [],
    children: [],
  };
  await pushWithTags(target, 'twice/app', fallback, [`sha256-${hex}`]);

  // Fourteen platforms in one index.
  const arches = ['amd64', 'arm64', '386', 'ppc64le', 's390x', 'riscv64', 'mips64le', 'mipsle', 'loong64', 'arm', 'mips', 'mips64', 'ppc64', 'wasm'];
  digests.wide = await pushWithTags(
    target,
    'wide/app',
    index(arches.map((architecture) => img(`wide-${architecture}`, '2026-01-06T00:00:00Z', { os: 'linux', architecture }))),
    ['v1'],
  );

  // The longest tag the grammar allows.
  digests.long = await pushWithTags(target, 'long/app', img('long', '2026-01-07T00:00:00Z'), [LONG_TAG, 'short']);

  // Reproducible builds' placeholder dates, and a real one.
  digests.datesKo = await pushWithTags(target, 'dates/app', img('dates-ko', '0001-01-01T00:00:00Z'), ['ko']);
  digests.datesNix = await pushWithTags(target, 'dates/app', img('dates-nix', '1970-01-01T00:00:01Z'), ['nix']);
  digests.datesReal = await pushWithTags(target, 'dates/app', img('dates-real', '2025-06-01T00:00:00Z'), ['real']);

  // A repository whose only tag was deleted (as Porthole does on 2.8.2: the tag is moved to a placeholder
  // manifest, which is deleted by digest): the manifest stays, untagged; the tag list is empty.
  digests.untagged = await pushWithTags(target, 'empty/app', img('empty', '2026-01-08T00:00:00Z'), ['gone']);
  const placeholder = await pushWithTags(target, 'empty/app', img('empty-placeholder', '2026-01-08T00:00:00Z'), ['gone']);
  const deleted = await fetch(`${target.url}/v2/empty/app/manifests/${placeholder}`, { method: 'DELETE' });
  if (deleted.status !== 202) throw new Error(`deleting the placeholder of empty/app: ${deleted.status}`);
}

/** The registry with deletion disabled (served as the `nodel` source, which the configuration lets delete). */
export async function seedNodel(target: Target): Promise<void> {
  await pushWithTags(target, 'kept/app', img('kept', '2026-01-03T00:00:00Z'), ['v1']);
}

/** The registry the tests stop to see the error state. */
export async function seedOffline(target: Target): Promise<void> {
  await pushWithTags(target, 'lonely/app', img('lonely', '2026-01-02T00:00:00Z'), ['v1']);
}
