/** Reading request bodies with a size cap: manifests are small and are read whole; blobs never are. */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { readAll } from '@/lib/registry/read-all';

/** Reads a body of at most `max` bytes. Throws SIZE_INVALID (413) as soon as it grows beyond. */
export function readBounded(body: ReadableStream<Uint8Array> | null, max: number, what: string): Promise<Uint8Array> {
  return readAll(body, max, () => new RegistryError('SIZE_INVALID', `${what} is larger than ${max} bytes`, { status: 413 }));
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
