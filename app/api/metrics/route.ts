/**
 * GET /api/metrics: Prometheus metrics in the text exposition format (lib/server/metrics-api.ts); behind app auth
 * when it is configured. Every series is listed in docs/operations.md; the endpoint in docs/api.md.
 */
import { answerMetrics } from '@/lib/server/metrics-api';
import { handle } from '@/lib/server/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(request: Request): Promise<Response> {
  return handle(request, () => answerMetrics(request));
}
