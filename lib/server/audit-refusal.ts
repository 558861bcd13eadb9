/**
 * Audit entries for state-changing requests refused before they reached a service that records its own
 * attempts: a delete with a malformed path, repository, tag or digest, a cross-site or unauthenticated delete,
 * a cleanup refused as cross-site, on a read-only source, with an invalid policy or without a user. The user is
 * whoever the request authenticates as (`unauthenticated` when nobody), every value from the request goes in
 * through `safeAuditText` (audit.ts).
 */
import 'server-only';
import { parseRepoPath } from '@/lib/routes';
import type { AuditAction } from './audit';
import { recordFailure, wasAudited } from './audit-record';
import { checkSameOrigin, requireDeleteUser } from './safety';
import { getConfig } from './sources';

/** The request's user; `unauthenticated` when it has none or comes from another site (its identity is not trusted). */
export async function refusalUser(request: Request): Promise<string> {
  try {
    const config = await getConfig();
    checkSameOrigin(request, config);
    return requireDeleteUser(request, config);
  } catch {
    return 'unauthenticated';
  }
}

/**
 * Records a refused `DELETE /api/sources/{source}/repositories/{path…}` unless it was recorded already. The
 * target is read from the path as far as it parses (`action: "delete"` and the raw path when it does not).
 */
export async function auditDeleteRefusal(request: Request, source: string, path: readonly string[], error: unknown): Promise<void> {
  if (wasAudited(error)) return;
  const parsed = parseRepoPath(path);
  const action: AuditAction = parsed?.action === 'tags' ? 'delete-tag' : parsed?.action === 'manifests' ? 'delete-manifest' : 'delete';
  const target =
    parsed?.reference === undefined ? {} : action === 'delete-tag' ? { tag: parsed.reference } : action === 'delete-manifest' ? { digest: parsed.reference } : {};
  const repository = parsed && action !== 'delete' ? parsed.repo : path.join('/');
  await recordFailure({ action, user: await refusalUser(request), source, repository, ...target }, error, 'input');
}

/**
 * Records a refused `POST /api/sources/{source}/cleanup` that could have deleted: everything but a refused
 * dry run (`dryRun` is undefined when the refusal came before the body was read).
 */
export async function auditCleanupRefusal(request: Request, source: string, dryRun: boolean | undefined, error: unknown): Promise<void> {
  if (dryRun === true || wasAudited(error)) return;
  await recordFailure({ action: 'cleanup', user: await refusalUser(request), source, ...(dryRun === undefined ? {} : { dryRun }) }, error, 'input');
}
