/** Reads of the in-memory registry: resolve and get for tags, manifests and blobs. */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { resolveRange } from '@/lib/registry/local/content';
import { bytesBlob } from '@/lib/registry/blob-bytes';
import { checkAborted, checkDigest, checkRepository, checkTag } from '@/lib/registry/local/validate';
import type { RegistryReader } from '@/lib/registry/registry';
import { plainDescriptor, type MemoryStore } from './store';

/** Blobs carry no media type of their own; registries answer `application/octet-stream` too. */
const BLOB_MEDIA_TYPE = 'application/octet-stream';

export function createReader(store: MemoryStore): RegistryReader {
  const byTag = (repo: string, tag: string) => {
    checkRepository(repo);
    checkTag(tag);
    const repository = store.get(repo);
    const digest = repository.tags.get(tag);
    if (digest === undefined) throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', { detail: { tag } });
    return repository.manifest(digest);
  };
  const byDigest = (repo: string, digest: string) => {
    checkRepository(repo);
    checkDigest(digest);
    return store.get(repo).manifest(digest);
  };
  const blob = (repo: string, digest: string) => {
    checkRepository(repo);
    checkDigest(digest);
    return store.get(repo).blob(digest);
  };

  return {
    async resolveTag(repo, tag, options) {
      checkAborted(options);
      return plainDescriptor(byTag(repo, tag).descriptor);
    },
    async resolveManifest(repo, digest, options) {
      checkAborted(options);
      return plainDescriptor(byDigest(repo, digest).descriptor);
    },
    async resolveBlob(repo, digest, options) {
      checkAborted(options);
      const stored = blob(repo, digest);
      return { mediaType: BLOB_MEDIA_TYPE, digest: stored.descriptor.digest, size: stored.descriptor.size };
    },
    async getTag(repo, tag, options) {
      checkAborted(options);
      const stored = byTag(repo, tag);
      return { descriptor: plainDescriptor(stored.descriptor), bytes: stored.bytes.slice() };
    },
    async getManifest(repo, digest, options) {
      checkAborted(options);
      const stored = byDigest(repo, digest);
      return { descriptor: plainDescriptor(stored.descriptor), bytes: stored.bytes.slice() };
    },
    async getBlob(repo, digest, options) {
      checkAborted(options);
      const stored = blob(repo, digest);
      const descriptor = { mediaType: BLOB_MEDIA_TYPE, digest: stored.descriptor.digest, size: stored.descriptor.size };
      // Copies: a reader must not reach the stored bytes.
      if (!options?.range) return bytesBlob(descriptor, stored.bytes.slice());
      const range = resolveRange(options.range, stored.bytes.byteLength);
      return bytesBlob(descriptor, stored.bytes.slice(range.start, range.end + 1), range);
    },
  };
}
