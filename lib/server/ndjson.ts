/**
 * Progress streams as newline-delimited JSON (`Accept: application/x-ndjson`): the delete plan, cleanup
 * execution, and any later long-running API call (e.g. copying). One helper so that every stream redacts
 * secrets the same way, ends with an `error` line instead of a broken body when the work fails, and stops
 * writing (without failing the work) when the client goes away.
 */
import 'server-only';
import { RegistryError, type WireError } from '@/lib/oci/errors';
import { errorBody, logError, redact, toRegistryError } from './respond';

import { NDJSON } from '@/lib/api/ndjson';

export { NDJSON };

/** The last line of a stream whose work failed: the error in the wire format of JSON answers. */
export interface NdjsonError {
  type: 'error';
  error: WireError;
}

/** Whether the request asked for a progress stream (`Accept` names `application/x-ndjson`). */
export function wantsNdjson(request: Request): boolean {
  return (request.headers.get('accept') ?? '').includes(NDJSON);
}

/** Events a stream holds for a client reading slower than the work produces them, before the work waits. */
const BUFFERED_EVENTS = 256;

/**
 * A 200 response streaming what `run` emits, one redacted JSON object per line. `run` starts at once; when it
 * throws, the stream ends with an {@link NdjsonError} line (unexpected errors are logged under `context`).
 * `emit` resolves once the stream has room again: work that awaits it goes at the client's pace, so a slow
 * reader never makes the server hold the whole answer in memory (work that does not await it is not held).
 * When the client leaves, further events are dropped and every wait ends: the work itself stops through the
 * request's abort signal, which the caller passes to it.
 */
export function ndjsonResponse<E>(context: string, run: (emit: (event: E | NdjsonError) => Promise<void>) => Promise<unknown>): Response {
  const encoder = new TextEncoder();
  let open = true;
  let waiting: (() => void)[] = [];
  const wake = () => {
    const woken = waiting;
    waiting = [];
    for (const resume of woken) resume();
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const emit = (event: E | NdjsonError): Promise<void> => {
          if (!open) return Promise.resolve();
          try {
            controller.enqueue(encoder.encode(redact(JSON.stringify(event)) + '\n'));
          } catch {
            open = false; // the client went away; the work stops through the request's abort signal
            return Promise.resolve();
          }
          return (controller.desiredSize ?? 1) > 0 ? Promise.resolve() : new Promise<void>((resume) => waiting.push(resume));
        };
        // Not awaited here: the stream's pulls (which resume the waits) only start once `start` has returned.
        void (async () => {
          try {
            await run(emit);
          } catch (error) {
            const mapped = toRegistryError(error);
            // A client that left (499, its abort stopped the work) is not a server problem: nothing to log.
            if (!(error instanceof RegistryError) && mapped.status !== 499) logError(context, error);
            void emit({ type: 'error', error: errorBody(mapped).body.errors[0]! });
          }
          if (open) {
            open = false;
            controller.close();
          }
          wake();
        })();
      },
      pull: wake,
      cancel() {
        open = false;
        wake();
      },
    },
    new CountQueuingStrategy({ highWaterMark: BUFFERED_EVENTS }),
  );
  return new Response(body, {
    status: 200,
    headers: { 'content-type': `${NDJSON}; charset=utf-8`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
}
