import { describe, expect, it } from 'vitest';
import { collect } from '@/lib/registry/iter';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { artifact, image, pushBuilt, subjectOf } from '@/lib/registry/testing/build';
import { expectRegistryError, readStream, runRegistryContract } from '@/lib/registry/testing/contract';
import { countingRegistry } from '@/lib/registry/testing/counting';
import { readOnly } from './read-only';
import { unify } from './unify';

// Two empty members written together behave like one registry: the whole contract holds.
runRegistryContract('unify over two memory registries', async () => {
  const registry = unify([createMemoryRegistry(), createMemoryRegistry()]);
  return { registry, cleanup: () => registry.close() };
});

describe('unify', () => {
  const mirrorOnly = image({ seed: 'mirror only' });
  const originOnly = image({ seed: 'origin only' });
  const both = image({ seed: 'both' });

  async function pair() {
    const mirror = createMemoryRegistry();
    const origin = createMemoryRegistry();
    await pushBuilt(mirror, 'team/app', mirrorOnly, { tag: 'm' });
    await pushBuilt(mirror, 'team/app', both, { tag: 'v1' });
    await pushBuilt(mirror, 'mirror/only', both, { tag: 'x' });
    await pushBuilt(origin, 'team/app', originOnly, { tag: 'o' });
    await pushBuilt(origin, 'team/app', originOnly, { tag: 'v1' }); // the origin moved v1 on
    await pushBuilt(origin, 'origin/only', both, { tag: 'y' });
    return { mirror, origin };
  }

  it('reads from the first member that has the content, in order', async () => {
    const { mirror, origin } = await pair();
    const counting = countingRegistry(origin);
    const unified = unify([mirror, counting.registry]);
    expect((await unified.resolveTag('team/app', 'v1')).digest).toBe(both.manifest.descriptor.digest);
    expect(counting.calls.get('resolveTag') ?? 0).toBe(0);
    expect((await unified.getTag('team/app', 'o')).descriptor.digest).toBe(originOnly.manifest.descriptor.digest);
    const layer = originOnly.blobs[1]!;
    expect(await readStream((await unified.getBlob('team/app', layer.descriptor.digest)).body)).toEqual(layer.bytes);
    await expectRegistryError(unified.getTag('team/app', 'nope'), 'MANIFEST_UNKNOWN');
  });

  it('lists the sorted union of repositories and tags without duplicates, after a cursor', async () => {
    const { mirror, origin } = await pair();
    const unified = unify([mirror, origin]);
    expect(await collect(unified.listRepositories())).toEqual(['mirror/only', 'origin/only', 'team/app']);
    expect(await collect(unified.listTags('team/app'))).toEqual(['m', 'o', 'v1']);
    expect(await collect(unified.listTags('team/app', { startAfter: 'm' }))).toEqual(['o', 'v1']);
    // A repository only one member has is listed from that one.
    expect(await collect(unified.listTags('origin/only'))).toEqual(['y']);
    await expectRegistryError(collect(unified.listTags('none/here')), 'NAME_UNKNOWN');
  });

  it('lists the union of referrers, each once', async () => {
    const { mirror, origin } = await pair();
    const sigA = artifact({ subject: subjectOf(both), artifactType: 'application/vnd.example.sig', layers: ['a'] });
    const sigB = artifact({ subject: subjectOf(both), artifactType: 'application/vnd.example.sig', layers: ['b'] });
    await pushBuilt(mirror, 'team/app', sigA);
    await pushBuilt(origin, 'team/app', both);
    await pushBuilt(origin, 'team/app', sigA);
    await pushBuilt(origin, 'team/app', sigB);
    const referrers = await collect(unify([mirror, origin]).listReferrers('team/app', both.manifest.descriptor.digest));
    expect(referrers.map((d) => d.digest)).toEqual([sigA, sigB].map((s) => s.manifest.descriptor.digest).sort());
  });

  it('writes to every member and fails when one refuses', async () => {
    const a = createMemoryRegistry();
    const b = createMemoryRegistry();
    const img = image({ seed: 'pushed' });
    await pushBuilt(unify([a, b]), 'new/app', img, { tag: 'v1' });
    for (const member of [a, b]) expect((await member.getTag('new/app', 'v1')).bytes).toEqual(img.manifest.bytes);
    const refused = await expectRegistryError(pushBuilt(unify([createMemoryRegistry(), readOnly(createMemoryRegistry())]), 'x/y', img), 'DENIED');
    expect(refused.message).toContain('member 2');
  });

  it('deletes from every member holding the tag and reports every tag a manifest delete took', async () => {
    const { mirror, origin } = await pair();
    const unified = unify([mirror, origin]);
    await unified.deleteTag('team/app', 'm');
    await expectRegistryError(mirror.resolveTag('team/app', 'm'), 'MANIFEST_UNKNOWN');
    await expectRegistryError(unified.deleteTag('team/app', 'm'), 'MANIFEST_UNKNOWN');
    const result = await unified.deleteManifest('team/app', originOnly.manifest.descriptor.digest);
    expect(result.tags).toEqual(['o', 'v1']);
    expect((await unified.resolveTag('team/app', 'v1')).digest).toBe(both.manifest.descriptor.digest);
  });

  it('reports the capabilities every member has', async () => {
    const caps = await unify([createMemoryRegistry(), readOnly(createMemoryRegistry())]).capabilities();
    expect(caps).toMatchObject({ catalog: true, write: false, manifestDelete: false, tagDelete: 'unsupported', referrersApi: true });
  });
});
