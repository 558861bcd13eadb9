/**
 * Copying a manifest — an image, an index with all or some of its platforms, an artifact — with every blob and
 * child manifest it refers to and, unless told not to, every referrer (signatures, SBOMs, attestations),
 * recursively; then the tag. Works between any two `Registry` values (HTTP registries, layouts, memory):
 * digests are preserved byte for byte, blobs already at the destination are skipped, blobs within one registry
 * are mounted, others are streamed. Where the destination has no referrers API, its `pushManifest` keeps the
 * referrers fallback index up to date (part of the Registry contract).
 *
 * Concurrency: a copy only adds content and moves one tag, so it needs no lock against deletes of other tags;
 * a delete racing a copy of the same manifest can remove what the copy just pushed — the copy then fails on
 * the next push (MANIFEST_BLOB_UNKNOWN) and a re-run finishes it.
 */
import { executeCopy } from './execute';
import { planCopy } from './plan';
import type { CopyOptions, CopyResult, CopySource, CopyTarget } from './types';

export { planCopy, platformMatches, readSourceManifest } from './plan';
export { executeCopy } from './execute';
export type * from './types';

/** Plans and carries out a copy from `from` to `to` (see the module comment). */
export async function copyManifest(from: CopySource, to: CopyTarget, options: CopyOptions = {}): Promise<CopyResult> {
  const plan = await planCopy(from, options);
  return executeCopy(plan, from, to, options);
}
