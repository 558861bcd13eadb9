import { describe, expect, it } from 'vitest';
import { ndjsonEvents } from './ndjson';

/** A body that delivers `chunks` one by one, each when the reader asks. */
function bodyOf(chunks: string[]): ReadableStream<Uint8Array<ArrayBuffer>> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++]!));
      else controller.close();
    },
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('ndjsonEvents', () => {
  it('parses lines split anywhere across chunks, skips blank lines, and takes a last line without a newline', async () => {
    const text = '{"type":"start","tags":2}\n\n{"type":"row","row":{"name":"a"}}\n{"type":"end","total":1,"errors":0}';
    const chunks = [text.slice(0, 7), text.slice(7, 30), text.slice(30, 31), text.slice(31)];
    expect(await collect(ndjsonEvents(bodyOf(chunks)))).toEqual([
      { type: 'start', tags: 2 },
      { type: 'row', row: { name: 'a' } },
      { type: 'end', total: 1, errors: 0 },
    ]);
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array<ArrayBuffer>>({
      pull: (controller) => controller.enqueue(new TextEncoder().encode('{"n":1}\n')),
      cancel: () => {
        cancelled = true;
      },
    });
    for await (const event of ndjsonEvents(body)) {
      expect(event).toEqual({ n: 1 });
      break;
    }
    expect(cancelled).toBe(true);
  });

  it('throws on a line that is not JSON, or makes an event of it', async () => {
    await expect(collect(ndjsonEvents(bodyOf(['{"n":1}\nnot json\n'])))).rejects.toThrow(SyntaxError);
    expect(await collect(ndjsonEvents(bodyOf(['{"n":1}\nnot json\n']), (line) => ({ bad: line })))).toEqual([{ n: 1 }, { bad: 'not json' }]);
  });
});
