/**
 * The HTTP side of `GET /api/metrics`: the Prometheus text exposition of lib/server/metrics. With app auth
 * configured (`auth`), only an authenticated user may read it (a configured bearer token, which Prometheus sends
 * with `authorization: {credentials: …}`, or the trusted proxy's user header): 401 UNAUTHORIZED otherwise.
 */
import 'server-only';
import { redact } from '@/lib/redaction/secrets';
import { metricsText } from './metrics';
import { requireDeleteUser } from './safety';
import { getConfig } from './sources';

/** Answers a metrics scrape. Throws UNAUTHORIZED (401) when app auth is configured and no user is authenticated. */
export async function answerMetrics(request: Request): Promise<Response> {
  requireDeleteUser(request, await getConfig(), 'reading metrics');
  const { text, contentType } = await metricsText();
  return new Response(redact(text), { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } });
}
