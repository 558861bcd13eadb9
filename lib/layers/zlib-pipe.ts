/** Feeding an async byte stream through a node:zlib transform, for the layer readers (whole layers and resumes). */
import 'server-only';
import { Readable, type Transform } from 'node:stream';

/**
 * The output of `inflater` fed with `input`. An error of `input` itself (a registry failure) surfaces as itself;
 * an error of the inflater is passed to `inflateError` to say what it means. Both streams are destroyed when the
 * consumer stops.
 */
export async function* throughZlib(input: AsyncIterable<Uint8Array>, inflater: Transform, inflateError: (error: unknown) => unknown): AsyncGenerator<Uint8Array> {
  const source = Readable.from(input, { objectMode: false, highWaterMark: 1 });
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
