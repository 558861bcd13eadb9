/**
 * Browser calls of the delete plan: the plan read as an NDJSON stream (progress while every tag of the repository
 * is resolved, then the plan), and the manifest delete that sends the confirmed plan back as `expect`.
 */
import { NDJSON, ndjsonEvents } from '@/lib/api/ndjson';
import type { DeleteManifestResponse, DeletePlan, DeletePlanEvent } from '@/lib/api/types';
import { fromWireErrors, HTTP_STATUS, isErrorCode, RegistryError } from '@/lib/oci/errors';
import { apiFetch } from '@/lib/query/client-fetchers';
import { apiUrls } from '@/lib/routes';

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (cause) {
    if ((cause as Error).name === 'AbortError') throw cause;
    throw new RegistryError('UNAVAILABLE', 'Porthole server is not reachable', { cause });
  }
}

/** What deleting `digest` (optionally with its referrers) removes; `onProgress` gets tags resolved so far. */
export async function fetchDeletePlan(
  source: string,
  repo: string,
  digest: string,
  cascade: boolean,
  onProgress: (resolved: number, total: number) => void,
  signal?: AbortSignal,
): Promise<DeletePlan> {
  const response = await send(apiUrls.deletePlan(source, repo, digest, cascade ? { cascade: 'referrers' } : {}), { headers: { accept: NDJSON }, signal });
  if (!response.ok || !response.body) {
    const body: unknown = await response.json().catch(() => null);
    throw fromWireErrors(response.status, body);
  }
  let plan: DeletePlan | undefined;
  for await (const event of ndjsonEvents<DeletePlanEvent>(response.body)) {
    if (event.type === 'progress') onProgress(event.resolved, event.total);
    else if (event.type === 'plan') plan = event.plan;
    else throw fromWireErrors(isErrorCode(event.error.code) ? HTTP_STATUS[event.error.code] : 500, { errors: [event.error] });
  }
  if (!plan) throw new RegistryError('UNAVAILABLE', 'the delete plan ended before it was complete');
  return plan;
}

/** Deletes exactly what `plan` says (the server refuses with 409 DENIED when the registry changed since). */
export function deletePlanned(source: string, repo: string, plan: DeletePlan): Promise<DeleteManifestResponse> {
  return apiFetch<DeleteManifestResponse>(apiUrls.deleteManifest(source, repo, plan.digest, plan.cascade ? { cascade: 'referrers' } : {}), {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ expect: plan.expect }),
  });
}
