/**
 * Blobs whose whole content is already in memory: kept by the content cache, held by the memory backend, or
 * small enough that the http reader reads and verifies them at once (image configs). Most of them are read
 * whole right away (a config is parsed), and a web `ReadableStream` costs about 0.2 ms of CPU to create on
 * Node 20 (`makeTransferable`): 800 configs in a cold 2,000-tag view made two each. So such a blob carries its
 * bytes, {@link readBlobBytes} takes them without a stream, and `body` is made only when a caller streams it.
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import type { Descriptor } from '@/lib/oci/types';
import { readAll } from './read-all';
import type { BlobContent } from './registry';

/** A one-chunk web stream over `bytes` (not copied: the caller passes bytes nobody changes). */
export function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** A blob over `bytes` (its whole content, or the served range's): `body` is created on first use. */
export function bytesBlob(descriptor: Descriptor, bytes: Uint8Array, range?: { start: number; end: number }): BlobContent {
  let body: ReadableStream<Uint8Array> | undefined;
  return {
    descriptor,
    bytes,
    get body() {
      body ??= streamOf(bytes);
      return body;
    },
    ...(range ? { range } : {}),
  };
}

/**
 * The bytes of `blob` (of its range, when one was served): its `bytes` when it has them — shared with the cache
 * that holds them, so never to be changed — else its body read to the end. Refuses more than `limit` bytes with `tooLarge()` (default SIZE_INVALID), as {@link readAll} does.
 */
export async function readBlobBytes(
  blob: BlobContent,
  limit: number,
  tooLarge: () => RegistryError = () => new RegistryError('SIZE_INVALID', `content is larger than ${limit} bytes`),
): Promise<Uint8Array> {
  if (!blob.bytes) return readAll(blob.body, limit, tooLarge);
  if (blob.bytes.byteLength > limit) throw tooLarge();
  return blob.bytes;
}
