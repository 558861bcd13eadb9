/**
 * Deletes of the in-memory registry. Unlike ocimem (which leaves dangling tags, see its TODO), deleting a
 * manifest removes every tag on it, as distribution does; deleting a tag removes only that tag.
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { compareBytes } from '@/lib/registry/local/paging';
import { checkRepository, checkTarget } from '@/lib/registry/local/validate';
import type { Digest, RegistryDeleter } from '@/lib/registry/registry';
import type { MemoryRepository, MemoryStore } from './store';

/** `digest` then, with `cascade`, every manifest whose subject is in the list, breadth first. */
function deletionOrder(repository: MemoryRepository, digest: Digest, cascade: boolean): Digest[] {
  const order = [digest];
  for (let i = 0; cascade && i < order.length; i++) {
    const subject = order[i];
    const referrers = [...repository.manifests.values()]
      .filter((m) => m.referrer?.subject === subject && !order.includes(m.descriptor.digest))
      .map((m) => m.descriptor.digest)
      .sort(compareBytes);
    order.push(...referrers);
  }
  return order;
}

export function createDeleter(store: MemoryStore): RegistryDeleter {
  return {
    async deleteTag(repo, tag, options) {
      checkTarget(checkRepository, repo, { tag }, options);
      const repository = store.get(repo);
      const digest = repository.tags.get(tag);
      if (digest === undefined) throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', { detail: { tag } });
      repository.tags.delete(tag);
      return { method: 'native', digest };
    },

    async deleteManifest(repo, digest, options) {
      checkTarget(checkRepository, repo, { digest }, options);
      const repository = store.get(repo);
      repository.manifest(digest);
      const deleted = deletionOrder(repository, digest, options?.cascadeReferrers === true);
      const tags: string[] = [];
      for (const target of deleted) {
        tags.push(...repository.tagsOf(target).sort(compareBytes));
        repository.manifests.delete(target);
      }
      for (const tag of tags) repository.tags.delete(tag);
      return { deleted, tags };
    },

    async deleteBlob(repo, digest, options) {
      checkTarget(checkRepository, repo, { digest }, options);
      const repository = store.repositories.get(repo);
      if (!repository?.blobs.delete(digest)) {
        throw new RegistryError('BLOB_UNKNOWN', 'blob unknown', { detail: { digest } });
      }
    },
  };
}
