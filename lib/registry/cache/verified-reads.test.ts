/**
 * Work done once: a manifest the http reader hashed and parsed is kept by the content cache without a second
 * hash or parse, and a memory hit (the same bytes object) is served without hashing or parsing either. Bytes from
 * a tier that is not trusted (disk, Redis) are still verified. Counted with spies on the hash and parse functions.
 */
import type { MockAgent } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import { MediaType } from '@/lib/oci/media-types';
import { image } from '@/lib/registry/testing/build';
import { REGISTRY, route } from '../http/testing/mock-registry';
import { manifestReply, mockSession, REPO } from '../http/testing/mock-session';
import * as hash from '../hash';
import * as manifest from '@/lib/oci/manifest';
import { cachedContent } from './cached-registry';
import { tieredStore } from './content-store';
import { blobKey, manifestKey } from './keys';
import { mapStore } from './testing/map-store';
import { verifyContent } from './verify';
import { verifiedManifest } from '../verified-manifest';

vi.mock('../hash', async (importOriginal) => {
  const actual = await importOriginal<typeof hash>();
  return { ...actual, hashBytes: vi.fn(actual.hashBytes), matchesDigest: vi.fn(actual.matchesDigest) };
});
vi.mock('@/lib/oci/manifest', async (importOriginal) => {
  const actual = await importOriginal<typeof manifest>();
  return { ...actual, parseManifest: vi.fn(actual.parseManifest) };
});

let agent: MockAgent;
const open = mockSession((a) => (agent = a));

/** How often the manifest's bytes were hashed (as a whole, or checked against its digest) and parsed. */
function work(bytes: Uint8Array, digest: string) {
  const hashes = vi.mocked(hash.hashBytes).mock.calls.filter(([b]) => Buffer.from(b).equals(Buffer.from(bytes))).length;
  const checks = vi.mocked(hash.matchesDigest).mock.calls.filter(([, d]) => d === digest).length;
  const parses = vi.mocked(manifest.parseManifest).mock.calls.filter(([b]) => Buffer.from(b).equals(Buffer.from(bytes))).length;
  return { hashes: hashes + checks, parses };
}

describe('manifests read from the registry are hashed and parsed once', () => {
  it('keeps a tag read without hashing or parsing it again; a memory hit costs neither; a disk hit is verified', async () => {
    const img = image({ seed: 'once' });
    const { bytes, descriptor } = img.manifest;
    route(agent, REGISTRY, () => manifestReply(bytes, MediaType.OciManifest, { 'docker-content-digest': descriptor.digest }));
    const memory = { ...mapStore(), name: 'memory', trusted: true };
    const files = mapStore();
    // A file is read into new bytes every time.
    const disk = { ...files, name: 'disk', get: async (key: string) => files.data.get(key)?.slice() };
    const store = tieredStore([memory, disk], { verify: verifyContent });
    const cached = cachedContent(open(), store, { maxBlobBytes: 1024, scope: 'once' });
    vi.clearAllMocks();

    await cached.getTag(REPO, 'v1');
    expect(work(bytes, descriptor.digest)).toEqual({ hashes: 1, parses: 1 }); // the reader's, and no more
    expect(files.data.get(manifestKey(descriptor.digest))).toEqual(bytes);

    vi.clearAllMocks();
    expect((await cached.getManifest(REPO, descriptor.digest)).bytes).toEqual(bytes);
    expect(work(bytes, descriptor.digest)).toEqual({ hashes: 0, parses: 0 });

    // Read back from disk (a restart): verified against its digest and parsed, once.
    memory.data.clear();
    vi.clearAllMocks();
    const again = cachedContent(open(), store, { maxBlobBytes: 1024, scope: 'once' });
    expect((await again.getManifest(REPO, descriptor.digest)).descriptor).toEqual(descriptor);
    expect(work(bytes, descriptor.digest)).toEqual({ hashes: 1, parses: 1 });
    vi.clearAllMocks();
    await again.getManifest(REPO, descriptor.digest);
    expect(work(bytes, descriptor.digest)).toEqual({ hashes: 0, parses: 0 });
  });

  it('marks kept bytes with their digest and media type only, never the parsed document (the mark lives as long as the bytes)', async () => {
    const img = image({ seed: 'mark' });
    const { bytes, descriptor } = img.manifest;
    route(agent, REGISTRY, () => manifestReply(bytes, MediaType.OciManifest, { 'docker-content-digest': descriptor.digest }));
    const memory = { ...mapStore(), name: 'memory', trusted: true };
    const cached = cachedContent(open(), tieredStore([memory], { verify: verifyContent }), { maxBlobBytes: 1024, scope: 'mark' });
    await cached.getTag(REPO, 'v1');
    const kept = memory.data.get(manifestKey(descriptor.digest))!;
    expect(verifiedManifest(kept, descriptor.digest)).toEqual({ digest: descriptor.digest, mediaType: MediaType.OciManifest });
  });

  it('keeps a config the http reader verified while streaming without hashing it again; a wrong body is never kept', async () => {
    const img = image({ seed: 'config-once' });
    const config = img.blobs[0]!;
    const wrong = image({ seed: 'other-config' }).blobs[0]!.bytes;
    route(agent, REGISTRY, (request) => {
      const bytes = request.path.endsWith(config.descriptor.digest) ? config.bytes : wrong;
      return { statusCode: 200, data: Buffer.from(bytes), responseOptions: { headers: { 'content-length': String(bytes.length) } } };
    });
    const memory = { ...mapStore(), name: 'memory', trusted: true };
    const cached = cachedContent(open(), tieredStore([memory], { verify: verifyContent }), { maxBlobBytes: 1024, scope: 'once' });
    vi.clearAllMocks();
    const body = new Uint8Array(await new Response((await cached.getBlob(REPO, config.descriptor.digest)).body).arrayBuffer());
    expect(body).toEqual(config.bytes);
    expect(memory.data.get(blobKey(config.descriptor.digest))).toEqual(config.bytes);
    expect(vi.mocked(hash.matchesDigest).mock.calls.filter(([, d]) => d === config.descriptor.digest)).toHaveLength(0);

    const other = image({ seed: 'asked-for' }).blobs[0]!.descriptor.digest;
    await expect(cached.getBlob(REPO, other)).rejects.toMatchObject({ code: 'DIGEST_INVALID' });
    expect(memory.data.has(blobKey(other))).toBe(false);
  });
});
