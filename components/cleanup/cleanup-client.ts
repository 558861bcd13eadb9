/**
 * Browser calls of the cleanup API: the preview (a dry run, answered with the plan) and the execution,
 * read as an NDJSON stream of progress events so the page can show each deletion as it happens.
 */
import type { PlannedTagRef } from '@/lib/cleanup/request';
import { NDJSON, type CleanupEvent, type CleanupPlan } from '@/lib/cleanup/types';
import { fromWireErrors, RegistryError } from '@/lib/oci/errors';
import { apiFetch } from '@/lib/query/client-fetchers';
import { apiUrls } from '@/lib/routes';

/** Plans `policy` (forced to a dry run). Rejects with the API's RegistryError (400 names the bad fields). */
export function previewCleanup(source: string, policy: Record<string, unknown>, signal?: AbortSignal): Promise<CleanupPlan> {
  return apiFetch<CleanupPlan>(apiUrls.cleanup(source), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...policy, dryRun: true }),
    signal,
  });
}

/** Splits NDJSON text into complete lines; returns them and the unfinished rest. */
export function splitLines(buffer: string): { lines: string[]; rest: string } {
  const parts = buffer.split('\n');
  const rest = parts.pop() ?? '';
  return { lines: parts.map((l) => l.trim()).filter((l) => l !== ''), rest };
}

/**
 * Executes `policy`, deleting only the confirmed `expect` entries, and calls `onEvent` for every progress
 * event. Resolves when the stream ends; rejects when the request is refused (403, 400…) or the connection drops.
 */
export async function runCleanup(
  source: string,
  policy: Record<string, unknown>,
  expect: PlannedTagRef[],
  onEvent: (event: CleanupEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(apiUrls.cleanup(source), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: NDJSON },
      body: JSON.stringify({ ...policy, dryRun: false, expect }),
      signal,
    });
  } catch (cause) {
    if ((cause as Error).name === 'AbortError') throw cause;
    throw new RegistryError('UNAVAILABLE', 'Porthole server is not reachable', { cause });
  }
  if (!response.ok || !response.body) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    throw fromWireErrors(response.status, body);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const { lines, rest } = splitLines(buffer + value);
    buffer = rest;
    for (const line of lines) onEvent(JSON.parse(line) as CleanupEvent);
  }
  if (buffer.trim()) onEvent(JSON.parse(buffer) as CleanupEvent);
}
