import 'server-only';
import { createHash } from 'node:crypto';
import { parseDigest } from '@/lib/oci/digest';
import { RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';

export type HashAlgorithm = 'sha256' | 'sha512';

/** The hash algorithm of a digest; DIGEST_INVALID for algorithms Porthole cannot compute. */
export function algorithmOf(digest: Digest): HashAlgorithm {
  const { algorithm } = parseDigest(digest);
  if (algorithm === 'sha256' || algorithm === 'sha512') return algorithm;
  throw new RegistryError('DIGEST_INVALID', `digest algorithm ${algorithm} is not supported`, { detail: { digest } });
}

/** Digest of bytes with node:crypto (server side: faster than the pure-JS hasher in lib/oci/digest). */
export function hashBytes(bytes: Uint8Array, algorithm: HashAlgorithm = 'sha256'): Digest {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Incremental hashing of a stream's chunks. */
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
