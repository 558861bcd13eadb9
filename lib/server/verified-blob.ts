/**
 * Verification of blob bodies served by digest, whatever the backend: the bytes must hash to the digest and
 * have the descriptor's size. The last chunk is held back until the check passes, so content that fails it
 * never reaches a client as a complete answer: a one-chunk blob is not sent at all, a longer one ends with an
 * error (the connection is cut short of its `Content-Length`, which no client or cache takes as complete).
 */
import 'server-only';
import { createHash } from 'node:crypto';
import { parseDigest } from '@/lib/oci/digest';
import { RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import { readBlobBytes } from '@/lib/registry/blob-bytes';
import { algorithmOf, hashBytes } from '@/lib/registry/hash';
import type { BlobContent } from '@/lib/registry/registry';
import { isVerifiedBlob } from '@/lib/registry/verified-manifest';

function hashOf(digest: Digest) {
  const { algorithm } = parseDigest(digest);
  if (algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new RegistryError('DIGEST_INVALID', `digest algorithm ${algorithm} is not supported`, { detail: { digest } });
  }
  return { algorithm, hash: createHash(algorithm) };
}

/** The error of content that failed verification: a 502, the upstream's bytes being wrong. */
function notServed(digest: Digest, message: string, code: 'DIGEST_INVALID' | 'SIZE_INVALID'): RegistryError {
  return new RegistryError(code, `blob ${digest} ${message}; not served`, { status: 502, detail: { digest } });
}

/** The stream `body`, checked against `digest` and `size` as it passes, its last chunk held back until then. */
export function verifiedBlobBody(body: ReadableStream<Uint8Array>, digest: Digest, size: number): ReadableStream<Uint8Array> {
  const { algorithm, hash } = hashOf(digest);
  let seen = 0;
  let held: Uint8Array | undefined;
  const fail = (message: string, code: 'DIGEST_INVALID' | 'SIZE_INVALID') => notServed(digest, message, code);
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.length;
        if (seen > size) throw fail(`has more than the expected ${size} bytes`, 'SIZE_INVALID');
        hash.update(chunk);
        if (held) controller.enqueue(held);
        held = chunk;
      },
      flush(controller) {
        if (seen !== size) throw fail(`has ${seen} bytes, expected ${size}`, 'SIZE_INVALID');
        const actual = `${algorithm}:${hash.digest('hex')}`;
        if (actual !== digest) throw fail(`content hashes to ${actual}`, 'DIGEST_INVALID');
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
  const bytes = await readBlobBytes(blob, size, () => notServed(digest, `has more than the expected ${size} bytes`, 'SIZE_INVALID'));
  if (bytes.byteLength !== size) throw notServed(digest, `has ${bytes.byteLength} bytes, expected ${size}`, 'SIZE_INVALID');
  const actual = hashBytes(bytes, algorithm);
  if (actual !== digest) throw notServed(digest, `content hashes to ${actual}`, 'DIGEST_INVALID');
  return bytes;
}
