/**
 * Files inside images through the JSON API, against a real registry (distribution 2.8.2): layers made by GNU
 * tar (gzip, zstd, plain) with long names, links, a sparse file, whiteouts and an opaque directory, pushed by
 * skopeo; a corrupt and a truncated layer; path validation and the file responses' headers.
 */
import { link, mkdir, mkdtemp, open, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearLayerMemory, layerIndexStats } from '@/lib/layers/layer-index';
import { gnuTar, LONG_FILE } from '@/lib/layers/testing/gnu-tar';
import { pipeThrough, writeLayerImage } from '@/lib/layers/testing/layer-image';
import type { ManifestResponse } from '@/lib/api/types';
import type { Descriptor } from '@/lib/oci/types';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { pushLayoutImage, writeOciLayout } from '@/lib/registry/testing/skopeo';
import { MediaType } from '@/lib/oci/media-types';
import type { CompareResponse } from './compare-service';
import type { ImageListing } from './image-files-service';
import type { LayerListing } from './layer-files-service';
import { setConfigForTests } from './sources';
import { api, getJson } from '@/lib/server/testing/test-api';
import { configOf } from '@/lib/server/testing/test-support';
import { endApiTest } from '@/lib/server/testing/api-teardown';

const REPO = 'files/app';
const SPARSE = 8 * 1024 * 1024;
let registry: RunningRegistry;
let dir: string;
/** The layers as pushed (skopeo gzips the plain one) and as written (plain tar kept, served by the layout source). */
let layers: Descriptor[];
let plainLayers: Descriptor[];
let framedLayer: Descriptor;
let foreignLayers: Descriptor[];
let broken: Descriptor[];
const previousDataDir = process.env.PORTHOLE_DATA_DIR;

const base = `/api/sources/local/repositories/${REPO}/-`;
const layoutBase = `/api/sources/layout/repositories/${REPO}/-`;
const code = (body: unknown) => (body as { errors: { code: string; detail?: { reason?: string } }[] }).errors[0]!;

async function tree(root: string, files: Record<string, string | { link: string } | { hard: string } | { sparse: true }>): Promise<string> {
  await mkdir(root, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    await mkdir(join(target, '..'), { recursive: true });
    if (typeof content === 'string') await writeFile(target, content);
    else if ('link' in content) await symlink(content.link, target);
    else if ('hard' in content) await link(join(root, content.hard), target);
    else {
      const handle = await open(target, 'w');
      await handle.write('HEAD', 0);
      await handle.write('TAIL', SPARSE - 4);
      await handle.close();
    }
  }
  return root;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-api-files-'));
  process.env.PORTHOLE_DATA_DIR = join(dir, 'data');
  registry = await startRegistry();
  const l0 = await tree(join(dir, 'l0'), {
    'etc/os-release': 'ID=base\n',
    'etc/motd': 'old motd\n',
    'opt/removed': 'gone later\n',
    'opt/cache/old1': 'old\n',
    'opt/cache/sub/old2': 'old\n',
    'bin/busybox': 'BUSYBOX\n',
    'bin/sh': { link: 'busybox' },
    'bin/ls': { hard: 'bin/busybox' },
    [LONG_FILE]: 'long name\n',
    'lib': { link: 'usr/lib' },
    'usr/lib/libc.so.6': 'LIBC\n',
  });
  const l1 = await tree(join(dir, 'l1'), {
    'etc/motd': 'new motd\n',
    'opt/.wh.removed': '',
    'opt/cache/.wh..wh..opq': '',
    'opt/cache/fresh': 'fresh\n',
    'var/sparse.img': { sparse: true },
    'page.html': '<script>alert(1)</script>',
  });
  const l2 = await tree(join(dir, 'l2'), { 'etc/os-release': 'ID=top\n', 'usr/local/bin/tool': 'TOOL\n' });
  // The same layout is a second source (`kind: layout`): skopeo compresses uncompressed layers on push, so only
  // there does the plain tar layer stay plain.
  const layoutDir = join(dir, 'layouts', REPO);
  const image = await writeLayerImage(layoutDir, 'v1', [
    { tar: await gnuTar(l0, { format: 'gnu' }), compress: 'gzip' },
    { tar: await gnuTar(l1, { format: 'posix', sparse: true }), compress: 'zstd' },
    { tar: await gnuTar(l2, { format: 'gnu' }), compress: 'none' },
  ]);
  plainLayers = image.layers;
  await pushLayoutImage(registry, layoutDir, 'v1', REPO);

  // A corrupt gzip layer (bytes flipped inside the deflate stream) and a truncated one, pushed as blobs of their own.
  const good = await gnuTar(l0, { compress: 'gzip' });
  const corrupt = Buffer.from(good);
  for (let i = 200; i < 260; i++) corrupt[i] = corrupt[i]! ^ 0xa5;
  const truncated = good.subarray(0, good.length - 100);
  const bad = await writeLayerImage(join(dir, 'bad'), 'bad', [
    { blob: corrupt, mediaType: MediaType.OciLayerGzip },
    { blob: truncated, mediaType: MediaType.OciLayerGzip },
  ]);
  broken = bad.layers;
  await pushLayoutImage(registry, join(dir, 'bad'), 'bad', REPO);

  // An image of the layout source with a foreign layer (its blob need not exist) and a non-layer blob.
  const foreignImage = await writeLayerImage(join(dir, 'layouts', 'files', 'foreign'), 'v1', [
    { tar: await gnuTar(l2), compress: 'gzip' },
    { blob: Buffer.from('elsewhere'), mediaType: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip' },
    { blob: Buffer.from('{"a":1}'), mediaType: 'application/vnd.example.payload+json' },
  ]);
  foreignLayers = foreignImage.layers;

  // v2 for the comparison: the same bottom layer, then a layer that adds a big file and whites out /lib.
  const l3 = await tree(join(dir, 'l3'), { 'srv/big.bin': 'x'.repeat(100_000), '.wh.lib': '' });
  await writeLayerImage(join(dir, 'v2-layout'), 'v2', [
    { tar: await gnuTar(l0, { format: 'gnu' }), compress: 'gzip' },
    { tar: await gnuTar(l3), compress: 'gzip' },
  ]);
  await pushLayoutImage(registry, join(dir, 'v2-layout'), 'v2', REPO);

  // A zstd layer of several frames (as zstd:chunked writes them): the tar cut at block boundaries into pieces
  // of ~1.5 MiB, each compressed on its own by zstd, concatenated.
  const framed = await tree(join(dir, 'framed'), { 'a/big.bin': 'B'.repeat(3 * 1024 * 1024) + 'END', 'z/last.txt': 'after the big file\n' });
  const framedTar = await gnuTar(framed);
  const pieces: Buffer[] = [];
  for (let at = 0; at < framedTar.length; at += 3 * 1024 * 512) pieces.push(await pipeThrough('zstd', ['-q', '-c'], framedTar.subarray(at, at + 3 * 1024 * 512)));
  const framedImage = await writeLayerImage(join(dir, 'framed-layout'), 'framed', [{ blob: Buffer.concat(pieces), mediaType: MediaType.OciLayerZstd }]);
  framedLayer = framedImage.layers[0]!;
  expect(pieces.length).toBeGreaterThanOrEqual(2);
  await pushLayoutImage(registry, join(dir, 'framed-layout'), 'framed', REPO);

  await writeOciLayout(join(dir, 'multi'), [{ tag: 'multi', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }] }]);
  await pushLayoutImage(registry, join(dir, 'multi'), 'multi', REPO, { all: true });

  await setConfigForTests(configOf({ sources: [{ name: 'local', url: registry.url }, { name: 'layout', kind: 'layout', path: join(dir, 'layouts') }] }));
  const pushed = await getJson<ImageListing>(`${base}/manifests/v1/files`);
  layers = pushed.body.layers as unknown as Descriptor[];
}, 180_000);

afterAll(() => endApiTest({ registry, dir, previousDataDir }));

async function text(path: string): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await api(path);
  return { status: response.status, body: await response.text(), headers: response.headers };
}

describe('layer table of contents', () => {
  it('lists every entry of a gzip layer with normalised names', async () => {
    const { status, body } = await getJson<LayerListing>(`${base}/blobs/${layers[0]!.digest}/files`);
    expect(status).toBe(200);
    expect(body.codec).toBe('gzip');
    expect(body.compressedSize).toBe(layers[0]!.size);
    const paths = body.entries.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['etc/os-release', 'bin/sh', 'bin/ls', LONG_FILE, 'opt/cache/sub/old2']));
    expect(body.entries.find((e) => e.path === 'bin/sh')).toMatchObject({ type: 'symlink', linkTarget: 'busybox' });
    expect(body.entries.find((e) => e.path === 'bin/ls')).toMatchObject({ type: 'hardlink', linkTarget: 'bin/busybox' });
  });

  it('lists one directory of a zstd layer, whiteouts included, and reads a sparse file', async () => {
    const { status, body } = await getJson<LayerListing>(`${base}/blobs/${layers[1]!.digest}/files?path=opt`);
    expect(status).toBe(200);
    expect(body.codec).toBe('zstd');
    expect(body.entries.map((e) => e.path)).toEqual(['opt/.wh.removed', 'opt/cache']);
    const sparse = await api(`${base}/blobs/${layers[1]!.digest}/files/var/sparse.img`);
    const bytes = Buffer.from(await sparse.arrayBuffer());
    expect(bytes.length).toBe(SPARSE);
    expect(bytes.subarray(0, 4).toString()).toBe('HEAD');
    expect(bytes.subarray(SPARSE - 4).toString()).toBe('TAIL');
    expect(bytes.subarray(4, SPARSE - 4).every((b) => b === 0)).toBe(true);
  });

  it('reads a file of a multi-frame zstd layer from the last frame before it', async () => {
    const toc = await getJson<LayerListing>(`${base}/blobs/${framedLayer.digest}/files`);
    expect(toc.body.codec).toBe('zstd');
    const last = await text(`${base}/blobs/${framedLayer.digest}/files/z/last.txt`);
    expect(last.body).toBe('after the big file\n');
    expect(last.headers.get('x-porthole-read')).toBe('checkpoint');
    const big = await text(`${base}/blobs/${framedLayer.digest}/files/a/big.bin`);
    expect(big.body.length).toBe(3 * 1024 * 1024 + 3);
    expect(big.body.endsWith('BEND')).toBe(true);
  });

  it('builds each layer once and then answers from memory, and from disk after memory is cleared', async () => {
    const before = layerIndexStats().builds;
    await getJson(`${base}/blobs/${layers[0]!.digest}/files`);
    clearLayerMemory();
    const again = await getJson<LayerListing>(`${base}/blobs/${layers[0]!.digest}/files`);
    expect(again.status).toBe(200);
    expect(layerIndexStats().builds).toBe(before);
  });

  it('answers 422 with the reason for a corrupt and a truncated layer', async () => {
    const corrupt = await getJson(`${base}/blobs/${broken[0]!.digest}/files`);
    expect(corrupt.status).toBe(422);
    expect(['corrupt', 'not-a-tarball']).toContain(code(corrupt.body).detail!.reason);
    const truncated = await getJson(`${base}/blobs/${broken[1]!.digest}/files`);
    expect(truncated.status).toBe(422);
    expect(code(truncated.body).detail!.reason).toBe('truncated');
  });

  it('answers 404 for a blob that is not in the repository and 422 for one that is no tarball', async () => {
    const missing = await getJson(`${base}/blobs/sha256:${'0'.repeat(64)}/files`);
    expect(missing.status).toBe(404);
    const manifest = await getJson<ManifestResponse>(`${base}/manifests/v1`);
    const config = await getJson(`${base}/blobs/${manifest.body.config!.digest}/files`);
    expect(config.status).toBe(422);
    expect(code(config.body).detail!.reason).toBe('not-a-tarball');
  });
});

describe('image filesystem', () => {
  it('merges the layers: later layers win, whiteouts and opaque directories hide lower entries', async () => {
    const { status, body } = await getJson<ImageListing>(`${base}/manifests/v1/files`);
    expect(status).toBe(200);
    expect(body.layers.map((l) => l.mediaType)).toEqual([MediaType.OciLayerGzip, MediaType.OciLayerZstd, MediaType.OciLayerGzip]);
    expect(body.layers[1]!.digest).toBe(plainLayers[1]!.digest);
    expect(body.entries.map((e) => e.path)).toEqual(['bin', 'etc', 'lib', 'opt', 'page.html', 'usr', 'var']);
    const etc = await getJson<ImageListing>(`${base}/manifests/v1/files/etc`);
    expect(etc.body.entries.find((e) => e.path === 'etc/os-release')).toMatchObject({ layer: 2, overrides: [0] });
    expect(etc.body.entries.find((e) => e.path === 'etc/motd')).toMatchObject({ layer: 1, overrides: [0] });
    const opt = await getJson<ImageListing>(`${base}/manifests/v1/files/opt`);
    expect(opt.body.entries.map((e) => e.path)).toEqual(['opt/cache']);
    const cache = await getJson<ImageListing>(`${base}/manifests/v1/files/opt/cache`);
    expect(cache.body.entries.map((e) => e.path)).toEqual(['opt/cache/fresh']);
  });

  it('lists the whole filesystem below a directory with ?recursive=1', async () => {
    const all = await getJson<ImageListing>(`${base}/manifests/v1/files?recursive=1`);
    expect(all.status).toBe(200);
    const paths = all.body.entries.map((e) => e.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toEqual(expect.arrayContaining(['etc/os-release', 'opt/cache/fresh', LONG_FILE]));
    expect(paths).not.toContain('opt/removed');
    const opt = await getJson<ImageListing>(`${base}/manifests/v1/files/opt?recursive=1`);
    expect(opt.body.entries.map((e) => e.path)).toEqual(['opt/cache', 'opt/cache/fresh']);
    expect((await getJson(`${base}/manifests/v1/files?recursive=yes`)).status).toBe(400);
  });

  it('serves files from the layer that last wrote them (plain tar by range, zstd by stream)', async () => {
    const top = await text(`${base}/manifests/v1/files/etc/os-release`);
    expect(top).toMatchObject({ status: 200, body: 'ID=top\n' });
    const plain = await text(`${layoutBase}/manifests/v1/files/etc/os-release`);
    expect(plain).toMatchObject({ status: 200, body: 'ID=top\n' });
    expect(plain.headers.get('x-porthole-read')).toBe('range');
    const plainToc = await getJson<LayerListing>(`${layoutBase}/blobs/${plainLayers[2]!.digest}/files`);
    expect(plainToc.body.codec).toBe('tar');
    const motd = await text(`${base}/manifests/v1/files/etc/motd`);
    expect(motd).toMatchObject({ status: 200, body: 'new motd\n' });
    expect(motd.headers.get('x-porthole-read')).toBe('stream');
    expect((await text(`${base}/manifests/v1/files/${LONG_FILE}`)).body).toBe('long name\n');
  });

  it('follows symlinks (also in the middle of a path) and hard links', async () => {
    expect((await text(`${base}/manifests/v1/files/bin/sh`)).body).toBe('BUSYBOX\n');
    expect((await text(`${base}/manifests/v1/files/bin/ls`)).body).toBe('BUSYBOX\n');
    expect((await text(`${base}/manifests/v1/files/lib/libc.so.6`)).body).toBe('LIBC\n');
  });

  it('answers 404 for whited-out and missing paths', async () => {
    for (const path of ['opt/removed', 'opt/cache/old1', 'opt/cache/sub/old2', 'opt/.wh.removed', 'nope']) {
      const { status, body } = await getJson(`${base}/manifests/v1/files/${path}`);
      expect(status, path).toBe(404);
      expect(code(body).code).toBe('BLOB_UNKNOWN');
    }
  });

  it('sends file bodies sandboxed, with the real name, as attachment on ?download=1', async () => {
    const page = await text(`${base}/manifests/v1/files/page.html?download=1`);
    expect(page.body).toBe('<script>alert(1)</script>');
    expect(page.headers.get('content-type')).toBe('application/octet-stream');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-security-policy')).toContain('sandbox');
    expect(page.headers.get('content-disposition')).toMatch(/^attachment; filename="page.html"/);
    expect(page.headers.get('content-length')).toBe('25');
    expect(page.headers.get('cache-control')).toContain('no-cache');
    const inline = await text(`${base}/manifests/v1/files/page.html`);
    expect(inline.headers.get('content-disposition')).toMatch(/^inline;/);
  });

  it('refuses bad paths and writes', async () => {
    expect((await getJson(`${base}/manifests/v1/files/etc/%00x`)).status).toBe(400);
    expect((await getJson(`${base}/manifests/v1/files/etc%2f..%2fx`)).status).toBe(400);
    expect((await getJson(`${base}/blobs/${layers[0]!.digest}/files?path=../etc`)).status).toBe(400);
    expect((await api(`${base}/manifests/v1/files/etc/motd`, { method: 'DELETE' })).status).toBe(405);
  });

  it('asks for a platform when the manifest is an index, and reads the platform asked for', async () => {
    const missing = await getJson(`${base}/manifests/multi/files`);
    expect(missing.status).toBe(400);
    expect((code(missing.body).detail as unknown as { platforms: string[] }).platforms).toEqual(['linux/amd64', 'linux/arm64']);
    const arm = await text(`${base}/manifests/multi/files/etc/layer-0.txt?platform=linux/arm64`);
    expect(arm.body).toContain('platform=linux/arm64');
    const listing = await getJson<ImageListing>(`${base}/manifests/multi/files?platform=linux/amd64`);
    expect(listing.body.platform).toBe('linux/amd64');
    expect((await getJson(`${base}/manifests/multi/files?platform=linux/s390x`)).status).toBe(404);
    expect((await getJson(`${base}/manifests/multi/files?platform=linux`)).status).toBe(400);
  });

  it('lists foreign and non-layer blobs as skipped instead of failing', async () => {
    const { status, body } = await getJson<ImageListing>(`/api/sources/layout/repositories/files/foreign/-/manifests/v1/files/usr/local/bin`);
    expect(status).toBe(200);
    expect(body.layers.map((l) => l.skipped ?? null)).toEqual([null, 'foreign', 'not-a-layer']);
    expect(body.layers[1]!.digest).toBe(foreignLayers[1]!.digest);
    expect(body.entries.map((e) => e.path)).toEqual(['usr/local/bin/tool']);
  });

  it('refuses a manifest whose layers are broken with the layer error', async () => {
    const bad = await getJson(`${base}/manifests/bad/files`);
    expect(bad.status).toBe(422);
  });
});

describe('compare', () => {
  it('shows shared and own layers, added and removed files, and size deltas per directory', async () => {
    const { status, body } = await getJson<CompareResponse>(`${base}/compare?from=v1&to=v2`);
    expect(status).toBe(200);
    expect(body.from).toMatchObject({ source: 'local', repository: REPO, reference: 'v1' });
    expect(body.layers.shared.map((l) => l.digest)).toEqual([layers[0]!.digest]);
    expect(body.layers.onlyFrom.map((l) => l.digest)).toEqual([layers[1]!.digest, layers[2]!.digest]);
    expect(body.layers.onlyTo).toHaveLength(1);
    const change = (path: string) => body.files.changes.find((c) => c.path === path);
    expect(change('srv/big.bin')).toMatchObject({ change: 'added', sizeDelta: 100_000 });
    expect(change('lib')).toMatchObject({ change: 'removed', type: 'symlink' });
    expect(change('etc/os-release')).toMatchObject({ change: 'changed', fields: ['size'] });
    // Same size and mode, another layer: both versions were hashed ('old motd' and 'new motd').
    expect(change('etc/motd')).toMatchObject({ change: 'changed', fields: ['content'] });
    expect(change('etc/motd')!.from!.digest).not.toBe(change('etc/motd')!.to!.digest);
    expect(change('bin/busybox')).toBeUndefined();
    expect(body.files.directories.find((d) => d.path === 'srv')).toMatchObject({ sizeDelta: 100_000, added: 1 });
    expect(body.files.directories.find((d) => d.path === 'var')!.sizeDelta).toBe(-8 * 1024 * 1024);
    expect(body.config.env).toEqual({ added: {}, removed: {}, changed: {} });
  });

  it('compares across sources and refuses missing or bad refs', async () => {
    const across = await getJson<CompareResponse>(`${base}/compare?from=${encodeURIComponent(`layout/${REPO}:v1`)}&to=v1`);
    expect(across.status).toBe(200);
    expect(across.body.from).toMatchObject({ source: 'layout', repository: REPO });
    expect(across.body.layers.shared).toHaveLength(2); // skopeo gzipped the plain top layer on push
    // The re-compressed layer holds the same bytes: hashing both versions shows that nothing changed.
    expect(across.body.files.changes).toEqual([]);
    expect((await getJson(`${base}/compare?from=v1`)).status).toBe(400);
    expect((await getJson(`${base}/compare?from=v1&to=${encodeURIComponent('layout/NoRepo')}`)).status).toBe(400);
    expect((await getJson(`${base}/compare?from=v1&to=nope`)).status).toBe(404);
  });
});
