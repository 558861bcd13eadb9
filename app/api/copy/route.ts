/**
 * `POST /api/copy` — copies a manifest with its blobs, child manifests and referrers from one source to another
 * (docs/copy.md, docs/api.md). Body: `{"from", "to", "referrers"?, "platforms"?}` (lib/api/types.ts
 * `CopyRequest`). The destination needs `write: true`; the cross-site refusal, app auth and audit of deletes
 * apply. Answers the result as JSON, or with `Accept: application/x-ndjson` the progress events then a
 * `result` (or `error`) line.
 */
import type { CopyStreamLine } from '@/lib/api/types';
import { prepareCopyRequest, runCopy } from '@/lib/server/copy-service';
import { ndjsonResponse, wantsNdjson } from '@/lib/server/ndjson';
import { handle } from '@/lib/server/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request): Promise<Response> {
  return handle(request, async () => {
    const prepared = await prepareCopyRequest(request);
    const signal = request.signal;
    if (!wantsNdjson(request)) return runCopy(prepared, { signal });
    return ndjsonResponse<CopyStreamLine>('copy', async (emit) => {
      emit({ type: 'result', ...(await runCopy(prepared, { signal, onEvent: emit })) });
    });
  });
}
