/**
 * The HTTP side of `POST /api/sources/{source}/cleanup`: the cross-site refusal, the policy body, a dry run
 * answered with the plan, and for an execution the app-auth user and the result as JSON or (`Accept:
 * application/x-ndjson`) as a progress stream. Refusals of anything but a dry run are audited here; the
 * executions themselves are audited by the cleanup service. See docs/cleanup.md.
 */
import 'server-only';
import { policyError } from '@/lib/cleanup/policy';
import { parseCleanupRequest } from '@/lib/cleanup/request';
import { cleanupLockName, cleanupPhrase, cleanupSource, executeSourceCleanup, planSourceCleanup } from '@/lib/cleanup/service';
import type { CleanupPlan, CleanupResult } from '@/lib/cleanup/types';
import { auditCleanupRefusal } from './audit-refusal';
import { readJsonBody } from './json-body';
import { holdAcrossReplicas, type ReplicaHold } from './redis/replica-hold';
import { ndjsonResponse, wantsNdjson } from './ndjson';
import { checkSameOrigin, requireDeleteUser } from './safety';
import { getConfig } from './sources';

/** Largest body accepted: a policy is small, a confirmed preview (`expect`) of 100 000 tags is ~15 MB. */
const MAX_BODY = 16 * 1024 * 1024;

/**
 * Plans or executes the cleanup the request's body asks for on `source`. Throws NAME_UNKNOWN, DENIED
 * (cross-site, read-only source), UNAUTHORIZED, 400 UNSUPPORTED (no body, not JSON, invalid policy naming
 * every bad field), SIZE_INVALID.
 */
export async function answerCleanup(request: Request, source: string): Promise<CleanupPlan | CleanupResult | Response> {
  const config = await getConfig();
  let dryRun: boolean | undefined;
  let user: string;
  let parsed;
  let hold: ReplicaHold;
  try {
    checkSameOrigin(request, config);
    await cleanupSource(source);
    parsed = parseCleanupRequest(await readJsonBody(request, MAX_BODY, 'the body must be a JSON cleanup policy'));
    if (!parsed.ok) throw policyError(parsed.errors);
    dryRun = parsed.request.policy.dryRun;
    if (dryRun) return await planSourceCleanup(source, parsed.request.policy, { signal: request.signal });
    user = requireDeleteUser(request, config);
    // Taken before answering, so that a refusal by another replica is a 409 even for a progress stream.
    hold = await holdAcrossReplicas(cleanupLockName(source), cleanupPhrase(source));
  } catch (error) {
    await auditCleanupRefusal(request, source, dryRun, error);
    throw error;
  }
  const cleanup = parsed.request;
  if (wantsNdjson(request)) {
    return ndjsonResponse('cleanup', (emit) => executeSourceCleanup(source, cleanup, user, { signal: request.signal, onEvent: emit }).finally(() => hold.release()));
  }
  return executeSourceCleanup(source, cleanup, user, { signal: request.signal }).finally(() => hold.release());
}
