/**
 * Inflates a gzip stream from a checkpoint with Node's native zlib: the compressed bytes from the checkpoint
 * on are shifted so that the block starts on a byte boundary (zlib has no `inflatePrime` in Node), then
 * inflated raw with the checkpoint's window as the dictionary.
 */
import 'server-only';
import { createInflateRaw } from 'node:zlib';
import { layerError } from '../errors';
import { throughZlib } from '../zlib-pipe';
import type { GzipCheckpoint } from './checkpoints';

/** Shifts a bit stream right by `bits` (1..7) across chunk boundaries: bit `bits` of the input becomes bit 0. */
export async function* shiftBits(input: AsyncIterable<Uint8Array>, bits: number): AsyncGenerator<Uint8Array> {
  let carry: number | undefined;
  for await (const chunk of input) {
    if (chunk.length === 0) continue;
    const outLength = carry === undefined ? chunk.length - 1 : chunk.length;
    const out = new Uint8Array(outLength);
    let previous = carry ?? chunk[0]!;
    let i = carry === undefined ? 1 : 0;
    let o = 0;
    for (; i < chunk.length; i++) {
      const next = chunk[i]!;
      out[o++] = ((previous >>> bits) | (next << (8 - bits))) & 0xff;
      previous = next;
    }
    carry = previous;
    if (out.length) yield out;
  }
  if (carry !== undefined) yield Uint8Array.of(carry >>> bits);
}

/**
 * The uncompressed stream from `checkpoint.out` on, given the compressed bytes from `checkpoint.in` on. Ends at
 * the end of the gzip member the checkpoint is in.
 */
export async function* inflateFrom(checkpoint: GzipCheckpoint, compressed: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const aligned = checkpoint.skipBits ? shiftBits(compressed, checkpoint.skipBits) : compressed;
  const inflater = createInflateRaw({ dictionary: checkpoint.window, chunkSize: 128 * 1024 });
  yield* throughZlib(aligned, inflater, (error) => layerError('corrupt', 'the gzip stream could not be inflated from its checkpoint', {}, error));
}
