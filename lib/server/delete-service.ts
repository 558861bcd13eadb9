/**
 * Deleting, with the checks and the audit trail that every caller (the API routes, the cleanup helper) needs:
 * - the source must say `delete: true` (DENIED otherwise, before any registry call; its registry is also
 *   wrapped in `readOnly`, so nothing else can delete through it either);
 * - the audit log must be writable (UNAVAILABLE otherwise, so that no delete goes unrecorded);
 * - every attempt and its outcome is appended to the audit log (time, user, source, repository, tag/digest,
 *   method, result);
 * - the backend does the safe work: a tag delete never removes another tag (the http backend re-points the tag
 *   at a placeholder when the registry cannot delete tags), a manifest delete reports every tag it took.
 *
 * `deleteTagAudited` / `deleteManifestAudited` take a user the caller authenticated; the API's entry points
 * `deleteTagRequested` / `deleteManifestRequested` authorise the request themselves (`safety.ts`: cross-site
 * refusal, app auth), and audit a refusal.
 */
import 'server-only';
import type { DeleteExpectation, DeleteManifestResponse, DeleteTagResponse } from '@/lib/api/types';
import { RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import { collect, compareByteOrder } from '@/lib/registry/iter';
import { ensureAuditLogWritable } from './audit';
import { recordAudit, recordFailure, type AuditStage } from './audit-record';
import { executeManifestDelete } from './delete-execute';
import { checkSameOrigin, requireDeleteUser } from './safety';
import { getConfig, getSource, type Source } from './sources';
import { invalidateTags, knownDigests } from './tags-service';
import { validDigest, validRepository, validTag } from './validate';

export interface DeleteManifestOptions {
  /** Also delete every manifest whose subject is a deleted one, recursively. */
  cascadeReferrers?: boolean;
  /** What the user confirmed (a delete plan's `expect`): refused with 409 when the registry would now do otherwise. */
  expect?: DeleteExpectation;
}

/** Refuses deleting on a source without `delete: true`, and when the audit log cannot be written. */
async function checkDeletable(source: Source): Promise<void> {
  if (!source.config.delete) {
    throw new RegistryError('DENIED', `source "${source.name}" is read-only (its configuration does not set delete: true)`);
  }
  await ensureAuditLogWritable((await getConfig()).auditLog);
}

/**
 * Tags still pointing at `digest` after `deleted` was removed: every current tag that was last seen on that
 * digest or has not been seen yet is checked with one resolve each (tags seen on other digests are not).
 */
async function remainingTagsOf(source: Source, repo: string, digest: Digest, deleted: string): Promise<string[]> {
  const known = knownDigests(source, repo);
  const names = await source.pool.run(() => collect(source.registry.listTags(repo)));
  const candidates = names.filter((name) => name !== deleted && (!known.has(name) || known.get(name) === digest));
  const checked = await Promise.all(
    candidates.map((name) =>
      source.pool.run(() => source.registry.resolveTag(repo, name)).then(
        (d) => (d.digest === digest ? name : undefined),
        () => undefined,
      ),
    ),
  );
  return checked.filter((name): name is string => name !== undefined).sort(compareByteOrder);
}

/**
 * Deletes one tag (and nothing else) and records it in the audit log. `user` is recorded as given (the
 * caller authenticated it). Returns the method used (`native` / `placeholder`), the digest the tag pointed at
 * and the tags still on that digest. Throws NAME_UNKNOWN (source or repository), NAME_INVALID, TAG_INVALID,
 * MANIFEST_UNKNOWN, DENIED (read-only source), UNSUPPORTED (no safe way to delete only the tag), UNAVAILABLE.
 */
export async function deleteTagAudited(sourceName: string, repo: string, tag: string, user: string): Promise<DeleteTagResponse> {
  const base = { action: 'delete-tag' as const, user, source: sourceName, repository: repo, tag };
  let stage: AuditStage = 'input';
  try {
    const source = await getSource(sourceName);
    validRepository(repo);
    validTag(tag);
    stage = 'action';
    await checkDeletable(source);
    const result = await source.registry.deleteTag(repo, tag);
    invalidateTags(source, repo, [tag]);
    let remainingTags: string[] = [];
    try {
      remainingTags = await remainingTagsOf(source, repo, result.digest, tag);
    } catch {
      // The delete succeeded; the list of remaining tags is a courtesy (e.g. the repository is now empty).
    }
    await recordAudit({ ...base, digest: result.digest, method: result.method, result: 'ok', remainingTags });
    return { tag, digest: result.digest, method: result.method, remainingTags };
  } catch (error) {
    await recordFailure(base, error, stage);
    throw error;
  }
}

/**
 * Deletes a manifest by digest — and with it every tag on it, which are reported — optionally with its
 * referrers (recursively), and records it in the audit log. Throws NAME_UNKNOWN, NAME_INVALID,
 * DIGEST_INVALID, MANIFEST_UNKNOWN, DENIED, UNSUPPORTED (the registry has deletion disabled), UNAVAILABLE.
 */
export async function deleteManifestAudited(
  sourceName: string,
  repo: string,
  digest: Digest,
  user: string,
  options: DeleteManifestOptions = {},
): Promise<DeleteManifestResponse> {
  const cascade = options.cascadeReferrers === true;
  const base = { action: 'delete-manifest' as const, user, source: sourceName, repository: repo, digest, cascade };
  let stage: AuditStage = 'input';
  try {
    const source = await getSource(sourceName);
    validRepository(repo);
    validDigest(digest);
    stage = 'action';
    await checkDeletable(source);
    // Plans afresh (every tag, every referrer's subject), checks the confirmed `expect`, then deletes exactly that.
    const result = await executeManifestDelete(source, repo, digest, { cascade, ...(options.expect ? { expect: options.expect } : {}) });
    invalidateTags(source, repo, result.tags);
    await recordAudit({ ...base, result: 'ok', deleted: result.deleted, tags: result.tags });
    return { deleted: result.deleted, tags: result.tags };
  } catch (error) {
    await recordFailure(base, error, stage);
    throw error;
  }
}

/** Records a delete refused before it reached the services (cross-site request, no authenticated user). */
async function auditRefusedDelete(
  request: { source: string; repository: string; tag?: string; digest?: string; user?: string },
  error: unknown,
): Promise<void> {
  await recordFailure(
    {
      action: request.tag !== undefined ? 'delete-tag' : 'delete-manifest',
      user: request.user ?? 'unauthenticated',
      source: request.source,
      repository: request.repository,
      ...(request.tag !== undefined ? { tag: request.tag } : {}),
      ...(request.digest !== undefined ? { digest: request.digest } : {}),
    },
    error,
    'input',
  );
}

/**
 * The user a delete request acts for: refuses a cross-site request and, when app auth is configured, a request
 * without a user (DENIED / UNAUTHORIZED); a refusal is recorded in the audit log with `target`.
 */
async function authorizeDelete(request: Request, target: { source: string; repository: string; tag?: string; digest?: string }): Promise<string> {
  const config = await getConfig();
  try {
    checkSameOrigin(request, config);
    return requireDeleteUser(request, config);
  } catch (error) {
    await auditRefusedDelete(target, error);
    throw error;
  }
}

/** {@link deleteTagAudited} for an API request: authorised (and a refusal audited) first. */
export async function deleteTagRequested(request: Request, sourceName: string, repo: string, tag: string): Promise<DeleteTagResponse> {
  const user = await authorizeDelete(request, { source: sourceName, repository: repo, tag });
  return deleteTagAudited(sourceName, repo, tag, user);
}

/** {@link deleteManifestAudited} for an API request: authorised (and a refusal audited) first. */
export async function deleteManifestRequested(
  request: Request,
  sourceName: string,
  repo: string,
  digest: Digest,
  options: DeleteManifestOptions = {},
): Promise<DeleteManifestResponse> {
  const user = await authorizeDelete(request, { source: sourceName, repository: repo, digest });
  return deleteManifestAudited(sourceName, repo, digest, user, options);
}
