/**
 * Newline-delimited JSON, the format of every progress stream of the API (docs/api.md): its media type, and the
 * one reader of such a body, for the browser and for scripts alike. The server's writer is lib/server/ndjson.ts.
 */

/** Media type of every progress stream. */
export const NDJSON = 'application/x-ndjson';

/**
 * The events of an NDJSON body, parsed line by line as bytes arrive (a line split across chunks included, blank
 * lines skipped, a last line without a newline taken). A line that is not JSON throws, or becomes what
 * `badLine` makes of it. A consumer that stops early cancels the body, and so the request.
 */
export async function* ndjsonEvents<E>(body: ReadableStream<Uint8Array<ArrayBuffer>>, badLine?: (line: string) => E): AsyncGenerator<E> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const parse = (line: string): E => {
    if (!badLine) return JSON.parse(line) as E;
    try {
      return JSON.parse(line) as E;
    } catch {
      return badLine(line);
    }
  };
  let rest = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const text = rest + (done ? '\n' : value);
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) yield parse(line);
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
