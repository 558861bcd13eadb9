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
import { readAll } from '@/lib/registry/read-all';

function hashOf(digest: Digest) {
  const { algorithm } = parseDigest(digest);
  if (algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new RegistryError('DIGEST_INVALID', `digest algorithm ${algorithm} is not supported`, { detail: { digest } });
  }
  return { algorithm, hash: createHash(algorithm) };
}

/** The stream `body`, checked against `digest` and `size` as it passes, its last chunk held back until then. */
export function verifiedBlobBody(body: ReadableStream<Uint8Array>, digest: Digest, size: number): ReadableStream<Uint8Array> {
  const { algorithm, hash } = hashOf(digest);
  let seen = 0;
  let held: Uint8Array | undefined;
  const fail = (message: string, code: 'DIGEST_INVALID' | 'SIZE_INVALID') =>
    new RegistryError(code, `blob ${digest} ${message}; not served`, { status: 502, detail: { digest } });
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

/** Reads a small blob whole and verifies it before anything is answered (a failure is a clean JSON error). */
export function readVerifiedBlob(body: ReadableStream<Uint8Array>, digest: Digest, size: number): Promise<Uint8Array> {
  return readAll(verifiedBlobBody(body, digest, size), size);
}
