/**
 * The `/v2` registry server: one function from a `Request` to a `Response` over the served sources, in the
 * spirit of cue-labs' `ociserver` over `ociregistry.Interface`. Repository `<source>/<repo>` is repository
 * `<repo>` of source `<source>`. The function needs no framework: Next.js calls it from
 * `app/v2/[[...path]]/route.ts`, tests from a plain `node:http` server.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md
 */
import 'server-only';
import { join } from 'node:path';
import { RegistryError } from '@/lib/oci/errors';
import { callerOf, type Caller } from './access';
import { deleteBlob, getBlob } from './blobs';
import type { Call } from './call';
import { catalog, referrers, tags } from './lists';
import { deleteManifest, getManifest, putManifest } from './manifests';
import { defaultErrorMapper, replyError, replyJson, type ErrorMapper } from './respond';
import { parseRoute, type Route } from './route';
import { UploadStore } from './upload-store';
import { cancelUpload, completeUpload, patchUpload, startUpload, uploadStatus } from './uploads';
import { DEFAULT_MAX_BLOB_BYTES, type ServerOptions } from './types';

type Endpoint = (call: Call, route: Route) => Promise<Response>;

/** Methods per endpoint; any other method is 405 UNSUPPORTED. */
const ENDPOINTS: Record<Route['kind'], Partial<Record<string, Endpoint>>> = {
  ping: {
    GET: ping,
    HEAD: ping,
  },
  catalog: { GET: (call) => catalog(call) },
  tags: { GET: (call, r) => tags(call, (r as { name: string }).name) },
  manifest: {
    GET: (call, r) => getManifest(call, ...manifestArgs(r), false),
    HEAD: (call, r) => getManifest(call, ...manifestArgs(r), true),
    PUT: (call, r) => putManifest(call, ...manifestArgs(r)),
    DELETE: (call, r) => deleteManifest(call, ...manifestArgs(r)),
  },
  blob: {
    GET: (call, r) => getBlob(call, ...blobArgs(r), false),
    HEAD: (call, r) => getBlob(call, ...blobArgs(r), true),
    DELETE: (call, r) => deleteBlob(call, ...blobArgs(r)),
  },
  uploads: { POST: (call, r) => startUpload(call, (r as { name: string }).name) },
  upload: {
    GET: (call, r) => uploadStatus(call, ...uploadArgs(r)),
    PATCH: (call, r) => patchUpload(call, ...uploadArgs(r)),
    PUT: (call, r) => completeUpload(call, ...uploadArgs(r)),
    DELETE: (call, r) => cancelUpload(call, ...uploadArgs(r)),
  },
  referrers: { GET: (call, r) => referrers(call, ...blobArgs(r)) },
};

function manifestArgs(route: Route): [string, string] {
  const r = route as Extract<Route, { kind: 'manifest' }>;
  return [r.name, r.reference];
}

function blobArgs(route: Route): [string, string] {
  const r = route as Extract<Route, { kind: 'blob' | 'referrers' }>;
  return [r.name, r.digest];
}

function uploadArgs(route: Route): [string, string] {
  const r = route as Extract<Route, { kind: 'upload' }>;
  return [r.name, r.id];
}

/** `GET /v2/`: 200 `{}`; with authentication configured, 401 + challenge until the caller authenticates (so `docker login` checks credentials). */
async function ping(call: Call): Promise<Response> {
  if (call.options.auth && call.caller.user === undefined) throw new RegistryError('UNAUTHORIZED', 'authentication required');
  return replyJson({}, 200);
}

export interface RegistryServer {
  /** Answers one request whose path starts with `/v2`. Never throws. */
  handle(request: Request): Promise<Response>;
}

/** Creates the server. `errors` maps thrown values to wire errors (default: RegistryError as is, others UNKNOWN). */
export function createRegistryServer(options: ServerOptions, errors: ErrorMapper = defaultErrorMapper): RegistryServer {
  const resolved = { ...options, maxBlobBytes: options.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES };
  const uploads = new UploadStore({
    dir: join(options.dataDir, 'uploads'),
    ttlMs: options.uploadTtlMs ?? 60 * 60_000,
    max: options.maxUploads ?? 256,
  });
  return {
    async handle(request) {
      const method = request.method.toUpperCase();
      try {
        const url = new URL(request.url);
        const route = parseRoute(url.pathname);
        const endpoint = ENDPOINTS[route.kind][method];
        if (!endpoint) throw new RegistryError('UNSUPPORTED', `${method} is not supported here`, { status: 405 });
        const caller: Caller = callerOf(request, resolved);
        return await endpoint({ request, url, caller, options: resolved, uploads }, route);
      } catch (error) {
        await request.body?.cancel().catch(() => undefined);
        return replyError(error, method, errors, options.auth?.challenge);
      }
    },
  };
}
