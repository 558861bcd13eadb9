import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Annotation } from '@/lib/oci/media-types';
import type { Descriptor } from '@/lib/oci/types';
import { collect } from '@/lib/registry/iter';
import type { Registry } from '@/lib/registry/registry';
import { allBlobs, artifact, blob, image, index, pushBuilt, subjectOf } from '@/lib/registry/testing/build';
import { expectRegistryError, runRegistryContract } from '@/lib/registry/testing/contract';
import { FIXTURES_DIR, REGCLIENT_EXTERNAL, REGCLIENT_TESTREPO } from '@/lib/registry/testing/fixtures';
import { loadLayoutInto, readLayout } from '@/lib/registry/testing/load-layout';
import { copyLayout, expectLayoutServed, expectReferrersMatchFallbackTags } from '@/lib/registry/testing/round-trip';
import { createLayoutRegistry, type LayoutOptions } from './index';

runRegistryContract('layout', async () => {
  const root = await mkdtemp(join(tmpdir(), 'porthole-layout-'));
  const registry = createLayoutRegistry(root);
  return {
    registry,
    cleanup: async () => {
      await registry.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});

let temp: string;
let root: string;

beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'porthole-layout-test-'));
  root = join(temp, 'root');
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

const open = (options?: LayoutOptions): Registry => createLayoutRegistry(root, options);

interface IndexJson {
  manifests: Descriptor[];
}

async function indexJson(repo: string): Promise<IndexJson> {
  // JSON.parse throws when a write left a partial file: this is also the "stays valid JSON" check.
  return JSON.parse(await readFile(join(root, repo, 'index.json'), 'utf8')) as IndexJson;
}

async function blobExists(repo: string, digest: string): Promise<boolean> {
  const [algorithm, encoded] = digest.split(':') as [string, string];
  return stat(join(root, repo, 'blobs', algorithm, encoded)).then(
    () => true,
    () => false,
  );
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await allFiles(path)));
    else out.push(path);
  }
  return out;
}

describe('layout registry: regclient fixture', () => {
  it('serves the fixture layouts in place, byte-identical', async () => {
    await copyLayout(join(FIXTURES_DIR, 'regclient-testrepo'), root);
    const registry = open();
    expect(await collect(registry.listRepositories())).toEqual(['external', 'testrepo']);
    const testrepo = await readLayout(REGCLIENT_TESTREPO);
    const external = await readLayout(REGCLIENT_EXTERNAL);
    await expectLayoutServed(registry, 'testrepo', { ...testrepo, dir: join(root, 'testrepo') });
    await expectLayoutServed(registry, 'external', { ...external, dir: join(root, 'external') });
  });

  it('lists referrers equal to the fallback indexes, plus those found only by scanning (v3)', async () => {
    await copyLayout(join(FIXTURES_DIR, 'regclient-testrepo'), root);
    const registry = open();
    const testrepo = await readLayout(REGCLIENT_TESTREPO);
    const v2 = testrepo.tags.get('v2')!.digest;
    const checked = await expectReferrersMatchFallbackTags(registry, 'testrepo', testrepo);
    expect(checked).toContain(v2);
    expect(checked).toHaveLength(6);
    expect(await expectReferrersMatchFallbackTags(registry, 'external', await readLayout(REGCLIENT_EXTERNAL))).toEqual([v2]);
    const v3 = await collect(registry.listReferrers('testrepo', testrepo.tags.get('v3')!.digest));
    expect(v3.map((d) => d.annotations?.type).sort()).toEqual(['drink', 'eat']);
    const signatures = await collect(registry.listReferrers('testrepo', v2, { artifactType: 'application/example.signature' }));
    expect(signatures.map((d) => d.digest)).toEqual([testrepo.tags.get('a2')!.digest]);
  });

  it('serves the fixture identically after loading it through the interface into an empty layout', async () => {
    const registry = open();
    const testrepo = await loadLayoutInto(registry, 'copy/testrepo', REGCLIENT_TESTREPO);
    await expectLayoutServed(registry, 'copy/testrepo', testrepo);
    await expectReferrersMatchFallbackTags(registry, 'copy/testrepo', testrepo);
    // Children live through their parents; besides the tags only referrers keep untagged entries: the two
    // v3 sboms and the three "arms" artifacts (also children of fallback indexes, but GC must not depend on those).
    const entries = (await indexJson('copy/testrepo')).manifests;
    const untagged = entries.filter((e) => !e.annotations?.[Annotation.RefName]).map((e) => e.digest);
    const withSubject = [...testrepo.manifests.values()].filter((m) => m.json.subject !== undefined);
    expect(untagged.sort()).toEqual(
      withSubject.map((m) => m.descriptor.digest).filter((d) => ![...testrepo.tags.values()].some((t) => t.digest === d)).sort(),
    );
    expect(untagged).toHaveLength(5);
    expect(entries).toHaveLength(24 + 5);
  });

  it('deleting a referrer rewrites its subject fallback index, and drops the tag when it empties', async () => {
    await copyLayout(join(FIXTURES_DIR, 'regclient-testrepo'), root);
    const registry = open();
    const testrepo = await readLayout(REGCLIENT_TESTREPO);
    const v2 = testrepo.tags.get('v2')!.digest;
    const fallbackTag = `sha256-${v2.slice('sha256:'.length)}`;
    const a1 = testrepo.tags.get('a1')!.digest;
    const a2 = testrepo.tags.get('a2')!.digest;
    expect(await registry.deleteManifest('testrepo', a1)).toEqual({ deleted: [a1], tags: ['a1'] });
    const fallback = JSON.parse(new TextDecoder().decode((await registry.getTag('testrepo', fallbackTag)).bytes)) as IndexJson;
    expect(fallback.manifests.map((d) => d.digest)).toEqual([a2]);
    expect((await collect(registry.listReferrers('testrepo', v2))).map((d) => d.digest)).toEqual([a2]);
    await registry.deleteManifest('testrepo', a2);
    expect(await collect(registry.listReferrers('testrepo', v2))).toEqual([]);
    await expectRegistryError(() => registry.resolveTag('testrepo', fallbackTag), 'MANIFEST_UNKNOWN');
    // `ai` (an index listing a1 and a2) keeps its entry, now with dangling children, as on a registry.
    expect((await registry.resolveTag('testrepo', 'ai')).digest).toBe(testrepo.tags.get('ai')!.digest);
  });

  it('cascading a delete of v2 takes a1 and a2 and garbage-collects its platform manifests', async () => {
    await copyLayout(join(FIXTURES_DIR, 'regclient-testrepo'), root);
    const registry = open();
    const testrepo = await readLayout(REGCLIENT_TESTREPO);
    const v2 = testrepo.tags.get('v2')!.digest;
    const result = await registry.deleteManifest('testrepo', v2, { cascadeReferrers: true });
    expect(result.deleted[0]).toBe(v2);
    expect([...result.deleted].sort()).toEqual([v2, testrepo.tags.get('a1')!.digest, testrepo.tags.get('a2')!.digest].sort());
    expect([...result.tags].sort()).toEqual(['a1', 'a2', 'v2']);
    const children = (testrepo.manifests.get(v2)!.json.manifests as Descriptor[]).map((d) => d.digest);
    // Platform manifests go with v2 unless another index lists them; being the subject of the "arms"
    // artifacts does not keep them (GC does not follow subject).
    for (const child of children) {
      const sharedElsewhere = [...testrepo.manifests.values()].some(
        (m) => m.descriptor.digest !== v2 && (m.json.manifests as Descriptor[] | undefined)?.some((d) => d.digest === child),
      );
      expect(await blobExists('testrepo', child)).toBe(sharedElsewhere);
    }
    await indexJson('testrepo');
  });
});

describe('layout registry: index.json and tags', () => {
  it('accepts ref names that end in :<tag>', async () => {
    const registry = open();
    const img = image({ seed: 'full name' });
    await pushBuilt(registry, 'named', img);
    const doc = await indexJson('named');
    doc.manifests = [{ ...img.manifest.descriptor, annotations: { [Annotation.RefName]: 'docker.io/library/app:1.0' } }];
    await writeFile(join(root, 'named', 'index.json'), JSON.stringify(doc));
    expect(await collect(registry.listTags('named'))).toEqual(['1.0']);
    expect((await registry.resolveTag('named', '1.0')).digest).toBe(img.manifest.descriptor.digest);
    await registry.deleteTag('named', '1.0');
    expect(await collect(registry.listTags('named'))).toEqual([]);
    // The manifest stays as an untagged entry, readable by digest.
    expect((await indexJson('named')).manifests.map((e) => e.digest)).toEqual([img.manifest.descriptor.digest]);
  });

  it('picks up index.json changes made by other programs', async () => {
    const registry = open();
    const img = image({ seed: 'external edit' });
    await pushBuilt(registry, 'edited', img, { tag: 'before' });
    expect(await collect(registry.listTags('edited'))).toEqual(['before']);
    const doc = await indexJson('edited');
    doc.manifests[0]!.annotations = { [Annotation.RefName]: 'after-a-longer-name' };
    await writeFile(join(root, 'edited', 'index.json'), JSON.stringify(doc));
    expect(await collect(registry.listTags('edited'))).toEqual(['after-a-longer-name']);
  });

  it('keeps manifests reachable: untagged entries for digest pushes and removed tags, none for children', async () => {
    const registry = open();
    const amd = image({ seed: 'amd' });
    const arm = image({ seed: 'arm' });
    const multi = index([amd, arm]);
    // Children pushed first get untagged entries, which the index push then drops.
    await pushBuilt(registry, 'reach', multi, { tag: 'multi' });
    expect((await indexJson('reach')).manifests).toEqual([{ ...subjectOf(multi), annotations: { [Annotation.RefName]: 'multi' } }]);
    // A child pushed again by digest is already reachable: no entry.
    await registry.pushManifest('reach', amd.manifest.bytes, amd.manifest.mediaType);
    expect((await indexJson('reach')).manifests).toHaveLength(1);
    // A referrer pushed by digest stays an untagged entry (GC does not follow subject).
    const sig = artifact({ subject: subjectOf(multi), artifactType: 'application/vnd.example.sig' });
    await pushBuilt(registry, 'reach', sig);
    expect((await indexJson('reach')).manifests.map((e) => e.digest)).toEqual([multi, sig].map((b) => b.manifest.descriptor.digest));
    // Re-pointing the tag leaves the old index as an untagged entry.
    const single = image({ seed: 'single' });
    await pushBuilt(registry, 'reach', single, { tag: 'multi' });
    const entries = (await indexJson('reach')).manifests;
    expect(entries.map((e) => [e.digest, e.annotations?.[Annotation.RefName]])).toEqual([
      [single.manifest.descriptor.digest, 'multi'],
      [sig.manifest.descriptor.digest, undefined],
      [multi.manifest.descriptor.digest, undefined],
    ]);
    expect((await registry.getManifest('reach', multi.manifest.descriptor.digest)).bytes).toEqual(multi.manifest.bytes);
  });

  it('lands all of 20 concurrent tag pushes, and index.json stays valid JSON', async () => {
    const registry = open();
    const images = Array.from({ length: 20 }, (_, i) => image({ seed: `concurrent ${i}` }));
    await Promise.all(images.map((img, i) => pushBuilt(registry, 'busy', img, { tag: `t${String(i).padStart(2, '0')}` })));
    const tags = images.map((_, i) => `t${String(i).padStart(2, '0')}`);
    expect(await collect(registry.listTags('busy'))).toEqual(tags);
    const doc = await indexJson('busy');
    expect(doc.manifests).toHaveLength(20);
    for (const [i, img] of images.entries()) expect((await registry.resolveTag('busy', tags[i]!)).digest).toBe(img.manifest.descriptor.digest);
    // Concurrent deletes and pushes on the same repository interleave safely too.
    await Promise.all([
      ...tags.slice(0, 10).map((tag) => registry.deleteTag('busy', tag)),
      ...images.slice(10).map((img, i) => pushBuilt(registry, 'busy', img, { tag: `again${i}` })),
    ]);
    expect(await collect(registry.listTags('busy'))).toEqual([...Array.from({ length: 10 }, (_, i) => `again${i}`), ...tags.slice(10)].sort());
    await indexJson('busy');
    // No temp files are left behind.
    expect((await allFiles(join(root, 'busy'))).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('writes oci-layout and index.json for a new repository', async () => {
    const registry = open();
    const b = blob('first push');
    await registry.pushBlob('fresh/repo', b.descriptor, b.bytes);
    expect(JSON.parse(await readFile(join(root, 'fresh/repo/oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    expect((await indexJson('fresh/repo')).manifests).toEqual([]);
    expect(await readFile(join(root, 'fresh/repo/blobs/sha256', b.descriptor.digest.slice(7)), 'utf8')).toBe('first push');
  });
});

describe('layout registry: garbage collection', () => {
  it('removes the blobs only the deleted manifest used, and keeps shared ones', async () => {
    const registry = open();
    const doomed = image({ seed: 'doomed', layers: ['unique layer', 'shared layer'] });
    const kept = image({ seed: 'kept', layers: ['shared layer'] });
    await pushBuilt(registry, 'gc', doomed, { tag: 'doomed' });
    await pushBuilt(registry, 'gc', kept, { tag: 'kept' });
    await registry.deleteManifest('gc', doomed.manifest.descriptor.digest);
    const [config, unique, shared] = doomed.blobs;
    expect(await blobExists('gc', doomed.manifest.descriptor.digest)).toBe(false);
    expect(await blobExists('gc', config!.descriptor.digest)).toBe(false);
    expect(await blobExists('gc', unique!.descriptor.digest)).toBe(false);
    expect(await blobExists('gc', shared!.descriptor.digest)).toBe(true);
    for (const b of allBlobs(kept)) expect(await blobExists('gc', b.descriptor.digest)).toBe(true);
    expect((await registry.getTag('gc', 'kept')).bytes).toEqual(kept.manifest.bytes);
  });

  it('removes an index with its children and their blobs, but not referrers kept as entries', async () => {
    const registry = open();
    const amd = image({ seed: 'gc amd' });
    const arm = image({ seed: 'gc arm' });
    const multi = index([amd, arm]);
    await pushBuilt(registry, 'gc', multi, { tag: 'multi' });
    const sig = artifact({ subject: subjectOf(multi), artifactType: 'application/vnd.example.sig', layers: ['signature'] });
    await pushBuilt(registry, 'gc', sig);
    await registry.deleteManifest('gc', multi.manifest.descriptor.digest);
    for (const b of [...allBlobs(multi), amd.manifest, arm.manifest]) expect(await blobExists('gc', b.descriptor.digest)).toBe(false);
    for (const b of [...allBlobs(sig), sig.manifest]) expect(await blobExists('gc', b.descriptor.digest)).toBe(true);
    expect((await collect(registry.listReferrers('gc', multi.manifest.descriptor.digest))).map((d) => d.digest)).toEqual([sig.manifest.descriptor.digest]);
  });

  it('spares young unreferenced blobs (pushes in progress) and removes old ones', async () => {
    const registry = open();
    const img = image({ seed: 'trigger' });
    const young = blob('uploaded just now');
    const old = blob('uploaded long ago');
    await pushBuilt(registry, 'gc', img, { tag: 'x' });
    await registry.pushBlob('gc', young.descriptor, young.bytes);
    await registry.pushBlob('gc', old.descriptor, old.bytes);
    const oldPath = join(root, 'gc', 'blobs', 'sha256', old.descriptor.digest.slice(7));
    const longAgo = new Date(Date.now() - 60 * 60_000);
    await utimes(oldPath, longAgo, longAgo);
    await registry.deleteManifest('gc', img.manifest.descriptor.digest);
    expect(await blobExists('gc', young.descriptor.digest)).toBe(true);
    expect(await blobExists('gc', old.descriptor.digest)).toBe(false);
  });

  it('gcGraceMs 0 removes every unreferenced blob; gc false removes none', async () => {
    const img = image({ seed: 'grace' });
    const orphan = blob('orphan');
    const eager = open({ gcGraceMs: 0 });
    await pushBuilt(eager, 'eager', img, { tag: 'x' });
    await eager.pushBlob('eager', orphan.descriptor, orphan.bytes);
    await eager.deleteManifest('eager', img.manifest.descriptor.digest);
    expect(await blobExists('eager', orphan.descriptor.digest)).toBe(false);

    const lazy = open({ gc: false });
    await pushBuilt(lazy, 'lazy', img, { tag: 'x' });
    await lazy.deleteManifest('lazy', img.manifest.descriptor.digest);
    expect(await blobExists('lazy', img.manifest.descriptor.digest)).toBe(false);
    for (const b of img.blobs) expect(await blobExists('lazy', b.descriptor.digest)).toBe(true);
  });
});

describe('layout registry: names never leave the root', () => {
  it('refuses path tricks by grammar before touching the disk', async () => {
    const registry = createLayoutRegistry(join(temp, 'does-not-exist'));
    const b = blob('escape');
    for (const name of ['../x', 'a/../../x', '/etc', 'a//b', '.hidden', 'a/.', '..']) {
      await expectRegistryError(() => registry.pushBlob(name, b.descriptor, b.bytes), 'NAME_INVALID');
      await expectRegistryError(() => registry.resolveTag(name, 'latest'), 'NAME_INVALID');
    }
    // Components that are a layout's own files are reserved.
    for (const name of ['a/blobs', 'a/index.json', 'a/oci-layout', 'blobs']) {
      await expectRegistryError(() => registry.pushBlob(name, b.descriptor, b.bytes), 'NAME_INVALID');
    }
    await expectRegistryError(() => registry.resolveTag('valid/name', 'latest'), 'NAME_UNKNOWN');
    expect(await readdir(temp)).toEqual([]);
    expect(await collect(registry.listRepositories())).toEqual([]);
  });

  it('treats symlinks out of the root as unknown for reads and invalid for writes', async () => {
    const outside = join(temp, 'outside');
    await copyLayout(REGCLIENT_EXTERNAL, join(outside, 'layout'));
    await mkdir(root, { recursive: true });
    await symlink(join(outside, 'layout'), join(root, 'evil'));
    await symlink(outside, join(root, 'team'));
    const registry = open();
    const b = blob('must not land outside');
    await expectRegistryError(() => registry.resolveTag('evil', 'a3'), 'NAME_UNKNOWN');
    await expectRegistryError(() => collect(registry.listTags('evil')), 'NAME_UNKNOWN');
    await expectRegistryError(() => registry.resolveTag('team/layout', 'a3'), 'NAME_UNKNOWN');
    await expectRegistryError(() => registry.pushBlob('evil', b.descriptor, b.bytes), 'NAME_INVALID');
    await expectRegistryError(() => registry.pushBlob('team/new', b.descriptor, b.bytes), 'NAME_INVALID');
    await expectRegistryError(() => registry.deleteTag('evil', 'a3'), 'NAME_UNKNOWN');
    expect(await collect(registry.listRepositories())).toEqual([]);
    // Nothing was written outside.
    expect(await readdir(outside)).toEqual(['layout']);
    expect((await allFiles(join(outside, 'layout'))).some((f) => f.endsWith(b.descriptor.digest.slice(7)))).toBe(false);
  });

  it('follows symlinks that stay inside the root', async () => {
    await copyLayout(REGCLIENT_EXTERNAL, join(root, 'real'));
    await symlink(join(root, 'real'), join(root, 'alias'));
    const registry = open();
    expect(await collect(registry.listRepositories())).toEqual(['alias', 'real']);
    expect((await registry.resolveTag('alias', 'a3')).digest).toBe((await registry.resolveTag('real', 'a3')).digest);
  });

  it('does not descend into blobs or loop through symlink cycles when listing', async () => {
    const registry = open();
    const b = blob('nested');
    await registry.pushBlob('team', b.descriptor, b.bytes);
    await registry.pushBlob('team/app', b.descriptor, b.bytes);
    await registry.pushBlob('team/app/sub', b.descriptor, b.bytes);
    // A stray layout inside blobs/ and a symlink back to the root must not show up.
    await mkdir(join(root, 'team', 'blobs', 'fake'), { recursive: true });
    await writeFile(join(root, 'team', 'blobs', 'fake', 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await symlink(root, join(root, 'team', 'app', 'loop'));
    await mkdir(join(root, 'Upper'), { recursive: true });
    await writeFile(join(root, 'Upper', 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    expect(await collect(registry.listRepositories())).toEqual(['team', 'team/app', 'team/app/sub']);
    expect(dirname(join(root, 'team'))).toBe(root);
  });
});
