/**
 * The writer's request sequences: blob pushes and mounts, manifests with subjects and the fallback index.
 * Unit test of the HTTP backend through undici's MockAgent (no sockets, `disableNetConnect`), for what a real
 * distribution 2.8.2 cannot show (split out of the former http.test.ts; shared setup: testing/mock-session.ts).
 * Timeouts, dropped connections and concurrency against a real loopback socket are in transport/transport.test.ts.
 */
import type { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { referrersFallbackTag } from '@/lib/oci/manifest';
import { MediaType } from '@/lib/oci/media-types';
import { collect } from '@/lib/registry/iter';
import { artifact, image, pushBuilt, subjectOf } from '@/lib/registry/testing/build';
import { FakeRegistry, sha256, utf8 } from './testing/mock-registry';
import { mockSession, REPO, rejection } from './testing/mock-session';

let agent: MockAgent;
const open = mockSession((a) => (agent = a));

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
