import 'server-only';
import { onAbort } from '@/lib/registry/abort-fanout';
import type { RetryOptions } from '../options';
import type { HttpMethod } from './transport';

/** Statuses that say "try again later": rate limited, bad gateway, unavailable, gateway timeout. */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** Statuses that guarantee the request was not applied, so even a PUT or DELETE may be sent again. */
const NOT_APPLIED_STATUSES = new Set([429, 503]);

export function isIdempotent(method: HttpMethod): boolean {
  return method === 'GET' || method === 'HEAD';
}

/**
 * Whether a response status may be retried for this method. A 502/504 after a PUT, POST, PATCH or DELETE may
 * come from a proxy after the registry applied the request, so only 429 and 503 are retried for those.
 */
export function isRetryableStatus(method: HttpMethod, status: number): boolean {
  if (!RETRY_STATUSES.has(status)) return false;
  return isIdempotent(method) || NOT_APPLIED_STATUSES.has(status);
}

/**
 * `Retry-After` in ms: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Undefined when absent or unparsable;
 * a date in the past gives 0.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Delay before retry number `attempt` (0-based): exponential back-off with "equal jitter" (half fixed, half
 * random) so that many clients do not retry in lock-step, but never shorter than the registry's Retry-After.
 * Undefined when Retry-After asks for longer than `maxRetryAfterMs`: then giving up is better than hanging.
 */
export function backoffDelay(attempt: number, policy: Required<RetryOptions>, retryAfterMs?: number, random: () => number = Math.random): number | undefined {
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return undefined;
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = exponential / 2 + (random() * exponential) / 2;
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Sleeps, or rejects with the signal's reason when aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      unsubscribe?.();
      resolve();
    }, ms);
    const unsubscribe = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          reject(signal.reason);
        })
      : undefined;
  });
}
