import 'server-only';
import type { ErrorCode } from '@/lib/oci/errors';
import { isRegistryError } from '@/lib/oci/errors';
import { discard } from './transport/body';
import type { HttpContext } from './context';

/**
 * What `GET /v2/` says about a registry. `auth`: `anonymous` (answered without credentials being configured),
 * `accepted` (credentials configured and the registry let them in), `rejected` (401/403 even with the
 * configured credentials, or a token realm that refused them), `unknown` (the registry did not answer).
 */
export interface PingResult {
  reachable: boolean;
  auth: 'anonymous' | 'accepted' | 'rejected' | 'unknown';
  /** Wall time of the whole exchange, token request included; undefined when nothing answered. */
  latencyMs?: number;
  /** Why the registry is not usable: the RegistryError's code and message. */
  error?: { code: ErrorCode; message: string };
}

/**
 * Pings the registry: `GET /v2/` through the whole pipeline (auth challenge, token, retries, redirects), so
 * that a success means the configured credentials really work. Never throws for registry failures; an
 * aborted `signal` (the caller's deadline) reads as unreachable.
 */
export async function ping(ctx: HttpContext, signal?: AbortSignal): Promise<PingResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await ctx.client.send({ method: 'GET', path: '/v2/', scopes: [], signal });
    await discard(response);
    return { reachable: true, auth: ctx.options.credentials ? 'accepted' : 'anonymous', latencyMs: elapsed() };
  } catch (error) {
    if (isRegistryError(error, 'UNAUTHORIZED') || isRegistryError(error, 'DENIED')) {
      return { reachable: true, auth: 'rejected', latencyMs: elapsed(), error: { code: error.code, message: error.message } };
    }
    if (signal?.aborted) {
      return { reachable: false, auth: 'unknown', error: { code: 'TIMEOUT', message: `${ctx.client.base.host} did not answer in time` } };
    }
    if (isRegistryError(error)) return { reachable: false, auth: 'unknown', error: { code: error.code, message: error.message } };
    return { reachable: false, auth: 'unknown', error: { code: 'UNAVAILABLE', message: `${ctx.client.base.host} could not be reached` } };
  }
}
