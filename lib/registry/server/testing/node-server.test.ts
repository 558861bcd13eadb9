import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { serveHandler, type RunningHandler } from './node-server';

const CHUNK = 64 * 1024;
const CHUNKS = 256;

/** A 16 MiB body in 64 KiB chunks: every write is larger than the response's buffer, so each one waits for drain. */
function bigBody(): { body: ReadableStream<Uint8Array>; digest: string } {
  const hash = createHash('sha256');
  const chunks = Array.from({ length: CHUNKS }, (_, i) => new Uint8Array(CHUNK).fill(i % 251));
  for (const chunk of chunks) hash.update(chunk);
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next === chunks.length) controller.close();
      else controller.enqueue(chunks[next++]!);
    },
  });
  return { body, digest: hash.digest('hex') };
}

describe('serveHandler', () => {
  let running: RunningHandler | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('streams a large body under backpressure without piling up listeners on the response', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const { body, digest } = bigBody();
      running = await serveHandler(async () => new Response(body, { headers: { 'content-length': String(CHUNK * CHUNKS) } }));
      const response = await fetch(running.url);
      const received = createHash('sha256');
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received.update(value);
      }
      expect(received.digest('hex')).toBe(digest);
      // Warnings are emitted on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
