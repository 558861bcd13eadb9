/**
 * Garbage collection for layout sources, after the tags are deleted: a layout keeps a manifest whose last
 * tag goes as an untagged index.json entry (like a registry keeps it until `garbage-collect
 * --delete-untagged`), so Porthole deletes, by digest, each manifest the run left without tags; the layout
 * backend then removes the blobs nothing else uses (lib/registry/layout/gc.ts).
 *
 * Each deletion is guarded: the repository's tags are read again, and a manifest that has a tag again, or
 * that a kept tag still reaches (a platform manifest of a kept index), is left alone. Referrers of a
 * collected manifest are not deleted (they are listed in the plan). The first failure stops collection.
 */
import { isRegistryError, RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import { collect } from '@/lib/registry/iter';
import type { BrowsingRegistry, CallOptions } from '@/lib/registry/registry';
import { failureOf } from './failure';
import { reachableFrom } from './reclaim';
import type { CollectedManifest, UntaggedManifest } from './types';

/** Deletes a manifest by digest, audited. */
export type DeleteManifest = (repository: string, digest: Digest, options: CallOptions) => Promise<{ deleted: Digest[]; tags: string[] }>;

export interface CollectContext {
  registry: BrowsingRegistry;
  deleteManifest: DeleteManifest;
  concurrency?: number;
  signal?: AbortSignal;
  onCollected?: (item: CollectedManifest) => void | Promise<void>;
  mapError?: (error: unknown) => RegistryError;
}

/** The digests the repository's tags point at now (read fresh, not from any cache). */
async function taggedDigests(registry: BrowsingRegistry, repository: string, signal: AbortSignal | undefined): Promise<Digest[]> {
  let names: string[];
  try {
    names = await collect(registry.listTags(repository, { signal }));
  } catch (error) {
    if (isRegistryError(error, 'NAME_UNKNOWN')) return [];
    throw error;
  }
  const digests = new Set<Digest>();
  for (const name of names) {
    try {
      digests.add((await registry.resolveTag(repository, name, { signal })).digest);
    } catch (error) {
      if (!isRegistryError(error, 'MANIFEST_UNKNOWN')) throw error;
    }
  }
  return [...digests];
}

/** Collects `untagged` (see the file comment). Never throws for a registry failure: it is in the items. */
export async function collectUntagged(context: CollectContext, untagged: readonly UntaggedManifest[]): Promise<CollectedManifest[]> {
  const { registry, signal } = context;
  const items: CollectedManifest[] = [];
  const record = async (item: CollectedManifest) => {
    items.push(item);
    await context.onCollected?.(item);
  };
  let stopped: string | undefined;
  const byRepository = new Map<string, UntaggedManifest[]>();
  for (const u of untagged) byRepository.set(u.repository, [...(byRepository.get(u.repository) ?? []), u]);

  for (const [repository, list] of byRepository) {
    let tagged: Set<Digest> | undefined;
    let held: Set<Digest> | undefined;
    for (const u of list) {
      const base = { repository, digest: u.digest };
      if (stopped) {
        await record({ ...base, status: 'skipped', reason: `not attempted: stopped after a failure (${stopped})` });
        continue;
      }
      try {
        signal?.throwIfAborted();
        if (!tagged || !held) {
          const roots = await taggedDigests(registry, repository, signal);
          const reach = await reachableFrom(registry, repository, roots, { concurrency: context.concurrency ?? 4, ...(signal ? { signal } : {}) });
          // Without knowing everything the kept tags reach, deleting could break one of them.
          if (!reach.complete) throw new RegistryError('UNAVAILABLE', `kept manifests of ${repository} could not all be read: ${reach.warnings[0] ?? ''}`);
          tagged = new Set(roots);
          held = reach.digests;
        }
        if (tagged.has(u.digest)) {
          await record({ ...base, status: 'skipped', reason: 'has a tag again: left alone' });
        } else if (held.has(u.digest)) {
          await record({ ...base, status: 'skipped', reason: 'still listed by a kept index: left alone' });
        } else {
          const result = await context.deleteManifest(repository, u.digest, signal ? { signal } : {});
          await record({ ...base, status: 'deleted', ...(result.tags.length ? { reason: `also removed tags ${result.tags.join(', ')}` } : {}) });
        }
      } catch (error) {
        if (isRegistryError(error, 'MANIFEST_UNKNOWN')) {
          await record({ ...base, status: 'skipped', reason: 'already gone' });
          continue;
        }
        const wire = failureOf(error, signal, context.mapError);
        stopped = `${repository}@${u.digest}: ${wire.message}`;
        await record({ ...base, status: 'failed', reason: wire.message, error: wire });
      }
    }
  }
  return items;
}
