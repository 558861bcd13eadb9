/**
 * Request safety for anything that changes a registry:
 * - cross-site refusal: a non-GET request whose `Origin` is not this app's origin (or one of
 *   `allowedOrigins`), or whose `Sec-Fetch-Site` is `cross-site`, is refused with 403 DENIED. This is what
 *   stops another web page from making a logged-in browser delete images (CSRF).
 * - app auth: with `auth` configured, deletes need a user, either from a bearer token in the configured list or
 *   from a trusted reverse proxy's user header (UNAUTHORIZED otherwise).
 * @see https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Sec-Fetch-Site
 */
import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { RegistryError } from '@/lib/oci/errors';
import type { AuthConfig, PortholeConfig } from './config';

/** The origins this request may come from: its own host (and the proxy's forwarded host), plus configured ones. */
function ownOrigins(request: Request, config: Pick<PortholeConfig, 'allowedOrigins'>): Set<string> {
  const origins = new Set(config.allowedOrigins);
  const url = new URL(request.url);
  origins.add(url.origin);
  const host = request.headers.get('host');
  const forwardedHost = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  const forwardedProto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  for (const h of [host, forwardedHost]) {
    if (!h) continue;
    for (const proto of new Set([url.protocol.replace(':', ''), forwardedProto ?? 'https', 'http', 'https'])) {
      origins.add(`${proto}://${h}`.toLowerCase());
    }
  }
  return origins;
}

/**
 * Throws DENIED (403) when a state-changing request comes from another site. GET/HEAD/OPTIONS pass: they
 * change nothing. Requests without `Origin` and without `Sec-Fetch-Site` (curl, scripts) pass too; browsers
 * always send at least one of them on a cross-origin DELETE.
 */
export function checkSameOrigin(request: Request, config: Pick<PortholeConfig, 'allowedOrigins'>): void {
  const method = request.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return;
  const site = request.headers.get('sec-fetch-site');
  if (site && site.toLowerCase() === 'cross-site') {
    throw new RegistryError('DENIED', 'cross-site requests may not change registries');
  }
  const origin = request.headers.get('origin');
  if (origin === null) return;
  if (origin === 'null' || !ownOrigins(request, config).has(origin.toLowerCase())) {
    throw new RegistryError('DENIED', 'requests from another origin may not change registries');
  }
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
 * without it the user is `anonymous` (still recorded in the audit log).
 */
export function requireDeleteUser(request: Request, config: Pick<PortholeConfig, 'auth'>): string {
  if (!config.auth) return 'anonymous';
  const user = requestUser(request, config.auth);
  if (!user) {
    throw new RegistryError('UNAUTHORIZED', 'deleting needs an authenticated user (a configured bearer token or the proxy user header)');
  }
  return user;
}
