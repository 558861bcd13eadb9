/**
 * Argument checks shared by the local backends (memory, layout). Every method validates its repository name,
 * tag and digest with these before it touches any state, so invalid input always yields NAME_INVALID,
 * TAG_INVALID or DIGEST_INVALID, never NAME_UNKNOWN or an I/O error.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pulling-manifests
 */
import 'server-only';
import { parseDigest } from '@/lib/oci/digest';
import { RegistryError } from '@/lib/oci/errors';
import { validateRepository, validateTag } from '@/lib/oci/reference';
import type { CallOptions } from '@/lib/registry/registry';

/** Throws NAME_INVALID unless `name` matches the distribution-spec repository grammar. */
export function checkRepository(name: unknown): string {
  if (typeof name !== 'string') throw new RegistryError('NAME_INVALID', 'repository name must be a string');
  validateRepository(name);
  return name;
}

/** Throws TAG_INVALID unless `tag` matches the tag grammar. */
export function checkTag(tag: unknown): string {
  if (typeof tag !== 'string') throw new RegistryError('TAG_INVALID', 'tag must be a string');
  validateTag(tag);
  return tag;
}

/** Throws DIGEST_INVALID unless `digest` is a well-formed digest; returns its parts. */
export function checkDigest(digest: unknown): { algorithm: string; encoded: string } {
  if (typeof digest !== 'string') throw new RegistryError('DIGEST_INVALID', 'digest must be a string');
  return parseDigest(digest);
}

/** Throws SIZE_INVALID unless `size` is a non-negative safe integer. */
export function checkSize(size: unknown): number {
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new RegistryError('SIZE_INVALID', 'descriptor size must be a non-negative integer');
  }
  return size;
}

/** Rejects with the signal's reason when the call was aborted. */
export function checkAborted(options?: CallOptions): void {
  options?.signal?.throwIfAborted();
}

/**
 * The checks before a blob push, in the order a registry makes them: repository name (`checkName`: the
 * backend's own, which may reserve more names), digest, size, abort. Returns the checked size.
 */
export function checkBlobPush(checkName: (name: string) => unknown, repo: string, descriptor: { digest: string; size: unknown }, options?: CallOptions): number {
  checkName(repo);
  checkDigest(descriptor.digest);
  const size = checkSize(descriptor.size);
  checkAborted(options);
  return size;
}

/** The checks before a mount: both repository names, the digest, abort. */
export function checkMount(checkName: (name: string) => unknown, fromRepo: string, repo: string, digest: string, options?: CallOptions): void {
  checkName(fromRepo);
  checkName(repo);
  checkDigest(digest);
  checkAborted(options);
}

/** BLOB_UNKNOWN for a mount whose source repository lacks the blob. */
export function blobUnknownToSource(digest: string): RegistryError {
  return new RegistryError('BLOB_UNKNOWN', 'blob unknown to the source repository', { detail: { digest } });
}

/** MANIFEST_BLOB_UNKNOWN for a pushed manifest whose config, layers or children are not in the repository. */
export function manifestContentMissing(digests: readonly string[]): RegistryError {
  return new RegistryError('MANIFEST_BLOB_UNKNOWN', 'manifest references content that is not in the repository', {
    detail: { digests: [...digests] },
  });
}

/** The checks before a call on one tag or one digest of a repository: name (`checkName`), tag or digest, abort. */
export function checkTarget(checkName: (name: string) => unknown, repo: string, target: { tag: string } | { digest: string }, options?: CallOptions): void {
  checkName(repo);
  if ('tag' in target) checkTag(target.tag);
  else checkDigest(target.digest);
  checkAborted(options);
}
