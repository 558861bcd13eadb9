/**
 * The browser's side of the streamed tags answer (`Accept: application/x-ndjson`, docs/api.md): the response
 * body read line by line into {@link TagStreamEvent}s, grouped into batches (so that 2,000 rows arriving one by
 * one cost a handful of renders, not 2,000, and leave the CPU to the server and the registry), and folded into
 * a {@link TagStreamState} per batch. Pure apart from `fetch` and timers.
 */
import { NDJSON, ndjsonEvents } from '@/lib/api/ndjson';
import type { TagRow, TagStreamEvent } from '@/lib/api/types';
import { fromWireErrors, HTTP_STATUS, isErrorCode, RegistryError, type WireError } from '@/lib/oci/errors';
import { apiUrls } from '@/lib/routes';

/**
 * At most one batch per this many milliseconds while rows stream in (the first line goes at once and the end
 * cuts the wait short): about ten renders for a cold 2,000-tag view. Every render takes CPU the server and the
 * registry need on the same machine; at 150 ms (about sixty renders) the page's last row came later
 * (docs/performance.md, "Earlier run: the final code of the previous stop").
 */
export const STREAM_BATCH_MS = 1000;

/** What the page knows of a streamed tag listing so far. */
export interface TagStreamState {
  /** Every row received, the latest per name. */
  rows: ReadonlyMap<string, TagRow>;
  /** Tags in the repository (from `start`), null before it. */
  tags: number | null;
  /** The summary line once the stream ended. */
  end: { total: number; errors: number } | null;
  /** The rows of the latest batch (new or replaced), for an incremental re-sort. */
  changed: readonly TagRow[];
  /** Batches folded in so far; `changed` is the difference from batch `batch - 1`. */
  batch: number;
}

export const EMPTY_TAG_STREAM: TagStreamState = { rows: new Map(), tags: null, end: null, changed: [], batch: 0 };

/**
 * Groups `items` into arrays: the first item alone at once, then whatever arrived, at most every `intervalMs`
 * (a batch waits for the interval only while more items may come); the rest when `items` ends. Rejects with the
 * source's error after yielding what arrived before it. A consumer that stops early stops the reading too (at the
 * next item: the source is closed, which cancels a response body it reads).
 */
export async function* inBatches<T>(items: AsyncIterable<T>, intervalMs: number): AsyncGenerator<T[]> {
  let buffer: T[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  let onItem: (() => void) | undefined;
  let onEnd: (() => void) | undefined;
  let stopped = false;
  const pump = (async () => {
    try {
      for await (const item of items) {
        if (stopped) break;
        buffer.push(item);
        onItem?.();
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      onItem?.();
      onEnd?.();
    }
  })();
  let lastFlush = -Infinity;
  try {
    while (!finished || buffer.length) {
      if (!buffer.length && !finished) await new Promise<void>((resolve) => (onItem = resolve));
      onItem = undefined;
      const wait = lastFlush + intervalMs - Date.now();
      if (!finished && wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          // The end cuts the wait short: the last rows show at once.
          onEnd = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        onEnd = undefined;
      }
      if (buffer.length) {
        const batch = buffer;
        buffer = [];
        lastFlush = Date.now();
        yield batch;
      }
    }
  } finally {
    stopped = true;
  }
  await pump;
  if (failure) throw failure.error;
}

/** The error an `error` line carries, as the same RegistryError a JSON answer would give. */
function streamError(error: WireError): RegistryError {
  return fromWireErrors(isErrorCode(error.code) ? HTTP_STATUS[error.code] : 500, { errors: [error] });
}

/** Folds one batch of events into the state (a new state object; the maps are copied, never changed). */
export function foldTagEvents(state: TagStreamState, events: readonly TagStreamEvent[]): TagStreamState {
  const rows = new Map(state.rows);
  const changed = new Map<string, TagRow>();
  let { tags, end } = state;
  for (const event of events) {
    if (event.type === 'start') tags = event.tags;
    else if (event.type === 'row') {
      rows.set(event.row.name, event.row);
      changed.set(event.row.name, event.row);
    } else if (event.type === 'end') end = { total: event.total, errors: event.errors };
  }
  return { rows, tags, end, changed: [...changed.values()], batch: state.batch + 1 };
}

/**
 * The streamed tags of a repository, in batches of events; throws the answer's error (a JSON error status, or an
 * `error` line) and UNAVAILABLE when the stream ends without its summary line.
 */
export async function* streamTags(source: string, repo: string, signal?: AbortSignal): AsyncGenerator<TagStreamEvent[]> {
  let response: Response;
  try {
    response = await fetch(apiUrls.tags(source, repo), { headers: { accept: NDJSON }, signal });
  } catch (cause) {
    if ((cause as Error).name === 'AbortError') throw cause;
    throw new RegistryError('UNAVAILABLE', 'Porthole server is not reachable', { cause });
  }
  if (!response.ok || !response.body) {
    const body: unknown = await response.json().catch(() => null);
    throw fromWireErrors(response.status, body);
  }
  let ended = false;
  for await (const batch of inBatches(ndjsonEvents<TagStreamEvent | { type: 'error'; error: WireError }>(response.body), STREAM_BATCH_MS)) {
    const failed = batch.find((event) => event.type === 'error');
    const events = batch.filter((event): event is TagStreamEvent => event.type !== 'error');
    if (events.some((event) => event.type === 'end')) ended = true;
    if (events.length) yield events;
    if (failed) throw streamError(failed.error);
  }
  if (!ended) throw new RegistryError('UNAVAILABLE', 'the tag stream ended before it was complete');
}
