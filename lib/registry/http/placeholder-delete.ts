import 'server-only';
import { isRegistryError, RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import type { CallOptions, ManifestContent } from '@/lib/registry/registry';
import type { HttpContext } from './context';
import { deleteDigestRetrying } from './digest-delete';
import { hashBytes } from '../hash';
import { putManifest } from './manifest-put';
import { buildPlaceholder, type Placeholder } from './placeholder';
import { getTag, resolveTag } from './reader';
import { conflictError, isConflict, retryServerFailures } from './registry-conflict';
import { withRepositoryLock } from './repository-lock';
import { pushBlob } from './writer';

/** Where a tag points now (undefined: it is gone), read again after registry-side failures. */
export async function currentTarget(ctx: HttpContext, repo: string, tag: string, signal?: AbortSignal): Promise<Digest | undefined> {
  try {
    return (await retryServerFailures(() => resolveTag(ctx, repo, tag, { signal }), signal)).digest;
  } catch (error) {
    if (isRegistryError(error, 'MANIFEST_UNKNOWN') || isRegistryError(error, 'NAME_UNKNOWN')) return undefined;
    throw error;
  }
}

/**
 * After a failed placeholder route: puts the tag back on its manifest, but only while it still points at the
 * placeholder this delete pushed (checked right before, under the repository lock, so nothing of this process
 * slips in between). A tag that is gone (deleted meanwhile) or points elsewhere (re-pushed) is left alone.
 * Not interruptible: a client that went away must not leave the tag on the placeholder. Returns what is true.
 */
async function restoreIfOurs(ctx: HttpContext, repo: string, tag: string, placeholder: Digest, original: ManifestContent): Promise<string> {
  try {
    const now = await currentTarget(ctx, repo, tag);
    if (now === undefined) return `tag ${tag} is gone`;
    if (now !== placeholder) return `tag ${tag} was changed by someone else meanwhile and is left as it is`;
    await retryServerFailures(() => putManifest(ctx, repo, tag, original.bytes, original.descriptor.mediaType, original.descriptor.digest));
    return `tag ${tag} is unchanged`;
  } catch {
    ctx.warnings.add(`tag ${tag} of ${repo} could not be put back on ${original.descriptor.digest} after a failed delete; it may point at a placeholder image`);
    return `tag ${tag} may point at a placeholder image (put it back on ${original.descriptor.digest})`;
  }
}

/** Confirms a deleted tag is gone: a delete never answers ok while the tag still resolves. */
export async function confirmGone(ctx: HttpContext, repo: string, tag: string, signal?: AbortSignal): Promise<void> {
  let now: Digest | undefined;
  try {
    now = await currentTarget(ctx, repo, tag, signal);
  } catch (error) {
    signal?.throwIfAborted();
    throw conflictError(ctx.client.base.host, repo, `checking that tag ${tag} is gone`, 'the tag may still exist', error);
  }
  if (now !== undefined) {
    throw new RegistryError('UNAVAILABLE', `tag ${tag} of ${repo} was pushed again while it was being deleted; it now points at ${now}; try again`, {
      status: 503,
      detail: { reason: 'conflict', repository: repo, retryable: true, digest: now },
    });
  }
}

/**
 * Builds the placeholder for a tag currently on a manifest of `mediaType`, and pushes its two small blobs. Every
 * placeholder has the same empty layer, so concurrent deletes upload it at the same moment, which 2.8.2 may fail
 * with a 5xx: a push of the same bytes is idempotent, so it is sent again.
 */
async function preparePlaceholder(ctx: HttpContext, repo: string, tag: string, mediaType: string, options?: CallOptions): Promise<Placeholder & { digest: Digest }> {
  const placeholder = buildPlaceholder(tag, mediaType);
  const signal = options?.signal;
  await retryServerFailures(() => pushBlob(ctx, repo, placeholder.layer.descriptor, placeholder.layer.bytes, options), signal);
  await retryServerFailures(() => pushBlob(ctx, repo, placeholder.config.descriptor, placeholder.config.bytes, options), signal);
  return { ...placeholder, digest: hashBytes(placeholder.manifest) };
}

/**
 * The placeholder route of a tag delete (regclient's trick, for registries without tag deletion): re-point the
 * tag at a unique placeholder image, delete the placeholder by digest (which takes the tag with it and nothing
 * else), and confirm the tag is gone. The tag is read and the placeholder's blobs pushed first (blob uploads do
 * not touch tags); then, under the repository lock, the tag is checked again — gone: MANIFEST_UNKNOWN (so two
 * deletes of one tag give one success), moved: read again — and changed. Returns the digest the tag pointed at.
 */
export async function deleteTagByPlaceholder(ctx: HttpContext, repo: string, tag: string, options?: CallOptions): Promise<Digest> {
  const signal = options?.signal;
  let current = await retryServerFailures(() => getTag(ctx, repo, tag, options), signal);
  let placeholder = await preparePlaceholder(ctx, repo, tag, current.descriptor.mediaType, options);
  return withRepositoryLock(ctx, repo, async () => {
    const now = await currentTarget(ctx, repo, tag, signal);
    if (now === undefined) {
      throw new RegistryError('MANIFEST_UNKNOWN', `tag ${tag} of ${repo} is gone (deleted meanwhile)`, { detail: { Tag: tag } });
    }
    if (now !== current.descriptor.digest) {
      const mediaType = current.descriptor.mediaType;
      current = await retryServerFailures(() => getTag(ctx, repo, tag, options), signal);
      if (current.descriptor.mediaType !== mediaType) placeholder = await preparePlaceholder(ctx, repo, tag, current.descriptor.mediaType, options);
    }
    const { digest } = placeholder;
    try {
      await retryServerFailures(() => putManifest(ctx, repo, tag, placeholder.manifest, placeholder.mediaType, digest, signal), signal);
      await deleteDigestRetrying(
        ctx,
        repo,
        { digest, bytes: placeholder.manifest, mediaType: placeholder.mediaType },
        { what: `deleting tag ${tag}`, state: '' },
        signal,
      );
    } catch (error) {
      const state = await restoreIfOurs(ctx, repo, tag, digest, current);
      if (isConflict(error)) throw conflictError(ctx.client.base.host, repo, `deleting tag ${tag}`, state, error);
      throw error;
    }
    await confirmGone(ctx, repo, tag, signal);
    return current.descriptor.digest;
  });
}
