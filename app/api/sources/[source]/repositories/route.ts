/** GET /api/sources/{source}/repositories?n&last&q: one page of the catalog. See docs/api.md. */
import type { RepositoriesResponse } from '@/lib/api/types';
import { getRepositoriesPage } from '@/lib/server/repositories-service';
import { handle } from '@/lib/server/respond';
import { getSource } from '@/lib/server/sources';
import { checkRawPath, checkSegments, lastRepository, pageSize, queryText } from '@/lib/server/validate';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

interface Context {
  params: Promise<{ source: string }>;
}

export function GET(request: Request, context: Context): Promise<Response> {
  return handle(request, async (): Promise<RepositoriesResponse> => {
    checkRawPath(request.url);
    const { source: name } = await context.params;
    checkSegments([name]);
    const params = new URL(request.url).searchParams;
    const query = { n: pageSize(params), last: lastRepository(params), q: queryText(params) };
    return getRepositoriesPage(await getSource(name), query, request.signal);
  });
}
