/** GET /api/sources/{source}/deletion?repo=: whether deleting really works there, as the registry answers. See docs/api.md. */
import type { DeletionResponse } from '@/lib/api/types';
import { validateRepository } from '@/lib/oci/reference';
import { sourceDeletion } from '@/lib/server/deletion-service';
import { handle } from '@/lib/server/respond';
import { getSource } from '@/lib/server/sources';
import { checkRawPath, checkSegments } from '@/lib/server/validate';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

interface Context {
  params: Promise<{ source: string }>;
}

export function GET(request: Request, context: Context): Promise<Response> {
  return handle(request, async (): Promise<DeletionResponse> => {
    checkRawPath(request.url);
    const { source: name } = await context.params;
    checkSegments([name]);
    const repo = new URL(request.url).searchParams.get('repo') || undefined;
    if (repo !== undefined) validateRepository(repo);
    return sourceDeletion(await getSource(name), repo, request.signal);
  });
}
