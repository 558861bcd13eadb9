/** GET /api/health: liveness plus a configuration check; contacts no registry. See docs/api.md. */
import type { HealthResponse } from '@/lib/api/types';
import { handle } from '@/lib/server/respond';
import { getSources } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(request: Request): Promise<Response> {
  return handle(request, async (): Promise<HealthResponse> => {
    const sources = await getSources();
    return { status: 'ok', sources: sources.length };
  });
}
