/**
 * Next.js proxy (formerly middleware): the pre-routing checks of lib/server/request-guard.ts for `/api` and `/v2`
 * under servers that do not run scripts/serve.ts (`next dev`, a bare `next start`). It sees malformed
 * percent-encoding and wrong methods, but not encoded dot segments (the framework has resolved `%2e%2e` by now)
 * nor `TRACE` (the framework fails before this runs): production runs the guard on the raw request line in
 * scripts/serve.ts as well. See docs/security.md.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { guardRequest, refusalAnswer } from '@/lib/server/request-guard';

export default function proxy(request: NextRequest): NextResponse {
  const refusal = guardRequest(request.method, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  if (!refusal) return NextResponse.next();
  const answer = refusalAnswer(refusal);
  return new NextResponse(answer.body, { status: answer.status, headers: answer.headers });
}

export const config = { matcher: ['/api/:path*', '/v2/:path*'] };
