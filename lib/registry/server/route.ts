/**
 * The path grammar of `/v2`: which endpoint a request path names, with its repository name, reference, digest
 * or upload id checked before anything is looked up. Names follow the distribution-spec repository grammar
 * (lib/oci/reference.ts), digests must be sha256 or sha512 with the right length, tags the tag grammar.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#endpoints
 */
import 'server-only';
import { parseDigest } from '@/lib/oci/digest';
import { RegistryError } from '@/lib/oci/errors';
import { validateRepository } from '@/lib/oci/reference';
import type { Digest } from '@/lib/oci/types';

export type Route =
  | { kind: 'ping' }
  | { kind: 'catalog' }
  | { kind: 'tags'; name: string }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'uploads'; name: string }
  | { kind: 'upload'; name: string; id: string }
  | { kind: 'referrers'; name: string; digest: string };

// The name is everything before the endpoint's own segments (greedy, so a name may contain any component).
const PATTERNS: [RegExp, (m: RegExpExecArray) => Route][] = [
  [/^\/v2\/?$/, () => ({ kind: 'ping' })],
  [/^\/v2\/_catalog$/, () => ({ kind: 'catalog' })],
  [/^\/v2\/(.+)\/tags\/list$/, (m) => ({ kind: 'tags', name: m[1]! })],
  [/^\/v2\/(.+)\/manifests\/([^/]+)$/, (m) => ({ kind: 'manifest', name: m[1]!, reference: m[2]! })],
  [/^\/v2\/(.+)\/blobs\/uploads\/?$/, (m) => ({ kind: 'uploads', name: m[1]! })],
  [/^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/, (m) => ({ kind: 'upload', name: m[1]!, id: m[2]! })],
  [/^\/v2\/(.+)\/blobs\/([^/]+)$/, (m) => ({ kind: 'blob', name: m[1]!, digest: m[2]! })],
  [/^\/v2\/(.+)\/referrers\/([^/]+)$/, (m) => ({ kind: 'referrers', name: m[1]!, digest: m[2]! })],
];

/** Upload ids are UUIDs (`crypto.randomUUID`). */
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The route of a raw (not decoded) path. Throws NAME_INVALID / DIGEST_INVALID / a 404 for unknown paths. */
export function parseRoute(pathname: string): Route {
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(pathname);
    if (!match) continue;
    const route = build(match);
    if ('name' in route) validateRepository(route.name);
    if (route.kind === 'blob' || route.kind === 'referrers') checkDigest(route.digest);
    if (route.kind === 'upload' && !UPLOAD_ID.test(route.id)) {
      throw new RegistryError('BLOB_UPLOAD_UNKNOWN', 'upload id is not one this registry hands out');
    }
    return route;
  }
  throw new RegistryError('NAME_UNKNOWN', 'no such registry endpoint', { status: 404, detail: { path: pathname.slice(0, 200) } });
}

/** Checks a digest: the image-spec grammar, sha256 or sha512 only (`parseDigest` refuses the rest). */
export function checkDigest(value: string): Digest {
  parseDigest(value);
  return value;
}

/** True when a manifest reference is a digest (has a `:`); tags never contain one. */
export function isDigestReference(reference: string): boolean {
  return reference.includes(':');
}

/** Splits `<source>/<repo>`; a name with a single component names no repository of any source. */
export function splitName(name: string): { source: string; repo: string } | undefined {
  const slash = name.indexOf('/');
  if (slash <= 0) return undefined;
  return { source: name.slice(0, slash), repo: name.slice(slash + 1) };
}
