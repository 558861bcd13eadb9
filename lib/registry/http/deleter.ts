import 'server-only';
/** This file implements the RegistryDeleter methods of the HTTP backend. */
import { parseDigest } from '@/lib/oci/digest';
import { isRegistryError, RegistryError } from '@/lib/oci/errors';
import { parseManifest } from '@/lib/oci/manifest';
import { validateRepository, validateTag } from '@/lib/oci/reference';
import type { Digest } from '@/lib/oci/types';
import { collect, mapConcurrent } from '@/lib/registry/iter';
import type { CallOptions, DeleteManifestOptions, DeleteManifestResult, DeleteTagResult, RegistryDeleter } from '@/lib/registry/registry';
import { probeManifestDelete } from './capabilities';
import { discard } from './transport/body';
import type { HttpContext } from './context';
import { deleteDigestRetrying, sendManifestDelete } from './digest-delete';
import { errorFromResponse } from './transport/errors';
import { removeFromFallbackIndex } from './fallback';
import { confirmGone, deleteTagByPlaceholder } from './placeholder-delete';
import { blobRequest, getManifest, getTag, resolveTag } from './reader';
import { knownReferrersApi, listReferrers } from './referrers';
import { retryServerFailures } from './registry-conflict';
import { withRepositoryLock } from './repository-lock';
import { listTags } from './lister';

/** Answers to `DELETE /manifests/<tag>` that mean "not done, but no harm": the placeholder route may follow. */
const TAG_DELETE_REFUSALS = new Set([400, 404, 405, 501]);

/**
 * Removes one tag and never another. First the spec's `DELETE /manifests/<tag>` (202: 'native'). Registries
 * without it (distribution 2.x: 400 DIGEST_INVALID when deletion is on, 405 UNSUPPORTED when off) get the
 * placeholder route (./placeholder-delete.ts, serialised per repository), but only where deleting manifests by
 * digest is known to work, checked BEFORE the tag is touched: otherwise UNSUPPORTED and the tag is unchanged.
 * Either way the answer is ok only once the tag no longer resolves.
 */
export async function deleteTag(ctx: HttpContext, repo: string, tag: string, options?: CallOptions): Promise<DeleteTagResult> {
  validateRepository(repo);
  validateTag(tag);
  const signal = options?.signal;

  if (ctx.learned.tagDelete !== 'placeholder') {
    const digest = (await retryServerFailures(() => getTag(ctx, repo, tag, options), signal)).descriptor.digest;
    const response = await sendManifestDelete(ctx, repo, tag, (status) => status === 202 || TAG_DELETE_REFUSALS.has(status), signal);
    if (response.status === 202) {
      await discard(response);
      ctx.learned.tagDelete = 'native';
      await confirmGone(ctx, repo, tag, signal);
      return { method: 'native', digest };
    }
    // A text/plain router miss must not pass for the spec's JSON MANIFEST_UNKNOWN (see probeTagDelete).
    const refusal = await errorFromResponse(response, { notFound: 'NAME_UNKNOWN' });
    if (response.status === 404 && refusal.code === 'MANIFEST_UNKNOWN') {
      // The registry deletes tags itself, and this one went meanwhile (a concurrent delete): not a reason to
      // fall back to the placeholder route.
      ctx.learned.tagDelete = 'native';
      throw refusal;
    }
    // distribution 2.8.2 parses the tag as a digest only after checking that deletion is enabled.
    if (response.status === 400 && refusal.code === 'DIGEST_INVALID') ctx.learned.manifestDelete = true;
  }

  const canDeleteManifests = ctx.learned.manifestDelete ?? (await probeManifestDelete(ctx, repo, signal));
  if (canDeleteManifests !== true) {
    ctx.learned.tagDelete = 'unsupported';
    throw new RegistryError(
      'UNSUPPORTED',
      `${ctx.client.base.host} cannot delete tag ${tag} alone: it has no tag deletion and manifest deletion is disabled; the tag is unchanged`,
    );
  }
  ctx.learned.tagDelete = 'placeholder';
  return { method: 'placeholder', digest: await deleteTagByPlaceholder(ctx, repo, tag, options) };
}

/** Tags pointing at each digest, learned by listing the tags and resolving each (bounded concurrency). */
async function tagMap(ctx: HttpContext, repo: string, signal?: AbortSignal): Promise<Map<Digest, string[]>> {
  const map = new Map<Digest, string[]>();
  let tags: string[];
  try {
    tags = await collect(listTags(ctx, repo, { signal }));
  } catch (error) {
    if (isRegistryError(error, 'NAME_UNKNOWN')) return map;
    throw error;
  }
  const digests = await mapConcurrent(
    tags,
    ctx.options.concurrency,
    async (tag, _index, inner) => {
      try {
        return (await retryServerFailures(() => resolveTag(ctx, repo, tag, { signal: inner }), inner)).digest;
      } catch (error) {
        // A tag deleted meanwhile points nowhere.
        if (isRegistryError(error, 'MANIFEST_UNKNOWN') || isRegistryError(error, 'NAME_UNKNOWN')) return undefined;
        throw error;
      }
    },
    signal,
  );
  tags.forEach((tag, i) => {
    const digest = digests[i];
    if (digest) map.set(digest, [...(map.get(digest) ?? []), tag]);
  });
  return map;
}

/**
 * Deletes a manifest by digest (only 202 is success) and reports every tag that went with it, found before the
 * delete. With `cascadeReferrers`, manifests whose subject it is go first (each listed referrer is read, and one
 * whose own `subject` differs is left alone), recursively (children before parents,
 * each once even in cycles). A deleted manifest with a subject is removed from that subject's fallback index when
 * the repository has no referrers API; a failure there is reported through `onWarning`, as the delete itself
 * already happened. The whole operation holds the repository lock, so the tags reported are exactly those that
 * went (no tag delete of this process runs in between); registry-side failures are retried (./digest-delete.ts).
 */
export async function deleteManifest(ctx: HttpContext, repo: string, digest: Digest, options?: DeleteManifestOptions): Promise<DeleteManifestResult> {
  validateRepository(repo);
  parseDigest(digest);
  if (ctx.learned.manifestDelete === false) {
    throw new RegistryError('UNSUPPORTED', `${ctx.client.base.host} has manifest deletion disabled`);
  }
  const signal = options?.signal;
  const visited = new Set<Digest>();
  const order: Digest[] = [];
  const tags: string[] = [];
  let tagsByDigest: Promise<Map<Digest, string[]>> | undefined;
  const safeDeleteTag = (r: string, t: string, o?: CallOptions) => deleteTag(ctx, r, t, o);

  /** `listedFor`: the subject whose referrers listing named `target` (a cascaded referrer); absent for the target. */
  const remove = async (target: Digest, listedFor?: Digest): Promise<void> => {
    const required = listedFor === undefined;
    visited.add(target);
    let content;
    try {
      content = await retryServerFailures(() => getManifest(ctx, repo, target, { signal }), signal);
    } catch (error) {
      // A cascaded referrer listed in a stale fallback index may be gone already.
      if (!required && isRegistryError(error, 'MANIFEST_UNKNOWN')) return;
      throw error;
    }
    const parsed = parseManifest(content.bytes, content.descriptor.mediaType);
    // Fallback indexes are written by any client: only a manifest whose own subject is the deleted one goes.
    if (listedFor !== undefined && parsed.subject?.digest !== listedFor) return;
    if (options?.cascadeReferrers) {
      const children = await collect(listReferrers(ctx, repo, target, undefined, signal));
      for (const child of children) if (!visited.has(child.digest)) await remove(child.digest, target);
    }
    tagsByDigest ??= tagMap(ctx, repo, signal);
    const going = (await tagsByDigest).get(target) ?? [];
    const state = 'the manifest is still there, some of its tags may be gone';
    await deleteDigestRetrying(ctx, repo, { digest: target, bytes: content.bytes, mediaType: content.descriptor.mediaType }, { what: `deleting ${target}`, state }, signal);
    order.push(target);
    tags.push(...going);
    const subject = parsed.subject?.digest;
    if (subject && knownReferrersApi(ctx, repo) !== true) {
      try {
        await removeFromFallbackIndex(ctx, repo, subject, target, safeDeleteTag, signal);
      } catch (error) {
        signal?.throwIfAborted();
        const reason = error instanceof Error ? error.message : 'unknown error';
        ctx.warnings.add(`deleted ${target} from ${repo}, but its entry in the referrers index of ${subject} could not be removed: ${reason}`);
      }
    }
  };

  await withRepositoryLock(ctx, repo, () => remove(digest));
  return { deleted: [digest, ...order.filter((d) => d !== digest)], tags: [...new Set(tags)] };
}

export async function deleteBlob(ctx: HttpContext, repo: string, digest: Digest, options?: CallOptions): Promise<void> {
  await blobRequest(ctx, 'DELETE', repo, digest, options, (status) => status === 202);
}

export function createDeleter(ctx: HttpContext): RegistryDeleter {
  return {
    deleteTag: (repo, tag, options) => deleteTag(ctx, repo, tag, options),
    deleteManifest: (repo, digest, options) => deleteManifest(ctx, repo, digest, options),
    deleteBlob: (repo, digest, options) => deleteBlob(ctx, repo, digest, options),
  };
}
