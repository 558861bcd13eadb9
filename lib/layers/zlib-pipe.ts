/** Feeding an async byte stream through a node:zlib transform, for the layer readers (whole layers and resumes). */
import 'server-only';
import { Readable, type Transform } from 'node:stream';
import { batchBytes } from './byte-streams';

/**
 * Bytes handed to zlib per write. Each write is a round trip to libuv's thread pool and back to the main thread;
 * network chunks are 64 KiB, so a 200 MiB layer made 3,500 of them. Batches of 1 MiB cut a listing's context
 * switches by a third and its CPU time by about a sixth (bench/layers.ts, docs/files.md).
 */
export const ZLIB_WRITE_BYTES = 1024 * 1024;

/**
 * The output of `inflater` fed with `input` (in writes of {@link ZLIB_WRITE_BYTES}). An error of `input` itself
 * (a registry failure) surfaces as itself; an error of the inflater is passed to `inflateError` to say what it
 * means. Both streams are destroyed when the consumer stops.
 */
export async function* throughZlib(input: AsyncIterable<Uint8Array>, inflater: Transform, inflateError: (error: unknown) => unknown): AsyncGenerator<Uint8Array> {
  const source = Readable.from(batchBytes(input, ZLIB_WRITE_BYTES), { objectMode: false, highWaterMark: 1 });
  let sourceError: unknown;
  source.on('error', (error) => {
    sourceError = error;
    inflater.destroy(error);
  });
  source.pipe(inflater);
  try {
    for await (const chunk of inflater) yield chunk as Uint8Array;
  } catch (error) {
    throw sourceError ?? inflateError(error);
  } finally {
    source.destroy();
    inflater.destroy();
  }
}
