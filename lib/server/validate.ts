/**
 * Validation of every path segment and query parameter of the API, before any registry call. Grammar comes
 * from `lib/oci` (repository, tag, digest); this file adds the API's own rules (n, sort, depth…) and the
 * raw-URL checks: encoded slashes and dot segments are refused, because a proxy or the router may decode them
 * into a different path than the one that was checked.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pulling-manifests
 */
import 'server-only';
import { isDigest, parseDigest } from '@/lib/oci/digest';
import { RegistryError } from '@/lib/oci/errors';
import { validateRepository, validateTag } from '@/lib/oci/reference';
import type { Digest } from '@/lib/oci/types';
import { DEFAULT_REFERRERS_DEPTH, MAX_REFERRERS_DEPTH } from '@/lib/api/referrers-depth';

/** Largest `n` accepted (distribution's default `catalog.maxentries`). */
export const MAX_PAGE = 1000;
/** Default `n` when absent. */
export const DEFAULT_PAGE = 100;
const MAX_QUERY_LENGTH = 256;

/** Bad input that has no registry error code of its own: 400 with the parameter named in `detail`. */
export function badParameter(parameter: string, message: string): RegistryError {
  return new RegistryError('UNSUPPORTED', message, { status: 400, detail: { parameter } });
}

/** The raw-path check lives with the other pre-routing checks; route handlers run it again as a second fence. */
export { checkRawPath } from './request-guard';

/** Checks catch-all segments (already decoded by the router) for characters that split or climb paths. */
export function checkSegments(segments: readonly string[]): void {
  for (const segment of segments) {
    if (segment.includes('/') || segment.includes('\\') || segment.includes('\0') || segment === '.' || segment === '..') {
      throw new RegistryError('NAME_INVALID', 'path segments must not contain "/", "\\", NUL or be "." / ".."');
    }
  }
}

export function validRepository(repo: string): string {
  validateRepository(repo);
  return repo;
}

export function validTag(tag: string): string {
  validateTag(tag);
  return tag;
}

export function validDigest(digest: string): Digest {
  parseDigest(digest);
  return digest;
}

/** A manifest reference: a digest when it contains `:`, else a tag. */
export function validReference(reference: string): { digest: Digest } | { tag: string } {
  if (reference.includes(':')) return { digest: validDigest(reference) };
  return { tag: validTag(reference) };
}

/** `n`: an integer 1..1000 (PAGINATION_NUMBER_INVALID otherwise); default {@link DEFAULT_PAGE}. */
export function pageSize(params: URLSearchParams, fallback = DEFAULT_PAGE): number {
  const raw = params.get('n');
  if (raw === null || raw === '') return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PAGE) {
    throw new RegistryError('PAGINATION_NUMBER_INVALID', `n must be an integer between 1 and ${MAX_PAGE}`, {
      detail: { n: raw.slice(0, 20) },
    });
  }
  return Number(raw);
}

/** `q`: a free-text filter, at most 256 characters. */
export function queryText(params: URLSearchParams): string | undefined {
  const q = params.get('q');
  if (q === null || q === '') return undefined;
  if (q.length > MAX_QUERY_LENGTH) throw badParameter('q', `q must be at most ${MAX_QUERY_LENGTH} characters`);
  return q;
}

/** `last` for the catalog: a repository name. */
export function lastRepository(params: URLSearchParams): string | undefined {
  const last = params.get('last');
  if (last === null || last === '') return undefined;
  return validRepository(last);
}

/** `last` for tags: a tag name. */
export function lastTag(params: URLSearchParams): string | undefined {
  const last = params.get('last');
  if (last === null || last === '') return undefined;
  return validTag(last);
}

export type SortKey = 'name' | 'version' | 'created';
export interface Sort {
  key: SortKey;
  descending: boolean;
}

/** `sort`: `name` (default), `version` or `created`; a leading `-` reverses. */
export function sortOrder(params: URLSearchParams): Sort {
  const raw = params.get('sort');
  if (raw === null || raw === '') return { key: 'name', descending: false };
  const descending = raw.startsWith('-');
  const key = descending ? raw.slice(1) : raw;
  if (key !== 'name' && key !== 'version' && key !== 'created') {
    throw badParameter('sort', 'sort must be name, version or created, optionally with a leading "-"');
  }
  return { key, descending };
}

/** A boolean parameter: `true`/`1` or `false`/`0`. */
export function flag(params: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw badParameter(name, `${name} must be true or false`);
}

/** `depth` of the referrers tree: 1..MAX_REFERRERS_DEPTH, default DEFAULT_REFERRERS_DEPTH (lib/api/referrers-depth.ts). */
export function referrersDepth(params: URLSearchParams): number {
  const raw = params.get('depth');
  if (raw === null || raw === '') return DEFAULT_REFERRERS_DEPTH;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_REFERRERS_DEPTH) {
    throw badParameter('depth', `depth must be an integer between 1 and ${MAX_REFERRERS_DEPTH}`);
  }
  return Number(raw);
}

/** `artifactType`: a media type (`type/subtype`, RFC 6838 characters). */
export function artifactTypeFilter(params: URLSearchParams): string | undefined {
  const raw = params.get('artifactType');
  if (raw === null || raw === '') return undefined;
  if (raw.length > 255 || !/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/.test(raw)) {
    throw badParameter('artifactType', 'artifactType must be a media type such as application/vnd.example+json');
  }
  return raw;
}

/** `cascade`: only `referrers` is known. */
export function cascade(params: URLSearchParams): boolean {
  const raw = params.get('cascade');
  if (raw === null || raw === '') return false;
  if (raw !== 'referrers') throw badParameter('cascade', 'cascade must be "referrers"');
  return true;
}

/** `ref` of `/open`: required, a reference `HOST/REPO[:TAG][@DIGEST]` (parsed by the caller). */
export function openRef(params: URLSearchParams): string {
  const ref = params.get('ref');
  if (ref === null || ref.trim() === '') throw new RegistryError('NAME_INVALID', 'ref is required, e.g. ?ref=registry.example.com/team/app:v1');
  if (ref.length > 512) throw new RegistryError('NAME_INVALID', 'ref is too long');
  return ref.trim();
}

export { isDigest };
