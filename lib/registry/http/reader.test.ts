/**
 * The reader: manifests (Accept list, digest checks, size caps, HEAD fallbacks, schema1, error bodies) and blobs (verified streams, ranges, redirects to object storage).
 * Unit test of the HTTP backend through undici's MockAgent (no sockets, `disableNetConnect`), for what a real
 * distribution 2.8.2 cannot show (split out of the former http.test.ts; shared setup: testing/mock-session.ts).
 * Timeouts, dropped connections and concurrency against a real loopback socket are in transport/transport.test.ts.
 */
import type { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { MANIFEST_MEDIA_TYPES, MediaType } from '@/lib/oci/media-types';
import { collect } from '@/lib/registry/iter';
import { image } from '@/lib/registry/testing/build';
import { readStream } from '@/lib/registry/testing/contract';
import { FakeRegistry, json, REGISTRY, route, SCHEMA1_PAYLOAD, sha256, signSchema1, utf8 } from './testing/mock-registry';
import { manifestReply, mockSession, REPO, rejection } from './testing/mock-session';
import { WHOLE_BLOB_BYTES } from './reader';

let agent: MockAgent;
const open = mockSession((a) => (agent = a));

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
  it('reads a small blob whole and verified: it comes with its bytes, a corrupt or short one is refused at once', async () => {
    const good = utf8('good content');
    const bad = utf8('bad! content');
    route(agent, REGISTRY, (request) => ({
      statusCode: 200,
      data: Buffer.from(request.path.endsWith(sha256(good)) ? good : request.path.endsWith(sha256('short')) ? utf8('shor') : bad),
      responseOptions: { headers: { 'content-length': request.path.endsWith(sha256('short')) ? '5' : String(good.length) } },
    }));
    const r = open();
    const ok = await r.getBlob(REPO, sha256(good));
    expect(ok.descriptor).toEqual({ mediaType: 'application/octet-stream', digest: sha256(good), size: good.length });
    expect(ok.bytes).toEqual(good);
    expect(await readStream(ok.body)).toEqual(good);
    // No byte of a corrupt blob reaches the caller: getBlob itself fails.
    expect(await rejection(r.getBlob(REPO, sha256('expected content'.slice(0, 12))))).toMatchObject({ code: 'DIGEST_INVALID', status: 502 });
    expect(await rejection(r.getBlob(REPO, sha256('short')))).toMatchObject({ code: 'SIZE_INVALID' });
  });

  it('streams a blob larger than WHOLE_BLOB_BYTES, verified against its digest at the end', async () => {
    const good = new Uint8Array(WHOLE_BLOB_BYTES + 1).fill(0x61);
    const bad = new Uint8Array(WHOLE_BLOB_BYTES + 1).fill(0x62);
    route(agent, REGISTRY, (request) => ({
      statusCode: 200,
      data: Buffer.from(request.path.endsWith(sha256(good)) ? good : bad),
      responseOptions: { headers: { 'content-length': String(good.length) } },
    }));
    const r = open();
    const ok = await r.getBlob(REPO, sha256(good));
    expect(ok.bytes).toBeUndefined();
    expect(await readStream(ok.body)).toEqual(good);
    const corrupt = await r.getBlob(REPO, sha256(new Uint8Array(WHOLE_BLOB_BYTES + 1).fill(0x63)));
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
