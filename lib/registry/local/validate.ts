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

/** Rejects with the signal's reason when the call was aborted. */
export function checkAborted(options?: CallOptions): void {
  options?.signal?.throwIfAborted();
}
