/**
 * Deleting a manifest exactly as planned: the plan is made again from the registry as it is now (every tag resolved
 * afresh, every referrer's `subject` read), compared with what the user confirmed (`expect`), and only then carried
 * out, one manifest at a time by digest, referrers before their subjects. When the registry now holds a different
 * outcome — another tag moved onto the digest, a referrer appeared or went — nothing is deleted and the error says
 * what changed (409), as cleanup does with its confirmed preview.
 */
import 'server-only';
import type { DeleteExpectation, DeleteManifestResponse } from '@/lib/api/types';
import { isRegistryError, RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import { compareByteOrder } from '@/lib/registry/iter';
import { planManifestDelete } from './delete-plan';
import { forgetDeletedManifests } from './forget-deleted';
import type { Source } from './sources';

export interface ExecuteDeleteOptions {
  cascade: boolean;
  /** The confirmed plan's lists; without it the fresh plan is carried out as it is. */
  expect?: DeleteExpectation;
  signal?: AbortSignal;
}

function difference(now: readonly string[], confirmed: readonly string[]): { added: string[]; missing: string[] } {
  const a = new Set(confirmed);
  const b = new Set(now);
  return { added: now.filter((x) => !a.has(x)), missing: confirmed.filter((x) => !b.has(x)) };
}

/** Refuses (409) when the fresh plan differs from the confirmed one. */
export function checkExpectation(now: DeleteExpectation, confirmed: DeleteExpectation): void {
  const manifests = difference(now.manifests, confirmed.manifests);
  const tags = difference(now.tags, confirmed.tags);
  const changes: string[] = [];
  if (tags.added.length) changes.push(`now also removes tags ${tags.added.join(', ')}`);
  if (tags.missing.length) changes.push(`no longer removes tags ${tags.missing.join(', ')}`);
  if (manifests.added.length) changes.push(`now also deletes manifests ${manifests.added.join(', ')}`);
  if (manifests.missing.length) changes.push(`no longer deletes manifests ${manifests.missing.join(', ')}`);
  if (changes.length === 0) return;
  throw new RegistryError('DENIED', `the registry changed since the confirmed preview: the delete ${changes.join('; ')}. Nothing was deleted; preview again.`, {
    status: 409,
    detail: { tags, manifests },
  });
}

/**
 * Plans afresh, checks `expect`, deletes. Returns every manifest deleted (the target first) and every tag that went,
 * fallback tags of emptied referrers indexes included. Throws MANIFEST_UNKNOWN, DENIED (409: changed since the
 * preview), UNSUPPORTED (deletion disabled), and registry errors (a failure part-way leaves what was deleted
 * deleted; the target goes last, so it is still there).
 */
export async function executeManifestDelete(source: Source, repo: string, digest: Digest, options: ExecuteDeleteOptions): Promise<DeleteManifestResponse> {
  const call = options.signal ? { signal: options.signal } : {};
  const { plan, order } = await planManifestDelete(source, repo, digest, { cascade: options.cascade, fresh: true, ...call });
  if (options.expect) checkExpectation(plan.expect, options.expect);

  const deleted: Digest[] = [];
  const tags = new Set<string>();
  try {
    for (const target of order) {
      try {
        const result = await source.registry.deleteManifest(repo, target, call);
        deleted.push(target);
        for (const tag of result.tags) tags.add(tag);
      } catch (error) {
        // A referrer someone else deleted meanwhile is gone as planned; the target itself must be deleted here.
        if (target === digest || !isRegistryError(error, 'MANIFEST_UNKNOWN')) throw error;
      }
    }
  } finally {
    forgetDeletedManifests(source, repo, deleted);
  }
  // Fallback tags of emptied referrers indexes go as a side effect: report those that are really gone.
  for (const tag of plan.tags.filter((t) => t.why === 'emptied-referrers-index')) {
    const gone = await source.pool.run(() => source.registry.resolveTag(repo, tag.name, call)).then(
      () => false,
      (error: unknown) => isRegistryError(error, 'MANIFEST_UNKNOWN'),
    );
    if (gone) tags.add(tag.name);
  }
  const first = deleted.filter((d) => d === digest);
  return { deleted: [...first, ...deleted.filter((d) => d !== digest)], tags: [...tags].sort(compareByteOrder) };
}
