import { describe, expect, it } from 'vitest';
import { collect } from '@/lib/registry/iter';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { artifact, image, pushBuilt, subjectOf } from '@/lib/registry/testing/build';
import { expectRegistryError, readStream } from '@/lib/registry/testing/contract';
import { Namespace } from './namespace';

const v1 = image({ seed: 'v1' });
const v2 = image({ seed: 'v2' });
const sig = artifact({ subject: subjectOf(v1), artifactType: 'application/vnd.example.sig', layers: ['sig'] });

async function namespace() {
  const prod = createMemoryRegistry();
  const staging = createMemoryRegistry();
  await pushBuilt(prod, 'team/app', v1, { tag: 'v1' });
  await pushBuilt(prod, 'team/app', sig);
  await pushBuilt(staging, 'team/app', v2, { tag: 'v1' });
  return new Namespace([
    { name: 'prod', hosts: ['registry.example.com', 'REG.example.com:5000'], registry: prod },
    { name: 'staging', registry: staging },
  ]);
}

describe('Namespace', () => {
  it('resolves source names and registry hosts to the right registry', async () => {
    const ns = await namespace();
    expect((await ns.resolve('prod/team/app:v1')).digest).toBe(v1.manifest.descriptor.digest);
    expect((await ns.resolve('staging/team/app:v1')).digest).toBe(v2.manifest.descriptor.digest);
    expect((await ns.resolve('registry.example.com/team/app:v1')).digest).toBe(v1.manifest.descriptor.digest);
    expect(ns.parse('reg.example.com:5000/team/app@' + v1.manifest.descriptor.digest).entry.name).toBe('prod');
    expect((await ns.getManifest(`prod/team/app@${v1.manifest.descriptor.digest}`)).bytes).toEqual(v1.manifest.bytes);
    const layer = v1.blobs[1]!;
    expect(await readStream((await ns.getBlob(`prod/team/app@${layer.descriptor.digest}`)).body)).toEqual(layer.bytes);
    expect((await collect(ns.listReferrers('prod/team/app:v1'))).map((d) => d.digest)).toEqual([sig.manifest.descriptor.digest]);
  });

  it('checks that TAG@DIGEST still agree, and says where the tag points now', async () => {
    const ns = await namespace();
    const ok = `prod/team/app:v1@${v1.manifest.descriptor.digest}`;
    expect((await ns.getManifest(ok)).descriptor.digest).toBe(v1.manifest.descriptor.digest);
    const movedRef = `staging/team/app:v1@${v1.manifest.descriptor.digest}`;
    const error = await expectRegistryError(ns.getManifest(movedRef), 'MANIFEST_UNKNOWN');
    expect(error.status).toBe(409);
    expect(error.detail).toEqual({ tag: 'v1', expected: v1.manifest.descriptor.digest, actual: v2.manifest.descriptor.digest });
    await expectRegistryError(collect(ns.listReferrers(movedRef)), 'MANIFEST_UNKNOWN');
  });

  it('refuses unknown hosts and names, references without a repository, and malformed ones', async () => {
    const ns = await namespace();
    expect(() => ns.parse('other.example.com/team/app:v1')).toThrow(/no source serves the registry host/);
    expect(() => ns.parse('nope/team/app:v1')).toThrow(/neither a source name nor a registry host/);
    expect(() => ns.parse('prod:v1')).toThrow(/no repository after the source name/);
    expect(() => ns.parse('prod/Team/app')).toThrow(/lower case/);
    await expectRegistryError(ns.resolve('prod/team/app'), 'NAME_INVALID');
    await expectRegistryError(ns.getBlob('prod/team/app:v1'), 'NAME_INVALID');
  });
});
