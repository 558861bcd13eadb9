/**
 * Bytes in and out of the local backends: verified consumption of pushed bodies (hashing through
 * `lib/registry/hash.ts`), byte ranges and web streams.
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/descriptor.md#digests
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import { algorithmOf, createStreamHash } from '@/lib/registry/hash';
import type { ByteRange, CallOptions } from '@/lib/registry/registry';
import { checkDigest } from './validate';

/**
 * Feeds every chunk of `body` to `sink` while hashing and counting it. Throws SIZE_INVALID as soon as more
 * bytes than `size` arrive or when fewer arrived at the end, and DIGEST_INVALID when the content does not
 * hash to `digest`. The sink has seen unverified bytes by then: callers write to a temp file or buffer and
 * only publish after this resolves.
 */
export async function consumeVerified(
  body: Uint8Array | ReadableStream<Uint8Array>,
  expected: { digest: Digest; size: number },
  sink: (chunk: Uint8Array) => void | Promise<void>,
  options?: CallOptions,
): Promise<void> {
  checkDigest(expected.digest);
  const hash = createStreamHash(algorithmOf(expected.digest));
  let total = 0;
  const take = async (chunk: Uint8Array): Promise<void> => {
    total += chunk.byteLength;
    if (total > expected.size) {
      throw new RegistryError('SIZE_INVALID', `content is larger than the declared size ${expected.size}`);
    }
    hash.update(chunk);
    await sink(chunk);
  };
  if (body instanceof Uint8Array) {
    await take(body);
  } else {
    const reader = body.getReader();
    try {
      for (;;) {
        options?.signal?.throwIfAborted();
        const { done, value } = await reader.read();
        if (done) break;
        await take(value);
      }
    } catch (error) {
      await reader.cancel().catch(() => undefined);
      throw error;
    } finally {
      reader.releaseLock();
    }
  }
  if (total !== expected.size) {
    throw new RegistryError('SIZE_INVALID', `content has ${total} bytes, the descriptor says ${expected.size}`);
  }
  if (hash.digest() !== expected.digest) {
    throw new RegistryError('DIGEST_INVALID', 'content does not match its digest', { detail: { digest: expected.digest } });
  }
}

/** Reads a whole body into memory, verified as by {@link consumeVerified}. */
export async function readVerified(
  body: Uint8Array | ReadableStream<Uint8Array>,
  expected: { digest: Digest; size: number },
  options?: CallOptions,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await consumeVerified(body, expected, (chunk) => void chunks.push(chunk.slice()), options);
  const out = new Uint8Array(expected.size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * The inclusive range to serve for `range` of a blob of `size` bytes. An end past the blob is clipped (as
 * HTTP servers do, RFC 9110 §14.1.2); a start at or past the end, a negative start or an end before the
 * start is RANGE_INVALID (HTTP 416).
 */
export function resolveRange(range: ByteRange, size: number): { start: number; end: number } {
  const { start, end } = range;
  const badEnd = end !== undefined && (!Number.isSafeInteger(end) || end < start);
  if (!Number.isSafeInteger(start) || start < 0 || badEnd || start >= size) {
    throw new RegistryError('RANGE_INVALID', `range ${start}-${end ?? ''} cannot be satisfied for ${size} bytes`, {
      detail: { size },
    });
  }
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}
