import 'server-only';
import { isRegistryError } from '@/lib/oci/errors';
import { validateRepository } from '@/lib/oci/reference';
import type { Capabilities, CallOptions } from '@/lib/registry/registry';
import { Scope } from './transport/auth';
import { discard } from './transport/body';
import { paths, type HttpContext } from './context';
import { errorFromResponse } from './transport/errors';
import { fetchReferrersPage, knownReferrersApi, rememberReferrersApi } from './referrers';

/** A digest no manifest can have: deleting it changes nothing, and the answer tells whether deletes work. */
const PROBE_DIGEST = `sha256:${'0'.repeat(64)}`;

/**
 * Is `DELETE /manifests/<digest>` enabled? Probed with a digest that cannot exist: 405 means disabled
 * (distribution without `storage.delete.enabled`), 404 or 202 enabled, 401/403 not allowed for these
 * credentials. Undefined when the answer says nothing. Cached for the registry (deletion is a registry setting).
 */
export async function probeManifestDelete(ctx: HttpContext, repo: string, signal?: AbortSignal): Promise<boolean | undefined> {
  try {
    const response = await ctx.client.send({
      method: 'DELETE',
      path: paths.manifest(repo, PROBE_DIGEST),
      scopes: [Scope.delete(repo)],
      signal,
      accept: (status) => status !== 401,
    });
    await discard(response);
    if (response.status === 405) ctx.learned.manifestDelete = false;
    else if (response.status === 404 || response.status === 202) ctx.learned.manifestDelete = true;
    else if (response.status === 401 || response.status === 403) return false;
    return ctx.learned.manifestDelete;
  } catch (error) {
    if (isRegistryError(error, 'UNAUTHORIZED') || isRegistryError(error, 'DENIED')) return false;
    throw error;
  }
}

/**
 * How tags can be deleted, probed with a tag that does not exist: 202 or a spec 404 means the registry deletes
 * tags itself; distribution 2.x answers 400 DIGEST_INVALID (deletion on: placeholder route) or 405 (off).
 */
async function probeTagDelete(ctx: HttpContext, repo: string, signal?: AbortSignal): Promise<Capabilities['tagDelete']> {
  const response = await ctx.client.send({
    method: 'DELETE',
    path: paths.manifest(repo, `porthole-probe-${Date.now().toString(36)}`),
    scopes: [Scope.delete(repo)],
    signal,
    accept: (status) => status !== 401,
  });
  if (response.status === 202) {
    await discard(response);
    return 'native';
  }
  if (response.status === 401 || response.status === 403) {
    await discard(response);
    return 'unsupported';
  }
  // A text/plain router miss must not pass for the spec's JSON MANIFEST_UNKNOWN: hence UNKNOWN as fallback.
  const error = await errorFromResponse(response, { notFound: 'UNKNOWN' });
  if (response.status === 404 && error.code === 'MANIFEST_UNKNOWN') return 'native';
  // A spec registry (Porthole's /v2, zot) names a repository that does not exist yet: nothing to learn until it does.
  if (response.status === 404 && error.code === 'NAME_UNKNOWN') return 'unknown';
  if (response.status === 400 && error.code === 'DIGEST_INVALID') {
    ctx.learned.manifestDelete = true;
    return 'placeholder';
  }
  const manifestDelete = ctx.learned.manifestDelete ?? (await probeManifestDelete(ctx, repo, signal));
  return manifestDelete === true ? 'placeholder' : manifestDelete === false ? 'unsupported' : 'unknown';
}

async function probeCatalog(ctx: HttpContext, signal?: AbortSignal): Promise<boolean> {
  try {
    const response = await ctx.client.send({ method: 'GET', path: paths.catalog(), query: { n: '1' }, scopes: [Scope.catalog], signal });
    await discard(response);
    return true;
  } catch (error) {
    if (isRegistryError(error)) {
      if (error.status === 404 || error.code === 'UNSUPPORTED' || error.code === 'UNAUTHORIZED' || error.code === 'DENIED') return false;
      // distribution with a small catalog.maxentries refuses n=1 only if maxentries < 1, i.e. never; anything
      // else (5xx, timeouts) says nothing about the feature.
      if (error.code === 'PAGINATION_NUMBER_INVALID') return true;
    }
    throw error;
  }
}

async function probeReferrersApi(ctx: HttpContext, repo: string, signal?: AbortSignal): Promise<boolean> {
  const known = knownReferrersApi(ctx, repo);
  if (known !== undefined) return known;
  const page = await fetchReferrersPage(ctx, repo, paths.referrers(repo, PROBE_DIGEST), undefined, signal);
  rememberReferrersApi(ctx, repo, page !== undefined);
  return page !== undefined;
}

/** Runs a probe; a failure (registry down, timeout) leaves the capability 'unknown' instead of failing the call. */
async function settle<T>(probe: () => Promise<T>, signal?: AbortSignal): Promise<T | 'unknown'> {
  try {
    return await probe();
  } catch {
    signal?.throwIfAborted();
    return 'unknown';
  }
}

/**
 * What this registry can do, probed lazily and cached: the catalog, manifest deletion, tag deletion and the
 * referrers API (the last three need a repository). Probes never change content: they delete a digest and a tag
 * that cannot exist and read referrers of that digest.
 */
export async function capabilities(ctx: HttpContext, repo?: string, options?: CallOptions): Promise<Capabilities> {
  const signal = options?.signal;
  if (repo !== undefined) validateRepository(repo);
  const catalog = ctx.learned.catalog ?? (await settle(() => probeCatalog(ctx, signal), signal));
  if (typeof catalog === 'boolean') ctx.learned.catalog = catalog;
  if (repo === undefined) {
    return {
      catalog,
      write: ctx.learned.write ?? 'unknown',
      manifestDelete: ctx.learned.manifestDelete ?? 'unknown',
      tagDelete: ctx.learned.tagDelete ?? 'unknown',
      referrersApi: 'unknown',
    };
  }
  const manifestDelete = ctx.learned.manifestDelete ?? (await settle(() => probeManifestDelete(ctx, repo, signal), signal));
  const tagDelete = ctx.learned.tagDelete ?? (await settle(() => probeTagDelete(ctx, repo, signal), signal));
  if (tagDelete !== 'unknown') ctx.learned.tagDelete = tagDelete;
  const referrersApi = await settle(() => probeReferrersApi(ctx, repo, signal), signal);
  return {
    catalog,
    write: ctx.learned.write ?? 'unknown',
    manifestDelete: manifestDelete ?? 'unknown',
    tagDelete,
    referrersApi,
  };
}
