/**
 * Builds a cleanup plan from a live source: finds the repositories the policy names, reads their tag rows,
 * runs the pure planner, then asks the registry which referrers the untagged manifests have and how many
 * bytes would be freed. Read-only: it never writes to the registry.
 */
import { isRegistryError, RegistryError, type WireError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import { mapConcurrent } from '@/lib/registry/iter';
import type { BrowsingRegistry } from '@/lib/registry/registry';
import { compilePolicy, isRepositoryPattern, matchesRepository } from './policy';
import { compareBytes, planTags } from './planner';
import { estimateReclaim, type ReclaimInput } from './reclaim';
import type { AffectedReferrer, CleanupPlan, CleanupPolicy, PlanTagInput, RepositoryError, RepositoryInput } from './types';

/** Reads every tag of a repository with its digest and creation time (the tags service does this). */
export type ListTagRows = (repository: string, options: { signal?: AbortSignal }) => Promise<PlanTagInput[]>;

export interface PlanContext {
  /** Source name, recorded in the plan. */
  source: string;
  registry: BrowsingRegistry;
  listTagRows: ListTagRows;
  /** Registry reads in flight at once (default 4). */
  concurrency?: number;
  signal?: AbortSignal;
  /** The clock when the policy has no `now` (default: the system clock). */
  clock?: () => Date;
  /**
   * One blob store for all repositories (registries; default true). Reclaimable space then counts each blob
   * once across the plan and is an upper bound while other repositories exist. False for layout sources.
   */
  sharedStorage?: boolean;
}

function wire(error: unknown): WireError {
  if (error instanceof RegistryError) return error.toWire();
  if ((error as Error | null)?.name === 'AbortError') throw error;
  return { code: 'UNKNOWN', message: 'internal error' };
}

/** The repositories a policy names: plain names as given, patterns matched against the catalog. */
async function resolveRepositories(
  registry: BrowsingRegistry,
  policy: CleanupPolicy,
  signal?: AbortSignal,
): Promise<{ repositories: string[]; errors: RepositoryError[] }> {
  const compiled = compilePolicy(policy);
  const names = new Set(policy.repositories.filter((p) => !isRepositoryPattern(p)));
  const errors: RepositoryError[] = [];
  if (policy.repositories.some(isRepositoryPattern)) {
    try {
      for await (const repository of registry.listRepositories({ signal })) {
        if (matchesRepository(compiled, repository)) names.add(repository);
      }
    } catch (error) {
      signal?.throwIfAborted();
      const why = isRegistryError(error, 'UNSUPPORTED')
        ? { code: 'UNSUPPORTED', message: 'this registry cannot list repositories: name them instead of using patterns' }
        : wire(error);
      for (const pattern of policy.repositories.filter(isRepositoryPattern)) errors.push({ repository: pattern, error: why });
    }
  }
  return { repositories: [...names].sort(compareBytes), errors };
}

async function findReferrers(
  registry: BrowsingRegistry,
  repository: string,
  subject: Digest,
  signal: AbortSignal | undefined,
): Promise<AffectedReferrer[]> {
  const found: AffectedReferrer[] = [];
  for await (const descriptor of registry.listReferrers(repository, subject, { signal })) {
    const ref: AffectedReferrer = { repository, subject, via: 'referrer', digest: descriptor.digest };
    if (descriptor.artifactType) ref.artifactType = descriptor.artifactType;
    found.push(ref);
  }
  return found;
}

/**
 * The source's repositories outside the plan (they may link the same blobs), the first 10 by name; null when
 * the catalog cannot be read.
 */
async function otherRepositories(
  registry: BrowsingRegistry,
  planned: readonly string[],
  signal: AbortSignal | undefined,
): Promise<{ count: number; names: string[] } | null> {
  const inPlan = new Set(planned);
  const names: string[] = [];
  let count = 0;
  try {
    for await (const repository of registry.listRepositories({ signal })) {
      if (inPlan.has(repository)) continue;
      count++;
      if (names.length < 10) names.push(repository);
    }
  } catch {
    signal?.throwIfAborted();
    return null;
  }
  return { count, names };
}

/** Plans a policy against a source. Repositories whose tags cannot be read are reported and left alone. */
export async function buildPlan(context: PlanContext, policy: CleanupPolicy): Promise<CleanupPlan> {
  const { registry, signal } = context;
  const concurrency = Math.max(1, context.concurrency ?? 4);
  const now = policy.now ? new Date(policy.now) : (context.clock?.() ?? new Date());
  const compiled = compilePolicy(policy);
  const warnings: string[] = [];

  const { repositories, errors } = await resolveRepositories(registry, policy, signal);
  const inputs: RepositoryInput[] = [];
  // Repositories one or two at a time: each tag listing already fans out to many registry reads.
  await mapConcurrent(
    repositories,
    Math.min(2, concurrency),
    async (repository) => {
      try {
        inputs.push({ repository, tags: await context.listTagRows(repository, { signal }) });
      } catch (error) {
        signal?.throwIfAborted();
        errors.push({ repository, error: wire(error) });
      }
    },
    signal,
  );
  errors.sort((a, b) => compareBytes(a.repository, b.repository));

  const tags = planTags(compiled, inputs, now.getTime());

  const referrers: AffectedReferrer[] = [];
  const found = await mapConcurrent(
    tags.untagged,
    concurrency,
    async (u) => {
      try {
        return await findReferrers(registry, u.repository, u.digest, signal);
      } catch (error) {
        signal?.throwIfAborted();
        warnings.push(`referrers of ${u.repository}@${u.digest} could not be listed (${wire(error).message})`);
        return [];
      }
    },
    signal,
  );
  for (const list of found) referrers.push(...list);
  referrers.push(...tags.attachedTags);

  const deleted = new Set(tags.delete.map((d) => `${d.repository}\u0000${d.tag}`));
  const reclaimInputs: ReclaimInput[] = inputs.map((input) => {
    const kept = input.tags.filter((t) => !deleted.has(`${input.repository}\u0000${t.name}`));
    return {
      repository: input.repository,
      untagged: tags.untagged.filter((u) => u.repository === input.repository).map((u) => u.digest),
      remaining: [...new Set(kept.flatMap((t) => (t.digest ? [t.digest] : [])))],
      unknownRemaining: kept.some((t) => !t.digest),
    };
  });
  const sharedStorage = context.sharedStorage ?? true;
  const reclaim = await estimateReclaim(registry, reclaimInputs, { concurrency, signal, sharedStorage });
  const others = sharedStorage ? await otherRepositories(registry, repositories, signal) : { count: 0, names: [] };

  return {
    source: context.source,
    now: now.toISOString(),
    policy,
    repositories,
    delete: tags.delete,
    keep: tags.keep,
    untagged: tags.untagged,
    referrers,
    reclaimableBytes: reclaim.bytes,
    reclaim: {
      blobs: reclaim.blobs,
      exact: reclaim.exact,
      warnings: reclaim.warnings,
      upperBound: others === null || others.count > 0,
      ...(others === null || others.count > 0 ? { otherRepositories: others } : {}),
    },
    errors,
    warnings,
  };
}
