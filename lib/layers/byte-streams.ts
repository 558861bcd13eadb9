/**
 * Small async-iterable helpers for file reads: cut a window out of a byte stream, expand a sparse file's
 * stored segments with zeros, gather small chunks into larger ones, and expose an async generator as a web
 * stream (cancelling it closes the source).
 */
import { joinBytes } from '@/lib/registry/read-all';

/** The bytes `[skip, skip + take)` of `input`; stops reading as soon as they are out. Throws when input ends early. */
export async function* sliceBytes(input: AsyncIterable<Uint8Array>, skip: number, take: number, onShort: () => Error): AsyncGenerator<Uint8Array> {
  let toSkip = skip;
  let toTake = take;
  if (toTake === 0) return;
  for await (const chunk of input) {
    let part = chunk;
    if (toSkip > 0) {
      if (part.length <= toSkip) {
        toSkip -= part.length;
        continue;
      }
      part = part.subarray(toSkip);
      toSkip = 0;
    }
    if (part.length >= toTake) {
      yield part.subarray(0, toTake);
      return;
    }
    toTake -= part.length;
    yield part;
  }
  throw onShort();
}

/**
 * The bytes of `input` in chunks of at least `min` bytes (the last one may be shorter). Chunks that are large
 * enough pass through as they are; smaller ones are copied together. Stopping early closes `input`.
 */
export async function* batchBytes(input: AsyncIterable<Uint8Array>, min: number): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = [];
  let size = 0;
  const joined = () => {
    if (parts.length === 1) return parts[0]!;
    return joinBytes(parts, size);
  };
  for await (const chunk of input) {
    if (chunk.length === 0) continue;
    parts.push(chunk);
    size += chunk.length;
    if (size >= min) {
      const out = joined();
      parts = [];
      size = 0;
      yield out;
    }
  }
  if (size > 0) yield joined();
}

const ZEROS = new Uint8Array(64 * 1024);

function* zeros(count: number): Generator<Uint8Array> {
  for (let left = count; left > 0; left -= ZEROS.length) yield ZEROS.subarray(0, Math.min(left, ZEROS.length));
}

/**
 * A sparse file's content: `stored` holds its data segments back to back; `map` says where each goes
 * (`[offset, length]`, in order); holes and the tail up to `size` read as zeros.
 */
export async function* expandSparse(stored: AsyncIterable<Uint8Array>, map: readonly [number, number][], size: number): AsyncGenerator<Uint8Array> {
  const iterator = stored[Symbol.asyncIterator]();
  let pending: Uint8Array = new Uint8Array(0);
  let position = 0;
  try {
    for (const [offset, length] of map) {
      if (offset > position) yield* zeros(offset - position);
      position = Math.max(position, offset);
      let left = length;
      while (left > 0) {
        if (pending.length === 0) {
          const next = await iterator.next();
          if (next.done) throw new Error('sparse data ends early');
          pending = next.value;
        }
        const part = pending.subarray(0, Math.min(left, pending.length));
        pending = pending.subarray(part.length);
        left -= part.length;
        position += part.length;
        yield part;
      }
    }
    if (size > position) yield* zeros(size - position);
  } finally {
    await iterator.return?.();
  }
}

/** A web stream over an async generator; cancelling the stream ends the generator (running its cleanup). */
export function toWebStream(source: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await source.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await source.return(undefined);
    },
  });
}

/** Async iteration over a web stream that releases it when the consumer stops early. */
export async function* streamChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
