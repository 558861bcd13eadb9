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
  /** Permission bits (default 0o644 for files, 0o755 for directories, 0o777 for symlinks). */
  mode?: number;
  /** A symbolic link (typeflag `2`) or hard link (`1`) to `linkTarget` instead of a regular file. */
  link?: 'symlink' | 'hardlink';
  /** Target of a link, as written into the header (at most 100 bytes). */
  linkTarget?: string;
}

const BLOCK = 512;
const encoder = new TextEncoder();

function writeString(block: Uint8Array, offset: number, length: number, value: string): void {
  // ASCII (every field but some names) is copied directly: encoding each field was most of the writer's time.
  let ascii = true;
  for (let i = 0; i < value.length && ascii; i++) ascii = value.charCodeAt(i) < 0x80;
  if (ascii) {
    for (let i = 0; i < value.length && i < length; i++) block[offset + i] = value.charCodeAt(i);
    return;
  }
  block.set(encoder.encode(value).subarray(0, length), offset);
}

function writeOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  writeString(block, offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
}

/** Writes the header of `entry` into `block` (512 zero bytes). */
function header(block: Uint8Array, entry: TarEntry, size: number, mtime: number): void {
  const isDir = entry.path.endsWith('/');
  let name = entry.path;
  let prefix = '';
  if (encoder.encode(name).length > 100) {
    const cut = name.lastIndexOf('/', name.length - 2);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
  }
  writeString(block, 0, 100, name);
  writeOctal(block, 100, 8, entry.mode ?? (isDir ? 0o755 : entry.link === 'symlink' ? 0o777 : 0o644));
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, mtime);
  block.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  writeString(block, 156, 1, isDir ? '5' : entry.link === 'symlink' ? '2' : entry.link === 'hardlink' ? '1' : '0');
  if (entry.link) {
    if (!entry.linkTarget || encoder.encode(entry.linkTarget).length > 100) throw new Error(`demo tar: bad link target for ${entry.path}`);
    writeString(block, 157, 100, entry.linkTarget);
  }
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  writeString(block, 265, 32, 'root');
  writeString(block, 297, 32, 'root');
  writeString(block, 345, 155, prefix);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i]!;
  writeString(block, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
}

/** A tar archive of `entries` (in order), every mtime set to `mtime` (seconds since the epoch). */
export function createTar(entries: readonly TarEntry[], mtime = 0): Uint8Array {
  // Links carry no data.
  const contents = entries.map((entry) => (entry.link ? new Uint8Array() : typeof entry.content === 'string' ? encoder.encode(entry.content) : (entry.content ?? new Uint8Array())));
  let total = BLOCK * 2; // end-of-archive marker
  for (const content of contents) total += BLOCK + Math.ceil(content.length / BLOCK) * BLOCK;
  const out = new Uint8Array(total);
  let offset = 0;
  entries.forEach((entry, i) => {
    const content = contents[i]!;
    header(out.subarray(offset, offset + BLOCK), entry, content.length, mtime);
    out.set(content, offset + BLOCK);
    offset += BLOCK + Math.ceil(content.length / BLOCK) * BLOCK;
  });
  return out;
}

/**
 * gzip with a zero mtime in the header, so equal input gives equal output (for a given zlib). Level 6, the
 * default of zlib and of Go's compress/gzip (what docker and containerd write): level 9 costs several times
 * the CPU on the base layers' binary content for 1-5 % smaller blobs.
 */
export function gzip(data: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(data, { level: 6 }));
}
