/**
 * Decompression checkpoints of a gzip stream (the zran approach of zlib's examples/zran.c): while inflating
 * once, remember every few MiB of output where a deflate block starts — the byte and bit in the compressed
 * stream, the output offset, and the 32 KiB of output before it (the window later back-references may reach
 * into). Reading from the middle then starts at the nearest checkpoint instead of the start of the layer.
 *
 * Node's zlib cannot do this: it neither stops at block boundaries nor reports the bit position
 * (`Z_BLOCK`/`data_type`), and has no `inflatePrime` to resume mid-byte. pako, a faithful JavaScript port of
 * zlib, does both, so it finds the boundaries; resuming uses Node's native zlib (`resume.ts`).
 * @see https://github.com/madler/zlib/blob/v1.3.1/examples/zran.c
 */
import { inflate, inflateEnd, inflateInit2 } from 'pako/lib/zlib/inflate.js';
import ZStream from 'pako/lib/zlib/zstream.js';
import { layerError } from '../errors';

/** A place in a gzip stream where inflating can start. */
export interface GzipCheckpoint {
  /** Offset in the compressed stream of the first byte holding bits of the block. */
  in: number;
  /** Bits of the byte at `in` that belong to the previous block (0: the block starts on a byte boundary). */
  skipBits: number;
  /** Offset in the uncompressed stream where the block's output starts. */
  out: number;
  /** The uncompressed bytes before `out` (up to 32 KiB): the dictionary to resume with. */
  window: Uint8Array;
}

export const WINDOW = 32 * 1024;
const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_BUF_ERROR = -5;
const Z_BLOCK = 5;
const OUTPUT = 128 * 1024;

/** A 32 KiB ring of the latest output. */
class Window {
  private readonly ring = new Uint8Array(WINDOW);
  private filled = 0;
  private at = 0;

  append(bytes: Uint8Array): void {
    let data = bytes;
    if (data.length >= WINDOW) data = data.subarray(data.length - WINDOW);
    const first = Math.min(data.length, WINDOW - this.at);
    this.ring.set(data.subarray(0, first), this.at);
    this.ring.set(data.subarray(first), 0);
    this.at = (this.at + data.length) % WINDOW;
    this.filled = Math.min(WINDOW, this.filled + data.length);
  }

  snapshot(): Uint8Array {
    const out = new Uint8Array(this.filled);
    if (this.filled < WINDOW) out.set(this.ring.subarray(0, this.filled));
    else {
      out.set(this.ring.subarray(this.at), 0);
      out.set(this.ring.subarray(0, this.at), WINDOW - this.at);
    }
    return out;
  }
}

/** A fresh inflater for one gzip member (pako's inflateReset loses the window: it never refills it). */
function member(): ZStream {
  const strm = new ZStream();
  inflateInit2(strm, 16 + 15);
  return strm;
}

/**
 * Whether the block starting at bit `skip` of the byte before `chunk[next]` is compressed (BTYPE 01 or 10).
 * The byte before is `chunk[next - 1]`, or the last byte of the previous chunk when `next` is 0.
 */
function nextBlockIsHuffman(chunk: Uint8Array, next: number, previousByte: number, skip: number): boolean {
  if (next >= chunk.length) return false; // the header's bits are not all here yet: skip this boundary
  const first = next > 0 ? chunk[next - 1]! : previousByte;
  const bits = first | (chunk[next]! << 8);
  const type = (bits >> (skip + 1)) & 3;
  return type === 1 || type === 2;
}

export interface CheckpointOptions {
  /** Uncompressed bytes between checkpoints. */
  spacing: number;
  /** Most uncompressed bytes accepted (a decompression bomb stops here). */
  maxOut: number;
}

/**
 * Inflates a whole gzip stream (all members) and returns its checkpoints and uncompressed size.
 * Throws layer errors: corrupt, truncated, too-large.
 */
export async function gzipCheckpoints(body: AsyncIterable<Uint8Array>, options: CheckpointOptions): Promise<{ checkpoints: GzipCheckpoint[]; size: number }> {
  let strm = member();
  const window = new Window();
  const output = new Uint8Array(OUTPUT);
  const checkpoints: GzipCheckpoint[] = [];
  let base = 0; // compressed offset of the current chunk
  let out = 0;
  let last = 0;
  let ended = false;
  let started = false;
  let previousByte = 0;
  try {
    for await (const chunk of body) {
      strm.input = chunk;
      strm.next_in = 0;
      strm.avail_in = chunk.length;
      while (strm.avail_in > 0) {
        if (ended) {
          // Another gzip member follows (or trailing garbage, which gzip itself ignores).
          const next = strm.next_in;
          if (chunk[next] !== 0x1f) return { checkpoints, size: out };
          inflateEnd(strm);
          strm = member();
          strm.input = chunk;
          strm.next_in = next;
          strm.avail_in = chunk.length - next;
          ended = false;
        }
        strm.output = output;
        strm.next_out = 0;
        strm.avail_out = OUTPUT;
        const ret = inflate(strm, Z_BLOCK);
        const produced = OUTPUT - strm.avail_out;
        if (produced) {
          window.append(output.subarray(0, produced));
          out += produced;
          started = true;
          if (out > options.maxOut) throw layerError('too-large', `the layer is larger than ${options.maxOut} bytes uncompressed`, { limit: 'maxTarBytes' });
        }
        if (ret === Z_STREAM_END) {
          ended = true;
          continue;
        }
        if (ret !== Z_OK && ret !== Z_BUF_ERROR) throw layerError('corrupt', `the gzip stream of the layer is corrupt (${strm.msg || ret})`);
        const atBoundary = (strm.data_type & 128) !== 0 && (strm.data_type & 64) === 0;
        if (atBoundary && started && out - last >= options.spacing) {
          const unused = strm.data_type & 7;
          const position = base + strm.next_in;
          // Shifting the stream moves byte boundaries, which a stored block (type 00) pads to: only take
          // unaligned boundaries where the next block is a Huffman block.
          if (unused === 0 || nextBlockIsHuffman(chunk, strm.next_in, previousByte, 8 - unused)) {
            checkpoints.push({ in: unused ? position - 1 : position, skipBits: unused ? 8 - unused : 0, out, window: window.snapshot() });
            last = out;
          }
        }
      }
      base += chunk.length;
      if (chunk.length) previousByte = chunk[chunk.length - 1]!;
    }
  } finally {
    inflateEnd(strm);
  }
  if (!ended) throw layerError('truncated', 'the gzip stream of the layer ends early');
  return { checkpoints, size: out };
}
