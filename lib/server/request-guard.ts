/**
 * The checks every request under `/api` and `/v2` passes before routing, as pure functions of the method and
 * the raw request target (the bytes after the method on the request line, before any URL parser saw them):
 * - the target is at most {@link MAX_TARGET_LENGTH} characters (414 otherwise);
 * - its path holds no encoded `/`, `\` or NUL, only well-formed UTF-8 percent-encoding, and no dot segment,
 *   literal or encoded (`..`, `%2e%2e`, `.%2E`): a WHATWG URL parser resolves `%2e%2e` like `..`, so a path
 *   checked after parsing is already a different path (`/api/sources/ro/%2e%2e/open/…` became `open`);
 * - the method is one the path's route answers (405 with `Allow` otherwise; `TRACE` included, which the
 *   framework cannot even represent).
 *
 * Used by the server entry (scripts/serve.ts, which sees the raw target) and by `proxy.ts` (which sees the
 * framework's parsed URL, for `next dev`). Deliberately free of `server-only` and of configuration: the server
 * entry runs it outside the Next.js bundles. Refusals are RegistryErrors in the distribution-spec format.
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-5.2.4 (dot segments)
 */
import { RegistryError, toWireErrors, type WireError } from '@/lib/oci/errors';

/** Longest request target accepted (path and query). Longer ones get 414 before routing. */
export const MAX_TARGET_LENGTH = 8192;

/** Path prefixes whose every answer is the JSON error format. */
const GUARDED_PREFIXES = ['/api', '/v2'];

/** A refusal: the error to send and extra headers (`Allow` for 405). */
export interface Refusal {
  error: RegistryError;
  headers: Record<string, string>;
}

/** True for paths under `/api` or `/v2` (the JSON surfaces of Porthole). */
export function isGuardedPath(path: string): boolean {
  return GUARDED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`));
}

/** The path part of a raw request target or of an absolute URL string, without query or fragment. No decoding. */
export function rawPathOf(target: string): string {
  const withoutOrigin = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const end = withoutOrigin.search(/[?#]/);
  const path = end < 0 ? withoutOrigin : withoutOrigin.slice(0, end);
  return path === '' ? '/' : path;
}

/**
 * Refuses encoded slashes/backslashes/NULs, malformed percent-encoding (`%zz`, a lone `%`, `%C0%AF` which is no
 * UTF-8) and dot segments (literal or encoded) in a raw path. Accepts a raw target (`/api/…?…`) or a full URL
 * string. Throws NAME_INVALID (400).
 */
export function checkRawPath(target: string): void {
  const path = rawPathOf(target);
  if (/%(?:2f|5c|00)/i.test(path)) {
    throw new RegistryError('NAME_INVALID', 'encoded "/", "\\" or NUL characters are not allowed in the path');
  }
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new RegistryError('NAME_INVALID', 'the path contains malformed percent-encoding');
    }
    if (decoded === '.' || decoded === '..') throw new RegistryError('NAME_INVALID', 'dot segments are not allowed in the path');
  }
}

const READ = ['GET', 'HEAD'];

/**
 * Methods Porthole answers anywhere. Others (`TRACE`, `CONNECT`, `PROPFIND`…) are refused with 405 on every path:
 * the framework cannot build a Request for some of them and would answer a plain-text 500.
 */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Methods each route answers (HEAD and OPTIONS come with GET from the framework). Unknown `/api` paths are
 * answered by the catch-all route (404 for any method), so they are not listed. `/v2` is the registry API:
 * every method the distribution spec uses (pulls, pushes, uploads, deletes); the protocol server answers each
 * endpoint's own 405s in the spec's format.
 */
const ROUTE_METHODS: { pattern: RegExp; methods: string[] }[] = [
  { pattern: /^\/api\/health\/?$/, methods: READ },
  { pattern: /^\/api\/metrics\/?$/, methods: READ },
  { pattern: /^\/api\/sources\/?$/, methods: READ },
  { pattern: /^\/api\/sources\/[^/]+\/repositories\/?$/, methods: READ },
  { pattern: /^\/api\/sources\/[^/]+\/repositories\/.+$/, methods: [...READ, 'DELETE'] },
  { pattern: /^\/api\/sources\/[^/]+\/cleanup\/?$/, methods: ['POST'] },
  { pattern: /^\/api\/sources\/[^/]+\/deletion\/?$/, methods: READ },
  { pattern: /^\/api\/copy\/?$/, methods: ['POST'] },
  { pattern: /^\/v2(?:\/.*)?$/, methods: [...READ, 'POST', 'PUT', 'PATCH', 'DELETE'] },
];

/** The methods a path answers, or undefined for paths without a route (the catch-all answers 404). */
export function allowedMethods(path: string): string[] | undefined {
  return ROUTE_METHODS.find((route) => route.pattern.test(path))?.methods;
}

/** Throws-free method check: a refusal (405 UNSUPPORTED with `Allow`) when the route does not answer `method`. */
export function checkMethod(method: string, path: string): Refusal | undefined {
  const upper = method.toUpperCase();
  const methods = allowedMethods(path) ?? (KNOWN_METHODS.has(upper) ? undefined : [...KNOWN_METHODS].filter((m) => m !== 'OPTIONS'));
  if (!methods || upper === 'OPTIONS' || methods.includes(upper)) return undefined;
  const allow = [...methods, 'OPTIONS'].join(', ');
  return {
    error: new RegistryError('UNSUPPORTED', `method ${upper.slice(0, 16)} is not supported here (allowed: ${allow})`, { status: 405, detail: { allow } }),
    headers: { allow },
  };
}

/**
 * Every pre-routing check for one request: target length, raw path, method. Undefined when the request may be
 * routed. Outside `/api` and `/v2` (the pages) only methods Porthole never answers are refused.
 */
export function guardRequest(method: string, target: string): Refusal | undefined {
  const path = rawPathOf(target);
  if (!isGuardedPath(path)) return KNOWN_METHODS.has(method.toUpperCase()) ? undefined : checkMethod(method, path);
  if (target.length > MAX_TARGET_LENGTH) {
    return { error: new RegistryError('UNSUPPORTED', `the URL is longer than ${MAX_TARGET_LENGTH} characters`, { status: 414 }), headers: {} };
  }
  try {
    checkRawPath(path);
  } catch (error) {
    return { error: error as RegistryError, headers: {} };
  }
  return checkMethod(method, path);
}

/** Status, headers and body of a refusal, in the distribution-spec error format (never cached, never sniffed). */
export function refusalAnswer(refusal: Refusal): { status: number; headers: Record<string, string>; body: string } {
  const { status, body } = toWireErrors(refusal.error);
  const errors: WireError[] = body.errors;
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...refusal.headers,
    },
    body: JSON.stringify({ errors }),
  };
}
