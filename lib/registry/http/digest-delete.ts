import 'server-only';
import type { Digest } from '@/lib/oci/types';
import { Scope } from './transport/auth';
import { discard } from './transport/body';
import { paths, type HttpContext } from './context';
import { errorFromResponse } from './transport/errors';
import { putManifest } from './manifest-put';
import { answered5xx, CONFLICT_ATTEMPTS, conflictBackoff, conflictError, isServerFailure, markAnswered5xx } from './registry-conflict';

/** `DELETE /v2/<name>/manifests/<reference>` (a tag or a digest), answering with the statuses `accept` allows. */
export function sendManifestDelete(ctx: HttpContext, repo: string, reference: string, accept: (status: number) => boolean, signal?: AbortSignal) {
  return ctx.client.send({
    method: 'DELETE',
    path: paths.manifest(repo, reference),
    scopes: [Scope.delete(repo)],
    signal,
    notFound: 'MANIFEST_UNKNOWN',
    accept,
  });
}

/** `DELETE /v2/<name>/manifests/<digest>`: only 202 is success (spec); removes every tag on the digest. */
export async function deleteByDigest(ctx: HttpContext, repo: string, digest: Digest, signal?: AbortSignal): Promise<void> {
  const response = await sendManifestDelete(ctx, repo, digest, (status) => status === 202 || status >= 500, signal);
  if (response.status !== 202) throw markAnswered5xx(await errorFromResponse(response, { notFound: 'MANIFEST_UNKNOWN' }));
  await discard(response);
  ctx.learned.manifestDelete = true;
}

/** A manifest about to be deleted, with what it takes to put it back by digest. */
export interface DeletableManifest {
  digest: Digest;
  bytes: Uint8Array;
  mediaType: string;
}

/**
 * Deletes by digest, surviving registry-side failures. distribution 2.8.2 deletes a manifest in two steps: its
 * revision link, then every tag on it found by walking the repository's tag links; when another client re-points
 * a tag meanwhile, the walk reads a half-written link and the DELETE answers 500 — with the manifest gone but
 * its tags still listed, dangling. Deleting again then gives 404 and leaves them. So after a 5xx the manifest is
 * put back by digest (same bytes; it recreates the revision link, changes no tag) and the delete is sent again,
 * up to {@link CONFLICT_ATTEMPTS} times; then (the manifest put back once more) a retryable 503 UNAVAILABLE
 * (`detail.reason: "conflict"`). A 404 at
 * the first attempt is MANIFEST_UNKNOWN as usual. `what` names the operation and `state` says what is
 * true after giving up, in the conflict message. Callers hold the repository lock (./repository-lock.ts).
 */
export async function deleteDigestRetrying(
  ctx: HttpContext,
  repo: string,
  manifest: DeletableManifest,
  message: { what: string; state: string },
  signal?: AbortSignal,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await deleteByDigest(ctx, repo, manifest.digest, signal);
      return;
    } catch (error) {
      if (!answered5xx(error)) throw error;
      await conflictBackoff(attempt, signal);
      try {
        await putManifest(ctx, repo, manifest.digest, manifest.bytes, manifest.mediaType, manifest.digest, signal);
      } catch (restoreError) {
        signal?.throwIfAborted();
        if (!isServerFailure(restoreError)) throw error;
      }
      if (attempt + 1 >= CONFLICT_ATTEMPTS) throw conflictError(ctx.client.base.host, repo, message.what, message.state, error);
    }
  }
}
