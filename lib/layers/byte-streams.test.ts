import { describe, expect, it } from 'vitest';
import { batchBytes, expandSparse, sliceBytes, toWebStream } from './byte-streams';

async function* from(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += new TextDecoder().decode(chunk);
  return out;
}

describe('byte streams', () => {
  it('slices across chunks and stops reading once done', async () => {
    let pulled = 0;
    async function* counting() {
      for (const part of ['abc', 'def', 'ghi', 'jkl']) {
        pulled++;
        yield new TextEncoder().encode(part);
      }
    }
    expect(await text(sliceBytes(counting(), 2, 5, () => new Error('short')))).toBe('cdefg');
    expect(pulled).toBe(3);
    await expect(text(sliceBytes(from('abc'), 1, 5, () => new Error('short')))).rejects.toThrow('short');
  });

  it('batches small chunks into ones of at least the minimum, passing large ones through as they are', async () => {
    const big = new TextEncoder().encode('0123456789');
    async function* parts() {
      yield* from('ab', '', 'cd', 'e');
      yield big;
      yield* from('fg');
    }
    const out: Uint8Array[] = [];
    for await (const chunk of batchBytes(parts(), 4)) out.push(chunk);
    expect(out.map((c) => new TextDecoder().decode(c))).toEqual(['abcd', 'e0123456789', 'fg']);
    const alone: Uint8Array[] = [];
    for await (const chunk of batchBytes((async function* () { yield big; })(), 4)) alone.push(chunk);
    expect(alone[0]).toBe(big);
  });

  it('expands sparse segments with zeros in the holes and at the end', async () => {
    const out = await text(expandSparse(from('AB', 'CD'), [[1, 1], [3, 3]], 8));
    expect(out).toBe('\0A\0BCD\0\0');
  });

  it('ends the generator when the web stream is cancelled', async () => {
    let cleaned = false;
    async function* gen() {
      try {
        for (;;) yield new Uint8Array(1);
      } finally {
        cleaned = true;
      }
    }
    const reader = toWebStream(gen()).getReader();
    await reader.read();
    await reader.cancel();
    expect(cleaned).toBe(true);
  });
});
