import { afterEach, describe, expect, it } from 'vitest';
import { MediaType } from '@/lib/oci/media-types';
import type { Descriptor } from '@/lib/oci/types';
import { fromFuncs } from '@/lib/registry/funcs';
import { fromArray } from '@/lib/registry/iter';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { artifact, image, pushBuilt, subjectOf } from '@/lib/registry/testing/build';
import { getReferrersTree } from './referrers-service';
import { getSource, resetSources, setConfigForTests } from './sources';
import { configOf } from './testing/test-support';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const desc = (c: string): Descriptor => ({ mediaType: MediaType.OciManifest, digest: digest(c), size: 10, artifactType: 'application/example' });

afterEach(async () => {
  await setConfigForTests(null);
  await resetSources();
});

describe('referrers tree', () => {
  it('stops at cycles (a fallback index can list anything) and at the depth limit', async () => {
    // a → b → c → a (only possible through mutable fallback indexes) and c → d.
    const edges: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a', 'd'], d: [] };
    const registry = fromFuncs({
      listReferrers: (_repo, subject) => fromArray((edges[subject.slice(7, 8)] ?? []).map(desc)),
      capabilities: async () => ({ catalog: true, write: false, manifestDelete: false, tagDelete: 'unsupported', referrersApi: true }),
    });
    await setConfigForTests(configOf({ sources: [{ name: 'm', kind: 'memory' }] }), { m: registry });
    const source = await getSource('m');
    const deep = await getReferrersTree(source, 'x', digest('a'), { depth: 5 });
    const b = deep.referrers[0]!;
    const c = b.referrers[0]!;
    expect([b.digest, c.digest]).toEqual([digest('b'), digest('c')]);
    expect(c.referrers.map((n) => [n.digest, n.truncated, n.referrers.length])).toEqual([
      [digest('a'), 'cycle', 0],
      [digest('d'), undefined, 0],
    ]);
    const shallow = await getReferrersTree(source, 'x', digest('a'), { depth: 1 });
    expect(shallow.referrers).toMatchObject([{ digest: digest('b'), truncated: 'depth', referrers: [], foundBy: 'api' }]);
  });

  it('filters the first level by artifactType on a memory registry', async () => {
    const memory = createMemoryRegistry();
    const img = image({ seed: 'x' });
    await pushBuilt(memory, 'r', img, { tag: 'v1' });
    const sig = artifact({ subject: subjectOf(img), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', layers: ['s'] });
    const sbom = artifact({ subject: subjectOf(img), artifactType: 'application/spdx+json', layers: ['b'] });
    const onSbom = artifact({ subject: subjectOf(sbom), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', layers: ['t'] });
    for (const a of [sig, sbom, onSbom]) await pushBuilt(memory, 'r', a);
    await setConfigForTests(configOf({ sources: [{ name: 'm', kind: 'memory' }] }), { m: memory });
    const source = await getSource('m');
    const all = await getReferrersTree(source, 'r', img.manifest.descriptor.digest, { depth: 2 });
    expect(all.referrers.map((n) => n.kind).sort()).toEqual(['sbom', 'signature']);
    const sbomNode = all.referrers.find((n) => n.kind === 'sbom')!;
    expect(sbomNode.referrers.map((n) => [n.digest, n.kind])).toEqual([[onSbom.manifest.descriptor.digest, 'signature']]);
    const only = await getReferrersTree(source, 'r', img.manifest.descriptor.digest, { depth: 2, artifactType: 'application/spdx+json' });
    expect(only.referrers.map((n) => n.digest)).toEqual([sbom.manifest.descriptor.digest]);
    // Deeper levels are not filtered.
    expect(only.referrers[0]!.referrers).toHaveLength(1);
  });
});
