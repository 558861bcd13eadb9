/**
 * A minimal deterministic zstd writer for the demo's `tar+zstd` layer. Node 20's zlib has no zstd and the
 * npm encoders are native or WebAssembly builds, so this writes one valid zstd frame by hand from the two
 * block types that need no entropy coding: RLE blocks for runs of one byte (the zero padding and end marker
 * of a tar) and raw blocks for the rest. Any zstd decoder reads it (`zstd -d`, fzstd); it compresses only
 * runs, which is enough for a demo and keeps the bytes the same forever.
 * @see https://www.rfc-editor.org/rfc/rfc8878#section-3.1.1
 */

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
/** Largest block content (RFC 8878 §3.1.1.2.3: min(window size, 128 KiB)). */
const MAX_BLOCK = 128 * 1024;
/** Runs shorter than this stay inside raw blocks (a block header costs 3 bytes). */
const MIN_RUN = 32;
const RAW = 0;
const RLE = 1;

function blockHeader(out: number[], last: boolean, type: number, size: number): void {
  const value = (size << 3) | (type << 1) | (last ? 1 : 0);
  out.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff);
}

/** `data` as one zstd frame (single segment, content size in the header, no checksum). */
export function zstdFrame(data: Uint8Array): Uint8Array {
  if (data.length > 0xffffffff) throw new Error('demo zstd: content larger than 4 GiB');
  // Frame header descriptor: content size in 4 bytes (flag 2), single segment (no window descriptor).
  const head = [...MAGIC, 0b1010_0000, data.length & 0xff, (data.length >>> 8) & 0xff, (data.length >>> 16) & 0xff, (data.length >>> 24) & 0xff];
  // Blocks as [type, start, end) spans; the last one gets the Last_Block bit.
  const spans: [number, number, number][] = [];
  let rawStart = 0;
  let i = 0;
  while (i < data.length) {
    let run = i + 1;
    while (run < data.length && data[run] === data[i] && run - i < MAX_BLOCK) run++;
    if (run - i >= MIN_RUN) {
      for (let s = rawStart; s < i; s += MAX_BLOCK) spans.push([RAW, s, Math.min(i, s + MAX_BLOCK)]);
      spans.push([RLE, i, run]);
      rawStart = run;
    }
    i = run;
  }
  for (let s = rawStart; s < data.length; s += MAX_BLOCK) spans.push([RAW, s, Math.min(data.length, s + MAX_BLOCK)]);
  if (spans.length === 0) spans.push([RAW, 0, 0]);

  const headers: number[] = [];
  let size = head.length;
  for (const [type, start, end] of spans) size += 3 + (type === RLE ? 1 : end - start);
  const out = new Uint8Array(size);
  out.set(head, 0);
  let offset = head.length;
  spans.forEach(([type, start, end], n) => {
    headers.length = 0;
    blockHeader(headers, n === spans.length - 1, type, end - start);
    out.set(headers, offset);
    offset += 3;
    if (type === RLE) out[offset++] = data[start]!;
    else {
      out.set(data.subarray(start, end), offset);
      offset += end - start;
    }
  });
  return out;
}
