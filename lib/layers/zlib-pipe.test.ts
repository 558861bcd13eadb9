import { randomBytes } from 'node:crypto';
import { createGunzip, gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { throughZlib } from './zlib-pipe';

async function* slices(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, Math.min(at + size, bytes.length));
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('throughZlib', () => {
  // Every write to zlib is a round trip to libuv's thread pool and back: 64 KiB network chunks made thousands.
  it('feeds zlib in batches of about 1 MiB, whatever the size of the chunks that arrive', async () => {
    const plain = Buffer.concat([randomBytes(3 * 1024 * 1024), Buffer.alloc(3 * 1024 * 1024, 7)]);
    const gzip = gzipSync(plain, { level: 1 });
    const inflater = createGunzip();
    const sizes: number[] = [];
    const write = inflater.write.bind(inflater);
    inflater.write = ((chunk: Uint8Array, ...rest: never[]) => {
      sizes.push(chunk.length);
      return write(chunk, ...rest);
    }) as typeof inflater.write;
    const out = await collect(throughZlib(slices(gzip, 16 * 1024), inflater, (error) => error));
    expect(out.equals(plain)).toBe(true);
    expect(sizes.length).toBeLessThanOrEqual(Math.ceil(gzip.length / (1024 * 1024)));
    expect(sizes.slice(0, -1).every((size) => size >= 1024 * 1024)).toBe(true);
  });

  it('passes a chunk that is large enough on as it is, and a short stream in one piece', async () => {
    const plain = randomBytes(2 * 1024 * 1024);
    const gzip = gzipSync(plain, { level: 1 });
    expect((await collect(throughZlib(slices(gzip, gzip.length), createGunzip(), (e) => e))).equals(plain)).toBe(true);
    const small = gzipSync(Buffer.from('hello'));
    expect((await collect(throughZlib(slices(small, 3), createGunzip(), (e) => e))).toString()).toBe('hello');
  });

  it('surfaces an error of the input as itself and a zlib error through the mapper', async () => {
    const gzip = gzipSync(randomBytes(4 * 1024 * 1024), { level: 1 });
    async function* failing() {
      yield gzip.subarray(0, 1024 * 1024 + 10);
      throw new Error('registry went away');
    }
    await expect(collect(throughZlib(failing(), createGunzip(), () => new Error('mapped')))).rejects.toThrow('registry went away');
    const corrupt = Buffer.from(gzip);
    corrupt.fill(0, 100, 2000);
    await expect(collect(throughZlib(slices(corrupt, 64 * 1024), createGunzip(), () => new Error('mapped')))).rejects.toThrow('mapped');
  });

  it('stops reading its input when the consumer stops', async () => {
    const gzip = gzipSync(randomBytes(8 * 1024 * 1024), { level: 1 });
    let pulled = 0;
    let closed = false;
    async function* counted() {
      try {
        for await (const chunk of slices(gzip, 64 * 1024)) {
          pulled += chunk.length;
          yield chunk;
        }
      } finally {
        closed = true;
      }
    }
    for await (const chunk of throughZlib(counted(), createGunzip(), (e) => e)) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    // The source is closed once its pending read settles.
    await vi.waitFor(() => expect(closed).toBe(true));
    expect(pulled).toBeLessThan(gzip.length);
  });
});
