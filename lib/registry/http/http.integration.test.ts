/**
 * The HTTP backend against real CNCF distribution 2.8.2 (`/usr/bin/docker-registry`) started on loopback by the
 * harness: the shared contract suite in four configurations (delete enabled, delete disabled, htpasswd Basic
 * auth, token auth), then what only a real registry shows: the regclient fixture and skopeo-pushed images read
 * back digest-exact, placeholder tag deletion, catalog paging with a small `maxentries`, auth flows, the
 * referrers fallback index, and a registry that goes away.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referrersFallbackTag } from '@/lib/oci/manifest';
import { MediaType } from '@/lib/oci/media-types';
import { collect } from '@/lib/registry/iter';
import { artifact, blob, image, pushBuilt, subjectOf } from '@/lib/registry/testing/build';
import { expectRegistryError, readStream, runRegistryContract, type ContractSupports } from '@/lib/registry/testing/contract';
import { REGCLIENT_TESTREPO } from '@/lib/registry/testing/fixtures';
import { layoutBlobPath, loadLayoutInto, readLayoutBlob } from '@/lib/registry/testing/load-layout';
import { startRegistry, type RegistryServerOptions, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { dockerRef, pushLayoutImage, skopeoInspect, skopeoListTags, writeOciLayout, type LayoutResult } from '@/lib/registry/testing/skopeo';
import { hashBytes } from '../hash';
import { createHttpRegistry, type HttpRegistry, type HttpRegistryOptions } from './index';

/** What distribution 2.8.2 can and cannot do (protocol.md §5.2, verified). */
const DISTRIBUTION: ContractSupports = {
  catalog: true,
  catalogOrder: 'consistent', // path-component order
  referrersApi: false, // tag schema fallback
  tagDelete: 'placeholder', // DELETE by tag answers 400 DIGEST_INVALID
  manifestDelete: true,
  blobDelete: true,
  nameUnknown: false, // a missing repository gives MANIFEST_UNKNOWN / BLOB_UNKNOWN
};

/**
 * The contract wants an empty registry per test. One registry process per configuration is reused: between
 * tests it is halted, its storage emptied and started again (~30 ms instead of a fresh htpasswd file or RSA
 * certificate per test).
 */
function contractTarget(server: RegistryServerOptions, supports: ContractSupports) {
  let shared: Promise<RunningRegistry> | undefined;
  afterAll(async () => {
    if (shared) await (await shared).stop();
  });
  return async () => {
    let reg: RunningRegistry;
    if (!shared) {
      shared = startRegistry(server);
      reg = await shared;
    } else {
      reg = await shared;
      await reg.halt();
      for (const entry of await readdir(reg.rootDir)) await rm(join(reg.rootDir, entry), { recursive: true, force: true });
      await reg.start();
    }
    const registry = createHttpRegistry({ url: reg.url, credentials: reg.credentials, retries: { max: 2, baseDelayMs: 20 } });
    return { registry, supports, cleanup: () => registry.close() };
  };
}

runRegistryContract('http → distribution 2.8.2, delete enabled', contractTarget({ delete: true }, DISTRIBUTION));
runRegistryContract(
  'http → distribution 2.8.2, delete disabled',
  contractTarget({ delete: false }, { ...DISTRIBUTION, tagDelete: 'unsupported', manifestDelete: false, blobDelete: false }),
);
runRegistryContract('http → distribution 2.8.2, htpasswd Basic auth', contractTarget({ auth: 'basic' }, DISTRIBUTION));
runRegistryContract('http → distribution 2.8.2, token auth', contractTarget({ auth: 'token' }, DISTRIBUTION));

const registries: RunningRegistry[] = [];
const clients: HttpRegistry[] = [];

async function start(options: RegistryServerOptions = {}): Promise<RunningRegistry> {
  const reg = await startRegistry(options);
  registries.push(reg);
  return reg;
}

function client(reg: RunningRegistry, options: Partial<HttpRegistryOptions> = {}): HttpRegistry {
  const r = createHttpRegistry({ url: reg.url, credentials: reg.credentials, retries: { max: 2, baseDelayMs: 20 }, ...options });
  clients.push(r);
  return r;
}

afterAll(async () => {
  for (const r of clients.splice(0)) await r.close();
  for (const reg of registries.splice(0)) await reg.stop();
});

describe('the regclient fixture through the client (distribution 2.8.2)', () => {
  const REPO = 'fixture/testrepo';
  let reg: RunningRegistry;
  let r: HttpRegistry;
  let content: Awaited<ReturnType<typeof loadLayoutInto>>;

  beforeAll(async () => {
    reg = await start({ delete: true });
    r = client(reg);
    content = await loadLayoutInto(r, REPO, REGCLIENT_TESTREPO);
  });

  it('reads every tag back with the same digest and identical bytes', async () => {
    expect(content.tags.size).toBeGreaterThan(20);
    for (const [tag, entry] of content.tags) {
      const got = await r.getTag(REPO, tag);
      expect(got.descriptor.digest, tag).toBe(entry.digest);
      expect(hashBytes(got.bytes), tag).toBe(entry.digest);
      expect(Buffer.compare(Buffer.from(got.bytes), Buffer.from(await readLayoutBlob(REGCLIENT_TESTREPO, entry.digest))), tag).toBe(0);
      expect((await r.resolveTag(REPO, tag)).digest, tag).toBe(entry.digest);
    }
  });

  it('reads every manifest by digest and every blob verified', async () => {
    for (const [digest, manifest] of content.manifests) {
      const got = await r.getManifest(REPO, digest);
      expect(got.descriptor).toEqual({ mediaType: manifest.descriptor.mediaType, digest, size: manifest.bytes.length });
    }
    for (const [digest, descriptor] of content.blobs) {
      const got = await r.getBlob(REPO, digest);
      expect(got.descriptor.size).toBe(descriptor.size);
      expect(hashBytes(await readStream(got.body))).toBe(digest);
      expect(layoutBlobPath(REGCLIENT_TESTREPO, digest)).toContain(digest.split(':')[1]);
    }
  });

  it('lists the fixture tags (sorted) plus the fallback tags the client kept up to date', async () => {
    const tags = await collect(r.listTags(REPO));
    expect(tags).toEqual([...tags].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const fixtureTags = [...content.tags.keys()];
    expect(tags).toEqual(expect.arrayContaining(fixtureTags));
    // The fixture deliberately lacks the fallback tag of v3; pushing its two sbom referrers through the client
    // created it, as the spec asks of clients of registries without the referrers API.
    const extra = tags.filter((t) => !content.tags.has(t));
    expect(extra).toEqual([referrersFallbackTag(content.tags.get('v3')!.digest)]);
  });

  it('lists referrers through the fallback tags, matching the subjects in the fixture', async () => {
    const bySubject = new Map<string, string[]>();
    for (const [digest, manifest] of content.manifests) {
      const subject = (manifest.json.subject as { digest?: string } | undefined)?.digest;
      if (subject) bySubject.set(subject, [...(bySubject.get(subject) ?? []), digest]);
    }
    expect(bySubject.size).toBeGreaterThanOrEqual(6);
    for (const [subject, referrers] of bySubject) {
      const listed = await collect(r.listReferrers(REPO, subject));
      expect(listed.map((d) => d.digest).sort(), subject).toEqual([...referrers].sort());
      for (const d of listed) expect(d.artifactType, d.digest).toBeTruthy();
    }
    // `mirror`'s fallback tag is an image manifest, not an index: no referrers (spec).
    expect(await collect(r.listReferrers(REPO, content.tags.get('mirror')!.digest))).toEqual([]);
    expect((await r.capabilities(REPO)).referrersApi).toBe(false);
  });
});

describe('images pushed by skopeo read back with the digests skopeo reports', () => {
  let reg: RunningRegistry;
  let r: HttpRegistry;
  let dir: string;
  let layout: LayoutResult;

  beforeAll(async () => {
    reg = await start({ auth: 'basic' });
    r = client(reg);
    dir = await mkdtemp(join(tmpdir(), 'porthole-http-skopeo-'));
    layout = await writeOciLayout(dir, [
      { tag: 'multi', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }, { os: 'linux', architecture: 'arm', variant: 'v7' }] },
      { tag: 'single', layers: 2 },
    ]);
    await pushLayoutImage(reg, dir, 'single', 'skopeo/oci');
    await pushLayoutImage(reg, dir, 'single', 'skopeo/docker', { format: 'v2s2' });
    await pushLayoutImage(reg, dir, 'multi', 'skopeo/multi', { all: true });
    await pushLayoutImage(reg, dir, 'multi', 'skopeo/multi-docker', { all: true, format: 'v2s2' });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cases = [
    { repo: 'skopeo/oci', tag: 'single', mediaType: MediaType.OciManifest },
    { repo: 'skopeo/docker', tag: 'single', mediaType: MediaType.DockerManifest },
    { repo: 'skopeo/multi', tag: 'multi', mediaType: MediaType.OciIndex },
    { repo: 'skopeo/multi-docker', tag: 'multi', mediaType: MediaType.DockerManifestList },
  ];

  for (const { repo, tag, mediaType } of cases) {
    it(`${repo}:${tag} (${mediaType.split('.').slice(-2).join('.')})`, async () => {
      const ref = dockerRef(reg, repo, tag);
      const raw = await skopeoInspect(ref, { raw: true, creds: reg.credentials });
      const got = await r.getTag(repo, tag);
      expect(got.descriptor.mediaType).toBe(mediaType);
      expect(JSON.parse(new TextDecoder().decode(got.bytes))).toEqual(raw);
      expect(hashBytes(got.bytes)).toBe(got.descriptor.digest);
      // The digest skopeo reports for the tag is the one the client computed and verified.
      const reported = (await skopeoInspect(ref, { creds: reg.credentials })) as { Digest: string };
      expect(got.descriptor.digest).toBe(reported.Digest);
      const byDigest = await skopeoInspect(`${ref.replace(/:[^:/]+$/, '')}@${got.descriptor.digest}`, { raw: true, creds: reg.credentials });
      expect(byDigest).toEqual(raw);
      expect((await r.resolveTag(repo, tag)).digest).toBe(got.descriptor.digest);
      if (repo === 'skopeo/oci') expect(got.descriptor.digest).toBe(layout.images.find((i) => i.tag === 'single')!.descriptor.digest);
      if (repo === 'skopeo/multi') expect(got.descriptor.digest).toBe(layout.images.find((i) => i.tag === 'multi')!.descriptor.digest);
      // Every child manifest and every blob is there and verifies.
      const children = (raw as { manifests?: { digest: string; mediaType: string }[] }).manifests ?? [];
      for (const child of children) {
        const manifest = await r.getManifest(repo, child.digest);
        expect(manifest.descriptor.mediaType).toBe(child.mediaType);
        const body = JSON.parse(new TextDecoder().decode(manifest.bytes)) as { config: { digest: string }; layers: { digest: string }[] };
        for (const b of [body.config, ...body.layers]) expect(hashBytes(await readStream((await r.getBlob(repo, b.digest)).body))).toBe(b.digest);
      }
      expect(await collect(r.listTags(repo))).toEqual([tag]);
    });
  }

  it('the catalog lists what skopeo pushed', async () => {
    expect(await collect(r.listRepositories())).toEqual(['skopeo/docker', 'skopeo/multi', 'skopeo/multi-docker', 'skopeo/oci']);
  });
});

describe('tag deletion on distribution 2.8.2', () => {
  it('delete enabled: the placeholder method removes one tag and keeps its siblings (checked with skopeo)', async () => {
    const reg = await start({ delete: true });
    const r = client(reg);
    const img = image({ seed: 'siblings' });
    for (const tag of ['keep-1', 'gone', 'keep-2']) await pushBuilt(r, 'app/web', img, { tag });
    expect(await r.deleteTag('app/web', 'gone')).toEqual({ method: 'placeholder', digest: img.manifest.descriptor.digest });
    expect((await skopeoListTags(dockerRef(reg, 'app/web'))).sort()).toEqual(['keep-1', 'keep-2']);
    expect((await r.getTag('app/web', 'keep-1')).bytes).toEqual(img.manifest.bytes);
    // Deleting the last tags keeps the manifest by digest.
    await r.deleteTag('app/web', 'keep-1');
    await r.deleteTag('app/web', 'keep-2');
    expect(await collect(r.listTags('app/web'))).toEqual([]); // distribution sends "tags": null here
    expect((await r.getManifest('app/web', img.manifest.descriptor.digest)).bytes).toEqual(img.manifest.bytes);
    expect(await r.capabilities('app/web')).toMatchObject({ manifestDelete: true, tagDelete: 'placeholder' });
  });

  it('delete disabled: UNSUPPORTED and the tag still points where it did', async () => {
    const reg = await start({ delete: false });
    const r = client(reg);
    const img = image({ seed: 'stuck' });
    await pushBuilt(r, 'app/web', img, { tag: 'v1' });
    await pushBuilt(r, 'app/web', img, { tag: 'v2' });
    const error = await expectRegistryError(() => r.deleteTag('app/web', 'v1'), 'UNSUPPORTED');
    expect(error.message).toContain('unchanged');
    const inspected = (await skopeoInspect(dockerRef(reg, 'app/web', 'v1'))) as { Digest: string };
    expect(inspected.Digest).toBe(img.manifest.descriptor.digest);
    expect((await skopeoListTags(dockerRef(reg, 'app/web'))).sort()).toEqual(['v1', 'v2']);
    expect(await r.capabilities('app/web')).toMatchObject({ manifestDelete: false, tagDelete: 'unsupported' });
  });

  it('an emptied fallback index is removed without touching another empty index with the same digest', async () => {
    const reg = await start({ delete: true });
    const r = client(reg);
    const app = image({ seed: 'app' });
    const lib = image({ seed: 'lib' });
    await pushBuilt(r, 'app/web', app, { tag: 'app' });
    await pushBuilt(r, 'app/web', lib, { tag: 'lib' });
    const empty = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [] }));
    const libTag = referrersFallbackTag(lib.manifest.descriptor.digest);
    await r.pushManifest('app/web', empty, MediaType.OciIndex, { tag: libTag });
    const sig = artifact({ subject: subjectOf(app), artifactType: 'application/vnd.example.signature' });
    await pushBuilt(r, 'app/web', sig);
    const appTag = referrersFallbackTag(app.manifest.descriptor.digest);
    expect(await collect(r.listTags('app/web'))).toEqual(expect.arrayContaining([appTag, libTag]));
    const result = await r.deleteManifest('app/web', sig.manifest.descriptor.digest);
    expect(result).toEqual({ deleted: [sig.manifest.descriptor.digest], tags: [] });
    const tags = await skopeoListTags(dockerRef(reg, 'app/web'));
    expect(tags).not.toContain(appTag);
    expect(tags.sort()).toEqual(['app', 'lib', libTag].sort());
    expect((await r.getTag('app/web', libTag)).bytes).toEqual(empty);
  });
});

describe('cascading deletes trust a referrer\'s own subject, not a fallback index', () => {
  it('a fallback index that wrongly lists another image\'s signature does not take that signature along', async () => {
    const reg = await start({ delete: true });
    const r = client(reg);
    const v110 = image({ seed: 'v1.1.0' });
    const v120 = image({ seed: 'v1.2.0' });
    await pushBuilt(r, 'app/web', v110, { tag: 'v1.1.0' });
    await pushBuilt(r, 'app/web', v120, { tag: 'v1.2.0' });
    const sig110 = artifact({ subject: subjectOf(v110), artifactType: 'application/vnd.example.signature', layers: ['1.1.0'] });
    const sig120 = artifact({ subject: subjectOf(v120), artifactType: 'application/vnd.example.signature', layers: ['1.2.0'] });
    await pushBuilt(r, 'app/web', sig110);
    await pushBuilt(r, 'app/web', sig120, { tag: `${referrersFallbackTag(v120.manifest.descriptor.digest)}.sig` });
    // A careless client lists v1.2.0's signature in v1.1.0's fallback index too.
    const wrong = {
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: [sig110, sig120].map((s) => ({ ...s.manifest.descriptor, artifactType: 'application/vnd.example.signature' })),
    };
    await r.pushManifest('app/web', new TextEncoder().encode(JSON.stringify(wrong)), MediaType.OciIndex, { tag: referrersFallbackTag(v110.manifest.descriptor.digest) });

    const result = await r.deleteManifest('app/web', v110.manifest.descriptor.digest, { cascadeReferrers: true });
    expect(result.deleted).toEqual([v110.manifest.descriptor.digest, sig110.manifest.descriptor.digest]);
    expect((await r.resolveManifest('app/web', sig120.manifest.descriptor.digest)).digest).toBe(sig120.manifest.descriptor.digest);
    expect(await skopeoListTags(dockerRef(reg, 'app/web'))).toContain(`${referrersFallbackTag(v120.manifest.descriptor.digest)}.sig`);
  });
});

describe('catalog paging with catalog.maxentries = 5', () => {
  it('lists 23 repositories in the registry order across pages, and resumes after any of them', async () => {
    const reg = await start({ maxCatalogEntries: 5 });
    const r = client(reg);
    const names = Array.from({ length: 23 }, (_, i) => (i % 3 === 0 ? `group/r${String(i).padStart(2, '0')}` : `r${String(i).padStart(2, '0')}-x`));
    names.push('a/b', 'a-b'); // distribution orders path components first: a/b before a-b
    for (const name of names) await r.pushBlob(name, blob(`content ${name}`).descriptor, blob(`content ${name}`).bytes);
    const all = await collect(r.listRepositories());
    expect([...all].sort()).toEqual([...names].sort());
    expect(new Set(all).size).toBe(all.length);
    expect(all.indexOf('a/b')).toBeLessThan(all.indexOf('a-b'));
    expect(await collect(r.listRepositories({ pageSize: 3 }))).toEqual(all);
    for (const k of [0, 4, 5, 11, all.length - 1]) expect(await collect(r.listRepositories({ startAfter: all[k] }))).toEqual(all.slice(k + 1));
  });
});

describe('auth against real distribution', () => {
  it('token auth: one token per scope set, reused; wrong password UNAUTHORIZED; anonymous DENIED', async () => {
    const reg = await start({ auth: 'token' });
    const r = client(reg);
    const img = image({ seed: 'tokens' });
    await pushBuilt(r, 'team/app', img, { tag: 'v1' });
    const issuer = reg.tokenIssuer!;
    issuer.resetCounts();
    for (let i = 0; i < 3; i++) {
      await r.resolveTag('team/app', 'v1');
      await collect(r.listTags('team/app'));
    }
    // The pull-scope token was fetched by the push's HEAD requests and is still cached: nothing new asked for.
    expect(issuer.requestCount).toBe(0);
    await collect(r.listRepositories());
    await collect(r.listRepositories());
    expect(issuer.requestCount).toBe(1);
    expect(issuer.requests[0]!.scopes).toEqual(['registry:catalog:*']);

    const wrong = client(reg, { credentials: { username: 'admin', password: 'not-the-password' } });
    const unauthorized = await expectRegistryError(() => wrong.resolveTag('team/app', 'v1'), 'UNAUTHORIZED');
    expect(unauthorized.message).not.toContain('not-the-password');
    const anonymous = client(reg, { credentials: undefined });
    await expectRegistryError(() => collect(anonymous.listRepositories()), 'DENIED');
    await expectRegistryError(() => anonymous.resolveTag('team/app', 'v1'), 'DENIED');
  });

  it('Basic auth: wrong password and no credentials are UNAUTHORIZED', async () => {
    const reg = await start({ auth: 'basic' });
    const wrong = client(reg, { credentials: { username: 'admin', password: 'nope-nope' } });
    const error = await expectRegistryError(() => collect(wrong.listRepositories()), 'UNAUTHORIZED');
    expect(error.message).toContain('admin');
    expect(error.message).not.toContain('nope-nope');
    await expectRegistryError(() => collect(client(reg, { credentials: undefined }).listRepositories()), 'UNAUTHORIZED');
  });
});

describe('a registry that goes away', () => {
  it('reports UNAVAILABLE while down and works again after a restart', async () => {
    const reg = await start({ delete: true });
    const r = client(reg);
    const img = image({ seed: 'outage' });
    await pushBuilt(r, 'team/app', img, { tag: 'v1' });
    await reg.halt();
    const error = await expectRegistryError(() => r.resolveTag('team/app', 'v1'), 'UNAVAILABLE');
    expect(error.status).toBe(502);
    await reg.start();
    expect((await r.resolveTag('team/app', 'v1')).digest).toBe(img.manifest.descriptor.digest);
  });
});

describe('TLS (https registry with its own CA)', () => {
  let dir: string;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'porthole-http-tls-'));
    // stdin closed: the harness's exec writes to stdin, which can EPIPE when openssl exits first.
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ]);
    server = createHttpsServer({ key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'secure/app', tags: ['v1'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a certificate it cannot verify, naming the fix', async () => {
    const r = createHttpRegistry({ url, retries: 0 });
    clients.push(r);
    const error = await expectRegistryError(() => collect(r.listTags('secure/app')), 'UNAVAILABLE');
    expect(error.message).toMatch(/TLS certificate of 127\.0\.0\.1:\d+ is not trusted .*caFile/);
  });

  it('trusts the CA given as caFile', async () => {
    const r = createHttpRegistry({ url, caFile: join(dir, 'cert.pem') });
    clients.push(r);
    expect(await collect(r.listTags('secure/app'))).toEqual(['v1']);
  });

  it('skips verification only when insecure is set', async () => {
    const r = createHttpRegistry({ url, insecure: true });
    clients.push(r);
    expect(await collect(r.listTags('secure/app'))).toEqual(['v1']);
  });
});
