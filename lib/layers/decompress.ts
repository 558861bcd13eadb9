/**
 * Turns a layer blob into its uncompressed tar stream, chunk by chunk with backpressure: gzip through Node's
 * zlib (native, multi-member aware), zstd through `fzstd` (pure JS: Node 20's zlib has no zstd), plain tar
 * as it is. The codec is sniffed from the first bytes, never trusted from a media type. The uncompressed size
 * is bounded (`maxTarBytes`), so a decompression bomb stops with a clear error instead of running for ever.
 */
import 'server-only';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { RegistryError } from '@/lib/oci/errors';
import { joinBytes } from '@/lib/registry/read-all';
import { layerError } from './errors';
import { sniffCodec } from './media';
import type { FrameCheckpoint, LayerCodec } from './types';
import { ZstdFrameWalker } from './zstd/frames';
import { throughZlib } from './zlib-pipe';

/** fzstd decodes whole blocks per push; small slices bound how much one push can produce (128 KiB per block). */
const ZSTD_SLICE = 4096;
/** Uncompressed bytes between recorded zstd frame starts (frames can be tiny; the index stays small). */
const FRAME_SPACING = 1024 * 1024;

export interface DecompressOptions {
  /** Most uncompressed bytes accepted. */
  maxTarBytes: number;
}

/** Reads chunks until at least `n` bytes are buffered (or the stream ends); returns them and the rest. */
async function peek(source: AsyncIterator<Uint8Array>, n: number): Promise<{ head: Uint8Array[]; size: number }> {
  const head: Uint8Array[] = [];
  let size = 0;
  while (size < n) {
    const next = await source.next();
    if (next.done) break;
    head.push(next.value);
    size += next.value.length;
  }
  return { head, size };
}

async function* replay(head: Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

function zlibError(error: unknown): RegistryError {
  if (error instanceof RegistryError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'Z_BUF_ERROR') return layerError('truncated', 'the gzip stream of the layer ends early', {}, error);
  return layerError('corrupt', 'the gzip stream of the layer is corrupt', {}, error);
}

function gunzip(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  return throughZlib(input, createGunzip({ chunkSize: 256 * 1024 }), zlibError);
}

/**
 * zstd through fzstd. Frame starts are recorded in `frames` (compressed and uncompressed offsets, one at least
 * every `FRAME_SPACING` of output): each frame decodes on its own, so a read can start at one.
 */
async function* unzstd(input: AsyncIterable<Uint8Array>, frames: FrameCheckpoint[]): AsyncGenerator<Uint8Array> {
  let out: Uint8Array[] = [];
  let ended = false;
  let produced = 0;
  let lastFrame = 0;
  const walker = new ZstdFrameWalker();
  const decoder = new Decompress((chunk, final) => {
    if (chunk.length) out.push(chunk);
    produced += chunk.length;
    if (final) ended = true;
  });
  const push = (chunk: Uint8Array, final: boolean) => {
    try {
      decoder.push(chunk, final);
    } catch (error) {
      const message = String((error as Error).message ?? '');
      throw /unexpected EOF/i.test(message)
        ? layerError('truncated', 'the zstd stream of the layer ends early', {}, error)
        : layerError('corrupt', 'the zstd stream of the layer is corrupt', {}, error);
    }
  };
  for await (const chunk of input) {
    for (let at = 0; at < chunk.length; at += ZSTD_SLICE) {
      const slice = chunk.subarray(at, Math.min(at + ZSTD_SLICE, chunk.length));
      const base = walker.position;
      let from = 0;
      // Push up to each frame end: the frame's output is then complete, and the next frame starts there.
      for (const end of walker.walk(slice)) {
        push(slice.subarray(from, end - base), false);
        from = end - base;
        if (produced - lastFrame >= FRAME_SPACING) {
          frames.push({ in: end, out: produced });
          lastFrame = produced;
        }
      }
      push(slice.subarray(from), false);
      if (out.length) {
        yield* out;
        out = [];
      }
    }
  }
  if (!ended) push(new Uint8Array(0), true);
  yield* out;
}

async function* bounded(input: AsyncIterable<Uint8Array>, options: DecompressOptions): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of input) {
    total += chunk.length;
    if (total > options.maxTarBytes) {
      throw layerError('too-large', `the layer is larger than ${options.maxTarBytes} bytes uncompressed`, { limit: 'maxTarBytes' });
    }
    yield chunk;
  }
}

/**
 * The uncompressed tar stream of a blob body and the codec found. Consumes `body` to its end (so that the
 * registry client's digest check runs). Throws layer errors: corrupt, truncated, too-large. `frames` fills up
 * with the zstd frame starts while the chunks are read.
 */
export async function decompressLayer(
  body: AsyncIterable<Uint8Array>,
  options: DecompressOptions,
): Promise<{ codec: LayerCodec; chunks: AsyncGenerator<Uint8Array>; frames: FrameCheckpoint[] }> {
  const iterator = body[Symbol.asyncIterator]();
  const { head, size } = await peek(iterator, 4);
  const codec = sniffCodec(joinBytes(head, size).subarray(0, 4));
  const raw = replay(head, iterator);
  const frames: FrameCheckpoint[] = [];
  const chunks = codec === 'gzip' ? gunzip(raw) : codec === 'zstd' ? unzstd(raw, frames) : raw;
  return { codec, chunks: bounded(chunks, options), frames };
}
