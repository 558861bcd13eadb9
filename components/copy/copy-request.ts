/**
 * Sends `POST /api/copy` asking for NDJSON (docs/copy.md) and hands every line to `onEvent` as it arrives.
 * A refusal before the stream starts (400, 403 DENIED, 404) comes back as the API's error event.
 */
import { fromWireErrors } from '@/lib/oci/errors';
import type { CopyBatchEvent, CopyJob } from './copy-batch';
import { ndjsonEvents } from '@/lib/api/ndjson';
import { notJson, type CopyStreamEvent } from './copy-progress';

export interface CopyRequest {
  /** `SOURCE/REPO:TAG` or `SOURCE/REPO@DIGEST`. */
  from: string;
  /** `SOURCE/REPO[:TAG]`. */
  to: string;
  referrers: boolean;
}

export async function runCopy(request: CopyRequest, onEvent: (event: CopyStreamEvent) => void, signal?: AbortSignal): Promise<void> {
  let response: Response;
  try {
    response = await fetch('/api/copy', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
      body: JSON.stringify(request),
      signal,
    });
  } catch (cause) {
    if ((cause as Error).name === 'AbortError') throw cause;
    onEvent({ type: 'error', error: { code: 'UNAVAILABLE', message: 'Porthole server is not reachable' } });
    return;
  }
  if (!response.ok || !response.body) {
    const text = await response.text().catch(() => '');
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    const error = fromWireErrors(response.status, body);
    onEvent({ type: 'error', error: { code: error.code, message: error.message } });
    return;
  }
  for await (const event of ndjsonEvents<CopyStreamEvent>(response.body, notJson)) onEvent(event);
}

/**
 * Runs the batch's copies one after the other, feeding `dispatch` (copy-batch.ts); stops at the first copy
 * that ends in an error, so nothing after a refusal is attempted. When `signal` aborts (the dialog's Cancel,
 * or the dialog going away) the request in flight is cut off, no further copy starts and a `cancelled` event
 * names the copy that was interrupted; the server then stops that copy at its next registry request
 * (docs/copy.md). Never rejects.
 */
export async function runCopies(
  jobs: readonly CopyJob[],
  referrers: boolean,
  dispatch: (event: CopyBatchEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  dispatch({ type: 'start', jobs: jobs.length });
  for (const [index, job] of jobs.entries()) {
    if (signal?.aborted) {
      dispatch({ type: 'cancelled' });
      return;
    }
    dispatch({ type: 'job', index });
    let failed = false;
    let finished = false;
    let problem: string | undefined;
    try {
      await runCopy({ from: job.from, to: job.to, referrers }, (event) => {
        if (event.type === 'error') failed = true;
        if (event.type === 'result') finished = true;
        dispatch({ type: 'stream', job, event });
      }, signal);
    } catch (error) {
      problem = (error as Error).message;
    }
    if (failed) return;
    if (signal?.aborted && !finished) {
      dispatch({ type: 'cancelled', interrupted: job.label });
      return;
    }
    if (problem !== undefined || !finished) {
      // A stream that breaks, or ends without a result or an error line, was cut off.
      dispatch({ type: 'stream', job, event: { type: 'error', error: { code: 'UNKNOWN', message: problem ?? 'the copy ended without a result' } } });
      return;
    }
  }
}
