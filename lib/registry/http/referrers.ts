import 'server-only';
import { isRegistryError } from '@/lib/oci/errors';
import { parseManifest, referrersFallbackTag } from '@/lib/oci/manifest';
import { MediaType } from '@/lib/oci/media-types';
import type { Descriptor, Digest, ImageIndex } from '@/lib/oci/types';
import { Scope } from './transport/auth';
import { discard, header, MAX_LIST_BODY_BYTES, tryParseJson } from './transport/body';
import { paths, type HttpContext } from './context';
import { nextLink } from './paging';
import { fetchManifest } from './reader';
import type { Exchange } from './transport/transport';

/**
 * Answers that mean "this registry has no referrers API": 404 (distribution 2.8.2 and v3 answer a text/plain
 * router miss), 400, 405, 406 and 501. A registry with the API MUST NOT answer 404 (spec), but older zot did for
 * unknown subjects; the fallback then finds nothing, which is harmless.
 */
const NO_API_STATUSES = new Set([400, 404, 405, 406, 501]);

export interface ReferrersPage {
  descriptors: Descriptor[];
  /** The registry applied the artifactType filter (`OCI-Filters-Applied: artifactType`). */
  filtered: boolean;
  next?: URL;
}

function isIndexBody(body: unknown): body is { manifests?: unknown } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const manifests = (body as { manifests?: unknown }).manifests;
  // `"manifests": null` is an empty list (cue-labs' ociserver encodes an empty result that way).
  return manifests === null || manifests === undefined || Array.isArray(manifests);
}

function descriptorsOf(body: { manifests?: unknown }): Descriptor[] {
  const list = Array.isArray(body.manifests) ? body.manifests : [];
  return list.filter(
    (d): d is Descriptor =>
      !!d && typeof d === 'object' && typeof (d as Descriptor).digest === 'string' && typeof (d as Descriptor).mediaType === 'string',
  );
}

/**
 * One page of `GET /v2/<name>/referrers/<digest>`. Returns undefined when the answer says there is no API (see
 * NO_API_STATUSES), or when a 2xx body is not a JSON index (a proxy's HTML page, a catch-all route).
 */
export async function fetchReferrersPage(ctx: HttpContext, repo: string, target: string | URL, artifactType: string | undefined, signal?: AbortSignal): Promise<ReferrersPage | undefined> {
  const response: Exchange = await ctx.client.send({
    method: 'GET',
    path: target,
    query: typeof target === 'string' && artifactType ? { artifactType } : undefined,
    headers: { accept: MediaType.OciIndex },
    scopes: [Scope.pull(repo)],
    signal,
    notFound: 'MANIFEST_UNKNOWN',
    accept: (status) => (status >= 200 && status < 300) || NO_API_STATUSES.has(status),
  });
  if (NO_API_STATUSES.has(response.status)) {
    await discard(response);
    return undefined;
  }
  const bytes = await ctx.client.readBytes(response, MAX_LIST_BODY_BYTES, 'referrers list', signal);
  const body = tryParseJson(bytes);
  if (!isIndexBody(body)) return undefined;
  const filters = (header(response, 'oci-filters-applied') ?? '').split(',').map((f) => f.trim());
  return { descriptors: descriptorsOf(body), filtered: filters.includes('artifactType'), next: nextLink(response, ctx.client.base.origin) };
}

/** What the referrers fallback tag holds. */
export interface FallbackIndex {
  tag: string;
  /** The tag exists. */
  exists: boolean;
  /** The tag exists but is not an OCI index (the spec's "not an index" case; regclient's `mirror` fixture). */
  notIndex: boolean;
  index: ImageIndex;
}

/** Reads the referrers fallback tag `<alg>-<encoded>` of `subject`: missing is an empty index. */
export async function readFallbackIndex(ctx: HttpContext, repo: string, subject: Digest, signal?: AbortSignal): Promise<FallbackIndex> {
  const tag = referrersFallbackTag(subject);
  const empty: ImageIndex = { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [] };
  let bytes: Uint8Array;
  let mediaType: string;
  try {
    const content = await fetchManifest(ctx, repo, tag, undefined, { signal });
    bytes = content.bytes;
    mediaType = content.descriptor.mediaType;
  } catch (error) {
    if (isRegistryError(error, 'MANIFEST_UNKNOWN') || isRegistryError(error, 'NAME_UNKNOWN')) {
      return { tag, exists: false, notIndex: false, index: empty };
    }
    if (isRegistryError(error, 'MANIFEST_INVALID')) return { tag, exists: true, notIndex: true, index: empty };
    throw error;
  }
  if (mediaType !== MediaType.OciIndex) return { tag, exists: true, notIndex: true, index: empty };
  const parsed = parseManifest(bytes, mediaType);
  const index = parsed.manifest as ImageIndex;
  return { tag, exists: true, notIndex: false, index: { ...index, manifests: descriptorsOf(index) } };
}

/** Whether `repo` serves the referrers API, from the cache; undefined when unknown or expired. */
export function knownReferrersApi(ctx: HttpContext, repo: string): boolean | undefined {
  const entry = ctx.learned.referrersApi.get(repo);
  return entry && entry.until > ctx.now() ? entry.available : undefined;
}

export function rememberReferrersApi(ctx: HttpContext, repo: string, available: boolean): void {
  ctx.learned.referrersApi.set(repo, { available, until: ctx.now() + ctx.options.referrersApiCacheMs });
}

/**
 * Manifests whose subject is `digest`: the referrers API when the repository has one (every page, via Link),
 * else the fallback tag. `artifactType` is filtered here unless the registry says it filtered
 * (`OCI-Filters-Applied`), and each digest is listed once.
 */
export async function* listReferrers(ctx: HttpContext, repo: string, digest: Digest, artifactType?: string, signal?: AbortSignal): AsyncGenerator<Descriptor> {
  const seen = new Set<string>();
  const keep = (d: Descriptor, filtered: boolean) => {
    if (seen.has(d.digest)) return false;
    if (artifactType !== undefined && !filtered && d.artifactType !== artifactType) return false;
    seen.add(d.digest);
    return true;
  };

  if (knownReferrersApi(ctx, repo) !== false) {
    const first = await fetchReferrersPage(ctx, repo, paths.referrers(repo, digest), artifactType, signal);
    rememberReferrersApi(ctx, repo, first !== undefined);
    if (first) {
      let page: ReferrersPage | undefined = first;
      const visited = new Set<string>();
      while (page) {
        for (const d of page.descriptors) if (keep(d, page.filtered)) yield d;
        if (!page.next || visited.has(page.next.href)) return;
        visited.add(page.next.href);
        page = await fetchReferrersPage(ctx, repo, page.next, artifactType, signal);
      }
      return;
    }
  }
  const fallback = await readFallbackIndex(ctx, repo, digest, signal);
  for (const d of fallback.index.manifests) if (keep(d, false)) yield d;
}
