/** GET /api/sources/{source}/catalog?fresh: every repository, from the kept catalog. See docs/api.md. */
import type { CatalogResponse } from '@/lib/api/types';
import { getKeptCatalog } from '@/lib/server/catalog-service';
import { handle } from '@/lib/server/respond';
import { getSource } from '@/lib/server/sources';
import { checkRawPath, checkSegments, flag } from '@/lib/server/validate';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

interface Context {
  params: Promise<{ source: string }>;
}

export function GET(request: Request, context: Context): Promise<Response> {
  return handle(request, async (): Promise<CatalogResponse> => {
    checkRawPath(request.url);
    const { source: name } = await context.params;
    checkSegments([name]);
    const fresh = flag(new URL(request.url).searchParams, 'fresh', false);
    return getKeptCatalog(await getSource(name), { fresh });
  });
}
