/**
 * The deleter's request sequences: native and placeholder tag deletes, manifest deletes with their tags and referrers, blobs.
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
import { FakeRegistry, route, sha256, utf8 } from './testing/mock-registry';
import { manifestReply, mockSession, REPO, rejection } from './testing/mock-session';

let agent: MockAgent;
const open = mockSession((a) => (agent = a));

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
