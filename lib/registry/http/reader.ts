import 'server-only';
/** This file implements the RegistryReader methods of the HTTP backend. */
import { parseDigest } from '@/lib/oci/digest';
import { isRegistryError, RegistryError } from '@/lib/oci/errors';
import { validateRepository, validateTag } from '@/lib/oci/reference';
import type { Descriptor, Digest } from '@/lib/oci/types';
import type { BlobContent, ByteRange, CallOptions, ManifestContent, RegistryReader } from '@/lib/registry/registry';
import { Scope } from './transport/auth';
import { blobMismatch, blobStream } from './blob-stream';
import { bytesBlob } from '../blob-bytes';
import { discard, header, readCapped } from './transport/body';
import { paths, type HttpContext } from './context';
import { algorithmOf, hashBytes } from '../hash';
import { contentDigest, MANIFEST_ACCEPT, manifestContentType, readManifest } from './manifest-response';
import { markVerifiedBlob, markVerifyingBody } from '../verified-manifest';

/** Blobs have no media type of their own on the wire; callers know it from the manifest that refers to them. */
const BLOB_MEDIA_TYPE = 'application/octet-stream';

/** `GET` or `HEAD` of a manifest by tag or digest (a blob's digest answered as MANIFEST_UNKNOWN, see below). */
function requestManifest(ctx: HttpContext, method: 'GET' | 'HEAD', repo: string, reference: string, expected: Digest | undefined, options?: CallOptions) {
  return blobAsManifest(ctx, repo, expected, options, () =>
    ctx.client.send({
      method,
      path: paths.manifest(repo, reference),
      headers: { accept: MANIFEST_ACCEPT },
      scopes: [Scope.pull(repo)],
      signal: options?.signal,
      notFound: 'MANIFEST_UNKNOWN',
    }),
  );
}

/** GET a manifest by tag or digest and verify it (see `readManifest`). */
export async function fetchManifest(ctx: HttpContext, repo: string, reference: string, expected: Digest | undefined, options?: CallOptions): Promise<ManifestContent> {
  const response = await requestManifest(ctx, 'GET', repo, reference, expected, options);
  return readManifest(ctx.client, response, expected, options?.signal);
}

/**
 * distribution 2.x looks manifests up in the blob links too (a backwards-compatibility path of its manifest
 * store), so asking for a blob's digest as a manifest gives `500 UNKNOWN` (it fails to parse the blob) instead of
 * 404 (verified on 2.8.2). When that happens and the digest is a blob, the answer is MANIFEST_UNKNOWN.
 */
async function blobAsManifest<T>(ctx: HttpContext, repo: string, digest: Digest | undefined, options: CallOptions | undefined, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (!digest || !isRegistryError(error, 'UNKNOWN') || error.status !== 502) throw error;
    const isBlob = await resolveBlob(ctx, repo, digest, options).then(
      () => true,
      () => false,
    );
    if (!isBlob) throw error;
    throw new RegistryError('MANIFEST_UNKNOWN', `${digest} is a blob of ${repo}, not a manifest`, { detail: { digest } });
  }
}

/**
 * HEAD a manifest. Falls back to GET + hashing when the answer lacks what a descriptor needs: ECR leaves out
 * `Docker-Content-Digest` on HEAD by tag, and some proxies drop Content-Type or Content-Length.
 */
async function headManifest(ctx: HttpContext, repo: string, reference: string, expected: Digest | undefined, options?: CallOptions): Promise<Descriptor> {
  const response = await requestManifest(ctx, 'HEAD', repo, reference, expected, options);
  await discard(response);
  const announced = contentDigest(response);
  const mediaType = manifestContentType(response);
  const size = Number(header(response, 'content-length'));
  const sameAlgorithm = announced && expected && algorithmOf(announced) === algorithmOf(expected);
  if (sameAlgorithm && announced !== expected) {
    throw new RegistryError('DIGEST_INVALID', `${response.url.host} answered for ${expected} with digest ${announced}`, { status: 502 });
  }
  const digest = expected ?? announced;
  if (!digest || !mediaType || !Number.isInteger(size) || size < 0) {
    return (await fetchManifest(ctx, repo, reference, expected, options)).descriptor;
  }
  return { mediaType, digest, size };
}

/**
 * Checks a manifest read's repository and reference before anything is sent; returns the URL reference and the
 * digest the answer must have (none for a tag).
 */
function checkedReference(repo: string, reference: { tag: string } | { digest: Digest }): [string, Digest | undefined] {
  validateRepository(repo);
  if ('tag' in reference) {
    validateTag(reference.tag);
    return [reference.tag, undefined];
  }
  parseDigest(reference.digest);
  return [reference.digest, reference.digest];
}

export const resolveTag = async (ctx: HttpContext, repo: string, tag: string, options?: CallOptions): Promise<Descriptor> =>
  headManifest(ctx, repo, ...checkedReference(repo, { tag }), options);

export const resolveManifest = async (ctx: HttpContext, repo: string, digest: Digest, options?: CallOptions): Promise<Descriptor> =>
  headManifest(ctx, repo, ...checkedReference(repo, { digest }), options);

export const getTag = async (ctx: HttpContext, repo: string, tag: string, options?: CallOptions): Promise<ManifestContent> =>
  fetchManifest(ctx, repo, ...checkedReference(repo, { tag }), options);

export const getManifest = async (ctx: HttpContext, repo: string, digest: Digest, options?: CallOptions): Promise<ManifestContent> =>
  fetchManifest(ctx, repo, ...checkedReference(repo, { digest }), options);

/** `HEAD` (pull) or `DELETE` (delete) of a blob, repository and digest checked first; the body is discarded. */
export async function blobRequest(ctx: HttpContext, method: 'HEAD' | 'DELETE', repo: string, digest: Digest, options?: CallOptions, accept?: (status: number) => boolean) {
  validateRepository(repo);
  parseDigest(digest);
  const response = await ctx.client.send({
    method,
    path: paths.blob(repo, digest),
    scopes: [method === 'HEAD' ? Scope.pull(repo) : Scope.delete(repo)],
    signal: options?.signal,
    notFound: 'BLOB_UNKNOWN',
    ...(accept ? { accept } : {}),
  });
  await discard(response);
  return response;
}

export async function resolveBlob(ctx: HttpContext, repo: string, digest: Digest, options?: CallOptions): Promise<Descriptor> {
  const response = await blobRequest(ctx, 'HEAD', repo, digest, options);
  const size = Number(header(response, 'content-length'));
  if (!Number.isInteger(size) || size < 0) {
    throw new RegistryError('UNKNOWN', `${response.url.host} sent no size for blob ${digest}`, { status: 502 });
  }
  return { mediaType: BLOB_MEDIA_TYPE, digest, size };
}

/** `bytes start-end/total` → numbers; undefined when malformed. */
function parseContentRange(value: string | undefined): { start: number; end: number; total: number } | undefined {
  const match = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), total: match[3] === '*' ? NaN : Number(match[3]) };
}

/**
 * Blobs up to this size (image configs, attestations, small JSON) are read and verified at once and handed on as
 * bytes (`blob-bytes.ts`): whoever asked for them reads them whole anyway, and a stream costs more than the read.
 */
export const WHOLE_BLOB_BYTES = 64 * 1024;

/** Blobs above this size may take longer than one request's total deadline to stream (see Exchange.streaming). */
const STREAMED_BLOB_BYTES = 4 * 1024 * 1024;

/**
 * GET a blob, following redirects to object storage (without credentials). A full body is verified against the
 * digest while it streams. A registry that ignores `Range` (answers 200) gets the range cut out on our side.
 */
export async function getBlob(ctx: HttpContext, repo: string, digest: Digest, options?: CallOptions & { range?: ByteRange }): Promise<BlobContent> {
  validateRepository(repo);
  parseDigest(digest);
  const range = options?.range;
  if (range && (range.start < 0 || (range.end !== undefined && range.end < range.start))) {
    throw new RegistryError('RANGE_INVALID', `invalid byte range ${range.start}-${range.end ?? ''}`);
  }
  const response = await ctx.client.send({
    method: 'GET',
    path: paths.blob(repo, digest),
    headers: range ? { range: `bytes=${range.start}-${range.end ?? ''}` } : {},
    scopes: [Scope.pull(repo)],
    signal: options?.signal,
    notFound: 'BLOB_UNKNOWN',
  });
  const settings = ctx.client.settings;
  const host = response.url.host;
  if (response.status === 206 && range) {
    const served = parseContentRange(header(response, 'content-range'));
    if (!served || !Number.isFinite(served.total)) {
      await discard(response);
      throw new RegistryError('UNKNOWN', `${host} sent a partial blob without a usable Content-Range`, { status: 502 });
    }
    return {
      descriptor: { mediaType: BLOB_MEDIA_TYPE, digest, size: served.total },
      body: blobStream(response, settings, { signal: options?.signal }),
      range: { start: served.start, end: served.end },
    };
  }
  if (response.status !== 200) {
    await discard(response);
    throw new RegistryError('UNKNOWN', `${host} answered HTTP ${response.status} for blob ${digest}`, { status: 502 });
  }
  const size = Number(header(response, 'content-length'));
  const known = Number.isInteger(size) && size >= 0;
  if (!range) {
    if (!known) {
      await discard(response);
      throw new RegistryError('UNKNOWN', `${host} sent blob ${digest} without a Content-Length`, { status: 502 });
    }
    const descriptor = { mediaType: BLOB_MEDIA_TYPE, digest, size };
    if (size <= WHOLE_BLOB_BYTES) {
      const tooLong = () => new RegistryError('SIZE_INVALID', `${host} sent more than ${size} bytes for blob ${digest}`, { status: 502 });
      const bytes = await readCapped(response, size, tooLong, settings, options?.signal);
      const wrong = blobMismatch(host, { digest, size }, bytes.byteLength, () => hashBytes(bytes, algorithmOf(digest)));
      if (wrong) throw wrong;
      markVerifiedBlob(bytes, digest);
      return bytesBlob(descriptor, bytes);
    }
    // Large blobs are streamed on to clients (layer downloads): bound by the idle timeout, not the total one.
    if (size > STREAMED_BLOB_BYTES) response.streaming?.();
    const body = blobStream(response, settings, { verify: { digest, size }, signal: options?.signal });
    markVerifyingBody(body, digest);
    return { descriptor, body };
  }
  // The registry ignored Range and sent everything: serve the requested slice ourselves.
  if (!known || range.start >= size) {
    await discard(response);
    throw new RegistryError('RANGE_INVALID', `range ${range.start}-${range.end ?? ''} is outside blob ${digest}`, { status: 416 });
  }
  const end = Math.min(range.end ?? size - 1, size - 1);
  return {
    descriptor: { mediaType: BLOB_MEDIA_TYPE, digest, size },
    body: blobStream(response, settings, { slice: { skip: range.start, take: end - range.start + 1 }, signal: options?.signal }),
    range: { start: range.start, end },
  };
}

export function createReader(ctx: HttpContext): RegistryReader {
  return {
    resolveTag: (repo, tag, options) => resolveTag(ctx, repo, tag, options),
    resolveManifest: (repo, digest, options) => resolveManifest(ctx, repo, digest, options),
    resolveBlob: (repo, digest, options) => resolveBlob(ctx, repo, digest, options),
    getTag: (repo, tag, options) => getTag(ctx, repo, tag, options),
    getManifest: (repo, digest, options) => getManifest(ctx, repo, digest, options),
    getBlob: (repo, digest, options) => getBlob(ctx, repo, digest, options),
  };
}
