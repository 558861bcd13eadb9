/**
 * Cleanup on a configured source: wires the planner and executor to the server's sources, tags service
 * (tag rows with digest and created, cached and pooled) and delete service (tag-only deletion, audited).
 * Used by the API route and the CLI.
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { processMutex } from '@/lib/registry/mutex';
import { recordAudit, recordFailure } from '@/lib/server/audit-record';
import { deleteManifestAudited, deleteTagAudited } from '@/lib/server/delete-service';
import { requireRegistryDeletion } from '@/lib/server/deletion-service';
import { logError, toRegistryError } from '@/lib/server/respond';
import { poolLimit } from '@/lib/server/source-concurrency';
import { runOnceAcrossReplicas } from '@/lib/server/redis/replica-hold';
import { getSource, type Source } from '@/lib/server/sources';
import { invalidateTags, listTagRows } from '@/lib/server/tags-service';
import { buildPlan, type PlanContext } from './build-plan';
import { executeCleanup, type ExecuteContext } from './executor';
import type { CleanupRequest } from './request';
import type { CleanupEvent, CleanupPlan, CleanupPolicy, CleanupResult } from './types';

export interface CleanupRunOptions {
  signal?: AbortSignal;
  onEvent?: (event: CleanupEvent) => void | Promise<void>;
}

/**
 * Cleanup deletes, so a read-only source refuses it altogether, dry runs included (403 DENIED), and so does a
 * source whose registry refuses deletion (deletion disabled there): no plan is made that could not run.
 */
export async function cleanupSource(name: string): Promise<Source> {
  const source = await getSource(name);
  if (!source.config.delete) {
    throw new RegistryError('DENIED', `source "${source.name}" is read-only (its configuration does not set delete: true), so it cannot be cleaned up`);
  }
  await requireRegistryDeletion(source);
  return source;
}

function planContext(source: Source, signal: AbortSignal | undefined): PlanContext {
  return {
    source: source.name,
    registry: source.registry,
    listTagRows: (repository, options) => listTagRows(source, repository, options.signal),
    concurrency: Math.min(4, poolLimit(source.config)),
    // A registry keeps one blob store for all repositories; a layout source one per repository.
    sharedStorage: source.config.kind === 'http',
    ...(signal ? { signal } : {}),
  };
}

/** Plans `policy` on a source; changes nothing. Throws NAME_UNKNOWN (no such source), DENIED (read-only). */
export async function planSourceCleanup(name: string, policy: CleanupPolicy, options: CleanupRunOptions = {}): Promise<CleanupPlan> {
  return buildPlan(planContext(await cleanupSource(name), options.signal), policy);
}

/** The name of a source's cleanup lock across replicas (lib/server/redis/replica-hold.ts). */
export function cleanupLockName(source: string): string {
  return `cleanup/${source}`;
}

/** How a refusal names a source's cleanup. */
export function cleanupPhrase(source: string): string {
  return `a cleanup of source "${source}"`;
}

/**
 * Plans again and executes on a source; every deletion is audited with `user`, and the run as a whole too
 * (action `cleanup`, with its counts). Executions on one source run one at a time in this process: a second one
 * waits for the first and then plans afresh, so it never races the first for the same tags. With `cache.redis`,
 * another replica running a cleanup of the same source refuses this one (409 DENIED `already-running`). Throws
 * only before execution starts (NAME_UNKNOWN, DENIED); registry failures end up in the result.
 */
export async function executeSourceCleanup(
  name: string,
  request: CleanupRequest,
  user: string,
  options: CleanupRunOptions = {},
): Promise<CleanupResult> {
  const entry = { action: 'cleanup' as const, user, source: name, dryRun: false };
  let result: CleanupResult;
  try {
    result = await runOnceAcrossReplicas(cleanupLockName(name), cleanupPhrase(name), () =>
      processMutex('cleanup').run(name, () => executeLocked(name, request, user, options)),
    );
  } catch (error) {
    await recordFailure(entry, error, 'input');
    throw error;
  }
  const counts = { deleted: result.deleted, failed: result.failed, skipped: result.skipped };
  await recordAudit({ ...entry, result: result.failed === 0 && !result.stopped ? 'ok' : 'error', counts });
  return result;
}

async function executeLocked(name: string, request: CleanupRequest, user: string, options: CleanupRunOptions): Promise<CleanupResult> {
  const source = await cleanupSource(name);
  const context: ExecuteContext = {
    ...planContext(source, options.signal),
    // The re-plan before deleting reads each repository's tag list from the registry, not the tag cache
    // (`tagCacheSeconds`): a tag pushed or moved a moment ago is planned with what it is now.
    listTagRows: (repository) => {
      invalidateTags(source, repository);
      return listTagRows(source, repository);
    },
    kind: source.config.kind,
    // The delete service re-checks the source, writes the audit entry and uses the backend's tag-only delete.
    deleteTag: async (repository, tag) => {
      const result = await deleteTagAudited(source.name, repository, tag, user);
      return { method: result.method, digest: result.digest };
    },
    // Layout sources only: manifests left without tags are deleted by digest (audited), freeing their blobs.
    deleteManifest: (repository, digest) => deleteManifestAudited(source.name, repository, digest, user),
    // Network errors become UNAVAILABLE/TIMEOUT; anything unexpected is logged and reported as UNKNOWN.
    mapError: (error) => {
      const mapped = toRegistryError(error);
      if (mapped.code === 'UNKNOWN') logError(`cleanup of ${source.name}`, error);
      return mapped;
    },
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  };
  return executeCleanup(context, request);
}
