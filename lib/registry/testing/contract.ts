/**
 * The Registry contract suite: one set of tests every backend runs (memory, layout, HTTP against a real
 * distribution 2.8.2). Call `runRegistryContract(name, setup)` from a `*.test.ts`; `setup` runs before every
 * test and must return an EMPTY registry (the catalog tests count repositories) plus what the backend
 * legitimately cannot do (`supports`): where a capability is missing, the test asserts the documented
 * fallback (UNSUPPORTED, an order-free comparison, ignored fallback tags) instead of being skipped.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryError, type ErrorCode } from '@/lib/oci/errors';
import { MediaType } from '@/lib/oci/media-types';
import type { Descriptor } from '@/lib/oci/types';
import { collect } from '@/lib/registry/iter';
import type { Registry } from '@/lib/registry/registry';
import { artifact, blob, bytesOf, image, index, pushBuilt, subjectOf, type Built } from './build';

/** What a backend can do; every field defaults to the fully capable value. */
export interface ContractSupports {
  /** `listRepositories` works (default true); when false it must throw UNSUPPORTED. */
  catalog?: boolean;
  /**
   * Order of `listRepositories`: `'byte'` (sorted by bytes, default) or `'consistent'` (any order that
   * `startAfter` follows, e.g. distribution's path-component order).
   */
  catalogOrder?: 'byte' | 'consistent';
  /**
   * The backend serves referrers natively (default true). When false it keeps the referrers tag schema:
   * fallback tags `sha256-<hex>` may show up in tag lists and delete results, and the suite ignores them there.
   */
  referrersApi?: boolean;
  /** How `deleteTag` works (default 'native'); 'unsupported' means it must throw UNSUPPORTED. */
  tagDelete?: 'native' | 'placeholder' | 'unsupported';
  /** `deleteManifest` works (default true); when false it must throw UNSUPPORTED. */
  manifestDelete?: boolean;
  /** `deleteBlob` works (default true); when false it must throw UNSUPPORTED. */
  blobDelete?: boolean;
  /**
   * Reads in a missing repository throw NAME_UNKNOWN (default true). When false the item's own code is
   * accepted too (distribution answers MANIFEST_UNKNOWN / BLOB_UNKNOWN there) and referrers may be empty.
   */
  nameUnknown?: boolean;
}

/** What `setup` returns: an empty registry, how to dispose of it, and its limits. */
export interface ContractTarget {
  registry: Registry;
  cleanup: () => Promise<void>;
  supports?: ContractSupports;
}

const DEFAULTS: Required<ContractSupports> = {
  catalog: true,
  catalogOrder: 'byte',
  referrersApi: true,
  tagDelete: 'native',
  manifestDelete: true,
  blobDelete: true,
  nameUnknown: true,
};

/** Awaits `action` and asserts it rejected with a RegistryError carrying one of `codes`. */
export async function expectRegistryError(action: Promise<unknown> | (() => Promise<unknown>), codes: ErrorCode | ErrorCode[]): Promise<RegistryError> {
  const wanted = Array.isArray(codes) ? codes : [codes];
  let caught: unknown;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a RegistryError ${wanted.join(' or ')}`).toBeInstanceOf(RegistryError);
  expect(wanted, `got ${(caught as RegistryError).code}: ${(caught as RegistryError).message}`).toContain((caught as RegistryError).code);
  return caught as RegistryError;
}

/** Reads a web stream to the end. */
export async function readStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** A stream that delivers `bytes` in chunks of `size`. */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

const plain = (d: Descriptor) => ({ mediaType: d.mediaType, digest: d.digest, size: d.size });
const referrerView = (d: Descriptor) => ({
  mediaType: d.mediaType,
  digest: d.digest,
  size: d.size,
  artifactType: d.artifactType,
  annotations: d.annotations && Object.keys(d.annotations).length > 0 ? d.annotations : undefined,
});
const byDigest = (a: { digest: string }, b: { digest: string }) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0);
const byteSort = (items: string[]) => [...items].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const FALLBACK_TAG = /^sha256-[0-9a-f]{64}$/;

const REPO = 'contract/app';
const UNKNOWN_REPO = 'contract/never-pushed';
const ABSENT_DIGEST = `sha256:${'0'.repeat(64)}`;

export const INVALID_NAMES = ['', 'UPPER', '../escape', 'a/../b', '/abs', 'a//b', 'a/', '-lead', 'a b', `a${'b'.repeat(255)}`];
export const INVALID_TAGS = ['', '-x', '.x', 'has space', 'a:b', 'a/b', 't'.repeat(129)];
export const INVALID_DIGESTS = ['sha256:zzz', `sha256:${'a'.repeat(63)}`, `sha256:${'A'.repeat(64)}`, 'nodigest', 'sha256:', `:${'a'.repeat(64)}`];

/** Defines the contract tests for one backend (inside a `describe`). */
export function runRegistryContract(name: string, setup: () => Promise<ContractTarget>): void {
  describe(`Registry contract: ${name}`, () => {
    let target: ContractTarget | undefined;
    let r: Registry;
    let s: Required<ContractSupports>;

    beforeEach(async () => {
      target = await setup();
      r = target.registry;
      s = { ...DEFAULTS, ...target.supports };
    });
    afterEach(async () => {
      await target?.cleanup();
      target = undefined;
    });

    /** Codes a read in a missing repository may throw. */
    const unknownRepo = (item: ErrorCode): ErrorCode[] => (s.nameUnknown ? ['NAME_UNKNOWN'] : ['NAME_UNKNOWN', item]);
    /** Tags of `repo` without referrers fallback tags when the backend uses the tag schema. */
    const userTags = (tags: string[]) => (s.referrersApi ? tags : tags.filter((t) => !FALLBACK_TAG.test(t)));
    const tagsOf = async (repo: string) => userTags(await collect(r.listTags(repo)));
    const push = (built: Built, tag?: string, repo = REPO) => pushBuilt(r, repo, built, tag === undefined ? {} : { tag });

    describe('argument validation (before any I/O)', () => {
      it('rejects invalid repository names with NAME_INVALID on every method', async () => {
        const b = blob('validation');
        const img = image({ seed: 'validation' });
        for (const bad of INVALID_NAMES) {
          const calls: (() => Promise<unknown>)[] = [
            () => r.resolveTag(bad, 'latest'),
            () => r.resolveManifest(bad, b.descriptor.digest),
            () => r.resolveBlob(bad, b.descriptor.digest),
            () => r.getTag(bad, 'latest'),
            () => r.getManifest(bad, b.descriptor.digest),
            () => r.getBlob(bad, b.descriptor.digest),
            () => collect(r.listTags(bad)),
            () => collect(r.listReferrers(bad, b.descriptor.digest)),
            () => r.pushBlob(bad, b.descriptor, b.bytes),
            () => r.mountBlob(bad, REPO, b.descriptor.digest),
            () => r.mountBlob(REPO, bad, b.descriptor.digest),
            () => r.pushManifest(bad, img.manifest.bytes, img.manifest.mediaType),
            () => r.deleteTag(bad, 'latest'),
            () => r.deleteManifest(bad, b.descriptor.digest),
            () => r.deleteBlob(bad, b.descriptor.digest),
          ];
          for (const call of calls) await expectRegistryError(call, 'NAME_INVALID');
        }
      });

      it('rejects invalid tags with TAG_INVALID', async () => {
        const img = image({ seed: 'tags' });
        for (const bad of INVALID_TAGS) {
          await expectRegistryError(() => r.resolveTag(UNKNOWN_REPO, bad), 'TAG_INVALID');
          await expectRegistryError(() => r.getTag(UNKNOWN_REPO, bad), 'TAG_INVALID');
          await expectRegistryError(() => r.pushManifest(UNKNOWN_REPO, img.manifest.bytes, img.manifest.mediaType, { tag: bad }), 'TAG_INVALID');
          await expectRegistryError(() => r.deleteTag(UNKNOWN_REPO, bad), 'TAG_INVALID');
        }
        // Nothing was created by the refused push.
        await expectRegistryError(() => collect(r.listTags(UNKNOWN_REPO)), 'NAME_UNKNOWN');
      });

      it('rejects invalid digests with DIGEST_INVALID', async () => {
        for (const bad of INVALID_DIGESTS) {
          const calls: (() => Promise<unknown>)[] = [
            () => r.resolveManifest(UNKNOWN_REPO, bad),
            () => r.getManifest(UNKNOWN_REPO, bad),
            () => r.resolveBlob(UNKNOWN_REPO, bad),
            () => r.getBlob(UNKNOWN_REPO, bad),
            () => collect(r.listReferrers(UNKNOWN_REPO, bad)),
            () => r.pushBlob(UNKNOWN_REPO, { mediaType: MediaType.OciLayer, digest: bad, size: 1 }, bytesOf('x')),
            () => r.mountBlob(REPO, UNKNOWN_REPO, bad),
            () => r.deleteManifest(UNKNOWN_REPO, bad),
            () => r.deleteBlob(UNKNOWN_REPO, bad),
          ];
          for (const call of calls) await expectRegistryError(call, 'DIGEST_INVALID');
        }
      });
    });

    describe('blobs', () => {
      it('stores a blob and reads it back by digest', async () => {
        const b = blob('hello blob');
        expect(plain(await r.pushBlob(REPO, b.descriptor, b.bytes))).toMatchObject({ digest: b.descriptor.digest, size: b.descriptor.size });
        expect(await r.resolveBlob(REPO, b.descriptor.digest)).toMatchObject({ digest: b.descriptor.digest, size: b.descriptor.size });
        const got = await r.getBlob(REPO, b.descriptor.digest);
        expect(got.descriptor).toMatchObject({ digest: b.descriptor.digest, size: b.descriptor.size });
        expect(got.range).toBeUndefined();
        expect(await readStream(got.body)).toEqual(b.bytes);
      });

      it('accepts a streamed body in chunks and an empty blob', async () => {
        const b = blob('x'.repeat(10_000) + 'end');
        await r.pushBlob(REPO, b.descriptor, chunked(b.bytes, 777));
        expect(await readStream((await r.getBlob(REPO, b.descriptor.digest)).body)).toEqual(b.bytes);
        const empty = blob('');
        await r.pushBlob(REPO, empty.descriptor, empty.bytes);
        expect(await r.resolveBlob(REPO, empty.descriptor.digest)).toMatchObject({ size: 0 });
        expect((await readStream((await r.getBlob(REPO, empty.descriptor.digest)).body)).byteLength).toBe(0);
      });

      it('pushing the same blob twice is harmless', async () => {
        const b = blob('twice');
        await r.pushBlob(REPO, b.descriptor, b.bytes);
        await r.pushBlob(REPO, b.descriptor, b.bytes);
        expect(await readStream((await r.getBlob(REPO, b.descriptor.digest)).body)).toEqual(b.bytes);
      });

      it('serves byte ranges, clipping the end to the blob', async () => {
        const b = blob('0123456789');
        await r.pushBlob(REPO, b.descriptor, b.bytes);
        const mid = await r.getBlob(REPO, b.descriptor.digest, { range: { start: 2, end: 5 } });
        expect(new TextDecoder().decode(await readStream(mid.body))).toBe('2345');
        expect(mid.range).toEqual({ start: 2, end: 5 });
        expect(mid.descriptor.size).toBe(10);
        const open = await r.getBlob(REPO, b.descriptor.digest, { range: { start: 7 } });
        expect(new TextDecoder().decode(await readStream(open.body))).toBe('789');
        expect(open.range).toEqual({ start: 7, end: 9 });
        const clipped = await r.getBlob(REPO, b.descriptor.digest, { range: { start: 8, end: 1000 } });
        expect(new TextDecoder().decode(await readStream(clipped.body))).toBe('89');
        expect(clipped.range).toEqual({ start: 8, end: 9 });
      });

      it('rejects unsatisfiable ranges with RANGE_INVALID', async () => {
        const b = blob('0123456789');
        await r.pushBlob(REPO, b.descriptor, b.bytes);
        await expectRegistryError(() => r.getBlob(REPO, b.descriptor.digest, { range: { start: 10 } }), 'RANGE_INVALID');
        await expectRegistryError(() => r.getBlob(REPO, b.descriptor.digest, { range: { start: 5, end: 2 } }), 'RANGE_INVALID');
      });

      it('refuses a body that does not match the digest (DIGEST_INVALID) and stores nothing', async () => {
        const claimed = blob('the real content');
        const other = bytesOf('another content!');
        expect(other.byteLength).toBe(claimed.bytes.byteLength);
        await expectRegistryError(() => r.pushBlob(REPO, claimed.descriptor, other), 'DIGEST_INVALID');
        await expectRegistryError(() => r.resolveBlob(REPO, claimed.descriptor.digest), ['BLOB_UNKNOWN', 'NAME_UNKNOWN']);
      });

      it('refuses a body of another size (SIZE_INVALID) and stores nothing', async () => {
        const b = blob('sized content');
        await expectRegistryError(() => r.pushBlob(REPO, { ...b.descriptor, size: b.descriptor.size + 1 }, b.bytes), 'SIZE_INVALID');
        await expectRegistryError(() => r.pushBlob(REPO, { ...b.descriptor, size: b.descriptor.size - 1 }, chunked(b.bytes, 4)), 'SIZE_INVALID');
        await expectRegistryError(() => r.resolveBlob(REPO, b.descriptor.digest), ['BLOB_UNKNOWN', 'NAME_UNKNOWN']);
      });

      it('reports unknown blobs and repositories', async () => {
        const b = blob('known');
        await r.pushBlob(REPO, b.descriptor, b.bytes);
        await expectRegistryError(() => r.resolveBlob(REPO, ABSENT_DIGEST), 'BLOB_UNKNOWN');
        await expectRegistryError(() => r.getBlob(REPO, ABSENT_DIGEST), 'BLOB_UNKNOWN');
        await expectRegistryError(() => r.resolveBlob(UNKNOWN_REPO, b.descriptor.digest), unknownRepo('BLOB_UNKNOWN'));
        await expectRegistryError(() => r.getBlob(UNKNOWN_REPO, b.descriptor.digest), unknownRepo('BLOB_UNKNOWN'));
      });

      it('mounts a blob from another repository', async () => {
        const b = blob('mount me');
        await r.pushBlob('contract/source', b.descriptor, b.bytes);
        expect(await r.mountBlob('contract/source', REPO, b.descriptor.digest)).toMatchObject({ digest: b.descriptor.digest, size: b.descriptor.size });
        expect(await readStream((await r.getBlob(REPO, b.descriptor.digest)).body)).toEqual(b.bytes);
        expect(await r.resolveBlob('contract/source', b.descriptor.digest)).toMatchObject({ size: b.descriptor.size });
        await expectRegistryError(() => r.mountBlob('contract/source', REPO, ABSENT_DIGEST), 'BLOB_UNKNOWN');
      });

      it('deletes a blob (or refuses with UNSUPPORTED)', async () => {
        const b = blob('delete me');
        const keep = blob('keep me');
        await r.pushBlob(REPO, b.descriptor, b.bytes);
        await r.pushBlob(REPO, keep.descriptor, keep.bytes);
        if (!s.blobDelete) {
          await expectRegistryError(() => r.deleteBlob(REPO, b.descriptor.digest), 'UNSUPPORTED');
          expect(await r.resolveBlob(REPO, b.descriptor.digest)).toMatchObject({ size: b.descriptor.size });
          return;
        }
        await r.deleteBlob(REPO, b.descriptor.digest);
        await expectRegistryError(() => r.resolveBlob(REPO, b.descriptor.digest), 'BLOB_UNKNOWN');
        await expectRegistryError(() => r.getBlob(REPO, b.descriptor.digest), 'BLOB_UNKNOWN');
        await expectRegistryError(() => r.deleteBlob(REPO, b.descriptor.digest), 'BLOB_UNKNOWN');
        expect(await r.resolveBlob(REPO, keep.descriptor.digest)).toMatchObject({ size: keep.descriptor.size });
      });
    });

    describe('manifests', () => {
      it('pushes an image by tag and reads it back byte-identical by tag and digest', async () => {
        const img = image({ seed: 'one', layers: ['layer a', 'layer b'] });
        const pushed = await push(img, 'v1');
        const expected = plain(img.manifest.descriptor);
        expect(plain(pushed)).toEqual(expected);
        expect(plain(await r.resolveTag(REPO, 'v1'))).toEqual(expected);
        expect(plain(await r.resolveManifest(REPO, expected.digest))).toEqual(expected);
        const byTag = await r.getTag(REPO, 'v1');
        expect(plain(byTag.descriptor)).toEqual(expected);
        expect(byTag.bytes).toEqual(img.manifest.bytes);
        const byDigestContent = await r.getManifest(REPO, expected.digest);
        expect(plain(byDigestContent.descriptor)).toEqual(expected);
        expect(byDigestContent.bytes).toEqual(img.manifest.bytes);
        expect(await tagsOf(REPO)).toEqual(['v1']);
      });

      it('pushes by digest without creating a tag', async () => {
        const tagged = image({ seed: 'tagged' });
        const untagged = image({ seed: 'untagged' });
        await push(tagged, 'only');
        const pushed = await push(untagged);
        expect(plain(pushed)).toEqual(plain(untagged.manifest.descriptor));
        expect((await r.getManifest(REPO, pushed.digest)).bytes).toEqual(untagged.manifest.bytes);
        expect(await tagsOf(REPO)).toEqual(['only']);
      });

      it('stores OCI indexes, Docker manifests and Docker manifest lists with their media types', async () => {
        const amd = image({ seed: 'amd64', platform: { os: 'linux', architecture: 'amd64' } });
        const arm = image({ seed: 'arm64', platform: { os: 'linux', architecture: 'arm64' } });
        const oci = index([
          { built: amd, platform: { os: 'linux', architecture: 'amd64' } },
          { built: arm, platform: { os: 'linux', architecture: 'arm64' } },
        ]);
        await push(oci, 'multi');
        expect(plain(await r.resolveTag(REPO, 'multi'))).toEqual(plain(oci.manifest.descriptor));
        expect((await r.resolveTag(REPO, 'multi')).mediaType).toBe(MediaType.OciIndex);
        expect(plain(await r.resolveManifest(REPO, amd.manifest.descriptor.digest))).toEqual(plain(amd.manifest.descriptor));

        const dockerImage = image({ seed: 'docker', format: 'docker' });
        const list = index([{ built: dockerImage, platform: { os: 'linux', architecture: 'amd64' } }], { format: 'docker' });
        await push(list, 'docker-list');
        await push(dockerImage, 'docker-image');
        expect((await r.getTag(REPO, 'docker-list')).descriptor.mediaType).toBe(MediaType.DockerManifestList);
        expect((await r.getTag(REPO, 'docker-list')).bytes).toEqual(list.manifest.bytes);
        expect((await r.getTag(REPO, 'docker-image')).descriptor.mediaType).toBe(MediaType.DockerManifest);
        expect((await r.getManifest(REPO, dockerImage.manifest.descriptor.digest)).bytes).toEqual(dockerImage.manifest.bytes);
      });

      it('re-pointing a tag moves only that tag; the old manifest stays readable by digest', async () => {
        const first = image({ seed: 'first' });
        const second = image({ seed: 'second' });
        await push(first, 'latest');
        await push(first, 'stable');
        await push(second, 'latest');
        expect((await r.resolveTag(REPO, 'latest')).digest).toBe(second.manifest.descriptor.digest);
        expect((await r.resolveTag(REPO, 'stable')).digest).toBe(first.manifest.descriptor.digest);
        expect((await r.getManifest(REPO, first.manifest.descriptor.digest)).bytes).toEqual(first.manifest.bytes);
        expect(await tagsOf(REPO)).toEqual(['latest', 'stable']);
      });

      it('accepts a subject that does not exist', async () => {
        const dangling = artifact({ artifactType: 'application/vnd.example.dangling', subject: { mediaType: MediaType.OciManifest, digest: ABSENT_DIGEST, size: 100 } });
        const pushed = await push(dangling, 'dangling');
        expect(plain(pushed)).toEqual(plain(dangling.manifest.descriptor));
      });

      it('refuses a media type that differs from the body (MANIFEST_INVALID)', async () => {
        const img = image({ seed: 'mismatch' });
        for (const b of img.blobs) await r.pushBlob(REPO, b.descriptor, b.bytes);
        await expectRegistryError(() => r.pushManifest(REPO, img.manifest.bytes, MediaType.OciIndex, { tag: 'x' }), 'MANIFEST_INVALID');
        await expectRegistryError(() => r.resolveManifest(REPO, img.manifest.descriptor.digest), 'MANIFEST_UNKNOWN');
        await expectRegistryError(() => r.resolveTag(REPO, 'x'), ['MANIFEST_UNKNOWN', 'NAME_UNKNOWN']);
      });

      it('refuses a body that is not a manifest (MANIFEST_INVALID)', async () => {
        const keep = blob('make the repository exist');
        await r.pushBlob(REPO, keep.descriptor, keep.bytes);
        await expectRegistryError(() => r.pushManifest(REPO, bytesOf('{"schemaVersion": 2, "mediaType": '), MediaType.OciManifest), 'MANIFEST_INVALID');
        await expectRegistryError(() => r.pushManifest(REPO, bytesOf('not json at all'), MediaType.OciManifest, { tag: 'bad' }), 'MANIFEST_INVALID');
        await expectRegistryError(() => r.resolveTag(REPO, 'bad'), ['MANIFEST_UNKNOWN', 'NAME_UNKNOWN']);
      });

      it('refuses a manifest over 4 MiB (MANIFEST_INVALID)', async () => {
        const img = image({ seed: 'big', annotations: { padding: 'p'.repeat(4 * 1024 * 1024) } });
        expect(img.manifest.bytes.byteLength).toBeGreaterThan(4 * 1024 * 1024);
        for (const b of img.blobs) await r.pushBlob(REPO, b.descriptor, b.bytes);
        await expectRegistryError(() => r.pushManifest(REPO, img.manifest.bytes, img.manifest.mediaType, { tag: 'big' }), 'MANIFEST_INVALID');
        await expectRegistryError(() => r.resolveManifest(REPO, img.manifest.descriptor.digest), 'MANIFEST_UNKNOWN');
      });

      it('refuses manifests whose config, layers or child manifests are missing (MANIFEST_BLOB_UNKNOWN)', async () => {
        const img = image({ seed: 'missing', layers: ['present', 'absent'] });
        const [config, present, absent] = img.blobs;
        await r.pushBlob(REPO, present!.descriptor, present!.bytes);
        // Config missing.
        await r.pushBlob(REPO, absent!.descriptor, absent!.bytes);
        await expectRegistryError(() => r.pushManifest(REPO, img.manifest.bytes, img.manifest.mediaType, { tag: 'x' }), 'MANIFEST_BLOB_UNKNOWN');
        // A layer missing.
        const other = image({ seed: 'missing-layer', layers: ['never pushed layer'] });
        await r.pushBlob(REPO, other.blobs[0]!.descriptor, other.blobs[0]!.bytes);
        await expectRegistryError(() => r.pushManifest(REPO, other.manifest.bytes, other.manifest.mediaType), 'MANIFEST_BLOB_UNKNOWN');
        // A child manifest missing from an index.
        await r.pushBlob(REPO, config!.descriptor, config!.bytes);
        const child = image({ seed: 'child never pushed' });
        const idx = index([child]);
        await expectRegistryError(() => r.pushManifest(REPO, idx.manifest.bytes, idx.manifest.mediaType, { tag: 'idx' }), 'MANIFEST_BLOB_UNKNOWN');
        await expectRegistryError(() => r.resolveTag(REPO, 'x'), ['MANIFEST_UNKNOWN', 'NAME_UNKNOWN']);
        await expectRegistryError(() => r.resolveTag(REPO, 'idx'), ['MANIFEST_UNKNOWN', 'NAME_UNKNOWN']);
        // With everything present the same image is accepted.
        expect(plain(await r.pushManifest(REPO, img.manifest.bytes, img.manifest.mediaType, { tag: 'x' }))).toEqual(plain(img.manifest.descriptor));
      });

      it('reports unknown tags, digests and repositories', async () => {
        const img = image({ seed: 'known' });
        await push(img, 'known');
        await expectRegistryError(() => r.resolveTag(REPO, 'unknown'), 'MANIFEST_UNKNOWN');
        await expectRegistryError(() => r.getTag(REPO, 'unknown'), 'MANIFEST_UNKNOWN');
        await expectRegistryError(() => r.resolveManifest(REPO, ABSENT_DIGEST), 'MANIFEST_UNKNOWN');
        await expectRegistryError(() => r.getManifest(REPO, ABSENT_DIGEST), 'MANIFEST_UNKNOWN');
        // A blob is not a manifest.
        await expectRegistryError(() => r.getManifest(REPO, img.blobs[0]!.descriptor.digest), 'MANIFEST_UNKNOWN');
        await expectRegistryError(() => r.resolveTag(UNKNOWN_REPO, 'known'), unknownRepo('MANIFEST_UNKNOWN'));
        await expectRegistryError(() => r.getTag(UNKNOWN_REPO, 'known'), unknownRepo('MANIFEST_UNKNOWN'));
        await expectRegistryError(() => r.resolveManifest(UNKNOWN_REPO, img.manifest.descriptor.digest), unknownRepo('MANIFEST_UNKNOWN'));
        await expectRegistryError(() => r.getManifest(UNKNOWN_REPO, img.manifest.descriptor.digest), unknownRepo('MANIFEST_UNKNOWN'));
      });
    });

    describe('tags and repositories', () => {
      const TAGS = ['b', 'a', 'C', 'a-1', '_x', 'a.b', '1'];
      const SORTED = ['1', 'C', '_x', 'a', 'a-1', 'a.b', 'b'];

      it('lists tags in byte order, after startAfter, whatever the page size', async () => {
        const img = image({ seed: 'tags' });
        for (const tag of TAGS) await push(img, tag);
        expect(byteSort(TAGS)).toEqual(SORTED);
        expect(await tagsOf(REPO)).toEqual(SORTED);
        expect(userTags(await collect(r.listTags(REPO, { startAfter: 'a' })))).toEqual(['a-1', 'a.b', 'b']);
        expect(userTags(await collect(r.listTags(REPO, { startAfter: 'a0' })))).toEqual(['b']);
        expect(userTags(await collect(r.listTags(REPO, { startAfter: '0' })))).toEqual(SORTED);
        expect(userTags(await collect(r.listTags(REPO, { startAfter: 'b' })))).toEqual([]);
        expect(userTags(await collect(r.listTags(REPO, { pageSize: 2 })))).toEqual(SORTED);
        expect(userTags(await collect(r.listTags(REPO, { pageSize: 2, startAfter: 'C' })))).toEqual(SORTED.slice(2));
      });

      it('listTags of an unknown repository is NAME_UNKNOWN', async () => {
        await expectRegistryError(() => collect(r.listTags(UNKNOWN_REPO)), 'NAME_UNKNOWN');
      });

      it('lists repositories created by pushes, after startAfter (or UNSUPPORTED)', async () => {
        const names = ['b/x', 'a', 'a-b', 'a/b', 'c'];
        for (const repo of names) {
          const b = blob(`content of ${repo}`);
          await r.pushBlob(repo, b.descriptor, b.bytes);
        }
        if (!s.catalog) {
          await expectRegistryError(() => collect(r.listRepositories()), 'UNSUPPORTED');
          return;
        }
        const all = await collect(r.listRepositories());
        expect(byteSort(all)).toEqual(byteSort(names));
        expect(await collect(r.listRepositories({ pageSize: 2 }))).toEqual(all);
        for (let k = 0; k < all.length; k++) {
          expect(await collect(r.listRepositories({ startAfter: all[k] }))).toEqual(all.slice(k + 1));
        }
        if (s.catalogOrder === 'byte') {
          expect(all).toEqual(['a', 'a-b', 'a/b', 'b/x', 'c']);
          expect(await collect(r.listRepositories({ startAfter: 'a0' }))).toEqual(['b/x', 'c']);
          expect(await collect(r.listRepositories({ startAfter: 'a-b', pageSize: 1 }))).toEqual(['a/b', 'b/x', 'c']);
        }
      });
    });

    describe('referrers', () => {
      const SBOM = 'application/vnd.example.sbom';
      const SIG = 'application/vnd.example.signature';
      const LEGACY_CONFIG = 'application/vnd.example.legacy.config.v1+json';
      const INDEX_TYPE = 'application/vnd.example.bundle';

      async function seed() {
        const subject = image({ seed: 'subject' });
        const other = image({ seed: 'other subject' });
        await push(subject, 'app');
        await push(other, 'other');
        const sbom = artifact({ subject: subjectOf(subject), artifactType: SBOM, annotations: { 'org.example.kind': 'sbom' }, layers: ['{"sbom":true}'] });
        const sig = artifact({ subject: subjectOf(subject), artifactType: SIG });
        const legacy = artifact({ subject: subjectOf(subject), configMediaType: LEGACY_CONFIG, layers: ['legacy'] });
        const part = artifact({ artifactType: 'application/vnd.example.part', layers: ['part'] });
        const bundle = index([part], { artifactType: INDEX_TYPE, subject: subjectOf(subject), annotations: { 'org.example.bundle': 'yes' } });
        const unrelated = artifact({ subject: subjectOf(other), artifactType: SBOM });
        await push(sbom);
        await push(sig, 'signature');
        await push(legacy);
        await push(bundle);
        await push(unrelated);
        return { subject, other, sbom, sig, legacy, bundle, unrelated };
      }

      it('lists manifests whose subject is the digest, with artifactType and annotations', async () => {
        const { subject, sbom, sig, legacy, bundle } = await seed();
        const found = (await collect(r.listReferrers(REPO, subject.manifest.descriptor.digest))).map(referrerView).sort(byDigest);
        const expected = [
          { ...plain(sbom.manifest.descriptor), artifactType: SBOM, annotations: { 'org.example.kind': 'sbom' } },
          { ...plain(sig.manifest.descriptor), artifactType: SIG, annotations: undefined },
          { ...plain(legacy.manifest.descriptor), artifactType: LEGACY_CONFIG, annotations: undefined },
          { ...plain(bundle.manifest.descriptor), artifactType: INDEX_TYPE, annotations: { 'org.example.bundle': 'yes' } },
        ].sort(byDigest);
        expect(found).toEqual(expected);
      });

      it('filters referrers by artifactType', async () => {
        const { subject, sbom } = await seed();
        const sboms = await collect(r.listReferrers(REPO, subject.manifest.descriptor.digest, { artifactType: SBOM }));
        expect(sboms.map((d) => d.digest)).toEqual([sbom.manifest.descriptor.digest]);
        expect(await collect(r.listReferrers(REPO, subject.manifest.descriptor.digest, { artifactType: 'application/vnd.example.none' }))).toEqual([]);
      });

      it('has no referrers for a digest nothing refers to, and reports unknown repositories', async () => {
        const { other, unrelated, sbom } = await seed();
        expect(await collect(r.listReferrers(REPO, ABSENT_DIGEST))).toEqual([]);
        expect((await collect(r.listReferrers(REPO, other.manifest.descriptor.digest))).map((d) => d.digest)).toEqual([unrelated.manifest.descriptor.digest]);
        expect(await collect(r.listReferrers(REPO, sbom.manifest.descriptor.digest))).toEqual([]);
        if (s.nameUnknown) {
          await expectRegistryError(() => collect(r.listReferrers(UNKNOWN_REPO, ABSENT_DIGEST)), 'NAME_UNKNOWN');
        } else {
          // distribution without a referrers API: the fallback tag of a missing repository reads as empty.
          let listed: Descriptor[] = [];
          try {
            listed = await collect(r.listReferrers(UNKNOWN_REPO, ABSENT_DIGEST));
          } catch (error) {
            expect(error).toBeInstanceOf(RegistryError);
            expect(['NAME_UNKNOWN', 'MANIFEST_UNKNOWN']).toContain((error as RegistryError).code);
          }
          expect(listed).toEqual([]);
        }
      });

      it('a deleted referrer leaves the referrers list (or delete is UNSUPPORTED)', async () => {
        const { subject, sbom, sig, legacy, bundle } = await seed();
        if (!s.manifestDelete) {
          await expectRegistryError(() => r.deleteManifest(REPO, sbom.manifest.descriptor.digest), 'UNSUPPORTED');
          expect(await collect(r.listReferrers(REPO, subject.manifest.descriptor.digest))).toHaveLength(4);
          return;
        }
        const result = await r.deleteManifest(REPO, sbom.manifest.descriptor.digest);
        expect(result.deleted).toEqual([sbom.manifest.descriptor.digest]);
        const left = (await collect(r.listReferrers(REPO, subject.manifest.descriptor.digest))).map((d) => d.digest).sort();
        expect(left).toEqual([sig, legacy, bundle].map((b) => b.manifest.descriptor.digest).sort());
        const signature = await r.deleteManifest(REPO, sig.manifest.descriptor.digest);
        expect(userTags(signature.tags)).toEqual(['signature']);
        const remaining = (await collect(r.listReferrers(REPO, subject.manifest.descriptor.digest))).map((d) => d.digest).sort();
        expect(remaining).toEqual([legacy, bundle].map((b) => b.manifest.descriptor.digest).sort());
      });
    });

    describe('deletes', () => {
      it('deleting a tag leaves the other tags of its manifest (or is UNSUPPORTED)', async () => {
        const img = image({ seed: 'shared' });
        await push(img, 'a');
        await push(img, 'b');
        if (s.tagDelete === 'unsupported') {
          await expectRegistryError(() => r.deleteTag(REPO, 'a'), 'UNSUPPORTED');
          expect((await r.resolveTag(REPO, 'a')).digest).toBe(img.manifest.descriptor.digest);
          expect(await tagsOf(REPO)).toEqual(['a', 'b']);
          return;
        }
        expect(await r.deleteTag(REPO, 'a')).toEqual({ method: s.tagDelete, digest: img.manifest.descriptor.digest });
        expect(await tagsOf(REPO)).toEqual(['b']);
        expect((await r.resolveTag(REPO, 'b')).digest).toBe(img.manifest.descriptor.digest);
        expect((await r.getTag(REPO, 'b')).bytes).toEqual(img.manifest.bytes);
        await expectRegistryError(() => r.resolveTag(REPO, 'a'), 'MANIFEST_UNKNOWN');
        await expectRegistryError(() => r.deleteTag(REPO, 'a'), 'MANIFEST_UNKNOWN');
      });

      it('deleting the last tag keeps the manifest readable by digest', async () => {
        const img = image({ seed: 'lonely' });
        const keep = image({ seed: 'keeper' });
        await push(img, 'only');
        await push(keep, 'keep');
        if (s.tagDelete === 'unsupported') {
          await expectRegistryError(() => r.deleteTag(REPO, 'only'), 'UNSUPPORTED');
          return;
        }
        await r.deleteTag(REPO, 'only');
        expect(await tagsOf(REPO)).toEqual(['keep']);
        expect((await r.getManifest(REPO, img.manifest.descriptor.digest)).bytes).toEqual(img.manifest.bytes);
      });

      it('deleteTag reports unknown tags and repositories', async () => {
        await push(image({ seed: 'present' }), 'present');
        await expectRegistryError(() => r.deleteTag(REPO, 'absent'), s.tagDelete === 'unsupported' ? ['MANIFEST_UNKNOWN', 'UNSUPPORTED'] : 'MANIFEST_UNKNOWN');
        const repoCodes = unknownRepo('MANIFEST_UNKNOWN');
        await expectRegistryError(() => r.deleteTag(UNKNOWN_REPO, 'present'), s.tagDelete === 'unsupported' ? [...repoCodes, 'UNSUPPORTED'] : repoCodes);
      });

      it('deleting a manifest removes every tag on it and reports them (or is UNSUPPORTED)', async () => {
        const img = image({ seed: 'doomed' });
        const other = image({ seed: 'survivor' });
        await push(img, 'x');
        await push(img, 'y');
        await push(other, 'z');
        const digest = img.manifest.descriptor.digest;
        if (!s.manifestDelete) {
          await expectRegistryError(() => r.deleteManifest(REPO, digest), 'UNSUPPORTED');
          expect((await r.resolveTag(REPO, 'x')).digest).toBe(digest);
          return;
        }
        const result = await r.deleteManifest(REPO, digest);
        expect(result.deleted).toEqual([digest]);
        expect(byteSort(userTags(result.tags))).toEqual(['x', 'y']);
        expect(await tagsOf(REPO)).toEqual(['z']);
        await expectRegistryError(() => r.resolveManifest(REPO, digest), 'MANIFEST_UNKNOWN');
        await expectRegistryError(() => r.getManifest(REPO, digest), 'MANIFEST_UNKNOWN');
        await expectRegistryError(() => r.getTag(REPO, 'x'), 'MANIFEST_UNKNOWN');
        await expectRegistryError(() => r.resolveTag(REPO, 'y'), 'MANIFEST_UNKNOWN');
        await expectRegistryError(() => r.deleteManifest(REPO, digest), 'MANIFEST_UNKNOWN');
        expect((await r.getTag(REPO, 'z')).bytes).toEqual(other.manifest.bytes);
      });

      it('deleteManifest reports unknown manifests and repositories', async () => {
        await push(image({ seed: 'present' }), 'present');
        const unsupported: ErrorCode[] = s.manifestDelete ? [] : ['UNSUPPORTED'];
        await expectRegistryError(() => r.deleteManifest(REPO, ABSENT_DIGEST), ['MANIFEST_UNKNOWN', ...unsupported]);
        await expectRegistryError(() => r.deleteManifest(UNKNOWN_REPO, ABSENT_DIGEST), [...unknownRepo('MANIFEST_UNKNOWN'), ...unsupported]);
      });

      it('cascadeReferrers deletes referrers recursively and only them', async () => {
        const app = image({ seed: 'app' });
        const bystander = image({ seed: 'bystander' });
        await push(app, 'app');
        await push(bystander, 'bystander');
        const sig = artifact({ subject: subjectOf(app), artifactType: 'application/vnd.example.signature' });
        const sigOfSig = artifact({ subject: subjectOf(sig), artifactType: 'application/vnd.example.countersignature' });
        const unrelated = artifact({ subject: subjectOf(bystander), artifactType: 'application/vnd.example.signature' });
        await push(sig, 'sig');
        await push(sigOfSig);
        await push(unrelated);
        const digest = app.manifest.descriptor.digest;
        if (!s.manifestDelete) {
          await expectRegistryError(() => r.deleteManifest(REPO, digest, { cascadeReferrers: true }), 'UNSUPPORTED');
          return;
        }
        const result = await r.deleteManifest(REPO, digest, { cascadeReferrers: true });
        expect(result.deleted[0]).toBe(digest);
        expect([...result.deleted].sort()).toEqual([digest, sig.manifest.descriptor.digest, sigOfSig.manifest.descriptor.digest].sort());
        expect(byteSort(userTags(result.tags))).toEqual(['app', 'sig']);
        for (const gone of result.deleted) await expectRegistryError(() => r.resolveManifest(REPO, gone), 'MANIFEST_UNKNOWN');
        expect(await tagsOf(REPO)).toEqual(['bystander']);
        expect((await collect(r.listReferrers(REPO, bystander.manifest.descriptor.digest))).map((d) => d.digest)).toEqual([unrelated.manifest.descriptor.digest]);
      });

      it('without cascadeReferrers the referrers of a deleted manifest stay', async () => {
        const app = image({ seed: 'app2' });
        await push(app, 'app');
        const sig = artifact({ subject: subjectOf(app), artifactType: 'application/vnd.example.signature' });
        await push(sig, 'sig');
        if (!s.manifestDelete) return expectRegistryError(() => r.deleteManifest(REPO, app.manifest.descriptor.digest), 'UNSUPPORTED');
        const result = await r.deleteManifest(REPO, app.manifest.descriptor.digest);
        expect(result.deleted).toEqual([app.manifest.descriptor.digest]);
        expect((await r.getTag(REPO, 'sig')).bytes).toEqual(sig.manifest.bytes);
        expect((await collect(r.listReferrers(REPO, app.manifest.descriptor.digest))).map((d) => d.digest)).toEqual([sig.manifest.descriptor.digest]);
      });
    });

    describe('capabilities and lifecycle', () => {
      it('reports its capabilities', async () => {
        const caps = await r.capabilities(REPO);
        expect([s.catalog, 'unknown']).toContain(caps.catalog);
        expect([true, 'unknown']).toContain(caps.write);
        expect([s.manifestDelete, 'unknown']).toContain(caps.manifestDelete);
        expect([s.tagDelete, 'unknown']).toContain(caps.tagDelete);
        expect([s.referrersApi, 'unknown']).toContain(caps.referrersApi);
      });

      it('honours an aborted signal', async () => {
        const img = image({ seed: 'abort' });
        await push(img, 'v');
        const signal = AbortSignal.abort();
        for (const call of [
          () => r.resolveTag(REPO, 'v', { signal }),
          () => r.getManifest(REPO, img.manifest.descriptor.digest, { signal }),
          () => collect(r.listTags(REPO, { signal })),
        ]) {
          await expect(call()).rejects.toMatchObject({ name: 'AbortError' });
        }
      });

      it('close is idempotent', async () => {
        await expect(r.close()).resolves.toBeUndefined();
        await expect(r.close()).resolves.toBeUndefined();
      });
    });
  });
}
