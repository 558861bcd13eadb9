/** GET /api/sources: the configured sources (names, kinds, URLs, whether deleting is allowed). See docs/api.md. */
import type { SourcesResponse } from '@/lib/api/types';
import { handle } from '@/lib/server/respond';
import { getSources } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(request: Request): Promise<Response> {
  return handle(request, async (): Promise<SourcesResponse> => ({ sources: (await getSources()).map((s) => s.summary) }));
}
