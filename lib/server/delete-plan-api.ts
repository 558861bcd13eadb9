/**
 * The HTTP side of the delete plan: `GET …/-/delete-plan/{digest}` as JSON, or with `Accept: application/x-ndjson`
 * as a stream of progress lines (tags resolved so far) ending with the plan; and reading the `expect` body of
 * `DELETE …/-/manifests/{digest}`.
 */
import 'server-only';
import type { DeleteExpectation, DeletePlan, DeletePlanEvent } from '@/lib/api/types';
import { isDigest } from '@/lib/oci/digest';
import { RegistryError } from '@/lib/oci/errors';
import { isValidTag } from '@/lib/oci/reference';
import type { Digest } from '@/lib/oci/types';
import { planManifestDelete } from './delete-plan';
import { readAll } from './read-all';
import { ndjsonResponse, wantsNdjson } from './ndjson';
import type { Source } from './sources';

/** Largest `expect` body: 100 000 tags of 128 characters fit. */
const MAX_EXPECT_BYTES = 16 * 1024 * 1024;

/** A progress line at most every this many tags (and at the end). */
function progressStep(total: number): number {
  return Math.max(1, Math.floor(total / 100));
}

/** The plan as JSON, or (NDJSON requested) progress lines then the plan. */
export async function deletePlanResponse(request: Request, source: Source, repo: string, digest: Digest, cascade: boolean): Promise<DeletePlan | Response> {
  const signal = request.signal;
  if (!wantsNdjson(request)) {
    return (await planManifestDelete(source, repo, digest, { cascade, signal })).plan;
  }
  return ndjsonResponse<DeletePlanEvent>('delete plan', async (emit) => {
    const onProgress = (resolved: number, total: number) => {
      if (resolved === total || resolved % progressStep(total) === 0) emit({ type: 'progress', resolved, total });
    };
    const { plan } = await planManifestDelete(source, repo, digest, { cascade, signal, onProgress });
    emit({ type: 'plan', plan });
  });
}

function badExpect(message: string): RegistryError {
  return new RegistryError('UNSUPPORTED', `expect: ${message}`, { status: 400, detail: { parameter: 'expect' } });
}

/**
 * The optional body of a manifest DELETE: `{"expect":{"manifests":[digest…],"tags":[tag…]}}` (a delete plan's
 * `expect`). No body: undefined. Throws 400 UNSUPPORTED for anything else.
 */
export async function readDeleteExpectation(request: Request): Promise<DeleteExpectation | undefined> {
  if (!request.body) return undefined;
  const text = new TextDecoder().decode(await readAll(request.body, MAX_EXPECT_BYTES));
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badExpect('the body is not valid JSON');
  }
  const expect = (body as { expect?: unknown } | null)?.expect;
  if (!expect || typeof expect !== 'object') throw badExpect('the body must be {"expect":{"manifests":[…],"tags":[…]}}');
  const { manifests, tags } = expect as { manifests?: unknown; tags?: unknown };
  if (!Array.isArray(manifests) || !manifests.every((d) => typeof d === 'string' && isDigest(d))) throw badExpect('manifests must be a list of digests');
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string' && isValidTag(t))) throw badExpect('tags must be a list of tag names');
  return { manifests: manifests as Digest[], tags: tags as string[] };
}
