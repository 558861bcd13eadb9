/** Reading request bodies with a size cap: manifests are small and are read whole; blobs never are. */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';

/** Reads a body of at most `max` bytes. Throws SIZE_INVALID (413) as soon as it grows beyond. */
export async function readBounded(body: ReadableStream<Uint8Array> | null, max: number, what: string): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) throw new RegistryError('SIZE_INVALID', `${what} is larger than ${max} bytes`, { status: 413 });
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The `Content-Length` header as a number, or undefined when absent. Throws SIZE_INVALID (400) when malformed. */
export function contentLength(request: Request): number | undefined {
  const header = request.headers.get('content-length');
  if (header === null || header.trim() === '') return undefined;
  if (!/^\d+$/.test(header.trim())) throw new RegistryError('SIZE_INVALID', 'Content-Length must be a non-negative integer');
  const value = Number(header.trim());
  if (!Number.isSafeInteger(value)) throw new RegistryError('SIZE_INVALID', 'Content-Length is too large');
  return value;
}

/** Discards a body the endpoint does not use. */
export async function discard(body: ReadableStream<Uint8Array> | null): Promise<void> {
  await body?.cancel().catch(() => undefined);
}
