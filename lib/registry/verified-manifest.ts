/**
 * Bytes a reader already checked (manifests, and small blobs the http reader read whole: `markVerifiedBlob`).
 * Manifest bytes that a reader already checked: they hash to `digest`, and (when `mediaType` is set) their media
 * type is what the bytes alone say it is. The http reader marks what it read and verified (it hashes and parses
 * every manifest it receives), so that the content cache keeps those bytes without hashing and parsing them a
 * second time; the cache marks the bytes it read back from a tier and verified, so that memory hits (the same
 * object again) are not parsed again either.
 *
 * Keyed by the bytes object (a WeakMap: a mark lives as long as its bytes), on `globalThis` because Next.js
 * bundles server code into several chunks and the marker must be the same in all of them. Bytes are never
 * changed after they were read (the registry interface hands out exact bytes), so a mark stays true.
 */
import 'server-only';
import type { Digest } from '@/lib/oci/types';

/** What is known of verified manifest bytes. */
export interface VerifiedManifest {
  /** The bytes hash to this digest. */
  digest: Digest;
  /** The media type the bytes imply on their own (a `mediaType` field, or the shape); undefined when not known. */
  mediaType?: string;
}

const KEY = Symbol.for('porthole.registry.verified-manifests');
const marks: WeakMap<Uint8Array, VerifiedManifest> = ((globalThis as Record<symbol, unknown>)[KEY] as WeakMap<Uint8Array, VerifiedManifest> | undefined) ?? new WeakMap();
(globalThis as Record<symbol, unknown>)[KEY] = marks;

/** Records that `bytes` were checked against `known.digest` (by hashing them) and parsed. */
export function markVerifiedManifest(bytes: Uint8Array, known: VerifiedManifest): void {
  marks.set(bytes, known);
}

/** What was recorded for these very bytes, when they were verified against `digest`; else undefined. */
export function verifiedManifest(bytes: Uint8Array, digest: Digest): VerifiedManifest | undefined {
  const known = marks.get(bytes);
  return known?.digest === digest ? known : undefined;
}

const BODIES = Symbol.for('porthole.registry.verifying-bodies');
const bodies: WeakMap<ReadableStream<Uint8Array>, Digest> =
  ((globalThis as Record<symbol, unknown>)[BODIES] as WeakMap<ReadableStream<Uint8Array>, Digest> | undefined) ?? new WeakMap();
(globalThis as Record<symbol, unknown>)[BODIES] = bodies;

/** Records that `body` errors at its end unless its bytes hash to `digest`. */
export function markVerifyingBody(body: ReadableStream<Uint8Array>, digest: Digest): void {
  bodies.set(body, digest);
}

/** True when `body`, read to its end without an error, gave bytes that hash to `digest`. */
export function isVerifyingBody(body: ReadableStream<Uint8Array>, digest: Digest): boolean {
  return bodies.get(body) === digest;
}

/** Records that blob `bytes` (read whole) hash to `digest`: the http reader checked them as they arrived. */
export function markVerifiedBlob(bytes: Uint8Array, digest: Digest): void {
  marks.set(bytes, { digest });
}

/** True when these very blob bytes were checked against `digest`. */
export function isVerifiedBlob(bytes: Uint8Array, digest: Digest): boolean {
  return marks.get(bytes)?.digest === digest;
}
