/**
 * Verification of blob bodies served by digest, whatever the backend: the bytes must hash to the digest and
 * have the descriptor's size. The last chunk is held back until the check passes, so content that fails it
 * never reaches a client as a complete answer: a one-chunk blob is not sent at all, a longer one ends with an
 * error (the connection is cut short of its `Content-Length`, which no client or cache takes as complete).
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import { readBlobBytes } from '@/lib/registry/blob-bytes';
import { algorithmOf, createStreamHash, hashBytes } from '@/lib/registry/hash';
import type { BlobContent } from '@/lib/registry/registry';
import { isVerifiedBlob } from '@/lib/registry/verified-manifest';

/** The error of content that failed verification: a 502, the upstream's bytes being wrong. */
function notServed(digest: Digest, message: string, code: 'DIGEST_INVALID' | 'SIZE_INVALID'): RegistryError {
  return new RegistryError(code, `blob ${digest} ${message}; not served`, { status: 502, detail: { digest } });
}

/** Why `seen` bytes hashing to `hashed()` (asked only when the size is right) are not `digest` of `size` bytes. */
function mismatch(digest: Digest, size: number, seen: number, hashed: () => Digest): RegistryError | undefined {
  if (seen !== size) return notServed(digest, `has ${seen} bytes, expected ${size}`, 'SIZE_INVALID');
  const actual = hashed();
  return actual === digest ? undefined : notServed(digest, `content hashes to ${actual}`, 'DIGEST_INVALID');
}

/** The error for more than `size` bytes. */
function tooLong(digest: Digest, size: number): RegistryError {
  return notServed(digest, `has more than the expected ${size} bytes`, 'SIZE_INVALID');
}

/** The stream `body`, checked against `digest` and `size` as it passes, its last chunk held back until then. */
export function verifiedBlobBody(body: ReadableStream<Uint8Array>, digest: Digest, size: number): ReadableStream<Uint8Array> {
  const hash = createStreamHash(algorithmOf(digest));
  let held: Uint8Array | undefined;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (hash.size + chunk.length > size) throw tooLong(digest, size);
        hash.update(chunk);
        if (held) controller.enqueue(held);
        held = chunk;
      },
      flush(controller) {
        const wrong = mismatch(digest, size, hash.size, () => hash.digest());
        if (wrong) throw wrong;
        if (held) controller.enqueue(held);
      },
    }),
  );
}

/**
 * The whole content of a small blob, verified before anything is answered (a failure is a clean JSON error,
 * the same ones {@link verifiedBlobBody} raises). Bytes the http reader read whole and already checked against
 * `digest` (`isVerifiedBlob`) are taken as they are: no second hash, and no web stream. Everything else — a
 * memory backend's or the disk cache's bytes, a layout's stream — is read (without a stream when the bytes are
 * in memory) and hashed here.
 */
export async function readVerifiedBlob(blob: BlobContent, digest: Digest, size: number): Promise<Uint8Array> {
  if (blob.bytes && blob.bytes.byteLength === size && isVerifiedBlob(blob.bytes, digest)) return blob.bytes;
  const algorithm = algorithmOf(digest);
  const bytes = await readBlobBytes(blob, size, () => tooLong(digest, size));
  const wrong = mismatch(digest, size, bytes.byteLength, () => hashBytes(bytes, algorithm));
  if (wrong) throw wrong;
  return bytes;
}
