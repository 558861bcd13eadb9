/**
 * Streams a blob to the client: `Content-Length`, single byte ranges (`Range: bytes=a-b`, `a-`, `-n`) answered
 * with 206 and `Content-Range`, content-addressed caching headers. The content type is
 * `application/octet-stream` unless the blob is a JSON document (an image config, an in-toto statement):
 * then `application/json`, so that a browser shows it. Every response is sandboxed (`nosniff`, CSP
 * `sandbox`), since layers can hold anything, HTML included. Whole blobs are verified against their digest
 * before their last byte goes out (./verified-blob.ts) and cached as immutable; byte ranges cannot be
 * verified and are served `no-store`.
 * @see https://www.rfc-editor.org/rfc/rfc9110#name-range-requests
 */
import 'server-only';
import { isRegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import type { ByteRange } from '@/lib/registry/registry';
import type { Source } from './sources';
import { readVerifiedBlob, verifiedBlobBody } from './verified-blob';

/**
 * Blobs up to this size are read and verified whole before the answer starts, and checked for being JSON
 * (configs are small; layers are never JSON-looking). Larger ones stream through `verifiedBlobBody`. Small
 * blobs the http reader already read and verified are served from its bytes, not hashed again.
 */
const JSON_SNIFF_LIMIT = 4 * 1024 * 1024;

export type RangeRequest = { kind: 'range'; range: ByteRange } | { kind: 'suffix'; length: number };

/**
 * Parses a `Range` header. Returns undefined for no header, several ranges or a syntax this server does not
 * serve (RFC 9110 lets a server ignore those and send the whole content).
 */
export function parseRangeHeader(header: string | null): RangeRequest | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first, last] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') return { kind: 'suffix', length: Number(last) };
  const start = Number(first);
  if (last === '') return { kind: 'range', range: { start } };
  const end = Number(last);
  if (end < start) return undefined;
  return { kind: 'range', range: { start, end } };
}

const BASE_HEADERS = {
  'accept-ranges': 'bytes',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  // Content-addressed: the bytes behind a digest never change. `private`: sources may need credentials.
  'cache-control': 'private, max-age=31536000, immutable',
} as const;

function unsatisfiable(size: number): Response {
  return new Response(
    JSON.stringify({ errors: [{ code: 'RANGE_INVALID', message: `the range is outside the blob (${size} bytes)` }] }),
    { status: 416, headers: { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-range': `bytes */${size}` } },
  );
}

/** True when the bytes start (after white space) with `{`: an image config, an in-toto statement. */
function looksLikeJson(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b;
}

/** The blob response. Throws BLOB_UNKNOWN, NAME_UNKNOWN, DIGEST_INVALID… (RANGE_INVALID becomes a 416). */
export async function blobResponse(source: Source, repo: string, digest: Digest, request: Request): Promise<Response> {
  const wanted = parseRangeHeader(request.headers.get('range'));
  let range: ByteRange | undefined;
  if (wanted?.kind === 'suffix') {
    const { size } = await source.pool.run(() => source.registry.resolveBlob(repo, digest, { signal: request.signal }), request.signal);
    if (wanted.length === 0 || size === 0) return unsatisfiable(size);
    range = { start: Math.max(0, size - wanted.length) };
  } else if (wanted) {
    range = wanted.range;
  }
  let blob;
  try {
    blob = await source.registry.getBlob(repo, digest, { signal: request.signal, ...(range ? { range } : {}) });
  } catch (error) {
    if (isRegistryError(error, 'RANGE_INVALID')) {
      const { size } = await source.registry.resolveBlob(repo, digest, { signal: request.signal });
      return unsatisfiable(size);
    }
    throw error;
  }
  const size = blob.descriptor.size;
  const headers: Record<string, string> = { ...BASE_HEADERS, etag: `"${digest}"`, 'docker-content-digest': digest };
  let status = 200;
  if (range) {
    const served = blob.range ?? { start: range.start, end: range.end === undefined ? size - 1 : Math.min(range.end, size - 1) };
    if (served.start >= size) {
      await blob.body.cancel().catch(() => undefined);
      return unsatisfiable(size);
    }
    status = 206;
    headers['content-range'] = `bytes ${served.start}-${served.end}/${size}`;
    headers['content-length'] = String(served.end - served.start + 1);
    headers['content-type'] = 'application/octet-stream';
    // Partial content cannot be checked against the digest: never stored by the browser.
    headers['cache-control'] = 'private, no-store';
  } else {
    headers['content-length'] = String(size);
    if (size <= JSON_SNIFF_LIMIT) {
      // Small blobs are verified whole before anything is answered: a mismatch is a clean 502 error.
      const bytes = await readVerifiedBlob(blob, digest, size);
      headers['content-type'] = looksLikeJson(bytes) ? 'application/json; charset=utf-8' : 'application/octet-stream';
      return new Response(bytes as Uint8Array<ArrayBuffer>, { status, headers });
    }
    headers['content-type'] = 'application/octet-stream';
    return new Response(verifiedBlobBody(blob.body, digest, size), { status, headers });
  }
  return new Response(blob.body, { status, headers });
}
