/**
 * A 100 MB gzip layer made by GNU tar, pushed by skopeo to a real registry: its table of contents is built by
 * streaming (memory stays far below the layer's size), its checkpoints are built in the background, and then
 * a file near the end is read from the nearest checkpoint with a Range request instead of from the start.
 */
import { createCipheriv } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCheckpoints } from '@/lib/layers/checkpoint-index';
import { layerIndexStats } from '@/lib/layers/layer-index';
import { gnuTar } from '@/lib/layers/testing/gnu-tar';
import { writeLayerImage } from '@/lib/layers/testing/layer-image';
import type { Digest } from '@/lib/oci/types';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { pushLayoutImage } from '@/lib/registry/testing/skopeo';
import type { LayerListing } from './layer-files-service';
import { layerOptions } from './layer-files-service';
import { getSource, setConfigForTests } from './sources';
import { api, getJson } from '@/lib/server/testing/test-api';
import { configOf } from '@/lib/server/testing/test-support';
import { endApiTest } from '@/lib/server/testing/api-teardown';

const REPO = 'big/layer';
const FILES = 48;
const FILE_SIZE = 2 * 1024 * 1024;
let registry: RunningRegistry;
let dir: string;
let digest: Digest;
let middle: Buffer;
const previousDataDir = process.env.PORTHOLE_DATA_DIR;
const base = `/api/sources/local/repositories/${REPO}/-`;

/** Deterministic incompressible bytes (AES-CTR keystream). */
function noise(seed: number, size: number): Buffer {
  const key = Buffer.alloc(32, seed);
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-big-layer-'));
  process.env.PORTHOLE_DATA_DIR = join(dir, 'data');
  const root = join(dir, 'root');
  await mkdir(join(root, 'data'), { recursive: true });
  for (let i = 0; i < FILES; i++) {
    const bytes = noise(i, FILE_SIZE);
    if (i === FILES / 2) middle = bytes;
    await writeFile(join(root, 'data', `blob-${String(i).padStart(3, '0')}.bin`), bytes);
  }
  await mkdir(join(root, 'zz-last'));
  await writeFile(join(root, 'zz-last', 'needle.txt'), 'found me\n');
  registry = await startRegistry();
  const image = await writeLayerImage(join(dir, 'layout'), 'big', [{ tar: await gnuTar(root), compress: 'gzip' }]);
  digest = image.layers[0]!.digest as Digest;
  expect(image.layers[0]!.size).toBeGreaterThan(100_000_000);
  await rm(root, { recursive: true, force: true });
  await pushLayoutImage(registry, join(dir, 'layout'), 'big', REPO);
  await setConfigForTests(configOf({ sources: [{ name: 'local', url: registry.url }] }));
}, 300_000);

afterAll(() => endApiTest({ registry, dir, previousDataDir }));

describe('a 100 MB gzip layer', () => {
  it('is indexed by streaming, without holding the layer in memory', async () => {
    globalThis.gc?.();
    const start = process.memoryUsage();
    let peakRss = start.rss;
    let peakHeap = start.heapUsed + start.arrayBuffers;
    const timer = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed + now.arrayBuffers);
    }, 20);
    const builds = layerIndexStats().builds;
    const { status, body } = await getJson<LayerListing>(`${base}/blobs/${digest}/files`);
    clearInterval(timer);
    expect(status).toBe(200);
    expect(layerIndexStats().builds).toBe(builds + 1);
    expect(body.entries.filter((e) => e.type === 'file')).toHaveLength(FILES + 1);
    expect(body.tarSize).toBeGreaterThan(FILES * FILE_SIZE);
    // JS heap and buffers stay a fraction of the 100 MB layer (chunks of ~256 KiB are in flight at a time).
    expect(peakHeap - (start.heapUsed + start.arrayBuffers)).toBeLessThan(48 * 1024 * 1024);
  }, 120_000);

  it('reads a file near the end from a checkpoint once the checkpoints are built', async () => {
    const source = await getSource('local');
    const points = await ensureCheckpoints(source.registry, REPO, digest, 1e9, layerOptions());
    expect(points!.length).toBeGreaterThanOrEqual(20);
    const needle = await api(`${base}/blobs/${digest}/files/zz-last/needle.txt`);
    expect(needle.headers.get('x-porthole-read')).toBe('checkpoint');
    expect(await needle.text()).toBe('found me\n');
    const mid = await api(`${base}/blobs/${digest}/files/data/blob-${String(FILES / 2).padStart(3, '0')}.bin`);
    expect(mid.headers.get('x-porthole-read')).toBe('checkpoint');
    expect(Buffer.from(await mid.arrayBuffer()).equals(middle)).toBe(true);
  }, 180_000);
});
