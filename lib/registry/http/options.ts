import 'server-only';
import type { Dispatcher } from 'undici';

/** Username and password, sent as HTTP Basic or traded for a bearer token at the registry's token realm. */
export interface BasicCredentials {
  username: string;
  password: string;
}

/** A ready-made bearer token (e.g. a registry access token), sent as `Authorization: Bearer <token>`. */
export interface TokenCredentials {
  token: string;
}

export type Credentials = BasicCredentials | TokenCredentials;

/** Retry policy for requests that failed in a way that may go away (429, 502, 503, 504, connection resets). */
export interface RetryOptions {
  /** Retries after the first attempt (default 4). 0 turns retries off. */
  max?: number;
  /** First back-off delay in ms, doubled per retry, with jitter (default 200). */
  baseDelayMs?: number;
  /** Upper bound of one back-off delay in ms (default 10 000). */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this (ms) is not waited for; the error is returned instead (default 60 000). */
  maxRetryAfterMs?: number;
}

export interface HttpRegistryOptions {
  /** Base URL of the registry, e.g. `https://registry.example.com` (`/v2/` is appended). No credentials in it. */
  url: string;
  /** Name reported to request observers (metrics and logs, transport/observers.ts): the source's name. Default `''`. */
  name?: string;
  /**
   * undici dispatcher for every request (tests pass a `MockAgent`). Default: one keep-alive `Agent` per registry,
   * closed by `close()`. An injected dispatcher is not closed, and `caFile`/`insecure` do not apply to it.
   */
  dispatcher?: Dispatcher;
  credentials?: Credentials;
  /** PEM file with extra CA certificates to trust (private registries with their own CA). */
  caFile?: string;
  /** Skip TLS certificate verification. Opt-in, for test registries only. */
  insecure?: boolean;
  /**
   * Requests in flight at once against this registry: a number fixes it (default 8, at least 2); `auto` adapts
   * it to what the registry takes (transport/concurrency-law.ts), starting at 8, never above `maxConcurrency`,
   * with one limit per registry origin shared by every registry object pointing there
   * (transport/adaptive-limit.ts). A slot is held until the body is read.
   */
  concurrency?: number | 'auto';
  /** With `concurrency: 'auto'`: the highest limit (default 64, at least 2). */
  maxConcurrency?: number;
  /**
   * Timeouts in ms: `headers` until the response headers arrive (default 30 000), `body` between body chunks
   * (default 60 000), `total` for one whole request from slot to last byte (default: the larger of the two);
   * blob bodies streamed on to a client are bound by `body` only.
   */
  timeouts?: { headers?: number; body?: number; total?: number };
  /** Retry count (a number) or policy. */
  retries?: number | RetryOptions;
  /**
   * Allow a token realm on a loopback, private or link-local address although the registry is not on one.
   * Off by default so that a registry cannot point Porthole's credentials at internal services.
   */
  allowPrivateRealm?: boolean;
  /**
   * Follow redirects to a loopback, private or link-local address although the registry is not on one (e.g.
   * a public registry whose blob storage is internal). Off by default, for the same reason.
   */
  allowPrivateRedirects?: boolean;
  /** Page size for catalog and tags requests (default 1000, capped at 1000 because ECR and distribution refuse more). */
  pageSize?: number;
  /** How long the answer "this repository has (no) referrers API" is remembered, in ms (default 5 minutes). */
  referrersApiCacheMs?: number;
  /** Called once per distinct `Warning` header text the registry sends (and for Porthole's own upkeep warnings). */
  onWarning?: (warning: string) => void;
  /**
   * Resolves a host name to addresses for the private-address checks of token realms and redirect targets.
   * Default: the system resolver. Tests inject a stub so that no DNS is used.
   */
  resolveHost?: (hostname: string) => Promise<string[]>;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  baseUrl: URL;
  name: string;
  credentials?: Credentials;
  /** The most requests ever in flight: the fixed limit, or `maxConcurrency` when `adaptive`. */
  concurrency: number;
  /** `concurrency: 'auto'`: the limit adapts between 2 and `concurrency`. */
  adaptive: boolean;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  totalTimeoutMs: number;
  retry: Required<RetryOptions>;
  allowPrivateRealm: boolean;
  allowPrivateRedirects: boolean;
  pageSize: number;
  referrersApiCacheMs: number;
  onWarning?: (warning: string) => void;
  resolveHost?: (hostname: string) => Promise<string[]>;
}

export const MAX_PAGE_SIZE = 1000;
/** The highest adaptive limit unless `maxConcurrency` says otherwise. */
export const DEFAULT_MAX_CONCURRENCY = 64;

export function isBasic(credentials: Credentials | undefined): credentials is BasicCredentials {
  return !!credentials && 'username' in credentials;
}

export function isToken(credentials: Credentials | undefined): credentials is TokenCredentials {
  return !!credentials && 'token' in credentials;
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Applies defaults; credentials embedded in the URL (`https://user:pw@host`) are moved out of it. */
export function resolveOptions(options: HttpRegistryOptions): ResolvedOptions {
  let baseUrl: URL;
  try {
    baseUrl = new URL(options.url);
  } catch {
    throw new TypeError('registry url is not a valid URL');
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
    throw new TypeError('registry url must start with http:// or https://');
  }
  let credentials = options.credentials;
  if (baseUrl.username || baseUrl.password) {
    credentials ??= { username: decodeURIComponent(baseUrl.username), password: decodeURIComponent(baseUrl.password) };
    baseUrl.username = '';
    baseUrl.password = '';
  }
  baseUrl.search = '';
  baseUrl.hash = '';
  // A path prefix is kept (registries behind a reverse proxy sub-path); `/v2/` goes after it.
  if (!baseUrl.pathname.endsWith('/')) baseUrl.pathname += '/';
  baseUrl.pathname = baseUrl.pathname.replace(/\/v2\/$/, '/');

  const retries = typeof options.retries === 'number' ? { max: options.retries } : (options.retries ?? {});
  return {
    baseUrl,
    name: options.name ?? '',
    credentials,
    concurrency:
      options.concurrency === 'auto'
        ? Math.max(2, Math.floor(positive(options.maxConcurrency, DEFAULT_MAX_CONCURRENCY)))
        : Math.max(2, Math.floor(positive(options.concurrency, 8))),
    adaptive: options.concurrency === 'auto',
    headersTimeoutMs: positive(options.timeouts?.headers, 30_000),
    bodyTimeoutMs: positive(options.timeouts?.body, 60_000),
    totalTimeoutMs: positive(options.timeouts?.total, Math.max(positive(options.timeouts?.headers, 30_000), positive(options.timeouts?.body, 60_000))),
    retry: {
      max: Math.max(0, Math.floor(retries.max ?? 4)),
      baseDelayMs: positive(retries.baseDelayMs, 200),
      maxDelayMs: positive(retries.maxDelayMs, 10_000),
      maxRetryAfterMs: positive(retries.maxRetryAfterMs, 60_000),
    },
    allowPrivateRealm: options.allowPrivateRealm ?? false,
    allowPrivateRedirects: options.allowPrivateRedirects ?? false,
    pageSize: Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(positive(options.pageSize, MAX_PAGE_SIZE)))),
    referrersApiCacheMs: options.referrersApiCacheMs !== undefined && options.referrersApiCacheMs >= 0 ? options.referrersApiCacheMs : 300_000,
    onWarning: options.onWarning,
    resolveHost: options.resolveHost,
  };
}
