/**
 * The one hashing module: digests of bytes and streams with `node:crypto`, for every backend (http, layout,
 * memory), the demo and the test helpers. Server-side only; no browser code computes digests (the UI shows
 * digests the server computed), so there is no Web Crypto or pure-JS variant. Parsing and validating digests
 * stays pure in `lib/oci/digest.ts`.
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/descriptor.md#digests
 */
import 'server-only';
import { createHash } from 'node:crypto';
import { isSupportedAlgorithm, parseDigest, type DigestAlgorithm } from '@/lib/oci/digest';
import { RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';

export type HashAlgorithm = DigestAlgorithm;

/** The hash algorithm of a digest; DIGEST_INVALID for malformed digests and algorithms Porthole cannot compute. */
export function algorithmOf(digest: Digest): HashAlgorithm {
  const { algorithm } = parseDigest(digest);
  if (isSupportedAlgorithm(algorithm)) return algorithm;
  throw new RegistryError('DIGEST_INVALID', `digest algorithm ${algorithm} is not supported`, { detail: { digest } });
}

/** `algorithm:hex` of `bytes`. */
export function hashBytes(bytes: Uint8Array, algorithm: HashAlgorithm = 'sha256'): Digest {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** True when `bytes` hash to `digest` (with its algorithm); DIGEST_INVALID for digests that cannot be computed. */
export function matchesDigest(bytes: Uint8Array, digest: Digest): boolean {
  return hashBytes(bytes, algorithmOf(digest)) === digest;
}

/** Incremental hashing of a stream's chunks, counting bytes. */
export function createStreamHash(algorithm: HashAlgorithm) {
  const hash = createHash(algorithm);
  let size = 0;
  return {
    update(chunk: Uint8Array) {
      hash.update(chunk);
      size += chunk.length;
    },
    digest: (): Digest => `${algorithm}:${hash.digest('hex')}`,
    get size() {
      return size;
    },
  };
}
