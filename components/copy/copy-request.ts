/**
 * Sends `POST /api/copy` asking for NDJSON (docs/copy.md) and hands every line to `onEvent` as it arrives.
 * A refusal before the stream starts (400, 403 DENIED, 404) comes back as the API's error event.
 */
import { fromWireErrors } from '@/lib/oci/errors';
import { splitNdjson, type CopyStreamEvent } from './copy-progress';

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
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = '';
  for (;;) {
    const { done, value } = await reader.read();
    const split = splitNdjson(rest, done ? '\n' : value);
    rest = split.rest;
    for (const event of split.events) onEvent(event);
    if (done) return;
  }
}
