import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { abortable } from '@/lib/registry/abort-fanout';
import { registerSecret } from '@/lib/redaction/secrets';
import { parseChallenges, type Challenge } from './challenge';
import { isBasic, isToken, type ResolvedOptions } from '../options';
import { PrivateTargets } from './private-targets';

/**
 * Token scopes per operation, as distribution 2.8.2 asks for them in its challenges (verified): reads `pull`,
 * pushes `pull,push`, DELETE `delete` (not `push`), the catalog `registry:catalog:*`.
 * @see https://github.com/distribution/distribution/blob/v2.8.2/docs/spec/auth/scope.md
 */
export const Scope = {
  pull: (repo: string) => `repository:${repo}:pull`,
  push: (repo: string) => `repository:${repo}:pull,push`,
  delete: (repo: string) => `repository:${repo}:delete`,
  catalog: 'registry:catalog:*',
} as const;

/** What the token server answered: status and parsed JSON body (undefined when not JSON). */
export interface TokenAnswer {
  status: number;
  body: unknown;
}

/** Sends the token request (GET, no redirects) with an optional Authorization header. */
export type TokenSender = (url: URL, authorization: string | undefined, signal?: AbortSignal) => Promise<TokenAnswer>;

interface CachedToken {
  value: string;
  /** Epoch ms after which the token is not used any more (a few seconds before it really expires). */
  renewAt: number;
}

type Scheme = { kind: 'unknown' } | { kind: 'basic' } | { kind: 'bearer'; realm: URL; service?: string };

/** Seconds a token lives when the server does not say (distribution token spec: 60, also the minimum). */
const DEFAULT_TOKEN_SECONDS = 60;
/** Tokens are renewed this long before they expire, so that a request never races the expiry. */
const RENEW_MARGIN_MS = 5_000;

function scopeKey(scopes: readonly string[]): string {
  return [...new Set(scopes)].sort().join(' ');
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * Registry authentication: anonymous, Basic, or Bearer tokens from the realm named in the `WWW-Authenticate`
 * challenge (distribution token auth, Docker Hub, GHCR, Harbor…). Nothing is sent before the first challenge
 * (cue-labs does the same), so anonymous registries never see credentials. Tokens are cached per scope set until
 * shortly before they expire. Credentials go only to the registry and to a realm that passed `checkRealm`.
 * @see https://github.com/distribution/distribution/blob/v2.8.2/docs/spec/auth/token.md
 */
export class Authenticator {
  private scheme: Scheme = { kind: 'unknown' };
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();
  private readonly realmVerdicts = new Map<string, Promise<void>>();

  constructor(
    private readonly options: ResolvedOptions,
    private readonly sendToken: TokenSender,
    private readonly now: () => number = Date.now,
    private readonly targets: PrivateTargets = new PrivateTargets(options),
  ) {}

  /** The `Authorization` value for a request needing `scopes`, or undefined (anonymous, or no challenge yet). */
  async authorization(scopes: readonly string[], signal?: AbortSignal): Promise<string | undefined> {
    const credentials = this.options.credentials;
    if (isToken(credentials)) return `Bearer ${credentials.token}`;
    if (this.scheme.kind === 'basic' && isBasic(credentials)) return basicHeader(credentials.username, credentials.password);
    if (this.scheme.kind === 'bearer') return `Bearer ${await this.token(scopes, signal)}`;
    return undefined;
  }

  /**
   * Handles a 401 from the registry: learns the scheme, fetches a fresh token, and returns so that the caller
   * retries once. On the second 401 for the same request (`retried`) it throws DENIED when the registry said
   * `insufficient_scope` (the credentials are valid but not allowed), else UNAUTHORIZED.
   */
  async challenged(values: string[], scopes: readonly string[], retried: boolean, signal?: AbortSignal): Promise<void> {
    const challenges = parseChallenges(values);
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    const basic = challenges.find((c) => c.scheme === 'basic');
    const credentials = this.options.credentials;
    const host = this.options.baseUrl.host;

    if (isToken(credentials)) {
      throw this.refusal(bearer, scopes);
    }
    if (bearer) {
      if (retried) throw this.refusal(bearer, scopes);
      const realm = this.realmUrl(bearer.params.realm!);
      await this.checkRealm(realm, signal);
      this.scheme = { kind: 'bearer', realm, service: bearer.params.service };
      // Ask for what we need plus whatever the registry named (distribution names `delete` for DELETE).
      const wanted = [...scopes, ...(bearer.params.scope?.split(' ').filter(Boolean) ?? [])];
      this.tokens.delete(scopeKey(scopes));
      this.tokens.set(scopeKey(scopes), await this.fetchToken(wanted, signal));
      return;
    }
    if (basic) {
      if (!isBasic(credentials)) {
        throw new RegistryError('UNAUTHORIZED', `${host} requires credentials and none are configured`);
      }
      this.scheme = { kind: 'basic' };
      if (retried) throw new RegistryError('UNAUTHORIZED', `${host} rejected the credentials of user ${credentials.username}`);
      return;
    }
    throw new RegistryError(
      'UNAUTHORIZED',
      challenges.length === 0
        ? `${host} refused the request without an authentication challenge`
        : `${host} requires authentication by a scheme Porthole does not support (${challenges.map((c) => c.scheme).join(', ')})`,
    );
  }

  /** Drops cached tokens (after `close()`, or when credentials change). */
  clear(): void {
    this.tokens.clear();
  }

  /**
   * The error for a request still refused after a fresh token: DENIED (403) when the registry says the token lacks
   * the scope (valid credentials, not allowed), UNAUTHORIZED when it did not accept the token at all.
   */
  private refusal(bearer: Challenge | undefined, scopes: readonly string[]): RegistryError {
    const host = this.options.baseUrl.host;
    const credentials = this.options.credentials;
    const who = isBasic(credentials) ? `user ${credentials.username}` : isToken(credentials) ? 'the configured token' : 'anonymous access';
    if (bearer?.params.error === 'insufficient_scope') {
      return new RegistryError('DENIED', `${host} denied ${who} the scope ${scopeKey(scopes)} (insufficient scope)`, { status: 403 });
    }
    return new RegistryError('UNAUTHORIZED', isToken(credentials) ? `${host} rejected the configured token` : `${host} did not accept the token it issued for ${who}`);
  }

  private realmUrl(realm: string): URL {
    try {
      return new URL(realm, this.options.baseUrl);
    } catch {
      throw new RegistryError('UNAUTHORIZED', `${this.options.baseUrl.host} named an invalid token realm`);
    }
  }

  private async token(scopes: readonly string[], signal?: AbortSignal): Promise<string> {
    const cached = this.tokens.get(scopeKey(scopes));
    if (cached && this.now() < cached.renewAt) return cached.value;
    return (await this.fetchToken(scopes, signal)).value;
  }

  /**
   * Fetches a token for `scopes` and caches it. Concurrent callers share one request, which therefore is not
   * tied to any one caller's signal; each caller stops waiting when its own signal aborts.
   */
  private fetchToken(scopes: readonly string[], signal?: AbortSignal): Promise<CachedToken> {
    const key = scopeKey(scopes);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.requestToken(scopes).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return abortable(pending, signal);
  }

  private async requestToken(scopes: readonly string[]): Promise<CachedToken> {
    if (this.scheme.kind !== 'bearer') throw new RegistryError('UNAUTHORIZED', 'no token realm known');
    const { realm, service } = this.scheme;
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    // One `scope` parameter per scope (distribution token spec), never space-joined.
    for (const scope of new Set(scopes)) url.searchParams.append('scope', scope);
    const credentials = this.options.credentials;
    let authorization: string | undefined;
    if (isBasic(credentials)) {
      url.searchParams.set('account', credentials.username);
      authorization = basicHeader(credentials.username, credentials.password);
    }
    const answer = await this.sendToken(url, authorization);
    const host = url.host;
    if (answer.status === 401) {
      throw new RegistryError('UNAUTHORIZED', isBasic(credentials) ? `token server ${host} rejected the credentials of user ${credentials.username}` : `token server ${host} requires credentials`);
    }
    if (answer.status === 403) throw new RegistryError('DENIED', `token server ${host} denied the request`, { status: 403 });
    if (answer.status !== 200) {
      throw new RegistryError('UNAVAILABLE', `token server ${host} answered HTTP ${answer.status}`);
    }
    const body = (answer.body ?? {}) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
    const value = typeof body.access_token === 'string' && body.access_token ? body.access_token : body.token;
    if (typeof value !== 'string' || !value) throw new RegistryError('UNAUTHORIZED', `token server ${host} sent no token`);
    // A registry that echoes request headers must not put this token into an answer, a log line or the audit log.
    registerSecret(value);
    const seconds = typeof body.expires_in === 'number' && body.expires_in > DEFAULT_TOKEN_SECONDS ? body.expires_in : DEFAULT_TOKEN_SECONDS;
    const entry = { value, renewAt: this.now() + seconds * 1000 - RENEW_MARGIN_MS };
    this.tokens.set(scopeKey(scopes), entry);
    return entry;
  }

  /**
   * Refuses realms that would leak credentials: a non-http(s) scheme, plain http when the registry uses https,
   * or a loopback/private/link-local address when the registry itself is not on one (a registry could otherwise
   * aim Porthole at internal services, cf. go-containerregistry's 2026 SSRF fix). Literal addresses, `localhost`
   * and DNS answers are all checked.
   */
  private checkRealm(realm: URL, signal?: AbortSignal): Promise<void> {
    const key = realm.origin;
    let verdict = this.realmVerdicts.get(key);
    if (!verdict) {
      verdict = this.judgeRealm(realm, signal);
      this.realmVerdicts.set(key, verdict);
      verdict.catch(() => this.realmVerdicts.delete(key));
    }
    return verdict;
  }

  private async judgeRealm(realm: URL, signal?: AbortSignal): Promise<void> {
    const base = this.options.baseUrl;
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
      throw new RegistryError('UNAUTHORIZED', `token realm of ${base.host} is not an http(s) URL; refused`);
    }
    if (base.protocol === 'https:' && realm.protocol === 'http:') {
      throw new RegistryError('UNAUTHORIZED', `token realm ${realm.host} uses plain http while ${base.host} uses https; refused`);
    }
    if (this.options.allowPrivateRealm) return;
    if (await this.targets.refuses(realm, signal)) {
      throw new RegistryError(
        'UNAUTHORIZED',
        `token realm ${realm.host} is on a loopback, private or link-local address while ${base.host} is not; refused (allowPrivateRealm allows it)`,
      );
    }
  }
}
