/**
 * The request parser of `/api/sources/{source}/repositories/{repo…}/-/{action}[/{reference}[/files/{path…}]]`:
 * raw-path and segment checks, the path grammar (`parseRepoPath`), the method allowed on each action and each
 * action's own parameters, all validated before any registry call. The result names exactly one service call
 * (`repo-actions.ts` makes it). See docs/api.md.
 */
import 'server-only';
import type { DeleteExpectation } from '@/lib/api/types';
import { RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import { parseRepoPath } from '@/lib/routes';
import { readDeleteExpectation } from './delete-plan-api';
import type { ReferrersQuery } from './referrers-service';
import type { TagsQuery } from './tags-service';
import {
  artifactTypeFilter,
  cascade,
  checkRawPath,
  checkSegments,
  flag,
  lastTag,
  pageSize,
  queryText,
  referrersDepth,
  sortOrder,
  validDigest,
  validReference,
  validRepository,
  validTag,
} from './validate';

/** The methods the catch-all route answers. */
export type RepoMethod = 'GET' | 'DELETE';

interface Target {
  source: string;
  repo: string;
}

/** One parsed, validated repository request. */
export type RepoRequest = Target &
  (
    | { action: 'list-tags'; query: TagsQuery }
    | { action: 'manifest'; reference: string; files?: string[] }
    | { action: 'blob'; digest: Digest; files?: string[]; params: URLSearchParams }
    | { action: 'referrers'; digest: Digest; query: ReferrersQuery }
    | { action: 'compare'; params: URLSearchParams }
    | { action: 'delete-plan'; digest: Digest; cascade: boolean }
    | { action: 'delete-tag'; tag: string }
    | { action: 'delete-manifest'; digest: Digest; cascade: boolean; expect?: DeleteExpectation }
  );

function required(reference: string | undefined): string {
  if (reference === undefined) throw new RegistryError('UNSUPPORTED', 'this path needs a tag or digest after the action', { status: 405 });
  return reference;
}

function unsupported(method: RepoMethod, action: string): RegistryError {
  return new RegistryError('UNSUPPORTED', `${method} is not supported on ${action}`, { status: 405 });
}

/**
 * Parses and validates a request to the repository catch-all. `path` is the router's decoded catch-all; the
 * body is read only for a manifest DELETE (its optional `expect`). Throws NAME_INVALID, TAG_INVALID,
 * DIGEST_INVALID, PAGINATION_NUMBER_INVALID, 400 UNSUPPORTED (bad parameter) and 405 UNSUPPORTED (a method or
 * reference the action does not take).
 */
export async function parseRepoRequest(method: RepoMethod, request: Request, source: string, path: readonly string[]): Promise<RepoRequest> {
  checkRawPath(request.url);
  checkSegments([source, ...path]);
  const parsed = parseRepoPath(path);
  if (!parsed) throw new RegistryError('NAME_INVALID', 'expected {repository}/-/{tags|manifests|blobs|referrers|delete-plan|compare}[/{reference}[/files/{path…}]]');
  const target: Target = { source, repo: validRepository(parsed.repo) };
  if (parsed.files && method !== 'GET') throw new RegistryError('UNSUPPORTED', 'files inside images are read-only', { status: 405 });
  const params = new URL(request.url).searchParams;
  const { reference, files } = parsed;
  const withFiles = files ? { files } : {};
  switch (`${method} ${parsed.action}`) {
    case 'GET tags':
      if (reference !== undefined) throw new RegistryError('UNSUPPORTED', 'GET a tag through manifests/{tag}', { status: 405 });
      return {
        ...target,
        action: 'list-tags',
        query: { n: pageSize(params), last: lastTag(params), q: queryText(params), sort: sortOrder(params), details: flag(params, 'details', true) },
      };
    case 'GET manifests': {
      const ref = required(reference);
      validReference(ref);
      return { ...target, action: 'manifest', reference: ref, ...withFiles };
    }
    case 'GET blobs':
      return { ...target, action: 'blob', digest: validDigest(required(reference)), ...withFiles, params };
    case 'GET referrers': {
      const digest = validDigest(required(reference));
      return { ...target, action: 'referrers', digest, query: { depth: referrersDepth(params), artifactType: artifactTypeFilter(params) } };
    }
    case 'GET compare':
      if (reference !== undefined) throw new RegistryError('UNSUPPORTED', 'compare takes ?from=&to=, not a path segment', { status: 405 });
      return { ...target, action: 'compare', params };
    case 'GET delete-plan':
      return { ...target, action: 'delete-plan', digest: validDigest(required(reference)), cascade: cascade(params) };
    case 'DELETE tags':
      return { ...target, action: 'delete-tag', tag: validTag(required(reference)) };
    case 'DELETE manifests': {
      const digest = validDigest(required(reference));
      const cascadeReferrers = cascade(params);
      const expect = await readDeleteExpectation(request);
      return { ...target, action: 'delete-manifest', digest, cascade: cascadeReferrers, ...(expect ? { expect } : {}) };
    }
    default:
      throw unsupported(method, parsed.action);
  }
}
