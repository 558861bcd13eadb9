/**
 * Digests for tests and their helpers, computed with `node:crypto` directly: an oracle independent of the
 * production hashing module (`lib/registry/hash.ts`), and importable where `server-only` modules are not
 * (Playwright specs and the benchmark run outside the react-server condition).
 */
import { createHash } from 'node:crypto';
import type { Digest } from '@/lib/oci/types';

/** `algorithm:hex` of `bytes` (sha256 by default). */
export function digestOf(bytes: Uint8Array | string, algorithm: 'sha256' | 'sha512' = 'sha256'): Digest {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}
