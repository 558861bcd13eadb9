import 'server-only';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { RegistryError } from '@/lib/oci/errors';
import type { Limiter } from './limiter';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

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
}

export interface TransportSettings {
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
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

/**
 * Sends single HTTP requests through undici with a concurrency slot, per-request timeouts and the caller's
 * AbortSignal. No redirects, auth or retries here: those are layered on top in `client.ts`.
 */
export class Transport {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly limiter: Limiter,
    readonly settings: TransportSettings,
  ) {}

  async exchange(request: ExchangeRequest): Promise<Exchange> {
    const { url, signal } = request;
    const release = await this.limiter.acquire(signal);
    // undici applies headersTimeout on real sockets; our own timer also covers dispatchers that never touch
    // a socket (MockAgent) and the time spent waiting in the connection pool.
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(new HeadersTimeout('headers timeout')), this.settings.headersTimeoutMs);
    const combined = signal ? AbortSignal.any([signal, timer.signal]) : timer.signal;
    try {
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
      clearTimeout(timeout);
      const body = response.body;
      body.once('end', release);
      body.once('error', release);
      body.once('close', release);
      return { status: response.statusCode, headers: response.headers, url, body };
    } catch (error) {
      clearTimeout(timeout);
      release();
      throw transportError(timer.signal.aborted ? timer.signal.reason : error, url, this.settings, signal);
    }
  }
}
