import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { iconFiles } from './icons';

const root = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(root, path));

/** Width, height and colour type of a PNG, read from its IHDR chunk. */
function pngInfo(png: Buffer): { width: number; height: number; colourType: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colourType: png[25]! };
}

describe('public/', () => {
  it('robots.txt keeps every crawler out of a private registry browser', () => {
    const lines = read('public/robots.txt').toString('utf8').split('\n').map((line) => line.trim());
    expect(lines).toContain('User-agent: *');
    expect(lines).toContain('Disallow: /');
    expect(lines.some((line) => /^Allow:/i.test(line))).toBe(false);
  });

  it('favicon.ico holds 16, 32 and 48 px PNGs', () => {
    const ico = read('public/favicon.ico');
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => {
      const entry = 6 + 16 * i;
      const png = ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8));
      const info = pngInfo(png);
      expect(info.width).toBe(ico[entry]);
      return info.width;
    });
    expect(sizes).toEqual([16, 32, 48]);
  });

  it('apple-touch-icon.png is 180 px and opaque (iOS shows transparency as black)', () => {
    const png = read('public/apple-touch-icon.png');
    expect(pngInfo(png)).toEqual({ width: 180, height: 180, colourType: 6 });
    const idat = png.indexOf('IDAT', 0, 'latin1');
    const rows = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    for (let y = 0; y < 180; y += 17) for (let x = 0; x < 180; x += 13) expect(rows[y * (180 * 4 + 1) + 1 + x * 4 + 3]).toBe(255);
  });

  it('are what scripts/icons.ts draws (regenerate with `npx tsx scripts/icons.ts`)', () => {
    for (const [path, bytes] of Object.entries(iconFiles())) expect(read(path).equals(bytes), path).toBe(true);
  });
});
