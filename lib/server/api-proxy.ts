/**
 * The body of `proxy.ts` (Next.js proxy, formerly middleware): the pre-routing checks of request-guard.ts for
 * `/api` and `/v2` under servers that do not run scripts/serve.ts (`next dev`, a bare `next start`). It sees
 * malformed percent-encoding and wrong methods, but not encoded dot segments (the framework has resolved
 * `%2e%2e` by then) nor `TRACE` (the framework fails before this runs): production runs the same guard on the
 * raw request line in scripts/serve.ts. See docs/security.md.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { guardRequest, refusalAnswer } from './request-guard';

/** Passes the request on, or answers the guard's refusal in the JSON error format. */
export function apiProxy(request: NextRequest): NextResponse {
  const refusal = guardRequest(request.method, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  if (!refusal) return NextResponse.next();
  const answer = refusalAnswer(refusal);
  return new NextResponse(answer.body, { status: answer.status, headers: answer.headers });
}
