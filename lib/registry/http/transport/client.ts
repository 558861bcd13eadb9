import 'server-only';
import type { Readable } from 'node:stream';
import { RegistryError, type ErrorCode } from '@/lib/oci/errors';
import { Authenticator, type TokenAnswer } from './auth';
import { discard, header, headerValues, MAX_TOKEN_BODY_BYTES, readCapped, tryParseJson } from './body';
import { errorFromResponse } from './errors';
import type { ResolvedOptions } from '../options';
import { backoffDelay, isIdempotent, isRetryableStatus, parseRetryAfter, sleep } from './retry';
import { isConnectionReset, type Exchange, type HttpMethod, type Transport } from './transport';
import { CallObservation } from './observers';
import { PrivateTargets } from './private-targets';
import { parseWarnings, type WarningLog } from './warnings';

/** Redirect hops followed per request (blob downloads go to object storage, sometimes via a CDN). */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A request body: bytes can be re-sent (retries, auth); a stream only once. */
export type RequestBody = Uint8Array | Readable;

export interface Call {
  method: HttpMethod;
  /** Path under the registry's base URL, e.g. `/v2/<name>/tags/list`; or an absolute URL (Link, Location). */
  path: string | URL;
  query?: Record<string, string | string[] | undefined>;
  headers?: Record<string, string>;
  body?: RequestBody;
  /** Token scopes this request needs (see `Scope`). */
  scopes: readonly string[];
  signal?: AbortSignal;
  /** Code for a 404 whose body names none (HEAD, or distribution's text/plain router miss). */
  notFound?: ErrorCode;
  /** Which statuses are handed back instead of thrown as errors. Default: 2xx. */
  accept?: (status: number) => boolean;
}

const is2xx = (status: number) => status >= 200 && status < 300;

/**
 * The request pipeline of one registry, outermost first:
 * auth (one retry after a fresh token) → retries with back-off → redirects (manual, auth stripped across
 * origins) → transport (slot, timeouts, signal).
 */
export class RegistryClient {
  readonly auth: Authenticator;
  private readonly targets: PrivateTargets;

  constructor(
    readonly options: ResolvedOptions,
    private readonly transport: Transport,
    private readonly warnings: WarningLog,
  ) {
    this.targets = new PrivateTargets(options);
    this.auth = new Authenticator(options, (url, authorization, signal) => this.sendTokenRequest(url, authorization, signal), Date.now, this.targets);
  }

  get base(): URL {
    return this.options.baseUrl;
  }

  /** Absolute URL of a registry path (the base URL may carry a path prefix). */
  url(path: string | URL, query?: Call['query']): URL {
    const url = typeof path === 'string' ? new URL(this.base.pathname.replace(/\/$/, '') + path, this.base.origin) : new URL(path);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, v);
    }
    return url;
  }

  /**
   * Sends a request through the whole pipeline. Returns the response when `accept(status)` holds (default 2xx);
   * the caller must read or discard its body. Otherwise throws the RegistryError the response describes.
   */
  async send(call: Call): Promise<Exchange> {
    const url = this.url(call.path, call.query);
    const accept = call.accept ?? is2xx;
    for (let retried = false; ; retried = true) {
      const authorization = await this.auth.authorization(call.scopes, call.signal);
      const response = await this.withRetries(call, url, authorization);
      if (response.status === 401 && response.url.origin === this.base.origin && !accept(401)) {
        const challenge = headerValues(response, 'www-authenticate');
        await discard(response);
        await this.auth.challenged(challenge, call.scopes, retried, call.signal);
        if (call.body && !(call.body instanceof Uint8Array)) {
          // A stream cannot be sent twice. Uploads start with a body-less POST that obtains the token, so this
          // only happens when a token expired mid-upload; the next attempt of the operation will succeed.
          throw new RegistryError('UNAUTHORIZED', `${this.base.host} asked for authentication during an upload; retry the operation`);
        }
        continue;
      }
      if (accept(response.status)) return response;
      throw await errorFromResponse(response, { notFound: call.notFound });
    }
  }

  /** Retries 429/502/503/504 and connection resets with back-off, honouring Retry-After. */
  private async withRetries(call: Call, url: URL, authorization: string | undefined): Promise<Exchange> {
    const policy = this.options.retry;
    const replayable = !call.body || call.body instanceof Uint8Array;
    // Metrics and logs (./observers.ts): one event per attempt, one per retry.
    const observation = new CallObservation({ source: this.options.name, registry: this.base.origin, method: call.method, path: url.pathname, signal: call.signal });
    for (let attempt = 0; ; attempt++) {
      let response: Exchange;
      try {
        response = await observation.attempt(attempt, () => this.followRedirects(call, url, authorization));
      } catch (error) {
        // A reset may hit a request the registry already applied, so only idempotent requests are resent.
        if (isConnectionReset(error) && isIdempotent(call.method) && replayable && attempt < policy.max) {
          await sleep(backoffDelay(attempt, policy) ?? policy.maxDelayMs, call.signal);
          continue;
        }
        throw error;
      }
      if (!isRetryableStatus(call.method, response.status) || !replayable || attempt >= policy.max) return response;
      const delay = backoffDelay(attempt, policy, parseRetryAfter(header(response, 'retry-after')));
      if (delay === undefined) return response;
      await discard(response);
      await sleep(delay, call.signal);
    }
  }

  /**
   * Follows redirects by hand (undici's `request` does not follow them) so that `Authorization` is sent only to
   * the registry's origin: once a redirect leaves it (blob downloads go to S3/GCS/CDN signed URLs), auth is
   * dropped for the rest of the chain. An https → http downgrade is refused, and so is a target on a private
   * address when the registry is not on one (the token realms' policy, ./private-targets.ts).
   */
  private async followRedirects(call: Call, url: URL, authorization: string | undefined): Promise<Exchange> {
    let current = url;
    let method = call.method;
    let body = call.body;
    let mayAuthorize = true;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { ...call.headers };
      if (authorization && mayAuthorize && current.origin === this.base.origin) headers.authorization = authorization;
      const response = await this.transport.exchange({ method, url: current, headers, body, signal: call.signal });
      if (current.origin === this.base.origin) this.noteWarnings(response);
      const location = header(response, 'location');
      if (!REDIRECT_STATUSES.has(response.status) || !location) return response;
      await discard(response);
      if (hop >= MAX_REDIRECTS) {
        throw new RegistryError('UNAVAILABLE', `${url.host} redirected more than ${MAX_REDIRECTS} times`);
      }
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new RegistryError('UNAVAILABLE', `${current.host} sent an invalid redirect`);
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') {
        throw new RegistryError('UNAVAILABLE', `${current.host} redirected to a non-http URL`);
      }
      if (current.protocol === 'https:' && next.protocol === 'http:') {
        throw new RegistryError('UNAVAILABLE', `${current.host} redirected from https to plain http; refused`);
      }
      if (!this.options.allowPrivateRedirects && (await this.targets.refuses(next, call.signal))) {
        throw new RegistryError(
          'UNAVAILABLE',
          `${current.host} redirected to ${next.host}, a loopback, private or link-local address while ${this.base.host} is not; refused (allowPrivateRedirects allows it)`,
        );
      }
      if (next.origin !== current.origin) mayAuthorize = false;
      if (response.status === 303 && method !== 'HEAD') {
        method = 'GET';
        body = undefined;
      } else if (body && !(body instanceof Uint8Array)) {
        throw new RegistryError('UNAVAILABLE', `${current.host} redirected an upload; not supported`);
      }
      current = next;
    }
  }

  private noteWarnings(response: Exchange): void {
    const values = headerValues(response, 'warning');
    if (values.length) for (const text of parseWarnings(values)) this.warnings.add(text);
  }

  /** Token requests: GET with retries, no redirects, credentials only on this exact URL. */
  private async sendTokenRequest(url: URL, authorization: string | undefined, signal?: AbortSignal): Promise<TokenAnswer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authorization) headers.authorization = authorization;
    const policy = this.options.retry;
    for (let attempt = 0; ; attempt++) {
      let response: Exchange;
      try {
        response = await this.transport.exchange({ method: 'GET', url, headers, signal });
      } catch (error) {
        if (isConnectionReset(error) && attempt < policy.max) {
          await sleep(backoffDelay(attempt, policy) ?? policy.maxDelayMs, signal);
          continue;
        }
        throw error;
      }
      if (isRetryableStatus('GET', response.status) && attempt < policy.max) {
        const delay = backoffDelay(attempt, policy, parseRetryAfter(header(response, 'retry-after')));
        if (delay !== undefined) {
          await discard(response);
          await sleep(delay, signal);
          continue;
        }
      }
      if (response.status !== 200) {
        await discard(response);
        return { status: response.status, body: undefined };
      }
      const bytes = await readCapped(
        response,
        MAX_TOKEN_BODY_BYTES,
        () => new RegistryError('UNAUTHORIZED', `token server ${url.host} sent an oversized answer`),
        this.transport.settings,
        signal,
      );
      return { status: 200, body: tryParseJson(bytes) };
    }
  }

  /** Reads a JSON body capped at `limit` bytes; `what` names the document in errors. */
  async readJson(response: Exchange, limit: number, what: string, signal?: AbortSignal): Promise<unknown> {
    const bytes = await this.readBytes(response, limit, what, signal);
    const json = tryParseJson(bytes);
    if (json === undefined) throw new RegistryError('UNKNOWN', `${response.url.host} sent an invalid ${what} (not JSON)`, { status: 502 });
    return json;
  }

  /** Reads a body capped at `limit` bytes. */
  readBytes(response: Exchange, limit: number, what: string, signal?: AbortSignal): Promise<Uint8Array> {
    return readCapped(
      response,
      limit,
      () => new RegistryError('UNKNOWN', `${response.url.host} sent a ${what} larger than ${limit} bytes; refused`, { status: 502 }),
      this.transport.settings,
      signal,
    );
  }

  /** The transport's timeouts, for code that maps errors of bodies it reads itself. */
  get settings() {
    return this.transport.settings;
  }
}
