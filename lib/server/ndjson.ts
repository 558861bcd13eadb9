/**
 * Streaming a long-running request's progress as NDJSON (`Accept: application/x-ndjson`): one JSON object per
 * line, secrets redacted like every answer, and a failure as a final `{"type":"error","error":{code,message,detail}}`
 * line (the status is already 200 when it happens). When the client goes away, lines are dropped; the work
 * itself stops through the request's abort signal.
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { errorBody, logError, redact, toRegistryError } from './respond';

export const NDJSON = 'application/x-ndjson';

/** Did the client ask for an NDJSON stream? */
export function wantsNdjson(request: Request): boolean {
  return (request.headers.get('accept') ?? '').includes(NDJSON);
}

/**
 * A 200 response streaming what `run` emits, then an `error` line if it throws. `context` names the work in the
 * server log for unexpected (non-RegistryError) failures.
 */
export function ndjsonResponse<Line>(context: string, run: (emit: (line: Line) => void) => Promise<void>): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const emit = (line: Line | { type: 'error'; error: unknown }) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(redact(JSON.stringify(line)) + '\n'));
        } catch {
          open = false; // the client went away
        }
      };
      try {
        await run(emit);
      } catch (error) {
        if (!(error instanceof RegistryError)) logError(context, error);
        emit({ type: 'error', error: errorBody(toRegistryError(error)).body.errors[0]! });
      }
      if (open) controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { 'content-type': `${NDJSON}; charset=utf-8`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
}
