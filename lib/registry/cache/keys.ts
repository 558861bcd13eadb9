/**
 * The keys of a {@link ContentStore}: `<namespace>/<digest>[/<part>]`. One module builds and reads them, so that
 * the verifier, the disk tier's file names and every caller agree on the grammar.
 * - `manifest/<digest>`: manifest bytes, hash to the digest;
 * - `blob/<digest>`: blob bytes (small blobs such as image configs), hash to the digest;
 * - `presence/<digest>`: a presence record (`presence.ts`: the registry has a digest in a repository), whose bytes
 *   hash to the digest;
 * - `toc/<digest>[/<part>]`: content derived from layer `<digest>` (its table of contents, its checkpoints), not
 *   hash-checked (the bytes do not hash to the digest they are keyed by).
 */
import { isDigest } from '@/lib/oci/digest';
import type { Digest } from '@/lib/oci/types';

/** Namespaces whose bytes must hash to the digest in the key. */
export const VERIFIED_NAMESPACES = ['manifest', 'blob', 'presence'] as const;
/** Every namespace a key may have. */
export const NAMESPACES = [...VERIFIED_NAMESPACES, 'toc'] as const;
export type Namespace = (typeof NAMESPACES)[number];

const PART = /^[a-z][a-z0-9-]{0,31}$/;

export interface ParsedKey {
  namespace: Namespace;
  digest: Digest;
  /** The sub-entry of derived content (`checkpoints`), absent for the main entry. */
  part?: string;
}

export function manifestKey(digest: Digest): string {
  return `manifest/${digest}`;
}

export function blobKey(digest: Digest): string {
  return `blob/${digest}`;
}

/** The presence record whose bytes hash to `recordDigest` (built by `presence.ts`). */
export function presenceKey(recordDigest: Digest): string {
  return `presence/${recordDigest}`;
}

/** Derived content of layer `digest`: its table of contents, or `part` of it. */
export function tocKey(digest: Digest, part?: string): string {
  return part ? `toc/${digest}/${part}` : `toc/${digest}`;
}

/** The parts of a key, or undefined when it does not follow the grammar (such a key is never stored). */
export function parseKey(key: string): ParsedKey | undefined {
  const [namespace, digest, part, ...rest] = key.split('/');
  if (rest.length > 0 || !digest || !isDigest(digest)) return undefined;
  if (!(NAMESPACES as readonly string[]).includes(namespace ?? '')) return undefined;
  if (part !== undefined && (namespace !== 'toc' || !PART.test(part))) return undefined;
  return { namespace: namespace as Namespace, digest, ...(part !== undefined ? { part } : {}) };
}
