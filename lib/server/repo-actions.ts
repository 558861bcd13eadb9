/**
 * Answers a parsed repository request (`repo-request.ts`) with the one service it names: JSON-able data, or a
 * Response for blobs, files and streamed delete plans. A refused DELETE is audited whatever refused it (the
 * delete service records its own attempts; `auditDeleteRefusal` skips those).
 */
import 'server-only';
import { auditDeleteRefusal } from './audit-refusal';
import { blobResponse } from './blob-service';
import { compareImages } from './compare-service';
import { deletePlanResponse } from './delete-plan-api';
import { deleteManifestRequested, deleteTagRequested } from './delete-service';
import { imageFilesResponse } from './image-files-service';
import { getLayerFiles, layerFileResponse } from './layer-files-service';
import { getManifestView } from './manifest-service';
import { getReferrersTree } from './referrers-service';
import { parseRepoRequest, type RepoMethod, type RepoRequest } from './repo-request';
import { getSource } from './sources';
import { getTagsPage } from './tags-service';
import { wantsNdjson } from './ndjson';
import { tagsStreamResponse } from './tags-stream';

async function answer(request: Request, call: RepoRequest): Promise<unknown> {
  const { source, repo } = call;
  const signal = request.signal;
  switch (call.action) {
    case 'list-tags':
      if (call.query.details && wantsNdjson(request)) return tagsStreamResponse(await getSource(source), repo, call.query.q, signal);
      return getTagsPage(await getSource(source), repo, call.query, signal);
    case 'manifest':
      if (call.files) return imageFilesResponse(await getSource(source), repo, call.reference, call.files, request);
      return getManifestView(await getSource(source), repo, call.reference, signal);
    case 'blob':
      if (call.files?.length === 0) return getLayerFiles(await getSource(source), repo, call.digest, call.params);
      if (call.files) return layerFileResponse(await getSource(source), repo, call.digest, call.files, request);
      return blobResponse(await getSource(source), repo, call.digest, request);
    case 'referrers':
      return getReferrersTree(await getSource(source), repo, call.digest, call.query, signal);
    case 'compare':
      return compareImages(source, repo, call.params);
    case 'delete-plan':
      return deletePlanResponse(request, await getSource(source), repo, call.digest, call.cascade);
    case 'delete-tag':
      return deleteTagRequested(request, source, repo, call.tag);
    case 'delete-manifest':
      return deleteManifestRequested(request, source, repo, call.digest, { cascadeReferrers: call.cascade, ...(call.expect ? { expect: call.expect } : {}) });
  }
}

/**
 * Parses, validates and answers one request to `/api/sources/{source}/repositories/{path…}`; throws the
 * RegistryError to send. A DELETE that fails at any step is in the audit log.
 */
export async function answerRepoRequest(method: RepoMethod, request: Request, source: string, path: readonly string[]): Promise<unknown> {
  try {
    return await answer(request, await parseRepoRequest(method, request, source, path));
  } catch (error) {
    if (method === 'DELETE') await auditDeleteRefusal(request, source, path, error);
    throw error;
  }
}
