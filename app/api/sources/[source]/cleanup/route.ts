/**
 * `POST /api/sources/{source}/cleanup` — plan (the default, `dryRun: true`) or execute a cleanup policy.
 * Body: the policy (see docs/cleanup.md), optionally with `expect` (the deletions confirmed from a preview).
 * - dry run: 200 with the plan; changes nothing.
 * - execution: the cross-site refusal and app auth of every delete; 200 with the result, or with
 *   `Accept: application/x-ndjson` a stream of progress events (`plan`, one `item` per deletion, `result`).
 * Read-only sources refuse both (403 DENIED); an invalid policy is a 400 naming every bad field.
 */
import { parseCleanupRequest } from '@/lib/cleanup/request';
import { policyError } from '@/lib/cleanup/policy';
import { cleanupSource, executeSourceCleanup, planSourceCleanup } from '@/lib/cleanup/service';
import { NDJSON, type CleanupEvent } from '@/lib/cleanup/types';
import { RegistryError } from '@/lib/oci/errors';
import { auditCleanupRefusal } from '@/lib/server/audit-refusal';
import { readAll } from '@/lib/registry/read-all';
import { errorBody, handle, JSON_HEADERS, logError, redact, toRegistryError } from '@/lib/server/respond';
import { checkSameOrigin, requireDeleteUser } from '@/lib/server/safety';
import { getConfig } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';

/** Largest body accepted: a policy is small, a confirmed preview (`expect`) of 100 000 tags is ~15 MB. */
const MAX_BODY = 16 * 1024 * 1024;

async function readBody(request: Request): Promise<unknown> {
  if (!request.body) throw new RegistryError('UNSUPPORTED', 'the body must be a JSON cleanup policy', { status: 400 });
  const bytes = await readAll(request.body, MAX_BODY);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    throw new RegistryError('UNSUPPORTED', 'the body is not valid JSON', { status: 400, detail: { errors: [{ field: '', message: 'not valid JSON' }] } });
  }
}

/** JSON like every API answer, with configured secrets and local paths scrubbed from registry messages. */
function redactedJson(body: unknown): Response {
  return new Response(redact(JSON.stringify(body)), { status: 200, headers: JSON_HEADERS });
}

function stream(run: (emit: (event: CleanupEvent) => void) => Promise<unknown>): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const emit = (event: CleanupEvent) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(redact(JSON.stringify(event)) + '\n'));
        } catch {
          open = false; // the client went away; the run stops through the request's abort signal
        }
      };
      try {
        await run(emit);
      } catch (error) {
        const mapped = toRegistryError(error);
        if (!(error instanceof RegistryError)) logError('cleanup', error);
        emit({ type: 'error', error: errorBody(mapped).body.errors[0]! });
      }
      if (open) controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { 'content-type': `${NDJSON}; charset=utf-8`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
}

export async function POST(request: Request, context: { params: Promise<{ source: string }> }): Promise<Response> {
  return handle(request, async () => {
    const { source } = await context.params;
    const config = await getConfig();
    let dryRun: boolean | undefined;
    let user: string;
    let parsed;
    try {
      checkSameOrigin(request, config);
      await cleanupSource(source);
      parsed = parseCleanupRequest(await readBody(request));
      if (!parsed.ok) throw policyError(parsed.errors);
      dryRun = parsed.request.policy.dryRun;
      if (dryRun) return redactedJson(await planSourceCleanup(source, parsed.request.policy, { signal: request.signal }));
      user = requireDeleteUser(request, config);
    } catch (error) {
      // A refusal of anything but a dry run is audited (the executions themselves are audited by the service).
      await auditCleanupRefusal(request, source, dryRun, error);
      throw error;
    }
    const cleanup = parsed.request;
    if ((request.headers.get('accept') ?? '').includes(NDJSON)) {
      return stream((emit) => executeSourceCleanup(source, cleanup, user, { signal: request.signal, onEvent: emit }));
    }
    return redactedJson(await executeSourceCleanup(source, cleanup, user, { signal: request.signal }));
  });
}
