/**
 * Writes of the in-memory registry. Pushes are checked like a registry checks them: blob digest and size,
 * manifest size, media type and body, and every config, layer and child manifest must already be in the
 * repository (MANIFEST_BLOB_UNKNOWN). A `subject` may dangle (the spec requires accepting that).
 */
import 'server-only';
import { readVerified } from '@/lib/registry/local/content';
import { inspectPushedManifest, requiredBlobs } from '@/lib/registry/local/manifest-info';
import { blobUnknownToSource, checkAborted, checkBlobPush, checkMount, checkRepository, checkTag, manifestContentMissing } from '@/lib/registry/local/validate';
import type { RegistryWriter } from '@/lib/registry/registry';
import { plainDescriptor, type MemoryStore } from './store';

export function createWriter(store: MemoryStore): RegistryWriter {
  return {
    async pushBlob(repo, descriptor, body, options) {
      const size = checkBlobPush(checkRepository, repo, descriptor, options);
      const bytes = await readVerified(body, { digest: descriptor.digest, size }, options);
      const stored = { mediaType: descriptor.mediaType, digest: descriptor.digest, size };
      store.ensure(repo).blobs.set(descriptor.digest, { descriptor: stored, bytes });
      return { ...stored };
    },

    async mountBlob(fromRepo, repo, digest, options) {
      checkMount(checkRepository, fromRepo, repo, digest, options);
      const source = store.repositories.get(fromRepo)?.blobs.get(digest);
      if (!source) throw blobUnknownToSource(digest);
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
      if (missing.length > 0) throw manifestContentMissing(missing.map((d) => d.digest));
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
