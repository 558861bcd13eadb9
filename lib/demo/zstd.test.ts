import { decompress } from 'fzstd';
import { describe, expect, it } from 'vitest';
import { createTar } from './tar';
import { zstdFrame } from './zstd';

describe('zstdFrame', () => {
  it('writes a frame any decoder reads back: runs as RLE blocks, the rest raw, blocks of at most 128 KiB', () => {
    const text = new TextEncoder().encode('hello zstd\n'.repeat(20_000)); // 220 KB: raw blocks are split
    const tar = createTar([{ path: 'etc/' }, { path: 'etc/motd', content: 'hi\n' }, { path: 'big', content: text }], 5);
    const frame = zstdFrame(tar);
    expect([...frame.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
    expect(new Uint8Array(decompress(frame))).toEqual(tar);
    // The tar's zero padding is stored as RLE: smaller than the input.
    expect(frame.length).toBeLessThan(tar.length);
  });

  it('handles empty input, one long run, and is deterministic', () => {
    for (const input of [new Uint8Array(), new Uint8Array(300_000), new Uint8Array([1, 2, 3])]) {
      const frame = zstdFrame(input);
      expect(new Uint8Array(decompress(frame))).toEqual(input);
      expect(zstdFrame(input)).toEqual(frame);
    }
    expect(zstdFrame(new Uint8Array(300_000)).length).toBeLessThan(40);
  });
});
