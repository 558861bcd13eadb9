/**
 * `/v2/<name>/blobs/<digest>`: GET (streamed, one `Range` honoured with 206/416), HEAD and DELETE. Blobs of
 * http sources stream through Porthole (with Porthole's credentials upstream); redirects to object storage
 * are followed upstream, never passed on, so clients need no access to the upstream's storage.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pulling-blobs
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import type { ByteRange } from '@/lib/registry/registry';
import { authorize } from './access';
import { reported, type Call } from './call';
import { reply } from './respond';

const BLOB_HEADERS = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes' } as const;

type WantedRange = { start: number; end?: number } | { suffix: number };

/** One byte range of a `Range` header; undefined for none or for forms served as the whole blob (several ranges). */
export function parseRange(header: string | null): WantedRange | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') return { suffix: Number(match[2]) };
  const start = Number(match[1]);
  return match[2] === '' ? { start } : { start, end: Number(match[2]) };
}

function unsatisfiable(size: number): RegistryError {
  return new RegistryError('RANGE_INVALID', `the range is outside the blob (${size} bytes)`, { detail: { size } });
}

export async function getBlob(call: Call, name: string, digest: string, head: boolean): Promise<Response> {
  const { source, repo } = await authorize(name, 'pull', call.caller, call.options);
  const signal = call.request.signal;
  const common = { ...BLOB_HEADERS, 'docker-content-digest': digest, etag: `"${digest}"` };
  const wanted = head ? undefined : parseRange(call.request.headers.get('range'));
  if (head || !wanted) {
    if (head) {
      const descriptor = await source.registry.resolveBlob(repo, digest, { signal });
      return reply(null, 200, { ...common, 'content-length': String(descriptor.size) });
    }
    // A small blob may come from the content cache, which serves it only where the registry has it
    // (`cachedContent`'s presence records). A pull asks the registry once more anyway: a record can outlive a
    // blob another tool deleted.
    await source.registry.resolveBlob(repo, digest, { signal });
    const blob = await source.registry.getBlob(repo, digest, { signal });
    return reply(blob.body, 200, { ...common, 'content-length': String(blob.descriptor.size) });
  }
  let range: ByteRange;
  if ('suffix' in wanted) {
    const { size } = await source.registry.resolveBlob(repo, digest, { signal });
    if (wanted.suffix === 0 || size === 0) throw unsatisfiable(size);
    range = { start: Math.max(0, size - wanted.suffix) };
  } else {
    if (wanted.end !== undefined && wanted.end < wanted.start) {
      const { size } = await source.registry.resolveBlob(repo, digest, { signal });
      throw unsatisfiable(size);
    }
    range = wanted;
  }
  let blob;
  try {
    blob = await source.registry.getBlob(repo, digest, { signal, range });
  } catch (error) {
    if (error instanceof RegistryError && error.code === 'RANGE_INVALID') {
      throw unsatisfiable((await source.registry.resolveBlob(repo, digest, { signal })).size);
    }
    throw error;
  }
  const size = blob.descriptor.size;
  const served = blob.range ?? { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
  return reply(blob.body, 206, {
    ...common,
    'content-range': `bytes ${served.start}-${served.end}/${size}`,
    'content-length': String(served.end - served.start + 1),
  });
}

export function deleteBlob(call: Call, name: string, digest: string): Promise<Response> {
  return reported(call, { action: 'delete-blob', name, digest }, async () => {
    const { source, repo } = await authorize(name, 'delete', call.caller, call.options);
    await source.registry.deleteBlob(repo, digest, { signal: call.request.signal });
    return reply(null, 202, { 'content-length': '0' });
  });
}
