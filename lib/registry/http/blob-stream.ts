import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import { algorithmOf, createStreamHash } from '../hash';
import { transportError, type Exchange, type TransportSettings } from './transport/transport';

export interface BlobStreamOptions {
  /** Verify the whole body against this digest and size (full downloads only). */
  verify?: { digest: Digest; size: number };
  /** Emulate a range the registry ignored (it answered 200 to a Range request): bytes to skip, then to keep. */
  slice?: { skip: number; take: number };
  signal?: AbortSignal;
}

/**
 * The error for a blob body of `size` bytes when `expected` was asked for, else undefined; `hashed` gives the
 * body's digest and is called only when the size is right.
 */
export function blobMismatch(host: string, expected: { digest: Digest; size: number }, size: number, hashed: () => Digest): RegistryError | undefined {
  if (size !== expected.size) {
    return new RegistryError('SIZE_INVALID', `${host} sent ${size} bytes for blob ${expected.digest}, expected ${expected.size}`, { status: 502 });
  }
  const actual = hashed();
  if (actual !== expected.digest) {
    return new RegistryError('DIGEST_INVALID', `${host} sent content for blob ${expected.digest} that hashes to ${actual}`, { status: 502 });
  }
  return undefined;
}

/**
 * Turns an undici body into a web ReadableStream. Transport failures surface as RegistryErrors (TIMEOUT,
 * UNAVAILABLE); a full download that does not hash to its digest, or has the wrong size, errors at its end
 * with DIGEST_INVALID / SIZE_INVALID instead of delivering its last chunk, so a consumer never silently keeps
 * corrupt content. Cancelling the stream
 * destroys the body, which releases the registry's concurrency slot.
 */
export function blobStream(response: Exchange, settings: TransportSettings, options: BlobStreamOptions = {}): ReadableStream<Uint8Array> {
  const iterator = (response.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const hash = options.verify ? createStreamHash(algorithmOf(options.verify.digest)) : undefined;
  let skip = options.slice?.skip ?? 0;
  let take = options.slice?.take ?? Infinity;
  const host = response.url.host;
  // With verification the last chunk is held back until the digest checks out: content that fails is never
  // handed on as complete (a one-chunk blob not at all).
  let held: Uint8Array | undefined;

  const finish = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (hash && options.verify) {
      const wrong = blobMismatch(host, options.verify, hash.size, () => hash.digest());
      if (wrong) {
        controller.error(wrong);
        return;
      }
    }
    if (held) controller.enqueue(held);
    controller.close();
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          if (take <= 0) {
            response.body.destroy();
            controller.close();
            return;
          }
          const { done, value } = await iterator.next();
          if (done) {
            finish(controller);
            return;
          }
          hash?.update(value);
          let chunk: Uint8Array = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
          if (skip > 0) {
            const dropped = Math.min(skip, chunk.length);
            skip -= dropped;
            chunk = chunk.subarray(dropped);
          }
          if (chunk.length > take) chunk = chunk.subarray(0, take);
          take -= chunk.length;
          if (chunk.length > 0 && hash) {
            const previous = held;
            held = chunk;
            if (previous) {
              controller.enqueue(previous);
              return;
            }
          } else if (chunk.length > 0) {
            controller.enqueue(chunk);
            return;
          }
        }
      } catch (error) {
        controller.error(transportError(error, response.url, settings, options.signal));
      }
    },
    cancel() {
      response.body.destroy();
    },
  });
}
