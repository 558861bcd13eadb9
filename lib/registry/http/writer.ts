import 'server-only';
/** This file implements the RegistryWriter methods of the HTTP backend. */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { parseDigest } from '@/lib/oci/digest';
import { isRegistryError, RegistryError } from '@/lib/oci/errors';
import { parseManifest } from '@/lib/oci/manifest';
import { baseMediaType, MANIFEST_MEDIA_TYPES } from '@/lib/oci/media-types';
import { validateRepository, validateTag } from '@/lib/oci/reference';
import type { Descriptor, Digest } from '@/lib/oci/types';
import { referrerDescriptor } from '@/lib/registry/local/manifest-info';
import type { CallOptions, PushManifestOptions, RegistryWriter } from '@/lib/registry/registry';
import { Scope } from './transport/auth';
import { discard, header, MAX_MANIFEST_BYTES } from './transport/body';
import type { RequestBody } from './transport/client';
import { paths, type HttpContext } from './context';
import { unexpectedStatus } from './transport/errors';
import { addToFallbackIndex } from './fallback';
import { algorithmOf, hashBytes } from '../hash';
import { putManifest } from './manifest-put';
import { manifestDigest } from './manifest-response';
import { getBlob, resolveBlob } from './reader';
import { rememberReferrersApi } from './referrers';
import { withRepositoryLock } from './repository-lock';
import type { Exchange } from './transport/transport';
import { checkedUploadBody } from './upload-body';

/** The upload URL from a 202 answer, resolved against the request (distribution sends a relative Location). */
function uploadLocation(response: Exchange): URL {
  const location = header(response, 'location');
  if (!location) throw new RegistryError('BLOB_UPLOAD_INVALID', `${response.url.host} started an upload without a Location`, { status: 502 });
  try {
    return new URL(location, response.url);
  } catch {
    throw new RegistryError('BLOB_UPLOAD_INVALID', `${response.url.host} sent an invalid upload Location`, { status: 502 });
  }
}

/** `POST /v2/<name>/blobs/uploads/`: opens an upload session (202 + Location). Also obtains the push token. */
async function startUpload(ctx: HttpContext, repo: string, signal?: AbortSignal): Promise<URL> {
  const response = await ctx.client.send({
    method: 'POST',
    path: paths.uploads(repo),
    headers: { 'content-length': '0' },
    scopes: [Scope.push(repo)],
    signal,
    notFound: 'NAME_UNKNOWN',
  });
  await discard(response);
  if (response.status !== 202) throw unexpectedStatus(response, 'an upload start');
  return uploadLocation(response);
}

/** `PUT <location>?digest=`: the monolithic upload of the whole blob in one request. */
async function finishUpload(ctx: HttpContext, repo: string, location: URL, descriptor: Descriptor, body: RequestBody, signal?: AbortSignal): Promise<void> {
  const url = new URL(location);
  url.searchParams.set('digest', descriptor.digest);
  const response = await ctx.client.send({
    method: 'PUT',
    path: url,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(descriptor.size) },
    body,
    scopes: [Scope.push(repo)],
    signal,
    notFound: 'BLOB_UPLOAD_UNKNOWN',
  });
  await discard(response);
  if (response.status !== 201) throw unexpectedStatus(response, 'an upload');
  ctx.learned.write = true;
}

/** Best effort: tells the registry to drop an upload session we will not finish. */
async function cancelUpload(ctx: HttpContext, repo: string, location: URL): Promise<void> {
  try {
    const response = await ctx.client.send({ method: 'DELETE', path: location, scopes: [Scope.push(repo)], accept: (status) => status !== 401 });
    await discard(response);
  } catch {
    // The registry expires abandoned uploads on its own.
  }
}

function toNodeStream(body: ReadableStream<Uint8Array>): Readable {
  return Readable.fromWeb(body as unknown as NodeReadableStream<Uint8Array>);
}

/**
 * Pushes a blob: HEAD first (an existing blob is not sent again), then a monolithic upload (POST, then PUT with
 * `?digest=`). Byte bodies are checked against the descriptor before anything is sent; a stream is checked by the
 * registry, which refuses a wrong digest with DIGEST_INVALID.
 */
export async function pushBlob(
  ctx: HttpContext,
  repo: string,
  descriptor: Descriptor,
  body: Uint8Array | ReadableStream<Uint8Array>,
  options?: CallOptions,
): Promise<Descriptor> {
  validateRepository(repo);
  parseDigest(descriptor.digest);
  const algorithm = algorithmOf(descriptor.digest);
  const signal = options?.signal;
  const result: Descriptor = { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
  if (body instanceof Uint8Array) {
    if (body.length !== descriptor.size) {
      throw new RegistryError('SIZE_INVALID', `blob has ${body.length} bytes, the descriptor says ${descriptor.size}`);
    }
    const actual = hashBytes(body, algorithm);
    if (actual !== descriptor.digest) {
      throw new RegistryError('DIGEST_INVALID', `blob hashes to ${actual}, the descriptor says ${descriptor.digest}`);
    }
  }
  try {
    const existing = await resolveBlob(ctx, repo, descriptor.digest, options);
    if (!(body instanceof Uint8Array)) await body.cancel().catch(() => undefined);
    return { ...result, size: existing.size };
  } catch (error) {
    if (!isRegistryError(error, 'BLOB_UNKNOWN') && !isRegistryError(error, 'NAME_UNKNOWN')) throw error;
  }
  const location = await startUpload(ctx, repo, signal);
  try {
    await finishUpload(ctx, repo, location, descriptor, body instanceof Uint8Array ? body : checkedUploadBody(body, descriptor), signal);
  } catch (error) {
    await cancelUpload(ctx, repo, location);
    throw error;
  }
  return result;
}

/**
 * Mounts a blob from another repository (`POST …/uploads/?mount=&from=`, 201). A registry that cannot mount
 * answers 202 with a fresh upload session instead (spec); the blob is then copied through Porthole into it.
 */
export async function mountBlob(ctx: HttpContext, fromRepo: string, repo: string, digest: Digest, options?: CallOptions): Promise<Descriptor> {
  validateRepository(fromRepo);
  validateRepository(repo);
  parseDigest(digest);
  const signal = options?.signal;
  const response = await ctx.client.send({
    method: 'POST',
    path: paths.uploads(repo),
    query: { mount: digest, from: fromRepo },
    headers: { 'content-length': '0' },
    // distribution's token auth asks for pull on the source repository too.
    scopes: [Scope.push(repo), Scope.pull(fromRepo)],
    signal,
    notFound: 'NAME_UNKNOWN',
  });
  await discard(response);
  if (response.status === 201) {
    ctx.learned.write = true;
    return resolveBlob(ctx, repo, digest, options);
  }
  if (response.status !== 202) throw unexpectedStatus(response, 'a blob mount');
  const location = uploadLocation(response);
  try {
    const source = await getBlob(ctx, fromRepo, digest, options);
    await finishUpload(ctx, repo, location, source.descriptor, toNodeStream(source.body), signal);
    return source.descriptor;
  } catch (error) {
    await cancelUpload(ctx, repo, location);
    throw error;
  }
}

/**
 * Pushes a manifest's exact bytes by tag or by digest; a push by tag holds the repository lock
 * (repository-lock.ts) like tag and manifest deletes do. When it has a `subject` and the registry did not answer
 * with a matching `OCI-Subject` (it has no referrers API: distribution 2.8.2 and v3 never send it), the subject's
 * referrers fallback index is updated.
 */
export async function pushManifest(ctx: HttpContext, repo: string, bytes: Uint8Array, mediaType: string, options?: PushManifestOptions): Promise<Descriptor> {
  validateRepository(repo);
  if (options?.tag !== undefined) validateTag(options.tag);
  if (bytes.length > MAX_MANIFEST_BYTES) {
    throw new RegistryError('MANIFEST_INVALID', `manifest is larger than ${MAX_MANIFEST_BYTES} bytes (4 MiB)`, { detail: { size: bytes.length } });
  }
  const type = baseMediaType(mediaType);
  if (!MANIFEST_MEDIA_TYPES.includes(type)) {
    throw new RegistryError('MANIFEST_INVALID', `"${type || '(none)'}" is not a manifest media type`);
  }
  const parsed = parseManifest(bytes, type);
  if (parsed.mediaType !== type) {
    throw new RegistryError('MANIFEST_INVALID', `manifest media type "${parsed.mediaType}" does not match "${type}"`);
  }
  const digest = manifestDigest(bytes, type, 'sha256');
  const descriptor: Descriptor = { mediaType: type, digest, size: bytes.length };
  const put = () => putManifest(ctx, repo, options?.tag ?? digest, bytes, type, digest, options?.signal);
  // A push by tag re-points a tag: it must not land while a delete walks the repository's tag links.
  const { ociSubject } = options?.tag !== undefined ? await withRepositoryLock(ctx, repo, put) : await put();
  const subject = parsed.subject?.digest;
  if (subject) {
    if (ociSubject === subject) {
      rememberReferrersApi(ctx, repo, true);
    } else {
      rememberReferrersApi(ctx, repo, false);
      await addToFallbackIndex(ctx, repo, subject, referrerDescriptor(descriptor, parsed.manifest), options?.signal);
    }
  }
  return descriptor;
}

export function createWriter(ctx: HttpContext): RegistryWriter {
  return {
    pushBlob: (repo, descriptor, body, options) => pushBlob(ctx, repo, descriptor, body, options),
    mountBlob: (fromRepo, repo, digest, options) => mountBlob(ctx, fromRepo, repo, digest, options),
    pushManifest: (repo, bytes, mediaType, options) => pushManifest(ctx, repo, bytes, mediaType, options),
  };
}
