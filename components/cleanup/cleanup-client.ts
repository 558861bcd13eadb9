/**
 * Browser calls of the cleanup API: the preview (a dry run, answered with the plan) and the execution,
 * read as an NDJSON stream of progress events so the page can show each deletion as it happens.
 */
import type { PlannedTagRef } from '@/lib/cleanup/request';
import { NDJSON, ndjsonEvents } from '@/lib/api/ndjson';
import type { CleanupEvent, CleanupPlan } from '@/lib/cleanup/types';
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
  for await (const event of ndjsonEvents<CleanupEvent>(response.body)) onEvent(event);
}
