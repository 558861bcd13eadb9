/**
 * The delete plan and the delete that carries it out, through the JSON API against a real docker-registry 2.8.2
 * (no referrers API: referrers are found through `sha256-…` fallback indexes). Every repository here is opened
 * cold — never listed by Porthole before — the way a dashboard link opens it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeleteManifestResponse, DeletePlan, DeletePlanEvent, ManifestResponse } from '@/lib/api/types';
import { referrersFallbackTag } from '@/lib/oci/manifest';
import { MediaType } from '@/lib/oci/media-types';
import { artifact, image, index, manifestOf, subjectOf, type Built } from '@/lib/registry/testing/build';
import { pushBuiltRaw } from '@/lib/registry/testing/push-layout-raw';
import { registryFetch } from '@/lib/registry/testing/registry-fetch';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { resetSources, setConfigForTests } from './sources';
import { api, getJson } from '@/lib/server/testing/test-api';
import { configOf } from '@/lib/server/testing/test-support';

const SIG = 'application/vnd.dev.cosign.artifact.sig.v1+json';
const SBOM = 'application/spdx+json';

let registry: RunningRegistry;
let dir: string;

const img = (seed: string) => image({ seed, layers: [`layer of ${seed}`] });

/** A referrers fallback index listing `entries` (what a client writes under `sha256-<subject>`). */
function fallbackIndex(entries: { built: Built; artifactType: string }[]): Built {
  const manifests = entries.map((e) => ({ ...e.built.manifest.descriptor, artifactType: e.artifactType }));
  return { manifest: manifestOf({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests }, MediaType.OciIndex), blobs: [], children: [] };
}

/** The digest `reference` points at in the registry itself, or null when it is gone. */
async function registryDigest(repo: string, reference: string): Promise<string | null> {
  const accept = [MediaType.OciManifest, MediaType.OciIndex].join(', ');
  const response = await registryFetch(registry, `/v2/${repo}/manifests/${reference}`, { method: 'HEAD', headers: { accept } });
  await response.body?.cancel();
  return response.status === 200 ? response.headers.get('docker-content-digest') : null;
}

const base = (repo: string) => `/api/sources/reg/repositories/${repo}/-`;

async function plan(repo: string, digest: string, cascade = false): Promise<DeletePlan> {
  const { status, body, text } = await getJson<DeletePlan>(`${base(repo)}/delete-plan/${digest}${cascade ? '?cascade=referrers' : ''}`);
  expect(status, text).toBe(200);
  return body;
}

async function remove(repo: string, digest: string, options: { cascade?: boolean; expect?: DeletePlan['expect'] } = {}) {
  const init: RequestInit = { method: 'DELETE' };
  if (options.expect) {
    init.body = JSON.stringify({ expect: options.expect });
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await api(`${base(repo)}/manifests/${digest}${options.cascade ? '?cascade=referrers' : ''}`, init);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as unknown, text };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-delete-plan-'));
  registry = await startRegistry({ delete: true });
  await setConfigForTests(
    configOf({
      auditLog: join(dir, 'audit.jsonl'),
      sources: [
        { name: 'reg', url: registry.url, delete: true },
        // Read-only, on the same registry, with no tag cache: sees other tools' deletes at once.
        { name: 'nocache', url: registry.url, tagCacheSeconds: 0 },
      ],
    }),
  );
}, 120_000);

afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  await registry?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('blast radius of a manifest delete on a never-listed repository', () => {
  it('opened by tag: the page admits it does not know all tags; the plan names both tags on the digest', async () => {
    const digest = await pushBuiltRaw(registry, 'cold/by-tag', img('cold-tag'), ['a', 'b']);
    await pushBuiltRaw(registry, 'cold/by-tag', img('cold-tag-other'), ['c']);

    const page = await getJson<ManifestResponse>(`${base('cold/by-tag')}/manifests/b`);
    expect(page.body.tags).toEqual(['b']);
    expect(page.body.tagsComplete).toBe(false);

    const p = await plan('cold/by-tag', digest);
    expect(p.tags.map((t) => t.name)).toEqual(['a', 'b']);
    expect(p.manifests.map((m) => [m.digest, m.role, m.tags])).toEqual([[digest, 'target', ['a', 'b']]]);
    expect(p.tagsChecked).toBe(3);
    expect(p.expect).toEqual({ manifests: [digest], tags: ['a', 'b'] });

    // Having resolved every tag, the page now knows it all.
    const again = await getJson<ManifestResponse>(`${base('cold/by-tag')}/manifests/b`);
    expect([again.body.tags, again.body.tagsComplete]).toEqual([['a', 'b'], true]);
  });

  it('opened by digest: the plan names both tags, and the delete removes exactly them', async () => {
    const digest = await pushBuiltRaw(registry, 'cold/by-digest', img('cold-digest'), ['a', 'b']);
    const other = await pushBuiltRaw(registry, 'cold/by-digest', img('cold-digest-other'), ['c']);

    const page = await getJson<ManifestResponse>(`${base('cold/by-digest')}/manifests/${digest}`);
    expect(page.body.tags).toBeUndefined();
    expect(page.body.tagsComplete).toBe(false);

    const p = await plan('cold/by-digest', digest);
    expect(p.tags.map((t) => t.name)).toEqual(['a', 'b']);
    const done = await remove('cold/by-digest', digest, { expect: p.expect });
    expect(done.status, done.text).toBe(200);
    expect(done.body as DeleteManifestResponse).toEqual({ deleted: [digest], tags: ['a', 'b'] });
    expect([await registryDigest('cold/by-digest', 'a'), await registryDigest('cold/by-digest', 'b')]).toEqual([null, null]);
    expect(await registryDigest('cold/by-digest', 'c')).toBe(other);
  });

  it('refuses (409) when the registry changed since the confirmed plan, and deletes nothing', async () => {
    const built = img('cold-moved');
    const digest = await pushBuiltRaw(registry, 'cold/moved', built, ['a']);
    const p = await plan('cold/moved', digest);
    expect(p.expect.tags).toEqual(['a']);
    // Another tag moves onto the digest after the user saw the plan.
    await pushBuiltRaw(registry, 'cold/moved', built, ['b']);

    const refused = await remove('cold/moved', digest, { expect: p.expect });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('now also removes tags b');
    expect(await registryDigest('cold/moved', 'a')).toBe(digest);
    expect(await registryDigest('cold/moved', 'b')).toBe(digest);
    const audit = (await readFile(join(dir, 'audit.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { repository: string; result: string });
    expect(audit.at(-1)).toMatchObject({ repository: 'cold/moved', result: 'denied' });
  });

  it('refuses a malformed expect body with 400 before deleting', async () => {
    const digest = await pushBuiltRaw(registry, 'cold/bad-expect', img('cold-bad'), ['a']);
    const response = await api(`${base('cold/bad-expect')}/manifests/${digest}`, { method: 'DELETE', body: '{"expect":{"tags":"a"}}' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('expect');
    expect(await registryDigest('cold/bad-expect', 'a')).toBe(digest);
  });

  it('streams progress as NDJSON, ending with the plan', async () => {
    const digest = await pushBuiltRaw(registry, 'cold/stream', img('cold-stream'), ['a', 'b', 'c']);
    const response = await api(`${base('cold/stream')}/delete-plan/${digest}`, { headers: { accept: 'application/x-ndjson' } });
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const events = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as DeletePlanEvent);
    expect(events.filter((e) => e.type === 'progress').at(-1)).toEqual({ type: 'progress', resolved: 3, total: 3 });
    const last = events.at(-1)!;
    expect(last.type).toBe('plan');
    expect(last.type === 'plan' && last.plan.tags.map((t) => t.name)).toEqual(['a', 'b', 'c']);
  });
});

describe('cascade deletes only what really refers to the deleted manifest', () => {
  it('a fallback index that wrongly lists another image’s signature does not take that signature', async () => {
    const repo = 'cold/cascade';
    const v110 = img('v1.1.0');
    const v120 = img('v1.2.0');
    const sig110 = artifact({ subject: subjectOf(v110), artifactType: SIG, layers: ['sig of 1.1.0'] });
    const sig120 = artifact({ subject: subjectOf(v120), artifactType: SIG, layers: ['sig of 1.2.0'] });
    const d110 = await pushBuiltRaw(registry, repo, v110, ['v1.1.0']);
    const d120 = await pushBuiltRaw(registry, repo, v120, ['v1.2.0']);
    const s110 = await pushBuiltRaw(registry, repo, sig110);
    const s120 = await pushBuiltRaw(registry, repo, sig120, [`${referrersFallbackTag(d120)}.sig`]);
    await pushBuiltRaw(registry, repo, fallbackIndex([{ built: sig110, artifactType: SIG }, { built: sig120, artifactType: SIG }]), [referrersFallbackTag(d110)]);
    await pushBuiltRaw(registry, repo, fallbackIndex([{ built: sig120, artifactType: SIG }]), [referrersFallbackTag(d120)]);

    const p = await plan(repo, d110, true);
    expect(p.manifests.map((m) => m.digest)).toEqual([d110, s110]);
    expect(p.notReferrers).toEqual([{ digest: s120, listedFor: d110, subject: d120, reason: `its subject is ${d120}, not ${d110}` }]);
    // The fallback index still lists the other signature, so its tag stays (and says so).
    expect(p.tags.map((t) => t.name)).toEqual(['v1.1.0']);
    expect(p.leftTags.map((t) => t.name)).toEqual([referrersFallbackTag(d110)]);

    const done = await remove(repo, d110, { cascade: true, expect: p.expect });
    expect(done.status, done.text).toBe(200);
    expect(done.body as DeleteManifestResponse).toEqual({ deleted: [d110, s110], tags: ['v1.1.0'] });
    expect(await registryDigest(repo, s120)).toBe(s120);
    expect(await registryDigest(repo, `${referrersFallbackTag(d120)}.sig`)).toBe(s120);
    expect(await registryDigest(repo, 'v1.2.0')).toBe(d120);
  });

  it('names an ordinary tag on an SBOM and the fallback tag that disappears, in the plan and in the result', async () => {
    const repo = 'cold/sbom';
    const app = img('app-with-sbom');
    const sbom = artifact({ subject: subjectOf(app), artifactType: SBOM, layers: ['{"spdxVersion":"SPDX-2.3"}'] });
    const dApp = await pushBuiltRaw(registry, repo, app, ['v1']);
    const dSbom = await pushBuiltRaw(registry, repo, sbom, ['sbom-v1']);
    const fallback = referrersFallbackTag(dApp);
    await pushBuiltRaw(registry, repo, fallbackIndex([{ built: sbom, artifactType: SBOM }]), [fallback]);

    const p = await plan(repo, dApp, true);
    expect(p.manifests.map((m) => [m.digest, m.role, m.tags])).toEqual([
      [dApp, 'target', ['v1']],
      [dSbom, 'referrer', ['sbom-v1']],
    ]);
    expect(p.tags.map((t) => [t.name, t.why])).toEqual([
      ['sbom-v1', 'on-deleted-manifest'],
      [fallback, 'emptied-referrers-index'],
      ['v1', 'on-deleted-manifest'],
    ]);

    const done = await remove(repo, dApp, { cascade: true, expect: p.expect });
    expect(done.status, done.text).toBe(200);
    expect(done.body as DeleteManifestResponse).toEqual({ deleted: [dApp, dSbom], tags: ['sbom-v1', fallback, 'v1'] });
    for (const ref of ['v1', 'sbom-v1', fallback]) expect(await registryDigest(repo, ref)).toBeNull();
  });

  it('without cascade, the referrers stay and the plan says which artifact tags are left describing nothing', async () => {
    const repo = 'cold/keep-referrers';
    const app = img('app-keeps');
    const sbom = artifact({ subject: subjectOf(app), artifactType: SBOM, layers: ['sbom kept'] });
    const dApp = await pushBuiltRaw(registry, repo, app, ['v1']);
    const dSbom = await pushBuiltRaw(registry, repo, sbom, ['sbom-v1']);
    await pushBuiltRaw(registry, repo, fallbackIndex([{ built: sbom, artifactType: SBOM }]), [referrersFallbackTag(dApp)]);

    const p = await plan(repo, dApp, false);
    expect(p.manifests.map((m) => m.digest)).toEqual([dApp]);
    expect(p.referrers.map((m) => [m.digest, m.tags])).toEqual([[dSbom, ['sbom-v1']]]);
    expect(p.tags.map((t) => t.name)).toEqual(['v1']);
    expect(p.leftTags.map((t) => [t.name, t.kind])).toEqual([[referrersFallbackTag(dApp), 'referrers-fallback']]);
  });
});

describe('indexes that list a deleted manifest', () => {
  it('names the tagged index (and its tags) that deleting a platform manifest breaks', async () => {
    const repo = 'cold/platforms';
    const amd = image({ seed: 'amd', platform: { os: 'linux', architecture: 'amd64' } });
    const arm = image({ seed: 'arm', platform: { os: 'linux', architecture: 'arm64' } });
    const multi = index([amd, arm]);
    const dIndex = await pushBuiltRaw(registry, repo, multi, ['v1', 'latest']);
    const dAmd = amd.manifest.descriptor.digest;

    const p = await plan(repo, dAmd);
    expect(p.tags).toEqual([]);
    expect(p.referencedBy).toEqual([{ digest: dIndex, mediaType: MediaType.OciIndex, tags: ['latest', 'v1'], lists: [dAmd] }]);
  });

  it('after the delete the index shows the child as missing, instead of remembering it was there', async () => {
    const repo = 'cold/broken-index';
    const amd = image({ seed: 'amd-broken', platform: { os: 'linux', architecture: 'amd64' } });
    const arm = image({ seed: 'arm-broken', platform: { os: 'linux', architecture: 'arm64' } });
    await pushBuiltRaw(registry, repo, index([amd, arm]), ['v1']);
    const dAmd = amd.manifest.descriptor.digest;
    // A tag view reads (and caches) the children's details.
    expect((await getJson(`${base(repo)}/tags`)).status).toBe(200);
    const before = await getJson<ManifestResponse>(`${base(repo)}/manifests/v1`);
    expect(before.body.children!.map((c) => c.missing ?? null)).toEqual([null, null]);

    const p = await plan(repo, dAmd);
    expect((await remove(repo, dAmd, { expect: p.expect })).status).toBe(200);
    const after = await getJson<ManifestResponse>(`${base(repo)}/manifests/v1`);
    expect(after.body.children!.map((c) => c.missing?.code ?? null)).toEqual(['MANIFEST_UNKNOWN', null]);
  });

  it('a child deleted by another tool is checked again once the tag cache time has passed', async () => {
    const repo = 'cold/external-delete';
    const amd = image({ seed: 'amd-external', platform: { os: 'linux', architecture: 'amd64' } });
    const arm = image({ seed: 'arm-external', platform: { os: 'linux', architecture: 'arm64' } });
    await pushBuiltRaw(registry, repo, index([amd, arm]), ['v1']);
    const nocache = `/api/sources/nocache/repositories/${repo}/-`;
    expect((await getJson(`${nocache}/tags`)).status).toBe(200);
    expect((await getJson<ManifestResponse>(`${nocache}/manifests/v1`)).body.children!.every((c) => !c.missing)).toBe(true);

    const gone = await registryFetch(registry, `/v2/${repo}/manifests/${amd.manifest.descriptor.digest}`, { method: 'DELETE' });
    expect(gone.status).toBe(202);
    const after = await getJson<ManifestResponse>(`${nocache}/manifests/v1`);
    expect(after.body.children!.map((c) => c.missing?.code ?? null)).toEqual(['MANIFEST_UNKNOWN', null]);
  });
});
