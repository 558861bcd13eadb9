/**
 * Unit tests of the HTTP backend through undici's MockAgent (no sockets, `disableNetConnect`): what a real
 * distribution 2.8.2 cannot show — a referrers API with pages and filters, registries that ignore `n`, Link
 * variants, several challenges in one header, token caching by scope, private realms, cross-host redirects,
 * oversized and wrong-digest bodies, Warning headers — plus the writer's and deleter's request sequences.
 * Timeouts, dropped connections and concurrency against a real loopback socket are in transport.test.ts.
 */
import type { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRegistryError, RegistryError } from '@/lib/oci/errors';
import { referrersFallbackTag } from '@/lib/oci/manifest';
import { MANIFEST_MEDIA_TYPES, MediaType } from '@/lib/oci/media-types';
import { collect } from '@/lib/registry/iter';
import { artifact, image, index, pushBuilt, subjectOf } from '@/lib/registry/testing/build';
import { readStream } from '@/lib/registry/testing/contract';
import { createHttpRegistry, type HttpRegistry, type HttpRegistryOptions } from './index';
import {
  FakeRegistry,
  json,
  mockAgent,
  REGISTRY,
  route,
  SCHEMA1_PAYLOAD,
  sha256,
  signSchema1,
  testOptions,
  utf8,
  wireError,
  type MockReply,
} from './testing/mock-registry';

let agent: MockAgent;
const opened: HttpRegistry[] = [];

function open(options: Partial<HttpRegistryOptions> = {}): HttpRegistry {
  const registry = createHttpRegistry({ ...testOptions(agent), ...options });
  opened.push(registry);
  return registry;
}

async function rejection(promise: Promise<unknown> | (() => Promise<unknown>)): Promise<RegistryError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
  throw new Error('expected a RegistryError');
}

beforeEach(() => {
  agent = mockAgent();
});

afterEach(async () => {
  for (const r of opened.splice(0)) await r.close();
  await agent.close();
});

const REPO = 'team/app';
const manifestReply = (bytes: Uint8Array, mediaType: string, headers: Record<string, string> = {}): MockReply => ({
  statusCode: 200,
  data: Buffer.from(bytes),
  responseOptions: { headers: { 'content-type': mediaType, ...headers } },
});

describe('manifests', () => {
  it('sends the six-type Accept list and keeps the exact bytes; Content-Type parameters are ignored', async () => {
    const img = image({ seed: 'exact' });
    const pretty = utf8(JSON.stringify(img.manifest.json, null, 3)); // not how we would serialise it
    const requests = route(agent, REGISTRY, () =>
      manifestReply(pretty, `${MediaType.OciManifest}; charset=utf-8`, { 'docker-content-digest': sha256(pretty) }),
    );
    const r = open();
    const got = await r.getTag(REPO, 'v1');
    expect(got.bytes).toEqual(pretty);
    expect(got.descriptor).toEqual({ mediaType: MediaType.OciManifest, digest: sha256(pretty), size: pretty.length });
    expect(requests[0]!.method).toBe('GET');
    expect(requests[0]!.path).toBe(`/v2/${REPO}/manifests/v1`);
    expect(requests[0]!.headers.accept!.split(', ')).toEqual([...MANIFEST_MEDIA_TYPES]);
    expect(MANIFEST_MEDIA_TYPES).toHaveLength(6);
  });

  it('verifies the digest against the requested digest and against Docker-Content-Digest', async () => {
    const img = image({ seed: 'verify' });
    const other = image({ seed: 'other' });
    route(agent, REGISTRY, (request) => {
      if (request.path.endsWith('/manifests/wrong-header')) {
        return manifestReply(img.manifest.bytes, MediaType.OciManifest, { 'docker-content-digest': other.manifest.descriptor.digest });
      }
      // Whatever digest is asked for, the registry sends `other`.
      return manifestReply(other.manifest.bytes, MediaType.OciManifest);
    });
    const r = open();
    const byDigest = await rejection(r.getManifest(REPO, img.manifest.descriptor.digest));
    expect(byDigest.code).toBe('DIGEST_INVALID');
    expect(byDigest.message).toContain(img.manifest.descriptor.digest);
    const byHeader = await rejection(r.getTag(REPO, 'wrong-header'));
    expect(byHeader.code).toBe('DIGEST_INVALID');
    expect(byHeader.message).toContain('Docker-Content-Digest');
  });

  it('rejects a body whose mediaType differs from Content-Type', async () => {
    const img = image({ seed: 'mismatch' });
    route(agent, REGISTRY, () => manifestReply(img.manifest.bytes, MediaType.OciIndex));
    const error = await rejection(open().getTag(REPO, 'v1'));
    expect(error.code).toBe('MANIFEST_INVALID');
  });

  it('refuses manifests over 4 MiB by Content-Length before reading, and while streaming without one', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
    route(agent, REGISTRY, (request) =>
      request.path.endsWith('/declared')
        ? { statusCode: 200, data: big, responseOptions: { headers: { 'content-type': MediaType.OciManifest, 'content-length': String(big.length) } } }
        : { statusCode: 200, data: big, responseOptions: { headers: { 'content-type': MediaType.OciManifest } } },
    );
    const r = open();
    for (const tag of ['declared', 'streamed']) {
      const error = await rejection(r.getTag(REPO, tag));
      expect(error.code).toBe('MANIFEST_INVALID');
      expect(error.message).toContain('4 MiB');
    }
  });

  it('resolves with HEAD, and falls back to GET + hashing when HEAD has no Docker-Content-Digest (ECR by tag)', async () => {
    const img = image({ seed: 'head' });
    const fake = new FakeRegistry(agent, { digestOnTagHead: false });
    fake.putManifest(REPO, img.manifest.bytes, MediaType.OciManifest, 'v1');
    const r = open();
    expect(await r.resolveManifest(REPO, img.manifest.descriptor.digest)).toEqual(img.manifest.descriptor);
    expect(fake.log).toEqual([`HEAD /v2/${REPO}/manifests/${img.manifest.descriptor.digest}`]);
    expect(await r.resolveTag(REPO, 'v1')).toEqual(img.manifest.descriptor);
    expect(fake.log.slice(1)).toEqual([`HEAD /v2/${REPO}/manifests/v1`, `GET /v2/${REPO}/manifests/v1`]);
  });

  it('HEAD errors map by status (no body): 404 is MANIFEST_UNKNOWN, 401 without challenge UNAUTHORIZED', async () => {
    route(agent, REGISTRY, (request) => ({ statusCode: request.path.endsWith('/locked') ? 401 : 404 }));
    const r = open();
    expect((await rejection(r.resolveTag(REPO, 'missing'))).code).toBe('MANIFEST_UNKNOWN');
    expect((await rejection(r.resolveTag(REPO, 'locked'))).code).toBe('UNAUTHORIZED');
    expect((await rejection(r.resolveBlob(REPO, sha256('x')))).code).toBe('BLOB_UNKNOWN');
  });

  it('schema1 signed manifests are addressed by their JWS payload digest, which is verified', async () => {
    const signed = signSchema1(SCHEMA1_PAYLOAD);
    const canonical = sha256(SCHEMA1_PAYLOAD);
    route(agent, REGISTRY, (request) =>
      manifestReply(signed, MediaType.DockerSchema1Signed, request.path.endsWith('/lying') ? { 'docker-content-digest': sha256(signed) } : { 'docker-content-digest': canonical }),
    );
    const r = open();
    const got = await r.getManifest(REPO, canonical);
    expect(got.descriptor).toEqual({ mediaType: MediaType.DockerSchema1Signed, digest: canonical, size: signed.length });
    expect(got.bytes).toEqual(signed);
    expect((await r.getTag(REPO, 'v1')).descriptor.digest).toBe(canonical);
    expect((await rejection(r.getTag(REPO, 'lying'))).code).toBe('DIGEST_INVALID');
  });

  it('parses spec error bodies, maps a text/plain router miss, and reads at most 8 KiB of an error body', async () => {
    route(agent, REGISTRY, (request) => {
      if (request.path.includes('/json/')) return json({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: 'x' } }] }, 404);
      if (request.path.includes('/huge/')) return { statusCode: 400, data: 'x'.repeat(100_000), responseOptions: { headers: { 'content-type': 'text/plain' } } };
      if (request.path.includes('/garbage/')) return json({ errors: 'nope' }, 403);
      return { statusCode: 404, data: '404 page not found\n', responseOptions: { headers: { 'content-type': 'text/plain; charset=utf-8' } } };
    });
    const r = open();
    const known = await rejection(r.getTag('json/x', 'x'));
    expect(known).toMatchObject({ code: 'MANIFEST_UNKNOWN', status: 404, detail: { Tag: 'x' } });
    expect(known.message).toContain('registry.example.com');
    expect((await rejection(r.getTag('router/miss', 'x'))).code).toBe('MANIFEST_UNKNOWN');
    expect((await rejection(collect(r.listTags('router/miss')))).code).toBe('NAME_UNKNOWN');
    const huge = await rejection(r.getTag('huge/x', 'x'));
    expect(huge.status).toBe(400);
    expect(huge.message.length).toBeLessThan(200);
    expect((await rejection(r.getTag('garbage/x', 'x'))).code).toBe('DENIED');
  });

  it('a blob digest asked for as a manifest is MANIFEST_UNKNOWN (distribution 2.8.2 answers 500)', async () => {
    const layer = utf8('layer bytes');
    route(agent, REGISTRY, (request) => {
      if (request.path.includes('/blobs/')) return { statusCode: 200, responseOptions: { headers: { 'content-length': String(layer.length) } } };
      return json({ errors: [{ code: 'UNKNOWN', message: 'unknown error', detail: {} }] }, 500);
    });
    const r = open();
    const error = await rejection(r.getManifest(REPO, sha256(layer)));
    expect(error.code).toBe('MANIFEST_UNKNOWN');
    expect((await rejection(r.resolveManifest(REPO, sha256(layer)))).code).toBe('MANIFEST_UNKNOWN');
  });
});

describe('blobs', () => {
  it('streams a blob verified against its digest; a corrupt body errors at the end with DIGEST_INVALID', async () => {
    const good = utf8('good content');
    const bad = utf8('bad! content');
    route(agent, REGISTRY, (request) => ({
      statusCode: 200,
      data: Buffer.from(request.path.endsWith(sha256(good)) ? good : bad),
      responseOptions: { headers: { 'content-length': String(good.length) } },
    }));
    const r = open();
    const ok = await r.getBlob(REPO, sha256(good));
    expect(ok.descriptor).toEqual({ mediaType: 'application/octet-stream', digest: sha256(good), size: good.length });
    expect(await readStream(ok.body)).toEqual(good);
    const corrupt = await r.getBlob(REPO, sha256('expected content'.slice(0, 12)));
    await expect(readStream(corrupt.body)).rejects.toMatchObject({ code: 'DIGEST_INVALID' });
  });

  it('serves ranges: 206 with Content-Range, or cut out locally when the registry ignores Range', async () => {
    const bytes = utf8('0123456789');
    route(agent, REGISTRY, (request) =>
      request.path.includes('/honours/')
        ? { statusCode: 206, data: Buffer.from(bytes.subarray(2, 6)), responseOptions: { headers: { 'content-range': 'bytes 2-5/10', 'content-length': '4' } } }
        : { statusCode: 200, data: Buffer.from(bytes), responseOptions: { headers: { 'content-length': '10' } } },
    );
    const r = open();
    const partial = await r.getBlob('honours/range', sha256(bytes), { range: { start: 2, end: 5 } });
    expect(new TextDecoder().decode(await readStream(partial.body))).toBe('2345');
    expect(partial).toMatchObject({ range: { start: 2, end: 5 }, descriptor: { size: 10 } });
    const local = await r.getBlob('ignores/range', sha256(bytes), { range: { start: 7 } });
    expect(new TextDecoder().decode(await readStream(local.body))).toBe('789');
    expect(local.range).toEqual({ start: 7, end: 9 });
    expect((await rejection(r.getBlob('ignores/range', sha256(bytes), { range: { start: 10 } }))).code).toBe('RANGE_INVALID');
  });

  it('follows a redirect to object storage without forwarding Authorization; same-origin hops keep it', async () => {
    const bytes = utf8('layer in the bucket');
    const digest = sha256(bytes);
    const registryRequests = route(agent, REGISTRY, (request) => {
      if (!request.headers.authorization) return { statusCode: 401, responseOptions: { headers: { 'www-authenticate': 'Basic realm="r"' } } };
      if (request.path.startsWith('/v2/team/app/blobs/')) return { statusCode: 307, responseOptions: { headers: { location: `/internal/${digest}` } } };
      return { statusCode: 302, responseOptions: { headers: { location: `https://bucket.storage.example.net/blobs/${digest}?X-Signature=abc` } } };
    });
    const storageRequests = route(agent, 'https://bucket.storage.example.net', () => ({
      statusCode: 200,
      data: Buffer.from(bytes),
      responseOptions: { headers: { 'content-length': String(bytes.length) } },
    }));
    const r = open({ credentials: { username: 'u', password: 'secret-password' } });
    const got = await r.getBlob(REPO, digest);
    expect(await readStream(got.body)).toEqual(bytes);
    const authorized = registryRequests.filter((q) => q.headers.authorization);
    expect(authorized.map((q) => q.path)).toEqual([`/v2/${REPO}/blobs/${digest}`, `/internal/${digest}`]);
    expect(storageRequests).toHaveLength(1);
    expect(storageRequests[0]!.path).toBe(`/blobs/${digest}?X-Signature=abc`);
    expect(storageRequests[0]!.headers.authorization).toBeUndefined();
  });

  it('refuses endless redirects and https → http downgrades', async () => {
    route(agent, REGISTRY, (request) => ({
      statusCode: 302,
      responseOptions: { headers: { location: request.path.includes('/down/') ? 'http://plain.example.com/x' : `${request.path}x` } },
    }));
    const r = open();
    expect((await rejection(r.getBlob(REPO, sha256('a')))).message).toContain('redirected more than 5 times');
    expect((await rejection(r.getBlob('down/app', sha256('a')))).message).toContain('plain http');
  });
});

describe('lists', () => {
  it('follows Link in every spelling: relative, absolute, without spaces, several links in one header', async () => {
    const pages: Record<string, MockReply> = {
      '/v2/_catalog?n=2': json({ repositories: ['a/a', 'a/b'] }, 200, { link: '</v2/_catalog?last=a%2Fb&n=2>; rel="next"' }),
      '/v2/_catalog?last=a%2Fb&n=2': json({ repositories: ['a-b', 'a.b'] }, 200, { link: `<${REGISTRY}/v2/_catalog?last=a.b&n=2>;rel="next"` }),
      '/v2/_catalog?last=a.b&n=2': json({ repositories: ['a0', 'a_b'] }, 200, {
        link: '</v2/_catalog?n=2>; rel="first", </v2/_catalog?n=2&last=a_b>; rel=next',
      }),
      '/v2/_catalog?n=2&last=a_b': json({ repositories: ['b'] }),
    };
    const requests = route(agent, REGISTRY, (request) => pages[request.path] ?? wireError(400, 'UNEXPECTED'));
    const all = await collect(open().listRepositories({ pageSize: 2 }));
    // The registry's order (path components first) is kept, not re-sorted.
    expect(all).toEqual(['a/a', 'a/b', 'a-b', 'a.b', 'a0', 'a_b', 'b']);
    expect(requests.map((q) => q.path)).toEqual(Object.keys(pages));
  });

  it('ends at a full page without Link once the registry paged with links, and says so through onPage', async () => {
    const pages: Record<string, MockReply> = {
      '/v2/_catalog?n=2': json({ repositories: ['a', 'b'] }, 200, { link: '</v2/_catalog?last=b&n=2>; rel="next"' }),
      // Distribution leaves the link off its last page even when that page is exactly full.
      '/v2/_catalog?last=b&n=2': json({ repositories: ['c', 'd'] }),
    };
    const requests = route(agent, REGISTRY, (request) => pages[request.path] ?? wireError(400, 'UNEXPECTED'));
    const said: boolean[] = [];
    const all = await collect(open().listRepositories({ pageSize: 2, onPage: (more) => said.push(more) }));
    expect(all).toEqual(['a', 'b', 'c', 'd']);
    expect(said).toEqual([true, false]);
    expect(requests.map((q) => q.path)).toEqual(Object.keys(pages));
  });

  it('refuses a Link to another origin', async () => {
    route(agent, REGISTRY, () => json({ repositories: ['a'] }, 200, { link: '<https://elsewhere.example.com/v2/_catalog?last=a>; rel="next"' }));
    const error = await rejection(collect(open().listRepositories()));
    expect(error.message).toContain('another host');
  });

  it('without Link: asks again with last= after a full page, stops after a short one', async () => {
    const requests = route(agent, REGISTRY, (request) => {
      const last = new URL(request.path, REGISTRY).searchParams.get('last');
      if (!last) return json({ repositories: ['r1', 'r2'] });
      if (last === 'r2') return json({ repositories: ['r3', 'r4'] });
      return json({ repositories: ['r5'] });
    });
    expect(await collect(open().listRepositories({ pageSize: 2, startAfter: '' }))).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(requests.map((q) => q.path)).toEqual(['/v2/_catalog?n=2', '/v2/_catalog?n=2&last=r2', '/v2/_catalog?n=2&last=r4']);
  });

  it('copes with registries that ignore n (more than asked: that is everything) or ignore last', async () => {
    const everything = route(agent, REGISTRY, (request) =>
      request.path.startsWith('/v2/_catalog') ? json({ repositories: ['x', 'y', 'z'] }) : json({ name: REPO, tags: ['v3', 'v1', 'v2'] }),
    );
    const r = open();
    expect(await collect(r.listRepositories({ pageSize: 2 }))).toEqual(['x', 'y', 'z']);
    expect(everything).toHaveLength(1);
    // startAfter sent as last= but ignored by the registry: items up to it are dropped.
    expect(await collect(r.listRepositories({ pageSize: 2, startAfter: 'x' }))).toEqual(['y', 'z']);
    expect(await collect(r.listTags(REPO, { pageSize: 1 }))).toEqual(['v1', 'v2', 'v3']);
  });

  it('asks again without n when the registry refuses it (distribution catalog.maxentries)', async () => {
    const requests = route(agent, REGISTRY, (request) => {
      if (request.path === '/v2/_catalog?n=1000') return json({ errors: [{ code: 'PAGINATION_NUMBER_INVALID', message: 'invalid number of results requested', detail: { n: 1000 } }] }, 400);
      if (request.path === '/v2/_catalog') return json({ repositories: ['a', 'b'] }, 200, { link: '</v2/_catalog?last=b&n=2>; rel="next"' });
      return json({ repositories: ['c'] });
    });
    expect(await collect(open().listRepositories())).toEqual(['a', 'b', 'c']);
    expect(requests.map((q) => q.path)).toEqual(['/v2/_catalog?n=1000', '/v2/_catalog', '/v2/_catalog?last=b&n=2']);
  });

  it('tags: null is empty; tags are collected from every page, sorted by bytes, then cut after startAfter', async () => {
    route(agent, REGISTRY, (request) => {
      if (request.path.startsWith('/v2/empty/')) return json({ name: 'empty', tags: null });
      if (request.path.includes('last=')) return json({ name: REPO, tags: ['a', 'C', '_x'] });
      return json({ name: REPO, tags: ['b', '1', 'a.b'] }, 200, { link: `</v2/${REPO}/tags/list?n=3&last=a.b>; rel="next"` });
    });
    const r = open({ pageSize: 3 });
    expect(await collect(r.listTags('empty'))).toEqual([]);
    expect(await collect(r.listTags(REPO))).toEqual(['1', 'C', '_x', 'a', 'a.b', 'b']);
    expect(await collect(r.listTags(REPO, { startAfter: 'C' }))).toEqual(['_x', 'a', 'a.b', 'b']);
  });

  it('caps the page size at 1000 and reports a missing catalog as UNSUPPORTED', async () => {
    const requests = route(agent, REGISTRY, () => ({ statusCode: 404, data: '404 page not found', responseOptions: { headers: { 'content-type': 'text/plain' } } }));
    const r = open({ pageSize: 5000 });
    const error = await rejection(collect(r.listRepositories({ pageSize: 9999 })));
    expect(error.code).toBe('UNSUPPORTED');
    expect(requests[0]!.path).toBe('/v2/_catalog?n=1000');
  });
});

describe('auth', () => {
  const challenge = (scope: string, extra = '') =>
    `Basic realm="fallback", Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="${scope}"${extra}`;

  /** A token-auth registry: tokens are `token-<n>` and grant what was asked, except `delete`. */
  function tokenRegistry() {
    const issued = new Map<string, string[]>();
    const tokenRequests = route(agent, 'https://auth.example.com', (request) => {
      const url = new URL(request.path, 'https://auth.example.com');
      const token = `token-${issued.size + 1}`;
      issued.set(token, url.searchParams.getAll('scope'));
      return json({ access_token: token, expires_in: 300 });
    });
    const registryRequests = route(agent, REGISTRY, (request) => {
      const needed = request.path === '/v2/_catalog?n=1000' ? 'registry:catalog:*' : request.method === 'DELETE' ? `repository:${REPO}:delete` : `repository:${REPO}:pull`;
      const token = request.headers.authorization?.replace(/^Bearer /, '');
      const granted = token ? issued.get(token) : undefined;
      if (!granted) return { statusCode: 401, data: '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', responseOptions: { headers: { 'www-authenticate': challenge(needed) } } };
      if (!granted.includes(needed) || needed.endsWith(':delete')) {
        return { statusCode: 401, responseOptions: { headers: { 'www-authenticate': challenge(needed, ',error="insufficient_scope"') } } };
      }
      if (request.path.startsWith('/v2/_catalog')) return json({ repositories: [REPO] });
      return json({ name: REPO, tags: ['v1'] });
    });
    return { tokenRequests, registryRequests };
  }

  it('parses several challenges in one header, gets a token per scope and caches it', async () => {
    const { tokenRequests, registryRequests } = tokenRegistry();
    const r = open({ credentials: { username: 'alice', password: 'wonderland' } });
    expect(await collect(r.listTags(REPO))).toEqual(['v1']);
    expect(await collect(r.listTags(REPO))).toEqual(['v1']);
    expect(tokenRequests).toHaveLength(1);
    const first = new URL(tokenRequests[0]!.path, 'https://auth.example.com');
    expect(first.searchParams.get('service')).toBe('registry.example.com');
    expect(first.searchParams.getAll('scope')).toEqual([`repository:${REPO}:pull`]);
    expect(tokenRequests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('alice:wonderland').toString('base64')}`);
    // The catalog needs another scope: one more token, then cached too.
    expect(await collect(r.listRepositories())).toEqual([REPO]);
    expect(await collect(r.listRepositories())).toEqual([REPO]);
    expect(tokenRequests).toHaveLength(2);
    expect(new URL(tokenRequests[1]!.path, 'https://auth.example.com').searchParams.getAll('scope')).toEqual(['registry:catalog:*']);
    // Once the realm is known, new scopes get their token before the request (no extra 401).
    expect(registryRequests.filter((q) => !q.headers.authorization)).toHaveLength(1);
  });

  it('one retry after a fresh token, then DENIED for insufficient scope (and never the password in messages)', async () => {
    const { tokenRequests } = tokenRegistry();
    const r = open({ credentials: { username: 'alice', password: 'wonderland' } });
    const error = await rejection(r.deleteBlob(REPO, sha256('x')));
    expect(error.code).toBe('DENIED');
    expect(error.message).not.toContain('wonderland');
    // DELETE asks for `delete` (what distribution's challenge names).
    expect(new URL(tokenRequests.at(-1)!.path, 'https://auth.example.com').searchParams.getAll('scope')).toContain(`repository:${REPO}:delete`);
    expect(tokenRequests.length).toBeLessThanOrEqual(2);
  });

  it('refuses a token realm on a private address when the registry is public; credentials are never sent there', async () => {
    const internal = route(agent, 'https://10.1.2.3', () => json({ token: 'stolen' }));
    route(agent, REGISTRY, () => ({ statusCode: 401, responseOptions: { headers: { 'www-authenticate': 'Bearer realm="https://10.1.2.3/token",service="x"' } } }));
    const r = open({ credentials: { username: 'alice', password: 'wonderland' } });
    const error = await rejection(r.resolveTag(REPO, 'v1'));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toMatch(/private.*refused/);
    expect(internal).toHaveLength(0);
  });

  it('Basic credentials are sent after the challenge only, and wrong ones give UNAUTHORIZED', async () => {
    const requests = route(agent, REGISTRY, (request) =>
      request.headers.authorization === `Basic ${Buffer.from('bob:right').toString('base64')}`
        ? json({ name: REPO, tags: ['v1'] })
        : { statusCode: 401, responseOptions: { headers: { 'www-authenticate': 'Basic realm="basic-realm"' } } },
    );
    expect(await collect(open({ credentials: { username: 'bob', password: 'right' } }).listTags(REPO))).toEqual(['v1']);
    expect(requests.map((q) => q.headers.authorization === undefined)).toEqual([true, false]);
    const error = await rejection(collect(open({ credentials: { username: 'bob', password: 'wrong' } }).listTags(REPO)));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain('bob');
    expect(error.message).not.toContain('wrong');
  });
});

describe('resilience', () => {
  it('retries 429 honouring Retry-After, then succeeds', async () => {
    let calls = 0;
    const times: number[] = [];
    route(agent, REGISTRY, () => {
      times.push(Date.now());
      return ++calls === 1
        ? { statusCode: 429, data: '{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}', responseOptions: { headers: { 'retry-after': '1' } } }
        : json({ name: REPO, tags: ['v1'] });
    });
    expect(await collect(open().listTags(REPO))).toEqual(['v1']);
    expect(calls).toBe(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  it('gives up after the retries with the registry error; a Retry-After beyond the limit is not waited for', async () => {
    let calls = 0;
    route(agent, REGISTRY, (request) => {
      calls++;
      return request.path.includes('/long/')
        ? { statusCode: 429, responseOptions: { headers: { 'retry-after': '3600' } } }
        : { statusCode: 503, data: '{"errors":[{"code":"UNAVAILABLE","message":"maintenance"}]}' };
    });
    const r = open();
    const error = await rejection(collect(r.listTags(REPO)));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 502 });
    expect(calls).toBe(4); // 1 + 3 retries
    calls = 0;
    const started = Date.now();
    expect((await rejection(collect(r.listTags('long/app')))).code).toBe('TOOMANYREQUESTS');
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('never retries a PUT or DELETE on 502/504, but does on 503 (not applied)', async () => {
    const img = image({ seed: 'retry' });
    let puts = 0;
    route(agent, REGISTRY, (request) => {
      if (request.method === 'PUT') return ++puts === 1 && request.path.endsWith('/ok') ? { statusCode: 503 } : request.path.endsWith('/ok') ? { statusCode: 201 } : { statusCode: 502 };
      return { statusCode: 502 };
    });
    const r = open();
    expect((await rejection(r.pushManifest(REPO, img.manifest.bytes, img.manifest.mediaType, { tag: 'bad' }))).status).toBe(502);
    expect(puts).toBe(1);
    puts = 0;
    await r.pushManifest(REPO, img.manifest.bytes, img.manifest.mediaType, { tag: 'ok' });
    expect(puts).toBe(2);
  });

  it('retries connection resets for reads; a refused connection fails at once with UNAVAILABLE', async () => {
    let calls = 0;
    const pool = agent.get(REGISTRY);
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    pool.intercept({ path: `/v2/${REPO}/tags/list?n=1000` }).replyWithError(reset);
    pool.intercept({ path: `/v2/${REPO}/tags/list?n=1000` }).reply(() => (calls++, { statusCode: 200, data: JSON.stringify({ name: REPO, tags: ['ok'] }) }));
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    pool.intercept({ path: '/v2/down/app/tags/list?n=1000' }).replyWithError(refused);
    const r = open();
    expect(await collect(r.listTags(REPO))).toEqual(['ok']);
    expect(calls).toBe(1);
    const error = await rejection(collect(r.listTags('down/app')));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 502 });
    expect(error.message).toBe('registry.example.com refused the connection');
  });

  it('maps a registry that sends no headers in time to TIMEOUT (504)', async () => {
    agent
      .get(REGISTRY)
      .intercept({ path: () => true, method: () => true })
      .reply(200, '{}')
      .delay(500)
      .persist();
    const error = await rejection(open({ timeouts: { headers: 50 }, retries: 0 }).resolveTag(REPO, 'slow'));
    expect(error).toMatchObject({ code: 'TIMEOUT', status: 504 });
    expect(error.message).toContain('did not answer within');
  });

  it('passes the caller signal through: aborting a pending request rejects with AbortError', async () => {
    agent
      .get(REGISTRY)
      .intercept({ path: () => true })
      .reply(200, '{}')
      .delay(5_000);
    const controller = new AbortController();
    const pending = open().getTag(REPO, 'v1', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('surfaces Warning headers once each, through onWarning and on the registry', async () => {
    const seen: string[] = [];
    route(agent, REGISTRY, () =>
      json({ name: REPO, tags: ['v1'] }, 200, { warning: '299 - "repository will be removed on 2026-12-01", 299 - "quota at 95%"' } as Record<string, string>),
    );
    const r = open({ onWarning: (w) => seen.push(w) });
    await collect(r.listTags(REPO));
    await collect(r.listTags(REPO));
    expect(seen).toEqual(['repository will be removed on 2026-12-01', 'quota at 95%']);
    expect(r.warnings).toEqual(seen);
  });
});

describe('referrers', () => {
  const SBOM = 'application/vnd.example.sbom';
  const SIG = 'application/vnd.example.signature';
  const subject = `sha256:${'1'.repeat(64)}`;
  const d = (n: number, artifactType = SBOM) => ({ mediaType: MediaType.OciManifest, digest: `sha256:${String(n).repeat(64)}`, size: 100 + n, artifactType });

  it('reads every page of the API via Link', async () => {
    const requests = route(agent, REGISTRY, (request) =>
      request.path.includes('page=2')
        ? json({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [d(3, SIG)] }, 200, { 'content-type': MediaType.OciIndex })
        : json({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [d(2), d(4, SIG)] }, 200, {
            'content-type': MediaType.OciIndex,
            link: `</v2/${REPO}/referrers/${subject}?page=2>; rel="next"`,
          }),
    );
    const r = open();
    expect((await collect(r.listReferrers(REPO, subject))).map((x) => x.digest)).toEqual([d(2).digest, d(4).digest, d(3).digest]);
    expect(requests.map((q) => q.path)).toEqual([`/v2/${REPO}/referrers/${subject}`, `/v2/${REPO}/referrers/${subject}?page=2`]);
    expect(requests[0]!.headers.accept).toBe(MediaType.OciIndex);
  });

  it('trusts OCI-Filters-Applied, and filters itself when the registry did not', async () => {
    route(agent, REGISTRY, (request) => {
      const filtered = request.path.startsWith('/v2/filtering/');
      // Both registries send everything; only one claims to have filtered.
      return json({ schemaVersion: 2, manifests: [d(2), d(3, SIG)] }, 200, filtered ? { 'oci-filters-applied': 'artifactType' } : {});
    });
    const r = open();
    expect((await collect(r.listReferrers('filtering/app', subject, { artifactType: SBOM }))).map((x) => x.digest)).toEqual([d(2).digest, d(3).digest]);
    expect((await collect(r.listReferrers('plain/app', subject, { artifactType: SBOM }))).map((x) => x.digest)).toEqual([d(2).digest]);
  });

  it('no API (text/plain 404, 405, non-JSON 200): reads the fallback tag, and remembers the answer per repository', async () => {
    const fallback = utf8(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [d(5), d(6, SIG)] }));
    const tag = referrersFallbackTag(subject);
    const requests = route(agent, REGISTRY, (request) => {
      if (request.path.endsWith(`/manifests/${tag}`)) return manifestReply(fallback, MediaType.OciIndex);
      if (request.path.startsWith('/v2/html/')) return { statusCode: 200, data: '<html>login</html>', responseOptions: { headers: { 'content-type': 'text/html' } } };
      if (request.path.startsWith('/v2/method/')) return wireError(405, 'UNSUPPORTED');
      return { statusCode: 404, data: '404 page not found\n', responseOptions: { headers: { 'content-type': 'text/plain' } } };
    });
    const r = open();
    for (const repo of [REPO, 'html/app', 'method/app']) {
      expect((await collect(r.listReferrers(repo, subject, { artifactType: SIG }))).map((x) => x.digest)).toEqual([d(6).digest]);
    }
    const apiCalls = () => requests.filter((q) => q.path.includes('/referrers/')).length;
    expect(apiCalls()).toBe(3);
    await collect(r.listReferrers(REPO, subject));
    expect(apiCalls()).toBe(3); // cached "no API" for team/app
    const uncached = open({ referrersApiCacheMs: 0 });
    await collect(uncached.listReferrers(REPO, subject));
    await collect(uncached.listReferrers(REPO, subject));
    expect(apiCalls()).toBe(5);
  });

  it('fallback: a missing tag is no referrers; a tag holding something other than an index is none too; manifests:null is empty', async () => {
    const img = image({ seed: 'not an index' });
    route(agent, REGISTRY, (request) => {
      if (request.path.includes('/referrers/')) {
        return request.path.startsWith('/v2/nullapi/') ? json({ schemaVersion: 2, manifests: null }) : wireError(404, 'NAME_UNKNOWN');
      }
      if (request.path.startsWith('/v2/mirror/')) return manifestReply(img.manifest.bytes, MediaType.OciManifest);
      return wireError(404, 'MANIFEST_UNKNOWN');
    });
    const r = open();
    expect(await collect(r.listReferrers(REPO, subject))).toEqual([]);
    expect(await collect(r.listReferrers('mirror/app', subject))).toEqual([]);
    expect(await collect(r.listReferrers('nullapi/app', subject))).toEqual([]);
  });
});

describe('writer', () => {
  it('pushBlob: HEAD first, then POST + PUT <location>?digest= with the exact bytes', async () => {
    const fake = new FakeRegistry(agent);
    const r = open();
    const bytes = utf8('blob content');
    const descriptor = { mediaType: MediaType.OciLayer, digest: sha256(bytes), size: bytes.length };
    expect(await r.pushBlob(REPO, descriptor, bytes)).toEqual(descriptor);
    expect(fake.log).toEqual([
      `HEAD /v2/${REPO}/blobs/${descriptor.digest}`,
      `POST /v2/${REPO}/blobs/uploads/`,
      `PUT /v2/${REPO}/blobs/uploads/1?_state=x&digest=${encodeURIComponent(descriptor.digest)}`,
    ]);
    expect(fake.requests[2]!.body).toEqual(bytes);
    expect(fake.requests[2]!.headers['content-type']).toBe('application/octet-stream');
    await r.pushBlob(REPO, descriptor, bytes);
    expect(fake.log).toHaveLength(4); // an existing blob: HEAD only
    expect((await rejection(r.pushBlob(REPO, { ...descriptor, digest: sha256('other') }, bytes))).code).toBe('DIGEST_INVALID');
    expect((await rejection(r.pushBlob(REPO, { ...descriptor, size: 3 }, bytes))).code).toBe('SIZE_INVALID');
    expect(fake.log).toHaveLength(4);
  });

  it('mountBlob: 201 mounts; a 202 upload answer falls back to copying through Porthole', async () => {
    const fake = new FakeRegistry(agent);
    const bytes = utf8('shared layer');
    const digest = fake.putBlob('src/repo', bytes);
    const r = open();
    expect(await r.mountBlob('src/repo', REPO, digest)).toMatchObject({ digest, size: bytes.length });
    expect(fake.log[0]).toBe(`POST /v2/${REPO}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=src%2Frepo`);
    // The fake cannot mount from a repository it does not know: it starts an upload instead.
    const other = utf8('copied layer');
    const otherDigest = sha256(other);
    fake.blobs.get('src/repo')!.set(otherDigest, other);
    fake.blobs.set('hidden/repo', new Map([[otherDigest, other]]));
    fake.blobs.get('src/repo')!.delete(otherDigest);
    expect(await r.mountBlob('hidden/repo', 'dest/repo', otherDigest)).toMatchObject({ digest: otherDigest, size: other.length });
    expect(fake.blobs.get('dest/repo')?.get(otherDigest)).toEqual(other);
    expect((await rejection(r.mountBlob('nowhere/repo', 'dest/repo', sha256('absent')))).code).toBe('BLOB_UNKNOWN');
  });

  it('pushManifest with a subject updates the fallback index when the registry sends no OCI-Subject', async () => {
    const fake = new FakeRegistry(agent);
    const r = open();
    const app = image({ seed: 'app' });
    await pushBuilt(r, REPO, app, { tag: 'v1' });
    const sbom = artifact({ subject: subjectOf(app), artifactType: 'application/vnd.example.sbom', annotations: { 'org.example.kind': 'sbom' } });
    const legacy = artifact({ subject: subjectOf(app), configMediaType: 'application/vnd.example.legacy.config' });
    await pushBuilt(r, REPO, sbom);
    await pushBuilt(r, REPO, legacy);
    await pushBuilt(r, REPO, sbom); // again: no duplicate entry
    const tag = referrersFallbackTag(app.manifest.descriptor.digest);
    const fallbackDigest = fake.tags.get(REPO)!.get(tag)!;
    const stored = JSON.parse(new TextDecoder().decode(fake.manifests.get(REPO)!.get(fallbackDigest)!.bytes));
    expect(stored).toEqual({
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: [
        { ...sbom.manifest.descriptor, artifactType: 'application/vnd.example.sbom', annotations: { 'org.example.kind': 'sbom' } },
        { ...legacy.manifest.descriptor, artifactType: 'application/vnd.example.legacy.config' },
      ],
    });
    expect(fake.log.filter((l) => l === `PUT /v2/${REPO}/manifests/${tag}`)).toHaveLength(2);
    expect((await collect(r.listReferrers(REPO, app.manifest.descriptor.digest))).map((x) => x.digest)).toEqual([
      sbom.manifest.descriptor.digest,
      legacy.manifest.descriptor.digest,
    ]);
  });

  it('with OCI-Subject (a registry with the referrers API) no fallback tag is written', async () => {
    const fake = new FakeRegistry(agent, { referrersApi: true });
    const r = open();
    const app = image({ seed: 'app' });
    await pushBuilt(r, REPO, app, { tag: 'v1' });
    const sig = artifact({ subject: subjectOf(app), artifactType: 'application/vnd.example.signature' });
    await pushBuilt(r, REPO, sig);
    expect(fake.log.some((l) => l.includes(referrersFallbackTag(app.manifest.descriptor.digest)))).toBe(false);
    expect((await collect(r.listReferrers(REPO, app.manifest.descriptor.digest))).map((x) => x.digest)).toEqual([sig.manifest.descriptor.digest]);
  });

  it('refuses to overwrite a fallback tag that holds something other than an index', async () => {
    const fake = new FakeRegistry(agent);
    const r = open();
    const app = image({ seed: 'mirror' });
    await pushBuilt(r, REPO, app, { tag: referrersFallbackTag(app.manifest.descriptor.digest) });
    const sig = artifact({ subject: subjectOf(app), artifactType: 'application/vnd.example.signature' });
    const error = await rejection(pushBuilt(r, REPO, sig));
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(fake.tags.get(REPO)!.get(referrersFallbackTag(app.manifest.descriptor.digest))).toBe(app.manifest.descriptor.digest);
  });

  it('checks manifests before sending them', async () => {
    const fake = new FakeRegistry(agent);
    const r = open();
    const img = image({ seed: 'checked' });
    expect((await rejection(r.pushManifest(REPO, img.manifest.bytes, MediaType.OciIndex))).code).toBe('MANIFEST_INVALID');
    expect((await rejection(r.pushManifest(REPO, img.manifest.bytes, 'application/json'))).code).toBe('MANIFEST_INVALID');
    expect((await rejection(r.pushManifest(REPO, utf8('{'), MediaType.OciManifest))).code).toBe('MANIFEST_INVALID');
    expect((await rejection(r.pushManifest('Bad/Name', img.manifest.bytes, MediaType.OciManifest))).code).toBe('NAME_INVALID');
    expect((await rejection(r.pushManifest(REPO, img.manifest.bytes, MediaType.OciManifest, { tag: '-bad' }))).code).toBe('TAG_INVALID');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('deleter', () => {
  async function seeded(options: ConstructorParameters<typeof FakeRegistry>[1] = {}) {
    const fake = new FakeRegistry(agent, options);
    const r = open();
    const img = image({ seed: 'shared' });
    await pushBuilt(r, REPO, img, { tag: 'a' });
    await pushBuilt(r, REPO, img, { tag: 'b' });
    fake.requests.length = 0;
    return { fake, r, img };
  }

  it('deleteTag: a 202 to DELETE /manifests/<tag> is native', async () => {
    const { fake, r, img } = await seeded({ tagDelete: 'native' });
    expect(await r.deleteTag(REPO, 'a')).toEqual({ method: 'native', digest: img.manifest.descriptor.digest });
    expect([...fake.tags.get(REPO)!.keys()]).toEqual(['b']);
    expect(fake.log).toEqual([`GET /v2/${REPO}/manifests/a`, `DELETE /v2/${REPO}/manifests/a`, `HEAD /v2/${REPO}/manifests/a`]);
  });

  it('deleteTag on distribution (400 DIGEST_INVALID): a unique placeholder of the same family, deleted by digest', async () => {
    const { fake, r, img } = await seeded();
    expect(await r.deleteTag(REPO, 'a')).toEqual({ method: 'placeholder', digest: img.manifest.descriptor.digest });
    expect([...fake.tags.get(REPO)!.keys()]).toEqual(['b']);
    expect(fake.manifests.get(REPO)!.has(img.manifest.descriptor.digest)).toBe(true);
    const put = fake.requests.find((q) => q.method === 'PUT' && q.path === `/v2/${REPO}/manifests/a`)!;
    const placeholder = JSON.parse(new TextDecoder().decode(put.body));
    expect(placeholder.mediaType).toBe(MediaType.OciManifest);
    expect(put.headers['content-type']).toBe(MediaType.OciManifest);
    const configBytes = [...fake.blobs.get(REPO)!.entries()].find(([digest]) => digest === placeholder.config.digest)![1];
    expect(JSON.parse(new TextDecoder().decode(configBytes)).config.Labels).toMatchObject({ 'delete-tag': 'a' });
    const deletes = fake.log.filter((l) => l.startsWith('DELETE'));
    expect(deletes).toEqual([`DELETE /v2/${REPO}/manifests/a`, `DELETE /v2/${REPO}/manifests/${sha256(put.body!)}`]);
    // The second tag delete skips the native attempt (learned) and the placeholder is unique again.
    fake.requests.length = 0;
    expect(await r.deleteTag(REPO, 'b')).toMatchObject({ method: 'placeholder' });
    const second = fake.requests.find((q) => q.method === 'PUT' && q.path === `/v2/${REPO}/manifests/b`)!;
    expect(sha256(second.body!)).not.toBe(sha256(put.body!));
    expect(fake.log.filter((l) => l.startsWith('DELETE'))).toEqual([`DELETE /v2/${REPO}/manifests/${sha256(second.body!)}`]);
  });

  it('deleteTag uses a Docker schema2 placeholder for Docker content', async () => {
    const fake = new FakeRegistry(agent);
    const r = open();
    const img = image({ seed: 'docker', format: 'docker' });
    await pushBuilt(r, REPO, img, { tag: 'd' });
    await r.deleteTag(REPO, 'd');
    const put = fake.requests.filter((q) => q.method === 'PUT' && q.path === `/v2/${REPO}/manifests/d`).at(-1)!;
    expect(put.headers['content-type']).toBe(MediaType.DockerManifest);
    expect(JSON.parse(new TextDecoder().decode(put.body)).config.mediaType).toBe(MediaType.DockerConfig);
  });

  it('deleteTag where deletion is disabled (405): UNSUPPORTED before the tag is touched', async () => {
    const { fake, r, img } = await seeded({ manifestDelete: false });
    const error = await rejection(r.deleteTag(REPO, 'a'));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toContain('unchanged');
    expect(fake.tags.get(REPO)!.get('a')).toBe(img.manifest.descriptor.digest);
    expect(fake.requests.filter((q) => q.method === 'PUT' || q.method === 'POST')).toEqual([]);
    expect(fake.log).toContain(`DELETE /v2/${REPO}/manifests/sha256:${'0'.repeat(64)}`); // the probe
  });

  it('deleteManifest: only 202 is success; reports every tag found by listing and resolving first', async () => {
    const { fake, r, img } = await seeded();
    const other = image({ seed: 'other' });
    await pushBuilt(r, REPO, other, { tag: 'c' });
    fake.requests.length = 0;
    const result = await r.deleteManifest(REPO, img.manifest.descriptor.digest);
    expect(result).toEqual({ deleted: [img.manifest.descriptor.digest], tags: ['a', 'b'] });
    expect([...fake.tags.get(REPO)!.keys()]).toEqual(['c']);
    const del = fake.log.indexOf(`DELETE /v2/${REPO}/manifests/${img.manifest.descriptor.digest}`);
    expect(fake.log.slice(0, del).filter((l) => l.startsWith('HEAD')).sort()).toEqual(['a', 'b', 'c'].map((t) => `HEAD /v2/${REPO}/manifests/${t}`));
    route(agent, 'https://odd.example.com', (request) =>
      request.method === 'DELETE' ? { statusCode: 200 } : manifestReply(img.manifest.bytes, MediaType.OciManifest),
    );
    const odd = open({ url: 'https://odd.example.com' });
    expect((await rejection(odd.deleteManifest(REPO, img.manifest.descriptor.digest))).status).toBe(502);
  });

  it('deleting a referrer removes it from the fallback index, and an emptied index tag goes by the safe tag delete', async () => {
    const fake = new FakeRegistry(agent);
    const r = open();
    const app = image({ seed: 'app' });
    const lib = image({ seed: 'lib' });
    await pushBuilt(r, REPO, app, { tag: 'app' });
    await pushBuilt(r, REPO, lib, { tag: 'lib' });
    // lib's fallback tag holds an empty index: byte-identical to what app's would become.
    const empty = utf8(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [] }));
    const emptyDigest = fake.putManifest(REPO, empty, MediaType.OciIndex, referrersFallbackTag(lib.manifest.descriptor.digest));
    const sig = artifact({ subject: subjectOf(app), artifactType: 'application/vnd.example.signature' });
    const sbom = artifact({ subject: subjectOf(app), artifactType: 'application/vnd.example.sbom' });
    await pushBuilt(r, REPO, sig);
    await pushBuilt(r, REPO, sbom);
    const appTag = referrersFallbackTag(app.manifest.descriptor.digest);

    await r.deleteManifest(REPO, sig.manifest.descriptor.digest);
    expect((await collect(r.listReferrers(REPO, app.manifest.descriptor.digest))).map((x) => x.digest)).toEqual([sbom.manifest.descriptor.digest]);
    fake.requests.length = 0;
    await r.deleteManifest(REPO, sbom.manifest.descriptor.digest);
    expect(fake.tags.get(REPO)!.has(appTag)).toBe(false);
    expect(fake.tags.get(REPO)!.get(referrersFallbackTag(lib.manifest.descriptor.digest))).toBe(emptyDigest);
    expect(fake.log).not.toContain(`DELETE /v2/${REPO}/manifests/${emptyDigest}`);
    expect(await collect(r.listReferrers(REPO, app.manifest.descriptor.digest))).toEqual([]);
  });

  it('cascadeReferrers deletes referrers first, recursively, each once; the requested digest is reported first', async () => {
    const fake = new FakeRegistry(agent, { referrersApi: true, tagDelete: 'native' });
    const r = open();
    const app = image({ seed: 'app' });
    await pushBuilt(r, REPO, app, { tag: 'app' });
    const sig = artifact({ subject: subjectOf(app), artifactType: 'application/vnd.example.signature' });
    const counter = artifact({ subject: subjectOf(sig), artifactType: 'application/vnd.example.counter' });
    await pushBuilt(r, REPO, sig, { tag: 'sig' });
    await pushBuilt(r, REPO, counter);
    fake.requests.length = 0;
    const result = await r.deleteManifest(REPO, app.manifest.descriptor.digest, { cascadeReferrers: true });
    expect(result.deleted).toEqual([app.manifest.descriptor.digest, counter.manifest.descriptor.digest, sig.manifest.descriptor.digest]);
    expect(result.tags.sort()).toEqual(['app', 'sig']);
    const deletes = fake.log.filter((l) => l.startsWith('DELETE'));
    expect(deletes).toEqual([counter, sig, app].map((b) => `DELETE /v2/${REPO}/manifests/${b.manifest.descriptor.digest}`));
  });

  it('deleteBlob and unknown content', async () => {
    const fake = new FakeRegistry(agent);
    const digest = fake.putBlob(REPO, utf8('bye'));
    const r = open();
    await r.deleteBlob(REPO, digest);
    expect(fake.blobs.get(REPO)!.has(digest)).toBe(false);
    expect((await rejection(r.deleteBlob(REPO, digest))).code).toBe('BLOB_UNKNOWN');
    expect((await rejection(r.deleteManifest(REPO, sha256('none')))).code).toBe('MANIFEST_UNKNOWN');
    expect((await rejection(r.deleteTag(REPO, 'none'))).code).toBe('MANIFEST_UNKNOWN');
  });
});

describe('capabilities', () => {
  it('probes lazily: catalog, manifest delete (405 = off), tag delete, referrers API; and caches', async () => {
    const fake = new FakeRegistry(agent, { manifestDelete: false });
    const r = open();
    expect(fake.requests).toHaveLength(0);
    expect(await r.capabilities()).toEqual({ catalog: true, write: 'unknown', manifestDelete: 'unknown', tagDelete: 'unknown', referrersApi: 'unknown' });
    expect(await r.capabilities(REPO)).toEqual({ catalog: true, write: 'unknown', manifestDelete: false, tagDelete: 'unsupported', referrersApi: false });
    const count = fake.requests.length;
    await r.capabilities(REPO);
    expect(fake.requests).toHaveLength(count);
    const on = new FakeRegistry(agent, { referrersApi: true, tagDelete: 'native', catalog: false }, 'https://zot.example.com');
    const zot = open({ url: 'https://zot.example.com' });
    await pushBuilt(zot, REPO, image({ seed: 'w' }), { tag: 'w' });
    expect(await zot.capabilities(REPO)).toEqual({ catalog: false, write: true, manifestDelete: true, tagDelete: 'native', referrersApi: true });
    expect(on.requests.length).toBeGreaterThan(0);
  });

  it('validates names before any I/O', async () => {
    const fake = new FakeRegistry(agent);
    const r = open();
    for (const call of [
      () => r.resolveTag('UPPER', 'v1'),
      () => r.getBlob('a//b', sha256('x')),
      () => collect(r.listTags('../x')),
      () => r.capabilities('-x'),
      () => r.deleteTag('a b', 'v1'),
    ]) {
      expect(isRegistryError(await rejection(call), 'NAME_INVALID')).toBe(true);
    }
    expect((await rejection(r.getManifest(REPO, 'sha256:zzz'))).code).toBe('DIGEST_INVALID');
    expect((await rejection(r.resolveTag(REPO, 't'.repeat(129)))).code).toBe('TAG_INVALID');
    expect(fake.requests).toHaveLength(0);
  });

  it('index manifests push their children by digest first', async () => {
    const fake = new FakeRegistry(agent);
    const r = open();
    const child = image({ seed: 'child' });
    const idx = index([child]);
    await pushBuilt(r, REPO, idx, { tag: 'multi' });
    expect(await r.resolveTag(REPO, 'multi')).toEqual(idx.manifest.descriptor);
    expect(fake.manifests.get(REPO)!.has(child.manifest.descriptor.digest)).toBe(true);
  });
});
