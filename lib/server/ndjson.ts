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
 * Shortest time between two writes of a stream while lines keep coming. The pages render streamed rows at most
 * once a second (lib/query/tag-stream.ts) and progress bars move no faster than the eye: a tenth of a second
 * costs no one anything.
 */
export const WRITE_INTERVAL_MS = 100;

/**
 * A 200 response streaming what `run` emits, one redacted JSON object per line. `run` starts at once; when it
 * throws, the stream ends with an {@link NdjsonError} line (unexpected errors are logged under `context`).
 * `emit` resolves once the stream has room again: work that awaits it goes at the client's pace, so a slow
 * reader never makes the server hold the whole answer in memory (work that does not await it is not held).
 * When the client leaves, further events are dropped and every wait ends: the work itself stops through the
 * request's abort signal, which the caller passes to it.
 *
 * Lines are written in chunks, at most one per {@link WRITE_INTERVAL_MS}: a line after a quiet interval goes
 * out at the end of its event-loop turn (with the lines of the same turn), later ones wait for the interval, and
 * the end of the work, or {@link BUFFERED_EVENTS} lines waiting, writes at once. Every chunk is a write to the
 * client's socket: a burst of 2,000 rows (a tag listing read before) cost about 0.15 ms a line written one by
 * one, and a cold tag view, whose rows come one registry answer at a time, spent 0.4 s of the server's CPU in
 * 2,000 socket writes, on the cores the registry reads need (docs/performance.md).
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
  /** Lines not written yet, and the events each written chunk holds (the queue counts events, not chunks). */
  let lines: string[] = [];
  /** Cancels the scheduled write, if any. */
  let scheduled: (() => void) | undefined;
  let lastWrite = Number.NEGATIVE_INFINITY;
  const eventsIn = new WeakMap<Uint8Array, number>();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const schedule = () => {
    if (scheduled) return;
    // Clamped: a clock that went back must not hold lines for longer than one interval.
    const wait = Math.min(WRITE_INTERVAL_MS, lastWrite + WRITE_INTERVAL_MS - performance.now());
    if (wait > 0) {
      const timer = setTimeout(flush, wait);
      scheduled = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(flush);
      scheduled = () => clearImmediate(immediate);
    }
  };
  const flush = () => {
    scheduled?.();
    scheduled = undefined;
    if (!open || lines.length === 0) return;
    lastWrite = performance.now();
    const chunk = encoder.encode(lines.join(''));
    eventsIn.set(chunk, lines.length);
    lines = [];
    try {
      controller.enqueue(chunk);
    } catch {
      open = false; // the client went away; the work stops through the request's abort signal
      wake();
    }
  };
  const emit = (event: E | NdjsonError): Promise<void> => {
    if (!open) return Promise.resolve();
    lines.push(redact(JSON.stringify(event)) + '\n');
    if (lines.length >= BUFFERED_EVENTS) flush();
    else schedule();
    if (!open) return Promise.resolve();
    return (controller.desiredSize ?? 1) - lines.length > 0 ? Promise.resolve() : new Promise<void>((resume) => waiting.push(resume));
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
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
          flush();
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
        lines = [];
        scheduled?.();
        scheduled = undefined;
        wake();
      },
    },
    { highWaterMark: BUFFERED_EVENTS, size: (chunk) => eventsIn.get(chunk) ?? 1 },
  );
  return new Response(body, {
    status: 200,
    headers: { 'content-type': `${NDJSON}; charset=utf-8`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
}
