/** Lists of the in-memory registry: repositories and tags in byte order, referrers computed from `subject`. */
import 'server-only';
import { afterCursor, compareBytes, sortUnique } from '@/lib/registry/local/paging';
import { checkAborted, checkDigest, checkRepository } from '@/lib/registry/local/validate';
import type { Descriptor, RegistryLister } from '@/lib/registry/registry';
import type { MemoryStore } from './store';

export function createLister(store: MemoryStore): RegistryLister {
  return {
    async *listRepositories(options) {
      checkAborted(options);
      for (const name of afterCursor(sortUnique(store.repositories.keys()), options?.startAfter)) {
        checkAborted(options);
        yield name;
      }
    },
    async *listTags(repo, options) {
      checkRepository(repo);
      checkAborted(options);
      const repository = store.get(repo);
      for (const tag of afterCursor(sortUnique(repository.tags.keys()), options?.startAfter)) {
        checkAborted(options);
        yield tag;
      }
    },
    async *listReferrers(repo, digest, options) {
      checkRepository(repo);
      checkDigest(digest);
      checkAborted(options);
      const repository = store.get(repo);
      const found: Descriptor[] = [];
      for (const stored of repository.manifests.values()) {
        const referrer = stored.referrer;
        if (!referrer || referrer.subject !== digest) continue;
        if (options?.artifactType !== undefined && referrer.descriptor.artifactType !== options.artifactType) continue;
        found.push(structuredClone(referrer.descriptor));
      }
      // Sorted by digest like ocimem, so the order is stable between calls.
      found.sort((a, b) => compareBytes(a.digest, b.digest));
      yield* found;
    },
  };
}
