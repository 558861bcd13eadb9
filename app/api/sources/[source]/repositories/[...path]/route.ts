/**
 * Everything under `/api/sources/{source}/repositories/{repo}/-/…` (a repository name may contain slashes;
 * the `-` segment ends it). Parsing, validation and the dispatch to one service live in
 * `lib/server/repo-request.ts` and `lib/server/repo-actions.ts`. See docs/api.md.
 */
import { answerRepoRequest } from '@/lib/server/repo-actions';
import { handle } from '@/lib/server/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

interface Context {
  params: Promise<{ source: string; path: string[] }>;
}

export function GET(request: Request, context: Context): Promise<Response> {
  return handle(request, async () => {
    const { source, path } = await context.params;
    return answerRepoRequest('GET', request, source, path);
  });
}

export function DELETE(request: Request, context: Context): Promise<Response> {
  return handle(request, async () => {
    const { source, path } = await context.params;
    return answerRepoRequest('DELETE', request, source, path);
  });
}
