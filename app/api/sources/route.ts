/** GET /api/sources: the configured sources (names, kinds, URLs, whether deleting is allowed); `?status=1` adds each one's live status. See docs/api.md. */
import type { SourcesResponse } from '@/lib/api/types';
import { handle } from '@/lib/server/respond';
import { sourceStatuses } from '@/lib/server/source-status';
import { getSources } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(request: Request): Promise<Response> {
  return handle(request, async (): Promise<SourcesResponse> => {
    const sources = await getSources();
    if (new URL(request.url).searchParams.get('status') !== '1') return { sources: sources.map((s) => s.summary) };
    const statuses = await sourceStatuses(sources);
    return { sources: sources.map((s, i) => ({ ...s.summary, status: statuses[i]! })) };
  });
}
