/**
 * GET /open?ref=HOST/REPO[:TAG][@DIGEST]: redirects (302) to the page of that reference in the first source
 * serving HOST; unknown hosts answer 404 with a JSON error. Matching rules: lib/server/open-service.ts and
 * docs/api.md.
 */
import { openTarget } from '@/lib/server/open-service';
import { handle } from '@/lib/server/respond';
import { openRef } from '@/lib/server/validate';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(request: Request): Promise<Response> {
  return handle(request, async () => {
    const target = await openTarget(openRef(new URL(request.url).searchParams));
    // A relative Location keeps the redirect on whatever origin the user (or a proxy in front) used.
    return new Response(null, { status: 302, headers: { location: target, 'cache-control': 'no-store' } });
  });
}
