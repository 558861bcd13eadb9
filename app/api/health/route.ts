/** GET /api/health: liveness plus a configuration check; `?deep=1` also probes every source (503 when one fails). See docs/api.md. */
import type { HealthResponse } from '@/lib/api/types';
import { handle, json } from '@/lib/server/respond';
import { isFailing, sourceStatuses } from '@/lib/server/source-status';
import { getSources } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(request: Request): Promise<Response> {
  return handle(request, async () => {
    const sources = await getSources();
    if (new URL(request.url).searchParams.get('deep') !== '1') return { status: 'ok', sources: sources.length } satisfies HealthResponse;
    const statuses = await sourceStatuses(sources);
    const failing = sources.flatMap((s, i) => (isFailing(statuses[i]!) ? [{ name: s.name, ...(statuses[i]!.error ? { error: statuses[i]!.error } : {}) }] : []));
    const body: HealthResponse = { status: failing.length ? 'failing' : 'ok', sources: sources.length, failing };
    return json(body, failing.length ? 503 : 200);
  });
}
