/**
 * Writes of the in-memory registry. Pushes are checked like a registry checks them: blob digest and size,
 * manifest size, media type and body, and every config, layer and child manifest must already be in the
 * repository (MANIFEST_BLOB_UNKNOWN). A `subject` may dangle (the spec requires accepting that).
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { checkSize, readVerified } from '@/lib/registry/local/content';
import { inspectPushedManifest, requiredBlobs } from '@/lib/registry/local/manifest-info';
import { checkAborted, checkDigest, checkRepository, checkTag } from '@/lib/registry/local/validate';
import type { RegistryWriter } from '@/lib/registry/registry';
import { plainDescriptor, type MemoryStore } from './store';

export function createWriter(store: MemoryStore): RegistryWriter {
  return {
    async pushBlob(repo, descriptor, body, options) {
      checkRepository(repo);
      checkDigest(descriptor.digest);
      const size = checkSize(descriptor.size);
      checkAborted(options);
      const bytes = await readVerified(body, { digest: descriptor.digest, size }, options);
      const stored = { mediaType: descriptor.mediaType, digest: descriptor.digest, size };
      store.ensure(repo).blobs.set(descriptor.digest, { descriptor: stored, bytes });
      return { ...stored };
    },

    async mountBlob(fromRepo, repo, digest, options) {
      checkRepository(fromRepo);
      checkRepository(repo);
      checkDigest(digest);
      checkAborted(options);
      const source = store.repositories.get(fromRepo)?.blobs.get(digest);
      if (!source) throw new RegistryError('BLOB_UNKNOWN', 'blob unknown to the source repository', { detail: { digest } });
      store.ensure(repo).blobs.set(digest, source);
      return { ...source.descriptor };
    },

    async pushManifest(repo, bytes, mediaType, options) {
      checkRepository(repo);
      if (options?.tag !== undefined) checkTag(options.tag);
      checkAborted(options);
      const info = inspectPushedManifest(bytes, mediaType);
      const existing = store.repositories.get(repo);
      const missing = [
        ...requiredBlobs(info.references).filter((blob) => !existing?.blobs.has(blob.digest)),
        ...info.references.manifests.filter((child) => !existing?.manifests.has(child.digest)),
      ];
      if (missing.length > 0) {
        throw new RegistryError('MANIFEST_BLOB_UNKNOWN', 'manifest references content that is not in the repository', {
          detail: { digests: missing.map((d) => d.digest) },
        });
      }
      const repository = store.ensure(repo);
      const digest = info.descriptor.digest;
      repository.manifests.set(digest, {
        descriptor: info.descriptor,
        bytes: bytes.slice(),
        ...(info.referrer ? { referrer: info.referrer } : {}),
      });
      if (options?.tag !== undefined) repository.tags.set(options.tag, digest);
      return plainDescriptor(info.descriptor);
    },
  };
}
