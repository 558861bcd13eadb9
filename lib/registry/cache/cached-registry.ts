/**
 * `cachedContent(r, store)`: a registry whose reads of content addressed by digest come from a
 * {@link ContentStore} before the registry: manifests by digest (`getManifest`) and whole small blobs
 * (`getBlob` without a range, at most `maxBlobBytes`: image configs). What it reads from the registry it keeps:
 * those two, and the manifest bytes a tag GET returns (so a later read by digest is free). Everything that can
 * change is passed through untouched: tags (`getTag`, `resolveTag`, `listTags`), presence checks
 * (`resolveManifest`, `resolveBlob`), referrers listings, the catalog, writes and deletes. A manifest (or
 * blob) deleted through this registry is forgotten by the store too, so Porthole stops showing it.
 *
 * The store verifies every entry against its digest on read (`verifyContent`): a corrupted entry is dropped and
 * read again from the registry, never served. Signed Docker schema1 manifests are not kept (their digest is not
 * the hash of their bytes), nor manifests whose media type cannot be told again from their bytes alone.
 *
 * Built with `fromFuncs` and an explicit list of forwarded methods, like the wrappers of `../filter`.
 */
import 'server-only';
import { parseManifest } from '@/lib/oci/manifest';
import { MediaType } from '@/lib/oci/media-types';
import type { Digest } from '@/lib/oci/types';
import { checkDigest, checkRepository } from '@/lib/registry/local/validate';
import { fromFuncs } from '../funcs';
import { matchesDigest } from '../hash';
import { readAll } from '../read-all';
import type { BlobContent, ManifestContent, Registry } from '../registry';
import type { ContentStore } from './content-store';
import { blobKey, manifestKey } from './keys';

const BLOB_MEDIA_TYPE = 'application/octet-stream';

export interface CachedContentOptions {
  /** Whole blobs up to this size are kept (image configs); larger ones and ranges stream from the registry. */
  maxBlobBytes: number;
}

/** The media type the bytes declare or imply, or undefined when they are not a manifest Porthole can read. */
function impliedMediaType(bytes: Uint8Array): string | undefined {
  try {
    return parseManifest(bytes).mediaType;
  } catch {
    return undefined;
  }
}

/** True when `content` can be rebuilt exactly from its bytes and digest. */
function keepable(content: ManifestContent): boolean {
  const { mediaType, digest } = content.descriptor;
  if (mediaType === MediaType.DockerSchema1Signed) return false;
  return impliedMediaType(content.bytes) === mediaType && matchesDigest(content.bytes, digest);
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

export function cachedContent(registry: Registry, store: ContentStore, options: CachedContentOptions): Registry {
  const r = registry;

  async function keepManifest(content: ManifestContent): Promise<void> {
    if (keepable(content)) await store.put(manifestKey(content.descriptor.digest), content.bytes);
  }

  return fromFuncs({
    resolveTag: (...args) => r.resolveTag(...args),
    resolveManifest: (...args) => r.resolveManifest(...args),
    resolveBlob: (...args) => r.resolveBlob(...args),
    async getTag(repo, tag, call) {
      const content = await r.getTag(repo, tag, call);
      await keepManifest(content);
      return content;
    },
    async getManifest(repo, digest, call) {
      // What the registry would refuse before any I/O is refused here too, cached or not.
      checkRepository(repo);
      checkDigest(digest);
      const bytes = await store.get(manifestKey(digest), call?.signal);
      const mediaType = bytes && impliedMediaType(bytes);
      if (bytes && mediaType) return { descriptor: { mediaType, digest, size: bytes.byteLength }, bytes };
      const content = await r.getManifest(repo, digest, call);
      await keepManifest(content);
      return content;
    },
    async getBlob(repo, digest, call) {
      if (call?.range) return r.getBlob(repo, digest, call);
      checkRepository(repo);
      checkDigest(digest);
      const bytes = await store.get(blobKey(digest), call?.signal);
      if (bytes) return blobOf(digest, bytes);
      const blob = await r.getBlob(repo, digest, call);
      if (blob.descriptor.size > options.maxBlobBytes) return blob;
      const whole = await readAll(blob.body, options.maxBlobBytes);
      if (matchesDigest(whole, digest)) await store.put(blobKey(digest), whole);
      return { ...blob, body: streamOf(whole) };
    },
    listRepositories: (...args) => r.listRepositories(...args),
    listTags: (...args) => r.listTags(...args),
    listReferrers: (...args) => r.listReferrers(...args),
    pushBlob: (...args) => r.pushBlob(...args),
    mountBlob: (...args) => r.mountBlob(...args),
    pushManifest: (...args) => r.pushManifest(...args),
    deleteTag: (...args) => r.deleteTag(...args),
    async deleteManifest(repo, digest, call) {
      const result = await r.deleteManifest(repo, digest, call);
      await Promise.all(result.deleted.map((gone: Digest) => store.delete(manifestKey(gone))));
      return result;
    },
    async deleteBlob(repo, digest, call) {
      await r.deleteBlob(repo, digest, call);
      await store.delete(blobKey(digest));
    },
    capabilities: (...args) => r.capabilities(...args),
    close: () => r.close(),
  });
}

function blobOf(digest: Digest, bytes: Uint8Array): BlobContent {
  return { descriptor: { mediaType: BLOB_MEDIA_TYPE, digest, size: bytes.byteLength }, body: streamOf(bytes) };
}
