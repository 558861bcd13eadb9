// `npx tsx scripts/icons.ts`: draws Porthole's icon (the ring of app/icon.svg) into the raster files browsers
// and phones ask for without being told: public/favicon.ico (16, 32, 48 px) and public/apple-touch-icon.png
// (180 px, on white: iOS fills transparency with black). Pure Node (zlib), no image library. A unit test
// (scripts/icons.test.ts) fails when the committed files differ from what this draws.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const RING = [0x02, 0x84, 0xc7]; // #0284c7, as in app/icon.svg
const SAMPLES = 4; // per axis, for anti-aliasing

/** RGBA pixels of the ring (radius 12, stroke 6 on a 32 grid) at `size` px; `background` fills the rest. */
export function drawRing(size: number, background?: readonly number[]): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const scale = 32 / size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let inside = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const px = (x + (sx + 0.5) / SAMPLES) * scale - 16;
          const py = (y + (sy + 0.5) / SAMPLES) * scale - 16;
          const distance = Math.hypot(px, py);
          if (distance >= 9 && distance <= 15) inside++;
        }
      }
      const coverage = inside / (SAMPLES * SAMPLES);
      const at = (y * size + x) * 4;
      if (background) {
        for (let c = 0; c < 3; c++) pixels[at + c] = Math.round(RING[c]! * coverage + background[c]! * (1 - coverage));
        pixels[at + 3] = 255;
      } else {
        for (let c = 0; c < 3; c++) pixels[at + c] = RING[c]!;
        pixels[at + 3] = Math.round(255 * coverage);
      }
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG (8-bit RGBA) of `pixels`. */
export function encodePng(size: number, pixels: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO holding one PNG per size (the PNG-in-ICO form every current browser reads). */
export function encodeIco(images: readonly { size: number; png: Buffer }[]): Buffer {
  const head = Buffer.alloc(6 + 16 * images.length);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(images.length, 4);
  let offset = head.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    head[entry] = size % 256;
    head[entry + 1] = size % 256;
    head.writeUInt16LE(1, entry + 4);
    head.writeUInt16LE(32, entry + 6);
    head.writeUInt32LE(png.length, entry + 8);
    head.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([head, ...images.map((image) => image.png)]);
}

/** The files, by path relative to the repository root. */
export function iconFiles(): Record<string, Buffer> {
  const favicon = encodeIco([16, 32, 48].map((size) => ({ size, png: encodePng(size, drawRing(size)) })));
  const touch = encodePng(180, drawRing(180, [255, 255, 255]));
  return { 'public/favicon.ico': favicon, 'public/apple-touch-icon.png': touch };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = join(import.meta.dirname, '..');
  for (const [path, bytes] of Object.entries(iconFiles())) {
    writeFileSync(join(root, path), bytes);
    console.log(`wrote ${path} (${bytes.length} bytes)`);
  }
}
