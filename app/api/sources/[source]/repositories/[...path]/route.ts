/**
 * Everything under `/api/sources/{source}/repositories/{repo}/-/…` (a repository name may contain slashes;
 * the `-` segment ends it). One catch-all: parse (`parseRepoPath`) → validate → dispatch on method + action →
 * a service in `lib/server` → JSON (or a blob stream). See docs/api.md.
 */
import { RegistryError } from '@/lib/oci/errors';
import { parseRepoPath, type RepoAction } from '@/lib/routes';
import { blobResponse } from '@/lib/server/blob-service';
import { auditDeleteRefusal } from '@/lib/server/audit-refusal';
import { deletePlanResponse, readDeleteExpectation } from '@/lib/server/delete-plan-api';
import { auditRefusedDelete, deleteManifestAudited, deleteTagAudited } from '@/lib/server/delete-service';
import { compareImages } from '@/lib/server/compare-service';
import { imageFilesResponse } from '@/lib/server/image-files-service';
import { getLayerFiles, layerFileResponse } from '@/lib/server/layer-files-service';
import { getManifestView } from '@/lib/server/manifest-service';
import { getReferrersTree } from '@/lib/server/referrers-service';
import { handle } from '@/lib/server/respond';
import { checkSameOrigin, requireDeleteUser } from '@/lib/server/safety';
import { getConfig, getSource } from '@/lib/server/sources';
import { getTagsPage } from '@/lib/server/tags-service';
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
} from '@/lib/server/validate';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

interface Context {
  params: Promise<{ source: string; path: string[] }>;
}

interface Call {
  request: Request;
  source: string;
  repo: string;
  reference?: string;
  /** File path segments after `…/files` (blobs and manifests only). */
  files?: string[];
  params: URLSearchParams;
}

type Handler = (call: Call) => Promise<unknown>;

function required(reference: string | undefined): string {
  if (reference === undefined) throw new RegistryError('UNSUPPORTED', 'this path needs a tag or digest after the action', { status: 405 });
  return reference;
}

/** Cross-site and app-auth checks of a delete; a refusal is audited too. */
async function deleteUser(call: Call, target: { tag?: string; digest?: string }): Promise<string> {
  const config = await getConfig();
  try {
    checkSameOrigin(call.request, config);
    return requireDeleteUser(call.request, config);
  } catch (error) {
    await auditRefusedDelete({ source: call.source, repository: call.repo, ...target }, error);
    throw error;
  }
}

const HANDLERS: Partial<Record<`${'GET' | 'DELETE'} ${RepoAction}`, Handler>> = {
  'GET tags': async ({ request, source, repo, reference, params }) => {
    if (reference !== undefined) throw new RegistryError('UNSUPPORTED', 'GET a tag through manifests/{tag}', { status: 405 });
    const query = { n: pageSize(params), last: lastTag(params), q: queryText(params), sort: sortOrder(params), details: flag(params, 'details', true) };
    return getTagsPage(await getSource(source), repo, query, request.signal);
  },
  'GET manifests': async ({ request, source, repo, reference, files }) => {
    const ref = required(reference);
    validReference(ref);
    if (files) return imageFilesResponse(await getSource(source), repo, ref, files, request);
    return getManifestView(await getSource(source), repo, ref, request.signal);
  },
  'GET blobs': async ({ request, source, repo, reference, files, params }) => {
    const digest = validDigest(required(reference));
    if (files?.length === 0) return getLayerFiles(await getSource(source), repo, digest, params);
    if (files) return layerFileResponse(await getSource(source), repo, digest, files, request);
    return blobResponse(await getSource(source), repo, digest, request);
  },
  'GET referrers': async ({ request, source, repo, reference, params }) => {
    const digest = validDigest(required(reference));
    const query = { depth: referrersDepth(params), artifactType: artifactTypeFilter(params) };
    return getReferrersTree(await getSource(source), repo, digest, query, request.signal);
  },
  'GET compare': async ({ source, repo, reference, params }) => {
    if (reference !== undefined) throw new RegistryError('UNSUPPORTED', 'compare takes ?from=&to=, not a path segment', { status: 405 });
    return compareImages(source, repo, params);
  },
  'DELETE tags': async (call) => {
    const tag = validTag(required(call.reference));
    const user = await deleteUser(call, { tag });
    return deleteTagAudited(call.source, call.repo, tag, user);
  },
  'GET delete-plan': async ({ request, source, repo, reference, params }) => {
    const digest = validDigest(required(reference));
    return deletePlanResponse(request, await getSource(source), repo, digest, cascade(params));
  },
  'DELETE manifests': async (call) => {
    const digest = validDigest(required(call.reference));
    const cascadeReferrers = cascade(call.params);
    const expect = await readDeleteExpectation(call.request);
    const user = await deleteUser(call, { digest });
    return deleteManifestAudited(call.source, call.repo, digest, user, { cascadeReferrers, ...(expect ? { expect } : {}) });
  },
};

function dispatch(method: 'GET' | 'DELETE', request: Request, context: Context): Promise<Response> {
  return handle(request, async () => {
    const { source, path } = await context.params;
    try {
      checkRawPath(request.url);
      checkSegments([source, ...path]);
      const parsed = parseRepoPath(path);
      if (!parsed) throw new RegistryError('NAME_INVALID', 'expected {repository}/-/{tags|manifests|blobs|referrers|delete-plan|compare}[/{reference}[/files/{path…}]]');
      validRepository(parsed.repo);
      if (parsed.files && method !== 'GET') throw new RegistryError('UNSUPPORTED', 'files inside images are read-only', { status: 405 });
      const handler = HANDLERS[`${method} ${parsed.action}`];
      if (!handler) throw new RegistryError('UNSUPPORTED', `${method} is not supported on ${parsed.action}`, { status: 405 });
      const call: Call = { request, source, repo: parsed.repo, params: new URL(request.url).searchParams };
      if (parsed.reference !== undefined) call.reference = parsed.reference;
      if (parsed.files) call.files = parsed.files;
      return await handler(call);
    } catch (error) {
      // A refused delete is audited too, whatever refused it (the services record their own attempts).
      if (method === 'DELETE') await auditDeleteRefusal(request, source, path, error);
      throw error;
    }
  });
}

export function GET(request: Request, context: Context): Promise<Response> {
  return dispatch('GET', request, context);
}

export function DELETE(request: Request, context: Context): Promise<Response> {
  return dispatch('DELETE', request, context);
}
