/**
 * Request safety for anything that changes a registry:
 * - cross-site refusal: a non-GET request whose `Host` is not a configured name (loopback, `publicUrl`,
 *   `allowedHosts`), whose `Origin` is not an allowed one, or whose `Sec-Fetch-Site` is `cross-site`, is refused
 *   with 403 DENIED. This is what stops another web page, or a DNS-rebinding one, from making a browser delete
 *   images (CSRF).
 * - app auth: with `auth` configured, deletes need a user, either from a bearer token in the configured list or
 *   from a trusted reverse proxy's user header (UNAUTHORIZED otherwise).
 * @see https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Sec-Fetch-Site
 */
import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { RegistryError } from '@/lib/oci/errors';
import { allowedHostPatterns, isAllowedHost } from './allowed-hosts';
import type { AuthConfig, PortholeConfig } from './config';

/**
 * Throws DENIED (403) when a state-changing request may come from another site. GET/HEAD/OPTIONS pass: they
 * change nothing. For every other method:
 * - `Host` must be a name Porthole is configured to be reached at ({@link allowedHostPatterns}: loopback, the
 *   host of `publicUrl`, `allowedHosts`) — this is what defeats DNS rebinding, where the attacker's page is
 *   same-origin with itself and Origin equals Host;
 * - `Sec-Fetch-Site: cross-site` is refused;
 * - `Origin`, when present, must be one of `allowedOrigins` or an http(s) origin whose host is allowed (never
 *   compared with the request's own Host, which the attacker chose). Requests without `Origin` and without
 *   `Sec-Fetch-Site` (curl, scripts) pass the origin part; browsers send at least one on a cross-origin DELETE.
 */
export function checkSameOrigin(request: Request, config: Pick<PortholeConfig, 'allowedOrigins' | 'publicUrl' | 'allowedHosts'>): void {
  const method = request.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return;
  const patterns = allowedHostPatterns(config);
  const host = request.headers.get('host');
  if (!host || !isAllowedHost(host, patterns)) {
    throw new RegistryError('DENIED', 'this host name may not change registries (configure publicUrl or allowedHosts)', {
      detail: { host: (host ?? '').slice(0, 100) },
    });
  }
  const site = request.headers.get('sec-fetch-site');
  if (site && site.toLowerCase() === 'cross-site') {
    throw new RegistryError('DENIED', 'cross-site requests may not change registries');
  }
  const origin = request.headers.get('origin');
  if (origin === null) return;
  if (!isAllowedOrigin(origin, config.allowedOrigins, patterns)) {
    throw new RegistryError('DENIED', 'requests from another origin may not change registries');
  }
}

function isAllowedOrigin(origin: string, allowedOrigins: readonly string[], patterns: Parameters<typeof isAllowedHost>[1]): boolean {
  if (origin === 'null') return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (allowedOrigins.includes(url.origin)) return true;
  return (url.protocol === 'http:' || url.protocol === 'https:') && isAllowedHost(url.host, patterns);
}

function sameSecret(a: string, b: string): boolean {
  // Hash first so that the comparison takes the same time whatever the lengths.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** The name of the configured token equal to `presented` (compared in constant time), or undefined. */
export function tokenUser(auth: AuthConfig, presented: string): string | undefined {
  let match: string | undefined;
  for (const token of auth.tokens) if (sameSecret(presented, token.token)) match ??= token.name;
  return match;
}

/**
 * The authenticated app user of a request, or undefined. A bearer token must match one configured token
 * (its `name` is the user); the proxy header is trusted as is (deploy Porthole reachable only through that proxy).
 */
export function requestUser(request: Request, auth: AuthConfig | undefined): string | undefined {
  if (!auth) return undefined;
  const authorization = request.headers.get('authorization');
  if (authorization && /^bearer\s+/i.test(authorization)) {
    const match = tokenUser(auth, authorization.replace(/^bearer\s+/i, '').trim());
    if (match) return match;
  }
  if (auth.proxyUserHeader) {
    const user = request.headers.get(auth.proxyUserHeader)?.trim();
    if (user) return user.slice(0, 200);
  }
  return undefined;
}

/**
 * The user for a delete: with app auth configured an authenticated user is required (UNAUTHORIZED otherwise);
 * without it the user is `anonymous` (still recorded in the audit log). `doing` names the action in the message
 * (copies use the same rule).
 */
export function requireDeleteUser(request: Request, config: Pick<PortholeConfig, 'auth'>, doing = 'deleting'): string {
  if (!config.auth) return 'anonymous';
  const user = requestUser(request, config.auth);
  if (!user) {
    throw new RegistryError('UNAUTHORIZED', `${doing} needs an authenticated user (a configured bearer token or the proxy user header)`);
  }
  return user;
}
