import 'server-only';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { RegistryError } from '@/lib/oci/errors';
import { onAbort } from '@/lib/registry/abort-fanout';
import type { HttpMethod } from './method';
import type { RequestSlot, RequestSlots } from './slots';

export type { HttpMethod };

export interface ExchangeRequest {
  method: HttpMethod;
  url: URL;
  headers: Record<string, string>;
  body?: Uint8Array | Readable | null;
  signal?: AbortSignal;
}

/** One HTTP response. The body must be read or discarded: that releases the concurrency slot. */
export interface Exchange {
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  url: URL;
  body: Dispatcher.ResponseData['body'];
  /**
   * Lifts the total deadline for a body that is streamed on to a client (blob downloads, which may be
   * gigabytes): from then on only the idle timeout between chunks and the caller's signal bound it.
   */
  streaming?: () => void;
}

export interface TransportSettings {
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /**
   * Deadline of one request from asking for a slot to the last body byte (`timeoutSeconds`): a registry
   * trickling a byte now and then cannot hold a request open past it. Defaults to the headers timeout.
   */
  totalTimeoutMs?: number;
}

/** Error codes of a connection that broke after it was established: worth a retry for idempotent requests. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
]);

/** Marks our own headers timer firing, to tell it apart from a caller's abort. */
class HeadersTimeout extends Error {
  readonly code = 'UND_ERR_HEADERS_TIMEOUT';
}

/** Marks our own deadline firing, to tell it apart from a caller's abort. */
class DeadlineExceeded extends Error {
  readonly code = 'PORTHOLE_DEADLINE';
}

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; errors?: unknown[]; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return undefined;
  if (typeof e.code === 'string') return e.code;
  // Node reports a refused happy-eyeballs connection as an AggregateError of per-address errors.
  if (Array.isArray(e.errors)) return errorCode(e.errors[0]);
  if (e.cause) return errorCode(e.cause);
  return undefined;
}

/** True when a request failed because an established connection broke (ECONNRESET and friends). */
export function isConnectionReset(error: unknown): boolean {
  if (!(error instanceof RegistryError) || error.code !== 'UNAVAILABLE') return false;
  const code = errorCode(error.cause);
  return code !== undefined && RESET_CODES.has(code);
}

/**
 * Turns a transport failure into a RegistryError: timeouts into TIMEOUT (504), anything else into UNAVAILABLE
 * (502). Messages name the host and the failure, never the request's headers (they may carry credentials).
 * A caller's abort is passed through unchanged (its `reason`).
 */
export function transportError(error: unknown, url: URL, settings: TransportSettings, callerSignal?: AbortSignal): unknown {
  if (callerSignal?.aborted) return callerSignal.reason;
  if (error instanceof RegistryError) return error;
  const host = url.host;
  const code = errorCode(error) ?? 'UNKNOWN';
  const cause = { code };
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new RegistryError('TIMEOUT', `${host} did not answer within ${seconds(settings.headersTimeoutMs)}`, { cause });
    case 'PORTHOLE_DEADLINE':
      return new RegistryError('TIMEOUT', `${host} did not answer completely within ${seconds(totalTimeout(settings))}`, { cause });
    case 'UND_ERR_BODY_TIMEOUT':
      return new RegistryError('TIMEOUT', `${host} stopped sending data for ${seconds(settings.bodyTimeoutMs)}`, { cause });
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return new RegistryError('TIMEOUT', `connecting to ${host} timed out`, { cause });
    case 'ECONNREFUSED':
      return new RegistryError('UNAVAILABLE', `${host} refused the connection`, { cause });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new RegistryError('UNAVAILABLE', `host ${url.hostname} not found`, { cause });
    default:
      if (RESET_CODES.has(code)) {
        return new RegistryError('UNAVAILABLE', `connection to ${host} was closed unexpectedly`, { cause });
      }
      if (TLS_CODES.has(code)) {
        return new RegistryError('UNAVAILABLE', `TLS certificate of ${host} is not trusted (${code}); configure caFile, or insecure for test registries`, {
          cause,
        });
      }
      return new RegistryError('UNAVAILABLE', `request to ${host} failed (${code})`, { cause });
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function totalTimeout(settings: TransportSettings): number {
  return settings.totalTimeoutMs ?? settings.headersTimeoutMs;
}

/**
 * Sends single HTTP requests through undici with a concurrency slot, per-request timeouts and the caller's
 * AbortSignal. No redirects, auth or retries here: those are layered on top in `client.ts`.
 *
 * Timeouts: undici's headers timeout and idle timeout between body chunks, plus our own total deadline per
 * request covering the wait for a slot, the headers and the whole body (`totalTimeoutMs`), unless the body is
 * handed on as a stream (`Exchange.streaming`).
 */
export class Transport {
  constructor(
    private readonly dispatcher: Dispatcher,
    /** A fixed limiter (`fixedSlots`) or the registry's adaptive limit (adaptive-limit.ts). */
    private readonly slots: RequestSlots,
    readonly settings: TransportSettings,
  ) {}

  async exchange(request: ExchangeRequest): Promise<Exchange> {
    const { url, signal } = request;
    // Our own timer also covers dispatchers that never touch a socket (MockAgent), the wait for a slot and the
    // time spent in the connection pool; it runs until the body ends, so trickling cannot outlast it.
    // One controller is the request's signal: a timeout aborts it, and so does the caller's signal, through that
    // signal's one shared listener (abort-fanout.ts). Not `AbortSignal.any`: Node keeps a composite signal
    // reachable through weak references that only a full collection clears, so every request's signal and its
    // bookkeeping outlived the request into the old generation (about a sixth of what a 20,000-tag view left
    // there for the next full collection).
    const controller = new AbortController();
    let timedOut: Error | undefined;
    const expire = (error: Error) => {
      timedOut ??= error;
      controller.abort(error);
    };
    const timeout = setTimeout(() => expire(new DeadlineExceeded('deadline exceeded')), totalTimeout(this.settings));
    const stopTimer = () => clearTimeout(timeout);
    if (signal?.aborted) controller.abort(signal.reason);
    const unlink = signal ? onAbort(signal, () => controller.abort(signal.reason)) : () => undefined;
    let headersTimeout: ReturnType<typeof setTimeout> | undefined;
    const combined = controller.signal;
    let slot: RequestSlot | undefined;
    try {
      slot = await this.slots.take(combined);
      headersTimeout = setTimeout(() => expire(new HeadersTimeout('headers timeout')), this.settings.headersTimeoutMs);
      const response = await this.dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: combined,
        headersTimeout: this.settings.headersTimeoutMs,
        bodyTimeout: this.settings.bodyTimeoutMs,
      });
      clearTimeout(headersTimeout);
      slot.report({ url, method: request.method, status: response.statusCode, retryAfter: headerText(response.headers['retry-after']) });
      const body = response.body;
      const done = slot.release;
      const finished = () => {
        stopTimer();
        unlink();
        done();
      };
      body.once('end', finished);
      body.once('error', finished);
      body.once('close', finished);
      return { status: response.statusCode, headers: response.headers, url, body, streaming: stopTimer };
    } catch (error) {
      stopTimer();
      unlink();
      clearTimeout(headersTimeout);
      const failure = transportError(timedOut ?? error, url, this.settings, signal);
      slot?.report({ url, method: request.method, timedOut: failure instanceof RegistryError && failure.code === 'TIMEOUT' });
      slot?.release();
      throw failure;
    }
  }
}
