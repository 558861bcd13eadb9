import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { sleep } from './transport/retry';

/** Attempts at a change (or a check) that the registry failed with a 5xx, before giving up with a conflict. */
export const CONFLICT_ATTEMPTS = 4;
const BASE_DELAY_MS = 50;

/**
 * Did the registry fail this request on its side (it answered 5xx, mapped to 502/504 by `errorFromResponse`)?
 * On distribution 2.8.2 this is what a concurrent change of the same repository by another client looks like.
 */
export function isServerFailure(error: unknown): error is RegistryError {
  return error instanceof RegistryError && error.status >= 500 && error.code !== 'TIMEOUT';
}

/**
 * The error for a registry-side conflict that persisted through the retries: 503 UNAVAILABLE, retryable, with
 * `detail.reason: "conflict"`. `state` says what is true now (e.g. "the tag is unchanged").
 */
export function conflictError(host: string, repo: string, what: string, state: string, cause?: unknown): RegistryError {
  return new RegistryError(
    'UNAVAILABLE',
    `${host} kept failing while ${what} in ${repo} (another client is probably changing this repository at the same time); ${state}; try again`,
    { status: 503, detail: { reason: 'conflict', repository: repo, retryable: true }, cause },
  );
}

const ANSWERED_5XX = Symbol('porthole.answered5xx');

/** Marks an error built from a registry's own 5xx answer to a change (see {@link answered5xx}). */
export function markAnswered5xx(error: RegistryError): RegistryError {
  Object.defineProperty(error, ANSWERED_5XX, { value: true });
  return error;
}

/**
 * Did the registry answer this change with a 5xx? Narrower than {@link isServerFailure}: an unexpected 2xx
 * (which also becomes a 502) is not a failure to retry.
 */
export function answered5xx(error: unknown): error is RegistryError {
  return error instanceof RegistryError && (error as unknown as Record<symbol, unknown>)[ANSWERED_5XX] === true;
}

/** Back-off before attempt `attempt + 1` (50, 100, 200 ms… with jitter), interruptible by `signal`. */
export function conflictBackoff(attempt: number, signal?: AbortSignal): Promise<void> {
  const base = BASE_DELAY_MS * 2 ** attempt;
  return sleep(base / 2 + Math.random() * base, signal);
}

/**
 * Runs an idempotent request (a read, or a PUT of the same bytes to the same reference) again after a
 * registry-side failure, up to {@link CONFLICT_ATTEMPTS} times; the last failure is thrown as it came.
 */
export async function retryServerFailures<T>(request: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (!isServerFailure(error) || attempt + 1 >= CONFLICT_ATTEMPTS) throw error;
      await conflictBackoff(attempt, signal);
    }
  }
}

/** Is this the error {@link conflictError} makes? */
export function isConflict(error: unknown): error is RegistryError {
  return error instanceof RegistryError && (error.detail as { reason?: unknown } | undefined)?.reason === 'conflict';
}
