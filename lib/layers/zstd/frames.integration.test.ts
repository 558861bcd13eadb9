import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ZstdFrameWalker } from './frames';

function zstd(input: Buffer, ...args: string[]): Buffer {
  return execFileSync('zstd', ['-q', '-c', ...args], { input, maxBuffer: 64 * 1024 * 1024 });
}

describe('ZstdFrameWalker', () => {
  it('finds the end of every frame of concatenated zstd frames, across chunk boundaries', () => {
    const parts = [Buffer.alloc(300_000, 'a'), Buffer.from('x'.repeat(10) + 'y'.repeat(200_000)), Buffer.alloc(5, 1)];
    const frames = parts.map((p, i) => zstd(p, i === 1 ? '--no-check' : '--check'));
    const stream = Buffer.concat(frames);
    const expected = frames.reduce<number[]>((ends, f) => [...ends, (ends.at(-1) ?? 0) + f.length], []);
    for (const size of [1, 7, 4096, stream.length]) {
      const walker = new ZstdFrameWalker();
      const ends: number[] = [];
      for (let at = 0; at < stream.length; at += size) ends.push(...walker.walk(stream.subarray(at, at + size)));
      expect(walker.valid).toBe(true);
      expect(ends).toEqual(expected);
    }
  });

  it('stops on bytes that are not zstd', () => {
    const walker = new ZstdFrameWalker();
    expect(walker.walk(Buffer.from('not zstd at all'))).toEqual([]);
    expect(walker.valid).toBe(false);
  });
});
