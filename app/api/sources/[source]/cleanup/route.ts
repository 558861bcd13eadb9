/**
 * `POST /api/sources/{source}/cleanup` — plan (the default, `dryRun: true`) or execute a cleanup policy.
 * Body: the policy (see docs/cleanup.md), optionally with `expect` (the deletions confirmed from a preview).
 * - dry run: 200 with the plan; changes nothing.
 * - execution: the cross-site refusal and app auth of every delete; 200 with the result, or with
 *   `Accept: application/x-ndjson` a stream of progress events (`plan`, one `item` per deletion, `result`).
 * Read-only sources refuse both (403 DENIED); an invalid policy is a 400 naming every bad field.
 * The work is `lib/server/cleanup-api.ts`.
 */
import { answerCleanup } from '@/lib/server/cleanup-api';
import { handle } from '@/lib/server/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function POST(request: Request, context: { params: Promise<{ source: string }> }): Promise<Response> {
  return handle(request, async () => answerCleanup(request, (await context.params).source));
}
