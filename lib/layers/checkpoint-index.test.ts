import { createCipheriv } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { BlobReader } from './layer-index';
import { layerLimits } from './limits';
import { clearCheckpointMemory, ensureCheckpoints, nearestCheckpoint, readyCheckpoints } from './checkpoint-index';

const DIGEST = `sha256:${'12'.repeat(32)}`;

function registryOf(bytes: Uint8Array): BlobReader & { reads: number } {
  const reader = {
    reads: 0,
    resolveBlob: async () => ({ mediaType: 'application/octet-stream', digest: DIGEST, size: bytes.length }),
    getBlob: async () => {
      reader.reads++;
      return { descriptor: { mediaType: 'application/octet-stream', digest: DIGEST, size: bytes.length }, body: new Blob([new Uint8Array(bytes)]).stream() };
    },
  };
  return reader as BlobReader & { reads: number };
}

describe('checkpoint index', () => {
  it('builds once, shares the build and answers from memory', async () => {
    clearCheckpointMemory();
    const plain = createCipheriv('aes-256-ctr', Buffer.alloc(32, 1), Buffer.alloc(16)).update(Buffer.alloc(14 * 1024 * 1024));
    const registry = registryOf(gzipSync(plain));
    const options = { limits: layerLimits() };
    const [a, b] = await Promise.all([ensureCheckpoints(registry, 'r', DIGEST, plain.length, options), ensureCheckpoints(registry, 'r', DIGEST, plain.length, options)]);
    expect(a).toBe(b);
    expect(a!.length).toBeGreaterThanOrEqual(2);
    expect(registry.reads).toBe(1);
    expect(await readyCheckpoints(DIGEST, undefined)).toBe(a);
    expect(nearestCheckpoint(a!, 0)).toBeUndefined();
    expect(nearestCheckpoint(a!, a![1]!.out + 1)).toBe(a![1]);
  });

  it('remembers a failed build instead of reading the blob again on every request', async () => {
    clearCheckpointMemory();
    const broken = gzipSync(new Uint8Array(10 * 1024 * 1024).fill(1)).subarray(0, 4000);
    const registry = registryOf(broken);
    const options = { limits: layerLimits() };
    expect(await ensureCheckpoints(registry, 'r', DIGEST, 20 * 1024 * 1024, options)).toBeUndefined();
    expect(await ensureCheckpoints(registry, 'r', DIGEST, 20 * 1024 * 1024, options)).toEqual([]);
    expect(registry.reads).toBe(1);
  });

  it('skips small layers', async () => {
    const registry = registryOf(new Uint8Array(0));
    expect(await ensureCheckpoints(registry, 'r', DIGEST, 1024, { limits: layerLimits() })).toBeUndefined();
    expect(registry.reads).toBe(0);
  });
});
