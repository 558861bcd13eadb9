/**
 * Every `/api` path without a route of its own: a JSON 404 in the distribution-spec error format for any method,
 * instead of the HTML not-found page. (Wrong methods on existing routes are refused before routing, see
 * lib/server/request-guard.ts.)
 */
import { RegistryError } from '@/lib/oci/errors';
import { errorResponse } from '@/lib/server/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

function notFound(): Response {
  return errorResponse(new RegistryError('UNSUPPORTED', 'there is no API endpoint at this path (see docs/api.md)', { status: 404 }));
}

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
