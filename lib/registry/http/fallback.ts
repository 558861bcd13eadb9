import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { MediaType } from '@/lib/oci/media-types';
import type { Descriptor, Digest, ImageIndex } from '@/lib/oci/types';
import type { CallOptions } from '@/lib/registry/registry';
import type { HttpContext } from './context';
import { hashBytes } from '../hash';
import { putManifest } from './manifest-put';
import { readFallbackIndex } from './referrers';
import { withRepositoryLock } from './repository-lock';

/** Removes one tag without touching other tags (the deleter's safe tag delete), injected to avoid an import cycle. */
export type SafeTagDelete = (repo: string, tag: string, options?: CallOptions) => Promise<unknown>;

function serialize(index: ImageIndex): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(index));
}

async function pushIndex(ctx: HttpContext, repo: string, tag: string, index: ImageIndex, signal?: AbortSignal): Promise<void> {
  const bytes = serialize(index);
  await putManifest(ctx, repo, tag, bytes, MediaType.OciIndex, hashBytes(bytes), signal);
}

/**
 * Adds a referrer to its subject's fallback index (spec "Pushing Manifests with Subject", for registries that
 * did not answer with `OCI-Subject`): read the tag (missing = empty), skip a digest already listed, append, put
 * back. Serialised with every other tag change of the repository in this process (./repository-lock.ts); a tag holding something other than an OCI index is
 * reported as MANIFEST_INVALID rather than overwritten.
 */
export function addToFallbackIndex(ctx: HttpContext, repo: string, subject: Digest, referrer: Descriptor, signal?: AbortSignal): Promise<void> {
  return withRepositoryLock(ctx, repo, async () => {
    const current = await readFallbackIndex(ctx, repo, subject, signal);
    if (current.notIndex) {
      throw new RegistryError('MANIFEST_INVALID', `referrers tag ${current.tag} of ${repo} holds something other than an OCI index; not updated`, {
        detail: { tag: current.tag },
      });
    }
    if (current.index.manifests.some((d) => d.digest === referrer.digest)) return;
    await pushIndex(ctx, repo, current.tag, { ...current.index, manifests: [...current.index.manifests, referrer] }, signal);
  });
}

/**
 * Removes a referrer from its subject's fallback index. When the index becomes empty the tag is removed with the
 * safe tag delete, never by digest: byte-identical empty indexes of different subjects share one digest, and a
 * digest delete would wipe all of their tags. If the tag cannot be removed, an empty index is pushed instead.
 */
export function removeFromFallbackIndex(
  ctx: HttpContext,
  repo: string,
  subject: Digest,
  referrer: Digest,
  deleteTag: SafeTagDelete,
  signal?: AbortSignal,
): Promise<void> {
  return withRepositoryLock(ctx, repo, async () => {
    const current = await readFallbackIndex(ctx, repo, subject, signal);
    if (!current.exists || current.notIndex) return;
    const remaining = current.index.manifests.filter((d) => d.digest !== referrer);
    if (remaining.length === current.index.manifests.length) return;
    const next = { ...current.index, manifests: remaining };
    if (remaining.length > 0) {
      await pushIndex(ctx, repo, current.tag, next, signal);
      return;
    }
    try {
      await deleteTag(repo, current.tag, { signal });
    } catch {
      signal?.throwIfAborted();
      await pushIndex(ctx, repo, current.tag, next, signal);
    }
  });
}
