/**
 * Reads a stream to the end into one buffer, refusing more than `limit` bytes: the one bounded reader of
 * bodies that are read whole (configs and small blobs a backend streams, policies, request bodies); layers are
 * never read this way. Blobs a backend already holds in memory are read with `readBlobBytes`, without a stream.
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';

/**
 * Reads `stream` (nothing when null) into one buffer. Throws `tooLarge()` — by default SIZE_INVALID — as soon
 * as more than `limit` bytes arrived, and cancels the stream.
 */
export async function readAll(
  stream: ReadableStream<Uint8Array> | null,
  limit: number,
  tooLarge: () => RegistryError = () => new RegistryError('SIZE_INVALID', `content is larger than ${limit} bytes`),
): Promise<Uint8Array> {
  if (!stream) return new Uint8Array();
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) throw tooLarge();
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    reader.releaseLock();
  }
  return joinBytes(chunks, total);
}

/** `chunks` (of `total` bytes together) in one new buffer of its own. */
export function joinBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
