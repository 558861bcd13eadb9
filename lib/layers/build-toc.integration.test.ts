/**
 * Tables of contents of real GNU tar archives (gnu and posix formats; plain, gzip, zstd; sparse), of broken
 * layers (corrupt, truncated, not a tarball) and against the limits.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { buildToc } from './build-toc';
import { layerLimits } from './limits';
import { FIXED_MTIME, gnuTar, LONG_FILE, LONG_TARGET, SPARSE_SIZE, writeFixtureTree, type TarOptions } from './testing/gnu-tar';
import type { IndexedLayer } from './build-toc';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-toc-'));
  await writeFixtureTree(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function* chunked(bytes: Uint8Array, size = 7919): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, Math.min(at + size, bytes.length));
}

function toc(bytes: Uint8Array, limits = layerLimits()): Promise<IndexedLayer> {
  return buildToc(chunked(bytes), { digest: 'sha256:test', size: bytes.length }, limits);
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isRegistryError(error)) return `${error.code}/${error.status}/${(error.detail as { reason: string }).reason}`;
    throw error;
  }
  throw new Error('expected a layer error');
}

const variants: [string, TarOptions][] = [
  ['gnu', { format: 'gnu' }],
  ['posix', { format: 'posix' }],
  ['gnu+gzip', { format: 'gnu', compress: 'gzip' }],
  ['posix+zstd', { format: 'posix', compress: 'zstd' }],
  ['gnu sparse', { format: 'gnu', sparse: true }],
  ['posix sparse+gzip', { format: 'posix', sparse: true, compress: 'gzip' }],
];

describe.each(variants)('GNU tar %s', (_name, options) => {
  let layer: IndexedLayer;
  beforeAll(async () => {
    layer = await toc(await gnuTar(dir, options));
  });
  const byPath = (path: string) => layer.toc.entries.find((e) => e.path === path);

  it('detects the codec', () => {
    expect(layer.toc.codec).toBe(options.compress ?? 'tar');
  });

  it('normalises names and lists every entry once', () => {
    const paths = layer.toc.entries.map((e) => e.path);
    expect(paths).not.toContain('');
    expect(paths.every((p) => !p.startsWith('./') && !p.startsWith('/') && !p.endsWith('/'))).toBe(true);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toEqual(expect.arrayContaining(['etc', 'etc/os-release', 'bin/sh', 'bin/ls', 'tmp', 'opt/.wh.removed', 'opt/cache/.wh..wh..opq', LONG_FILE]));
  });

  it('reads types, sizes, modes, owners and times', () => {
    expect(byPath('etc/os-release')).toMatchObject({ type: 'file', size: 25, mode: 0o644, uid: 1234, gid: 5678, mtime: FIXED_MTIME });
    expect(byPath('etc')).toMatchObject({ type: 'dir', size: 0, mode: 0o755 });
    expect(byPath('var/run/fifo')).toMatchObject({ type: 'fifo', size: 0 });
    expect(byPath('bin/busybox')).toMatchObject({ type: 'file', mode: 0o755 });
  });

  it('reads symlinks and hard links with their targets, long ones included', () => {
    expect(byPath('bin/sh')).toMatchObject({ type: 'symlink', linkTarget: 'busybox' });
    expect(byPath('etc/long-symlink')).toMatchObject({ type: 'symlink', linkTarget: LONG_TARGET });
    // tar archives the first name it meets in sorted order and links the later ones to it.
    expect(byPath('bin/ls')).toMatchObject({ type: 'hardlink', linkTarget: 'bin/busybox', size: 0 });
    const hard = [byPath('etc/hardlink-to-long'), byPath(LONG_FILE)].find((e) => e?.type === 'hardlink');
    expect(hard?.linkTarget === LONG_FILE || hard?.linkTarget === 'etc/hardlink-to-long').toBe(true);
  });

  it('locates file data in the tar stream', () => {
    const i = layer.toc.entries.findIndex((e) => e.path === 'etc/os-release');
    expect(layer.locations[i]!.stored).toBe(25);
    expect(layer.locations[i]!.offset % 512).toBe(0);
    expect(layer.toc.tarSize % 512).toBe(0);
  });

  it('reports sparse files with their real size', () => {
    const sparse = byPath('var/sparse.img')!;
    expect(sparse.size).toBe(SPARSE_SIZE);
    if (options.sparse) {
      expect(sparse.sparse).toBe(true);
      const i = layer.toc.entries.indexOf(sparse);
      expect(layer.locations[i]!.stored).toBeLessThan(64 * 1024);
      expect(layer.locations[i]!.sparseMap!.length).toBeGreaterThan(0);
    } else {
      expect(sparse.sparse).toBeUndefined();
    }
  });
});

describe('broken layers', () => {
  let plain: Buffer;
  let gz: Buffer;
  let zst: Buffer;
  beforeAll(async () => {
    [plain, gz, zst] = await Promise.all([gnuTar(dir), gnuTar(dir, { compress: 'gzip' }), gnuTar(dir, { compress: 'zstd' })]);
  });

  it('refuses bytes that are not a tarball', async () => {
    expect(await reason(toc(new TextEncoder().encode('{"not":"a tar"}'.padEnd(2048, ' '))))).toBe('UNSUPPORTED/422/not-a-tarball');
    expect(await reason(toc(gzipSync(Buffer.from('hello world '.repeat(100)))))).toBe('UNSUPPORTED/422/not-a-tarball');
    expect(await reason(toc(new Uint8Array(0)))).toBe('UNSUPPORTED/422/not-a-tarball');
  });

  it('reports a truncated layer for each codec', async () => {
    expect(await reason(toc(plain.subarray(0, 5000)))).toBe('UNSUPPORTED/422/truncated');
    expect(await reason(toc(gz.subarray(0, Math.floor(gz.length / 2))))).toBe('UNSUPPORTED/422/truncated');
    expect(await reason(toc(zst.subarray(0, Math.floor(zst.length / 2))))).toBe('UNSUPPORTED/422/truncated');
  });

  it('reports a corrupt layer for each codec', async () => {
    const bad = (bytes: Buffer) => {
      const copy = Buffer.from(bytes);
      for (let i = 64; i < 96; i++) copy[i] = copy[i]! ^ 0x5a;
      return copy;
    };
    expect(await reason(toc(bad(plain)))).toBe('UNSUPPORTED/422/not-a-tarball');
    expect(await reason(toc(bad(gz)))).toMatch(/^UNSUPPORTED\/422\/(corrupt|not-a-tarball)$/);
    expect(await reason(toc(bad(zst)))).toMatch(/^UNSUPPORTED\/422\/(corrupt|not-a-tarball)$/);
  });

  it('stops at the limits', async () => {
    expect(await reason(toc(plain, { ...layerLimits(), maxEntries: 3 }))).toBe('UNSUPPORTED/422/too-large');
    expect(await reason(toc(gz, { ...layerLimits(), maxTarBytes: 4096 }))).toBe('UNSUPPORTED/422/too-large');
    expect(await reason(toc(plain, { ...layerLimits(), maxMetaBytes: 64 }))).toBe('UNSUPPORTED/422/too-large');
  });
});
