/**
 * What the demo's images hold inside their layers, read back with Porthole's own tar scanner, filesystem
 * merge and diff: a real root filesystem, and two releases of `data/etl/worker` that differ the way the
 * compare page needs (docs/files.md).
 */
import { decompress } from 'fzstd';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffFilesystems } from '@/lib/compare/files-diff';
import { applyLayers, type ImageFilesystem } from '@/lib/layers/filesystem';
import { TarScanner } from '@/lib/layers/tar/scanner';
import type { TocEntry } from '@/lib/layers/types';
import { MediaType } from '@/lib/oci/media-types';
import type { ImageManifest } from '@/lib/oci/types';
import { createMemoryRegistry } from '@/lib/registry/memory';
import type { Registry } from '@/lib/registry/registry';
import { generateDemo } from './generate';

let registry: Registry;
beforeAll(async () => {
  registry = createMemoryRegistry();
  await generateDemo(registry);
}, 60_000);

async function layerEntries(repo: string, layer: { digest: string; mediaType: string }): Promise<TocEntry[]> {
  const blob = await registry.getBlob(repo, layer.digest);
  const bytes = new Uint8Array(await new Response(blob.body).arrayBuffer());
  const tar = layer.mediaType.endsWith('+zstd') ? decompress(bytes) : new Uint8Array(gunzipSync(bytes));
  const entries: TocEntry[] = [];
  const scanner = new TarScanner((entry) => entries.push(entry));
  scanner.push(tar);
  scanner.end();
  return entries;
}

async function image(repo: string, tag: string): Promise<{ manifest: ImageManifest; layers: TocEntry[][]; fs: ImageFilesystem }> {
  const manifest = JSON.parse(new TextDecoder().decode((await registry.getTag(repo, tag)).bytes)) as ImageManifest;
  const layers = await Promise.all(manifest.layers.map((layer) => layerEntries(repo, layer)));
  return { manifest, layers, fs: applyLayers(layers) };
}

describe('demo image contents', () => {
  it('base layers are a root filesystem of a few hundred entries with os-release, symlinks and a hard link', async () => {
    for (const [repo, tag, name] of [['platform/web', '1.6.0', 'apk/arch'], ['data/etl/worker', '2026.03', 'debian_version'], ['legacy/app', '1.2', 'busybox-release']] as const) {
      const ref = await registry.getTag(repo, tag);
      let manifest = JSON.parse(new TextDecoder().decode(ref.bytes)) as ImageManifest & { manifests?: { digest: string }[] };
      if (manifest.manifests) manifest = JSON.parse(new TextDecoder().decode((await registry.getManifest(repo, manifest.manifests[0]!.digest)).bytes)) as ImageManifest;
      const base = await layerEntries(repo, manifest.layers[0]!);
      expect(base.length, repo).toBeGreaterThanOrEqual(250);
      expect(base.find((e) => e.path === 'etc/os-release')).toMatchObject({ type: 'file' });
      expect(base.find((e) => e.path === 'bin/sh')).toMatchObject({ type: 'symlink', linkTarget: '/bin/busybox' });
      expect(base.find((e) => e.path === 'usr/bin/getent')).toMatchObject({ type: 'hardlink', linkTarget: 'usr/bin/getconf' });
      expect(base.filter((e) => e.type === 'symlink').length).toBeGreaterThan(50);
      expect(base.find((e) => e.path === `etc/${name}`)).toMatchObject({ type: 'file' });
    }
  });

  it('data/etl/worker 2026.05 → 2026.06: changed config, added binary, grown directory, whiteouts, a zstd layer', async () => {
    const may = await image('data/etl/worker', '2026.05');
    const june = await image('data/etl/worker', '2026.06');
    expect(may.manifest.layers.every((l) => l.mediaType === MediaType.OciLayerGzip)).toBe(true);
    expect(june.manifest.layers.filter((l) => l.mediaType === MediaType.OciLayerZstd)).toHaveLength(1);
    // Layers shared by digest: the base, python, requirements and site-packages.
    const mayDigests = new Set(may.manifest.layers.map((l) => l.digest));
    expect(june.manifest.layers.filter((l) => mayDigests.has(l.digest))).toHaveLength(4);
    // A later layer whites out a file and makes a directory opaque.
    expect(june.layers.flat().map((e) => e.path)).toEqual(expect.arrayContaining(['srv/etl/.wh.legacy_import.py', 'var/cache/debconf/.wh..wh..opq']));
    expect(may.fs.entries.has('srv/etl/legacy_import.py')).toBe(true);
    expect(june.fs.entries.has('srv/etl/legacy_import.py')).toBe(false);

    const layerOf = (fs: ImageFilesystem, manifest: ImageManifest, path: string) => manifest.layers[fs.entries.get(path)!.layer]!.digest;
    const diff = diffFilesystems(may.fs, june.fs, (path) => layerOf(may.fs, may.manifest, path) === layerOf(june.fs, june.manifest, path));
    const change = (path: string) => diff.changes.find((c) => c.path === path);
    expect(change('etc/etl/settings.toml')).toMatchObject({ change: 'changed', fields: ['size'] });
    expect(change('usr/local/bin/etl-export')).toMatchObject({ change: 'added', type: 'file' });
    expect(change('srv/etl/legacy_import.py')).toMatchObject({ change: 'removed' });
    expect(change('var/cache/debconf/config.dat')).toMatchObject({ change: 'removed' });
    const site = diff.directories.find((d) => d.path === 'usr/local/lib/python3.11/site-packages')!;
    expect(site.sizeDelta).toBeGreaterThan(100_000);
    expect(diff.directories.find((d) => d.path === 'usr')!.sizeDelta).toBeGreaterThan(site.sizeDelta); // + etl-export
    expect(diff.totals.sizeDelta).toBeGreaterThan(150_000);
  });
});
