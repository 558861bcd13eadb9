/**
 * Test helpers for the HTTP backend's unit tests: a small in-memory registry answering through undici's
 * MockAgent (no sockets), with switches for the behaviours of real registries that distribution 2.8.2 cannot
 * show (a referrers API with pages and filters, `OCI-Subject`, native tag deletion), and a recorder of every
 * request so tests can assert on what was sent. Not used by production code.
 */
import { createHash } from 'node:crypto';
import { MockAgent, type Dispatcher } from 'undici';
import { baseMediaType, MediaType } from '@/lib/oci/media-types';

export const REGISTRY = 'https://registry.example.com';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export type MockReply = { statusCode: number; data?: string | Buffer | Uint8Array; responseOptions?: { headers?: Record<string, string | string[] | undefined> } };

export const sha256 = (bytes: Uint8Array | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
export const utf8 = (text: string) => new TextEncoder().encode(text);

/** Headers of a request as a plain lower-case record (undici hands them over as an object or a flat array). */
export function plainHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
  } else if (headers && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) out[k.toLowerCase()] = String(v);
  }
  return out;
}

function bodyBytes(body: unknown): Uint8Array | undefined {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return utf8(body);
  return undefined;
}

export const json = (value: unknown, status = 200, headers: Record<string, string> = {}): MockReply => ({
  statusCode: status,
  data: JSON.stringify(value),
  responseOptions: { headers: { 'content-type': 'application/json; charset=utf-8', ...headers } },
});

export const wireError = (status: number, code: string, message = code.toLowerCase().replace(/_/g, ' ')): MockReply =>
  json({ errors: [{ code, message, detail: null }] }, status);

/** A MockAgent that refuses real connections. */
export function mockAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

/**
 * Answers every request to `origin` with `handler` and records it. Returns the record list.
 */
export function route(agent: MockAgent, origin: string, handler: (request: RecordedRequest) => MockReply): RecordedRequest[] {
  const recorded: RecordedRequest[] = [];
  agent
    .get(origin)
    .intercept({ path: () => true, method: () => true })
    .reply((options) => {
      const request: RecordedRequest = { method: options.method, path: options.path, headers: plainHeaders(options.headers), body: bodyBytes(options.body) };
      recorded.push(request);
      const reply = handler(request);
      return { statusCode: reply.statusCode, data: reply.data === undefined ? '' : Buffer.from(reply.data), responseOptions: reply.responseOptions ?? {} };
    })
    .persist();
  return recorded;
}

export interface FakeRegistryOptions {
  /** How `DELETE /manifests/<tag>` answers: 202 and removes the tag, or distribution 2.8.2's answers. */
  tagDelete?: 'native' | 'digest-invalid' | 'unsupported';
  /** `storage.delete.enabled` (default true). */
  manifestDelete?: boolean;
  /** Serve `GET /referrers/<digest>` and send `OCI-Subject` on pushes (default false: text/plain 404 like 2.8.2). */
  referrersApi?: boolean;
  /** Answer `Docker-Content-Digest` on HEAD by tag (ECR omits it). Default true. */
  digestOnTagHead?: boolean;
  /** Serve `/v2/_catalog` (default true; one page with every repository). */
  catalog?: boolean;
  /** Sees every request first; a reply it returns is sent instead of the normal answer (fault injection). */
  intercept?: (request: RecordedRequest, registry: FakeRegistry) => MockReply | undefined;
}

interface Stored {
  bytes: Uint8Array;
  mediaType: string;
}

/**
 * A distribution-like registry in memory: blobs (monolithic uploads, mounts), manifests by tag and digest,
 * tags list (unsorted, like 2.8.2), deletes, and optionally the referrers API.
 */
export class FakeRegistry {
  readonly blobs = new Map<string, Map<string, Uint8Array>>();
  readonly manifests = new Map<string, Map<string, Stored>>();
  readonly tags = new Map<string, Map<string, string>>();
  readonly requests: RecordedRequest[];
  private uploads = 0;

  constructor(
    agent: MockAgent,
    readonly options: FakeRegistryOptions = {},
    origin = REGISTRY,
  ) {
    this.requests = route(agent, origin, (request) => this.options.intercept?.(request, this) ?? this.handle(request));
  }

  /** Requests as `METHOD path` strings, for order assertions. */
  get log(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  putBlob(repo: string, bytes: Uint8Array): string {
    const digest = sha256(bytes);
    this.map(this.blobs, repo).set(digest, bytes);
    return digest;
  }

  putManifest(repo: string, bytes: Uint8Array, mediaType: string, tag?: string): string {
    const digest = sha256(bytes);
    this.map(this.manifests, repo).set(digest, { bytes, mediaType });
    if (tag) this.map(this.tags, repo).set(tag, digest);
    return digest;
  }

  private map<T>(outer: Map<string, Map<string, T>>, repo: string): Map<string, T> {
    let inner = outer.get(repo);
    if (!inner) outer.set(repo, (inner = new Map()));
    return inner;
  }

  private handle(request: RecordedRequest): MockReply {
    const url = new URL(request.path, REGISTRY);
    const path = url.pathname;
    let m: RegExpExecArray | null;
    if (path === '/v2/' || path === '/v2') return json({});
    if (path === '/v2/_catalog' && this.options.catalog !== false) {
      return json({ repositories: [...new Set([...this.blobs.keys(), ...this.manifests.keys()])].sort() });
    }
    if ((m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path))) return this.manifest(request, m[1]!, m[2]!);
    if ((m = /^\/v2\/(.+)\/blobs\/uploads\/?(\d*)$/.exec(path))) return this.upload(request, url, m[1]!, m[2]!);
    if ((m = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(path))) return this.blob(request, m[1]!, m[2]!);
    if ((m = /^\/v2\/(.+)\/tags\/list$/.exec(path))) {
      const tags = this.tags.get(m[1]!);
      if (!tags) return wireError(404, 'NAME_UNKNOWN');
      return json({ name: m[1], tags: tags.size ? [...tags.keys()].reverse() : null });
    }
    if ((m = /^\/v2\/(.+)\/referrers\/([^/]+)$/.exec(path)) && this.options.referrersApi) return this.referrers(m[1]!, m[2]!, url);
    return { statusCode: 404, data: '404 page not found\n', responseOptions: { headers: { 'content-type': 'text/plain; charset=utf-8' } } };
  }

  private manifest(request: RecordedRequest, repo: string, reference: string): MockReply {
    const isDigest = reference.includes(':');
    const manifests = this.map(this.manifests, repo);
    const tags = this.map(this.tags, repo);
    if (request.method === 'PUT') {
      const bytes = request.body ?? new Uint8Array();
      const mediaType = baseMediaType(request.headers['content-type']);
      const digest = sha256(bytes);
      if (isDigest && reference !== digest) return wireError(400, 'DIGEST_INVALID');
      manifests.set(digest, { bytes, mediaType });
      if (!isDigest) tags.set(reference, digest);
      const headers: Record<string, string> = { 'docker-content-digest': digest, location: `/v2/${repo}/manifests/${digest}` };
      const subject = (JSON.parse(new TextDecoder().decode(bytes)) as { subject?: { digest?: string } }).subject?.digest;
      if (subject && this.options.referrersApi) headers['oci-subject'] = subject;
      return { statusCode: 201, responseOptions: { headers } };
    }
    if (request.method === 'DELETE') {
      if (!isDigest) {
        if (this.options.tagDelete === 'native') {
          if (!tags.delete(reference)) return wireError(404, 'MANIFEST_UNKNOWN');
          return { statusCode: 202 };
        }
        return this.options.manifestDelete === false || this.options.tagDelete === 'unsupported'
          ? wireError(405, 'UNSUPPORTED', 'The operation is unsupported.')
          : wireError(400, 'DIGEST_INVALID', 'provided digest did not match uploaded content');
      }
      if (this.options.manifestDelete === false) return wireError(405, 'UNSUPPORTED', 'The operation is unsupported.');
      if (!manifests.delete(reference)) return wireError(404, 'MANIFEST_UNKNOWN');
      for (const [tag, digest] of tags) if (digest === reference) tags.delete(tag);
      return { statusCode: 202 };
    }
    const digest = isDigest ? reference : tags.get(reference);
    const stored = digest ? manifests.get(digest) : undefined;
    if (!digest || !stored) return request.method === 'HEAD' ? { statusCode: 404 } : wireError(404, 'MANIFEST_UNKNOWN');
    const headers: Record<string, string> = { 'content-type': stored.mediaType, 'content-length': String(stored.bytes.length) };
    if (isDigest || this.options.digestOnTagHead !== false || request.method === 'GET') headers['docker-content-digest'] = digest;
    return { statusCode: 200, data: request.method === 'HEAD' ? '' : Buffer.from(stored.bytes), responseOptions: { headers } };
  }

  private blob(request: RecordedRequest, repo: string, digest: string): MockReply {
    const blobs = this.map(this.blobs, repo);
    if (request.method === 'DELETE') {
      if (this.options.manifestDelete === false) return wireError(405, 'UNSUPPORTED');
      return blobs.delete(digest) ? { statusCode: 202 } : wireError(404, 'BLOB_UNKNOWN');
    }
    const bytes = blobs.get(digest);
    if (!bytes) return request.method === 'HEAD' ? { statusCode: 404 } : wireError(404, 'BLOB_UNKNOWN');
    const headers = { 'content-length': String(bytes.length), 'docker-content-digest': digest, 'content-type': 'application/octet-stream' };
    return { statusCode: 200, data: request.method === 'HEAD' ? '' : Buffer.from(bytes), responseOptions: { headers } };
  }

  private upload(request: RecordedRequest, url: URL, repo: string, id: string): MockReply {
    if (request.method === 'POST') {
      const mount = url.searchParams.get('mount');
      const from = url.searchParams.get('from');
      const source = mount && from ? this.blobs.get(from)?.get(mount) : undefined;
      if (mount && source) {
        this.map(this.blobs, repo).set(mount, source);
        return { statusCode: 201, responseOptions: { headers: { location: `/v2/${repo}/blobs/${mount}` } } };
      }
      return { statusCode: 202, responseOptions: { headers: { location: `/v2/${repo}/blobs/uploads/${++this.uploads}?_state=x` } } };
    }
    if (request.method === 'PUT' && id) {
      const bytes = request.body ?? new Uint8Array();
      const digest = url.searchParams.get('digest');
      if (digest !== sha256(bytes)) return wireError(400, 'DIGEST_INVALID');
      this.map(this.blobs, repo).set(digest, bytes);
      return { statusCode: 201, responseOptions: { headers: { location: `/v2/${repo}/blobs/${digest}`, 'docker-content-digest': digest } } };
    }
    if (request.method === 'DELETE') return { statusCode: 204 };
    return wireError(404, 'BLOB_UPLOAD_UNKNOWN');
  }

  private referrers(repo: string, subject: string, url: URL): MockReply {
    const artifactType = url.searchParams.get('artifactType');
    const found = [];
    for (const [digest, stored] of this.manifests.get(repo) ?? []) {
      const body = JSON.parse(new TextDecoder().decode(stored.bytes)) as {
        subject?: { digest?: string };
        artifactType?: string;
        config?: { mediaType?: string };
        annotations?: Record<string, string>;
      };
      if (body.subject?.digest !== subject) continue;
      const type = body.artifactType ?? body.config?.mediaType;
      if (artifactType && type !== artifactType) continue;
      found.push({ mediaType: stored.mediaType, digest, size: stored.bytes.length, artifactType: type, annotations: body.annotations });
    }
    const headers: Record<string, string> = { 'content-type': MediaType.OciIndex };
    if (artifactType) headers['oci-filters-applied'] = 'artifactType';
    return json({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: found }, 200, headers);
  }
}

/** Options for registries under test: fast retries, no DNS. */
export function testOptions(agent: Dispatcher) {
  return {
    url: REGISTRY,
    dispatcher: agent,
    retries: { max: 3, baseDelayMs: 1, maxDelayMs: 5 },
    resolveHost: async () => ['93.184.216.34'],
  };
}

/** Signs like libtrust: the payload minus its closing `\n}` plus a `signatures` array; the protected header says how to rebuild it. */
export function signSchema1(payload: string): Uint8Array {
  const formatLength = payload.lastIndexOf('\n}');
  const tail = payload.slice(formatLength);
  const protectedHeader = Buffer.from(JSON.stringify({ formatLength, formatTail: Buffer.from(tail).toString('base64url'), time: '2026-01-01T00:00:00Z' })).toString(
    'base64url',
  );
  const signatures = `,\n   "signatures": [\n      {\n         "header": {"alg": "ES256"},\n         "signature": "c2lnbmF0dXJl",\n         "protected": "${protectedHeader}"\n      }\n   ]\n}`;
  return utf8(payload.slice(0, formatLength) + signatures);
}

export const SCHEMA1_PAYLOAD = '{\n   "schemaVersion": 1,\n   "name": "library/old",\n   "tag": "1",\n   "architecture": "amd64",\n   "fsLayers": [],\n   "history": []\n}';
