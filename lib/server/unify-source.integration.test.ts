/**
 * A `kind: unify` source over two real docker-registry 2.8.2 instances (a mirror and its origin) with
 * overlapping repositories, through the API and through the library: merged and de-duplicated catalog and
 * tags, reads from the first member that has the content (tags, manifests by digest, blobs), and referrers as
 * the union of both members' fallback indexes (2.8.2 has no referrers API).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferrersResponse } from '@/lib/api/types';
import { unify } from '@/lib/registry/filter/unify';
import { createHttpRegistry, type HttpRegistry } from '@/lib/registry/http';
import { collect } from '@/lib/registry/iter';
import { artifact, image, pushBuilt, subjectOf } from '@/lib/registry/testing/build';
import { readStream } from '@/lib/registry/testing/contract';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { registryDigestOf } from '@/lib/registry/testing/seed-tags';
import { resetSources, setConfigForTests } from './sources';
import { getJson } from '@/lib/server/testing/test-api';
import { configOf } from '@/lib/server/testing/test-support';

const mirrorV1 = image({ seed: 'unify-int v1 (mirror)', layers: ['unify-int mirror layer'] });
const originV1 = image({ seed: 'unify-int v1 (origin)', layers: ['unify-int origin layer one'] });
const originV2 = image({ seed: 'unify-int v2', layers: ['unify-int origin layer two'] });
const shared = image({ seed: 'unify-int shared', layers: ['unify-int shared layer'] });
const mirrorSignature = artifact({ subject: subjectOf(shared), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', layers: ['unify-int mirror sig'] });
const originSbom = artifact({ subject: subjectOf(shared), artifactType: 'application/spdx+json', layers: ['unify-int origin sbom'] });
// Both members hold this one: the union lists it once.
const bothSignature = artifact({ subject: subjectOf(shared), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', layers: ['unify-int both sig'] });

let mirror: RunningRegistry;
let origin: RunningRegistry;
const clients: HttpRegistry[] = [];

function client(reg: RunningRegistry): HttpRegistry {
  const r = createHttpRegistry({ url: reg.url });
  clients.push(r);
  return r;
}

beforeAll(async () => {
  [mirror, origin] = await Promise.all([startRegistry(), startRegistry()]);
  const m = client(mirror);
  const o = client(origin);
  await pushBuilt(m, 'team/app', mirrorV1, { tag: 'v1' });
  await pushBuilt(m, 'team/app', shared, { tag: 'shared' });
  await pushBuilt(m, 'team/app', mirrorSignature);
  await pushBuilt(m, 'team/app', bothSignature);
  await pushBuilt(m, 'only/mirror', shared, { tag: 'x' });
  await pushBuilt(o, 'team/app', originV1, { tag: 'v1' });
  await pushBuilt(o, 'team/app', originV2, { tag: 'v2' });
  await pushBuilt(o, 'team/app', shared, { tag: 'shared' });
  await pushBuilt(o, 'team/app', originSbom);
  await pushBuilt(o, 'team/app', bothSignature);
  await pushBuilt(o, 'only/origin', shared, { tag: 'y' });
  await setConfigForTests(
    configOf({
      sources: [
        { name: 'mirror', url: mirror.url },
        { name: 'origin', url: origin.url },
        { name: 'both', kind: 'unify', sources: ['mirror', 'origin'] },
      ],
    }),
  );
}, 120_000);

afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  for (const r of clients.splice(0)) await r.close();
  await Promise.all([mirror?.stop(), origin?.stop()]);
});

describe('a unify source over two real registries, through the API', () => {
  it('merges the catalog and the tags, sorted and without duplicates', async () => {
    const repositories = await getJson<{ repositories: string[] }>('/api/sources/both/repositories');
    expect(repositories.status).toBe(200);
    expect(repositories.body.repositories).toEqual(['only/mirror', 'only/origin', 'team/app']);
    const tags = await getJson<{ tags: { name: string }[] }>('/api/sources/both/repositories/team/app/-/tags?details=false&sort=name');
    expect(tags.status).toBe(200);
    // v1 is in both; the referrers fallback tags (`sha256-…`) of both members are one tag.
    const names = tags.body.tags.map((t) => t.name);
    expect(names.filter((n) => !n.startsWith('sha256-'))).toEqual(['shared', 'v1', 'v2']);
    expect(names.filter((n) => n.startsWith('sha256-'))).toEqual([subjectOf(shared).digest.replace(':', '-')]);
  });

  it('reads a tag from the first member that has it, the others from the next; by digest too', async () => {
    const v1 = await getJson<{ descriptor: { digest: string } }>('/api/sources/both/repositories/team/app/-/manifests/v1');
    expect(v1.status).toBe(200);
    // The origin moved v1 elsewhere; the mirror comes first.
    expect(v1.body.descriptor.digest).toBe(mirrorV1.manifest.descriptor.digest);
    expect(await registryDigestOf(origin, 'team/app', 'v1')).toBe(originV1.manifest.descriptor.digest);
    const v2 = await getJson<{ descriptor: { digest: string } }>('/api/sources/both/repositories/team/app/-/manifests/v2');
    expect(v2.body.descriptor.digest).toBe(originV2.manifest.descriptor.digest);
    const byDigest = await getJson<{ descriptor: { digest: string } }>(`/api/sources/both/repositories/team/app/-/manifests/${originV1.manifest.descriptor.digest}`);
    expect(byDigest.status).toBe(200);
    expect(byDigest.body.descriptor.digest).toBe(originV1.manifest.descriptor.digest);
    const missing = await getJson<{ errors: { code: string }[] }>('/api/sources/both/repositories/team/app/-/manifests/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]!.code).toBe('MANIFEST_UNKNOWN');
  });

  it('lists the referrers of a manifest as the union of both members, each once', async () => {
    const response = await getJson<ReferrersResponse>(`/api/sources/both/repositories/team/app/-/referrers/${subjectOf(shared).digest}`);
    expect(response.status).toBe(200);
    const expected = [mirrorSignature, originSbom, bothSignature].map((a) => a.manifest.descriptor.digest).sort();
    expect(response.body.referrers.map((r) => r.digest).sort()).toEqual(expected);
  });
});

describe('unify over two real registries, as a library', () => {
  it('serves a blob only the second member has, verified, and lists referrers and tags merged', async () => {
    const unified = unify([client(mirror), client(origin)]);
    const layer = originV2.blobs.find((b) => b.descriptor.mediaType.includes('layer'))!;
    const blob = await unified.getBlob('team/app', layer.descriptor.digest);
    expect(blob.descriptor.digest).toBe(layer.descriptor.digest);
    expect(Buffer.from(await readStream(blob.body)).equals(Buffer.from(layer.bytes))).toBe(true);
    await expect(unified.resolveBlob('only/mirror', layer.descriptor.digest)).rejects.toMatchObject({ code: 'BLOB_UNKNOWN' });
    const referrers = await collect(unified.listReferrers('team/app', subjectOf(shared).digest));
    expect(referrers.map((d) => d.digest)).toEqual([mirrorSignature, originSbom, bothSignature].map((a) => a.manifest.descriptor.digest).sort());
    expect(await collect(unified.listTags('only/origin'))).toEqual(['y']);
    expect(await collect(unified.listRepositories({ startAfter: 'only/mirror' }))).toEqual(['only/origin', 'team/app']);
  });
});
