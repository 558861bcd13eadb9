import 'server-only';
import { Readable } from 'node:stream';
import { RegistryError } from '@/lib/oci/errors';
import type { Descriptor } from '@/lib/oci/types';
import { algorithmOf, createStreamHash } from '../hash';

/**
 * A streamed upload body checked against its descriptor while it is sent: more bytes than `size` fail at once
 * with SIZE_INVALID, and at the end a short body fails with SIZE_INVALID and a wrong hash with DIGEST_INVALID.
 * The error aborts the PUT before it completes, so the registry commits nothing (and the caller gets a precise
 * code instead of undici's content-length mismatch).
 */
export function checkedUploadBody(stream: ReadableStream<Uint8Array>, descriptor: Descriptor): Readable {
  const hash = createStreamHash(algorithmOf(descriptor.digest));
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (hash.size + value.byteLength > descriptor.size) {
          throw new RegistryError('SIZE_INVALID', `blob is larger than the ${descriptor.size} bytes its descriptor says`);
        }
        hash.update(value);
        yield value;
      }
    } catch (error) {
      await reader.cancel(error).catch(() => undefined);
      throw error;
    } finally {
      reader.releaseLock();
    }
    if (hash.size !== descriptor.size) {
      throw new RegistryError('SIZE_INVALID', `blob has ${hash.size} bytes, its descriptor says ${descriptor.size}`);
    }
    const actual = hash.digest();
    if (actual !== descriptor.digest) {
      throw new RegistryError('DIGEST_INVALID', `blob hashes to ${actual}, its descriptor says ${descriptor.digest}`);
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
