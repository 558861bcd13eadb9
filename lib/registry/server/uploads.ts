/**
 * Blob uploads: `POST …/blobs/uploads/` (a session, a monolithic push with `?digest=`, or a mount with
 * `?mount=&from=`), `PATCH` chunks (in order, `Content-Range` checked, 416 otherwise), `GET` status, `PUT` to
 * complete with `?digest=`, `DELETE` to cancel. Chunks are staged in a temp file; a completed upload is streamed
 * into the backend, which verifies size and digest before anything becomes visible (layout: temp file renamed
 * into place; memory: stored after the check). A push whose size is known up front skips the staging file.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pushing-blobs
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { validateRepository } from '@/lib/oci/reference';
import { streamOf } from '@/lib/registry/blob-bytes';
import { authorize, mayRead, type Target } from './access';
import { contentLength, discard } from './body';
import { reportSuccess, reported, type Call } from './call';
import { reply, replyJson } from './respond';
import { checkDigest, splitName } from './route';
import type { UploadSession } from './upload-store';

const BLOB_MEDIA_TYPE = 'application/octet-stream';
/** Repositories searched for a blob when a mount names no `from`. */
const DISCOVERY_LIMIT = 1000;

function created(name: string, digest: string): Response {
  return reply(null, 201, { location: `/v2/${name}/blobs/${digest}`, 'docker-content-digest': digest, 'content-length': '0' });
}

/** The `Range` value of a session: `0-<last byte>`, and `0-0` before the first byte (as distribution answers). */
function rangeOf(session: UploadSession): string {
  return `0-${Math.max(0, session.size - 1)}`;
}

function sessionHeaders(name: string, session: UploadSession): Record<string, string> {
  return {
    location: `/v2/${name}/blobs/uploads/${session.id}`,
    range: rangeOf(session),
    'docker-upload-uuid': session.id,
    'content-length': '0',
  };
}

function requiredDigest(call: Call): string {
  const digest = call.url.searchParams.get('digest');
  if (!digest) throw new RegistryError('DIGEST_INVALID', 'the digest query parameter is required to complete an upload');
  return checkDigest(digest);
}

function checkSize(call: Call, size: number): void {
  if (size > call.options.maxBlobBytes) {
    throw new RegistryError('SIZE_INVALID', `blob is larger than this registry accepts (${call.options.maxBlobBytes} bytes)`, { status: 413 });
  }
}

/** Streams `body` (exactly `size` bytes) into the backend, which verifies it. */
async function store(call: Call, target: Target, digest: string, size: number, body: ReadableStream<Uint8Array>): Promise<void> {
  checkSize(call, size);
  await target.source.registry.pushBlob(target.repo, { mediaType: BLOB_MEDIA_TYPE, digest, size }, body, { signal: call.request.signal });
}

/** Stages the request body in a fresh session and pushes it (a monolithic push of unknown length). */
async function pushStaged(call: Call, name: string, target: Target, digest: string): Promise<void> {
  const session = await call.uploads.create(name);
  try {
    await call.uploads.append(session, call.request.body, call.options.maxBlobBytes);
    await store(call, target, digest, session.size, call.uploads.read(session));
  } finally {
    await call.uploads.remove(session);
  }
}

/** Mount from `from` (same source: the backend's mount; another source: a streamed copy). False when not possible. */
async function mountFrom(call: Call, target: Target, from: string, digest: string): Promise<boolean> {
  try {
    validateRepository(from);
    const parts = splitName(from);
    const sources = await call.options.sources();
    const origin = parts && sources.find((s) => s.name === parts.source);
    if (!parts || !origin || !mayRead(call.caller, origin, call.options)) return false;
    const signal = call.request.signal;
    if (origin === target.source) {
      await target.source.registry.mountBlob(parts.repo, target.repo, digest, { signal });
    } else {
      const blob = await origin.registry.getBlob(parts.repo, digest, { signal });
      await store(call, target, digest, blob.descriptor.size, blob.body);
    }
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    return false;
  }
}

/** Automatic content discovery: the blob already in the repository, or in another repository of the source. */
async function discover(call: Call, target: Target, digest: string): Promise<boolean> {
  const { registry } = target.source;
  const signal = call.request.signal;
  const found = await registry.resolveBlob(target.repo, digest, { signal }).then(
    () => true,
    () => false,
  );
  if (found) return true;
  if (!target.source.discoverMounts) return false;
  let searched = 0;
  try {
    for await (const repo of registry.listRepositories({ signal })) {
      if (++searched > DISCOVERY_LIMIT) break;
      if (repo === target.repo) continue;
      const here = await registry.resolveBlob(repo, digest, { signal }).then(
        () => true,
        () => false,
      );
      if (!here) continue;
      await registry.mountBlob(repo, target.repo, digest, { signal });
      return true;
    }
  } catch {
    // A source that cannot list or mount just has nothing to discover.
  }
  return false;
}

/** `POST /v2/<name>/blobs/uploads/` */
export async function startUpload(call: Call, name: string): Promise<Response> {
  const params = call.url.searchParams;
  const mount = params.get('mount');
  const digestParam = params.get('digest');
  if (mount !== null) {
    const digest = checkDigest(mount);
    const from = params.get('from');
    const base = { action: 'mount-blob' as const, name, digest, ...(from ? { from } : {}) };
    const target = await reported(call, base, () => authorize(name, 'push', call.caller, call.options), true);
    await discard(call.request.body);
    const mounted = from ? await mountFrom(call, target, from, digest) : await discover(call, target, digest);
    if (mounted) {
      await reportSuccess(call, base);
      return created(name, digest);
    }
  } else if (digestParam !== null) {
    const digest = checkDigest(digestParam);
    return reported(call, { action: 'push-blob', name, digest }, async () => {
      const target = await authorize(name, 'push', call.caller, call.options);
      const length = contentLength(call.request);
      if (length !== undefined) await store(call, target, digest, length, call.request.body ?? streamOf(new Uint8Array()));
      else await pushStaged(call, name, target, digest);
      return created(name, digest);
    });
  }
  await authorize(name, 'push', call.caller, call.options);
  await discard(call.request.body);
  const session = await call.uploads.create(name);
  return reply(null, 202, sessionHeaders(name, session));
}

/** `GET /v2/<name>/blobs/uploads/<id>`: how much has arrived. */
export async function uploadStatus(call: Call, name: string, id: string): Promise<Response> {
  await authorize(name, 'push', call.caller, call.options);
  const session = call.uploads.get(name, id);
  return reply(null, 204, sessionHeaders(name, session));
}

/** Parses `Content-Range: <start>-<end>` (a `bytes ` prefix is tolerated). */
function parseContentRange(header: string | null): { start: number; end: number } | undefined {
  if (header === null) return undefined;
  const match = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!match) throw new RegistryError('BLOB_UPLOAD_INVALID', 'Content-Range must be <start>-<end>');
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start) throw new RegistryError('BLOB_UPLOAD_INVALID', 'Content-Range ends before it starts');
  return { start, end };
}

/** A 416 for a chunk that does not continue the upload, with where the upload stands. */
function outOfOrder(name: string, session: UploadSession): Response {
  const body = { errors: [{ code: 'BLOB_UPLOAD_INVALID', message: `chunk does not start at offset ${session.size}`, detail: { size: session.size } }] };
  return replyJson(body, 416, sessionHeaders(name, session));
}

/** Appends the request body as the next chunk; checks it against `Content-Range`/`Content-Length` if sent. */
async function appendChunk(call: Call, name: string, session: UploadSession): Promise<Response | undefined> {
  const range = parseContentRange(call.request.headers.get('content-range'));
  const length = contentLength(call.request);
  if (range && range.start !== session.size) {
    await discard(call.request.body);
    return outOfOrder(name, session);
  }
  if (range && length !== undefined && length !== range.end - range.start + 1) {
    throw new RegistryError('BLOB_UPLOAD_INVALID', 'Content-Length does not match Content-Range');
  }
  const start = session.size;
  const written = await call.uploads.append(session, call.request.body, call.options.maxBlobBytes);
  const expected = range ? range.end - range.start + 1 : length;
  if (expected !== undefined && written !== expected) {
    await call.uploads.truncate(session, start);
    throw new RegistryError('BLOB_UPLOAD_INVALID', `chunk has ${written} bytes, its headers say ${expected}`);
  }
  return undefined;
}

/** `PATCH /v2/<name>/blobs/uploads/<id>`: one chunk. */
export async function patchUpload(call: Call, name: string, id: string): Promise<Response> {
  await authorize(name, 'push', call.caller, call.options);
  const session = call.uploads.get(name, id);
  return call.uploads.exclusive(session, async () => {
    const refused = await appendChunk(call, name, session);
    return refused ?? reply(null, 202, sessionHeaders(name, session));
  });
}

/** `PUT /v2/<name>/blobs/uploads/<id>?digest=`: the last chunk (optional) and completion. */
export async function completeUpload(call: Call, name: string, id: string): Promise<Response> {
  const digest = requiredDigest(call);
  return reported(call, { action: 'push-blob', name, digest }, async () => {
    const target = await authorize(name, 'push', call.caller, call.options);
    const session = call.uploads.get(name, id);
    return call.uploads.exclusive(session, async () => {
      const length = contentLength(call.request);
      if (session.size === 0 && length !== undefined && !call.request.headers.has('content-range')) {
        // Nothing staged yet: the whole blob is this body, streamed straight into the backend.
        try {
          await store(call, target, digest, length, call.request.body ?? streamOf(new Uint8Array()));
        } finally {
          await call.uploads.remove(session);
        }
        return created(name, digest);
      }
      const refused = await appendChunk(call, name, session);
      if (refused) return refused;
      try {
        await store(call, target, digest, session.size, call.uploads.read(session));
      } finally {
        await call.uploads.remove(session);
      }
      return created(name, digest);
    });
  });
}

/** `DELETE /v2/<name>/blobs/uploads/<id>`: cancels the upload. */
export async function cancelUpload(call: Call, name: string, id: string): Promise<Response> {
  await authorize(name, 'push', call.caller, call.options);
  const session = call.uploads.get(name, id);
  if (session.busy) throw new RegistryError('BLOB_UPLOAD_INVALID', 'another request is using this upload');
  await call.uploads.remove(session);
  return reply(null, 204, { 'content-length': '0' });
}
