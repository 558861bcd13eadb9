/**
 * Can this source really delete? The configuration's `delete: true` is only Porthole's permission; a registry
 * may still refuse (distribution without `storage.delete.enabled` answers 405, credentials without the
 * delete scope 401/403). This asks the registry (its capability probes delete a digest and a tag that cannot
 * exist, so they change nothing; the answers are cached per registry) and says what it can do.
 * Used by the deletion API (`GET /api/sources/{source}/deletion`, shown by the pages) and by cleanup, which
 * refuses to plan what it could not run.
 */
import 'server-only';
import type { DeletionResponse } from '@/lib/api/types';
import { RegistryError } from '@/lib/oci/errors';
import { shapeSource } from './shape';
import type { Source } from './sources';

export const REGISTRY_REFUSES_DELETION =
  'the registry refuses deletion (distribution: storage.delete.enabled is not set, or these credentials may not delete)';

/** A repository to probe with when none is given: the first one of the catalog, if it can be listed. */
export async function someRepository(source: Source, signal?: AbortSignal): Promise<string | undefined> {
  try {
    for await (const repository of source.registry.listRepositories({ signal })) return repository;
  } catch {
    signal?.throwIfAborted();
  }
  return undefined;
}

/** What deleting on `source` (in `repo`, or any repository) can do. Never throws for registry failures. */
export async function sourceDeletion(source: Source, repo?: string, signal?: AbortSignal): Promise<DeletionResponse> {
  if (!source.config.delete) {
    return { allowed: false, tagDelete: 'unsupported', reason: shapeSource(source.config).readOnlyReason ?? 'read-only source' };
  }
  // Layout and memory sources are Porthole's own storage: deleting always works there.
  if (source.config.kind !== 'http') return { allowed: true, tagDelete: 'native' };
  const probe = repo ?? (await someRepository(source, signal));
  if (probe === undefined) return { allowed: true, tagDelete: 'unknown', reason: 'the registry lists no repository to ask' };
  let caps;
  try {
    caps = await source.registry.capabilities(probe, { signal });
  } catch {
    signal?.throwIfAborted();
    return { allowed: true, tagDelete: 'unknown', reason: 'the registry could not be asked' };
  }
  if (caps.tagDelete === 'unsupported') return { allowed: false, tagDelete: 'unsupported', reason: REGISTRY_REFUSES_DELETION };
  if (caps.tagDelete === 'unknown') return { allowed: true, tagDelete: 'unknown', reason: 'the registry did not say whether it deletes' };
  return { allowed: true, tagDelete: caps.tagDelete };
}

/** Throws DENIED when the registry refuses deletion (cleanup must not plan what it cannot run). */
export async function requireRegistryDeletion(source: Source, repo?: string, signal?: AbortSignal): Promise<void> {
  const deletion = await sourceDeletion(source, repo, signal);
  if (!deletion.allowed) throw new RegistryError('DENIED', `source "${source.name}" cannot delete: ${deletion.reason}`);
}
