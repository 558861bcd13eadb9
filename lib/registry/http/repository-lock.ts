import 'server-only';
import type { HttpContext } from './context';

/**
 * Runs `task` while holding this registry's lock for `repo` (in this process; re-entrant along one call chain).
 *
 * Everything that changes which manifest a tag points at, or removes manifests, in a repository runs under it:
 * tag deletes (the placeholder push + digest delete + checks), manifest deletes (tag lookup + delete + fallback
 * upkeep), referrers fallback-index updates, manifest pushes by tag (copies, `/v2` pushes). distribution 2.8.2
 * rewrites a tag's link file in place and a digest delete walks every tag link of the repository, so two such
 * changes in flight at once make the registry read a half-written link (`500 invalid checksum digest format`;
 * protocol.md §5.2.1). Other replicas are not covered: see docs/registries.md, "Concurrency".
 */
export function withRepositoryLock<T>(ctx: HttpContext, repo: string, task: () => Promise<T>): Promise<T> {
  return ctx.locks.run(`repository ${repo}`, task);
}
