/**
 * Minimal deterministic tar (ustar) and gzip writers, so generated image layers are real `tar+gzip` blobs
 * that clients (skopeo, docker) can unpack, with fixed mtimes and owners: same input, same bytes.
 * @see https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06
 */
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  /** Path inside the archive, without a leading `/`; directories end with `/`. */
  path: string;
  /** File content; omit for directories. */
  content?: Uint8Array | string;
  /** Permission bits (default 0o644 for files, 0o755 for directories). */
  mode?: number;
}

const BLOCK = 512;
const encoder = new TextEncoder();

function writeString(block: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = encoder.encode(value);
  block.set(bytes.subarray(0, length), offset);
}

function writeOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  writeString(block, offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
}

function header(entry: TarEntry, size: number, mtime: number): Uint8Array {
  const block = new Uint8Array(BLOCK);
  const isDir = entry.path.endsWith('/');
  let name = entry.path;
  let prefix = '';
  if (encoder.encode(name).length > 100) {
    const cut = name.lastIndexOf('/', name.length - 2);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
  }
  writeString(block, 0, 100, name);
  writeOctal(block, 100, 8, entry.mode ?? (isDir ? 0o755 : 0o644));
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, mtime);
  block.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  writeString(block, 156, 1, isDir ? '5' : '0');
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  writeString(block, 265, 32, 'root');
  writeString(block, 297, 32, 'root');
  writeString(block, 345, 155, prefix);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeString(block, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return block;
}

/** A tar archive of `entries` (in order), every mtime set to `mtime` (seconds since the epoch). */
export function createTar(entries: readonly TarEntry[], mtime = 0): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const entry of entries) {
    const content = typeof entry.content === 'string' ? encoder.encode(entry.content) : (entry.content ?? new Uint8Array());
    parts.push(header(entry, content.length, mtime));
    total += BLOCK;
    if (content.length > 0) {
      const padded = new Uint8Array(Math.ceil(content.length / BLOCK) * BLOCK);
      padded.set(content);
      parts.push(padded);
      total += padded.length;
    }
  }
  parts.push(new Uint8Array(BLOCK * 2)); // end-of-archive marker
  total += BLOCK * 2;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** gzip with a zero mtime in the header, so equal input gives equal output (for a given zlib). */
export function gzip(data: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(data, { level: 9 }));
}
