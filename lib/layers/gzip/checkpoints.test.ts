import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { gzipCheckpoints } from './checkpoints';
import { inflateFrom, shiftBits } from './resume';

/** Compressible but varied text: words from a small PRNG, so deflate emits many dynamic blocks. */
function text(bytes: number, seed = 1): Uint8Array {
  const words = ['layer', 'whiteout', 'opaque', 'digest', 'registry', 'manifest', 'porthole', 'tarball', '\n', 'zran', 'window'];
  let x = seed;
  let out = '';
  while (out.length < bytes) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out += words[x % words.length] + (x % 7 === 0 ? String(x % 1000) : ' ');
  }
  return new TextEncoder().encode(out.slice(0, bytes));
}

async function* chunks(bytes: Uint8Array, size = 65536): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function collect(stream: AsyncIterable<Uint8Array>, limit: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    parts.push(chunk);
    total += chunk.length;
    if (total >= limit) break;
  }
  return Buffer.concat(parts).subarray(0, limit);
}

describe('gzip checkpoints', () => {
  const plain = text(6 * 1024 * 1024);
  const gz = gzipSync(plain, { level: 6 });

  it('resumes at every checkpoint with the same bytes as inflating from the start', async () => {
    const { checkpoints, size } = await gzipCheckpoints(chunks(gz), { spacing: 512 * 1024, maxOut: 1e9 });
    expect(size).toBe(plain.length);
    expect(checkpoints.length).toBeGreaterThanOrEqual(8);
    expect(checkpoints.some((c) => c.skipBits > 0)).toBe(true);
    for (const checkpoint of checkpoints) {
      expect(checkpoint.window).toEqual(plain.subarray(checkpoint.out - checkpoint.window.length, checkpoint.out));
      const resumed = await collect(inflateFrom(checkpoint, chunks(gz.subarray(checkpoint.in), 10_000)), 100_000);
      expect(Buffer.from(resumed).equals(Buffer.from(plain.subarray(checkpoint.out, checkpoint.out + 100_000)))).toBe(true);
    }
  });

  it('reads every member of a multi-member stream', async () => {
    const two = Buffer.concat([gzipSync(plain.subarray(0, 3_000_000)), gzipSync(plain.subarray(3_000_000))]);
    const { size, checkpoints } = await gzipCheckpoints(chunks(two), { spacing: 1024 * 1024, maxOut: 1e9 });
    expect(size).toBe(plain.length);
    const late = checkpoints.find((c) => c.out > 3_000_000)!;
    const resumed = await collect(inflateFrom(late, chunks(two.subarray(late.in))), 50_000);
    expect(Buffer.from(resumed).equals(Buffer.from(plain.subarray(late.out, late.out + 50_000)))).toBe(true);
  });

  it('reports truncated and corrupt streams', async () => {
    await expect(gzipCheckpoints(chunks(gz.subarray(0, gz.length >> 1)), { spacing: 1e6, maxOut: 1e9 })).rejects.toSatisfy((e) => isRegistryError(e) && (e.detail as { reason: string }).reason === 'truncated');
    const bad = Buffer.from(gz);
    bad.fill(0xff, 1000, 1100);
    await expect(gzipCheckpoints(chunks(bad), { spacing: 1e6, maxOut: 1e9 })).rejects.toSatisfy((e) => isRegistryError(e) && (e.detail as { reason: string }).reason === 'corrupt');
  });

  it('shifts bit streams across chunk boundaries', async () => {
    const input = [Uint8Array.of(0b1010_1100, 0b0000_0001), Uint8Array.of(0b1111_0000)];
    async function* gen() {
      yield* input;
    }
    const out = await collect(shiftBits(gen(), 2), 3);
    expect([...out]).toEqual([0b0110_1011, 0b0000_0000, 0b0011_1100]);
  });
});

describe('gzip checkpoints on incompressible data', () => {
  it('resumes correctly around stored blocks', async () => {
    const { createCipheriv } = await import('node:crypto');
    const noise = createCipheriv('aes-256-ctr', Buffer.alloc(32, 3), Buffer.alloc(16)).update(Buffer.alloc(3 * 1024 * 1024));
    // Alternate noise (stored blocks) and text (Huffman blocks) so that both kinds of boundaries occur.
    const mixed = Buffer.concat([noise.subarray(0, 1 << 20), text(1 << 20, 5), noise.subarray(1 << 20, 2 << 20), text(1 << 20, 9), noise.subarray(2 << 20)]);
    const gz = gzipSync(mixed);
    const { checkpoints } = await gzipCheckpoints(chunks(gz, 4096), { spacing: 256 * 1024, maxOut: 1e9 });
    expect(checkpoints.length).toBeGreaterThan(8);
    for (const checkpoint of checkpoints) {
      const resumed = await collect(inflateFrom(checkpoint, chunks(gz.subarray(checkpoint.in), 8192)), 70_000);
      expect(Buffer.from(resumed).equals(mixed.subarray(checkpoint.out, checkpoint.out + 70_000)), `checkpoint at ${checkpoint.out}`).toBe(true);
    }
  });
});
