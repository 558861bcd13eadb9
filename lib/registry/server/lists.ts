/**
 * The list endpoints: `_catalog` over every served source the caller may read, `tags/list` of one repository
 * (both paged with `n`/`last` and a `Link` to the next page), and the referrers API (all referrers of a digest
 * as an OCI index, `artifactType` filtered here, announced with `OCI-Filters-Applied`).
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#listing-tags
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#listing-referrers
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { MediaType } from '@/lib/oci/media-types';
import { compareByteOrder } from '@/lib/registry/iter';
import type { Descriptor } from '@/lib/registry/registry';
import { authorize, mayRead } from './access';
import type { Call } from './call';
import { replyJson } from './respond';

/** Page size without `n`, and the largest `n` accepted (distribution's `catalog.maxentries` default). */
export const MAX_PAGE = 1000;
/** Referrers listed for one subject at most; the API answers in one page. */
const MAX_REFERRERS = 10_000;

/** `n` of a list request: absent → {@link MAX_PAGE}; not an integer in 0..MAX_PAGE → PAGINATION_NUMBER_INVALID. */
function pageSize(params: URLSearchParams): number {
  const raw = params.get('n');
  if (raw === null || raw === '') return MAX_PAGE;
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_PAGE) {
    throw new RegistryError('PAGINATION_NUMBER_INVALID', `n must be an integer between 0 and ${MAX_PAGE}`, { detail: { n: raw.slice(0, 20) } });
  }
  return Number(raw);
}

/** Takes up to `n` items and tells whether more follow. */
async function page(items: AsyncIterable<string>, n: number): Promise<{ items: string[]; more: boolean }> {
  const out: string[] = [];
  if (n === 0) return { items: out, more: false };
  for await (const item of items) {
    if (out.length === n) return { items: out, more: true };
    out.push(item);
  }
  return { items: out, more: false };
}

function link(path: string, n: number, last: string): Record<string, string> {
  return { link: `<${path}?n=${n}&last=${encodeURIComponent(last)}>; rel="next"` };
}

/** Codes that leave a source out of the catalog instead of failing it (it cannot or may not list). */
const SKIPPED = new Set(['UNSUPPORTED', 'DENIED', 'UNAUTHORIZED']);

/** `GET /v2/_catalog`: `<source>/<repo>` of every readable served source, sources in byte order of their names. */
export async function catalog(call: Call): Promise<Response> {
  const n = pageSize(call.url.searchParams);
  const last = call.url.searchParams.get('last') ?? '';
  const slash = last.indexOf('/');
  const [lastSource, lastRepo] = slash < 0 ? [last, undefined] : [last.slice(0, slash), last.slice(slash + 1)];
  const all = [...(await call.options.sources())].sort((a, b) => compareByteOrder(a.name, b.name));
  const readable = all.filter((source) => mayRead(call.caller, source, call.options));
  if (call.options.auth && call.caller.user === undefined && readable.length === 0) {
    throw new RegistryError('UNAUTHORIZED', 'authentication required');
  }
  const signal = call.request.signal;
  async function* names(): AsyncGenerator<string> {
    for (const source of readable) {
      if (last && compareByteOrder(source.name, lastSource) < 0) continue;
      const startAfter = source.name === lastSource ? lastRepo : undefined;
      try {
        for await (const repo of source.registry.listRepositories({ signal, pageSize: Math.min(MAX_PAGE, n + 1), ...(startAfter ? { startAfter } : {}) })) {
          yield `${source.name}/${repo}`;
        }
      } catch (error) {
        if (!(error instanceof RegistryError && SKIPPED.has(error.code))) throw error;
      }
    }
  }
  const result = await page(names(), n);
  const headers = result.more ? link('/v2/_catalog', n, result.items.at(-1)!) : {};
  return replyJson({ repositories: result.items }, 200, headers);
}

/** `GET /v2/<name>/tags/list`. */
export async function tags(call: Call, name: string): Promise<Response> {
  const { source, repo } = await authorize(name, 'pull', call.caller, call.options);
  const n = pageSize(call.url.searchParams);
  const last = call.url.searchParams.get('last') || undefined;
  const listed = source.registry.listTags(repo, { signal: call.request.signal, pageSize: Math.min(MAX_PAGE, n + 1), ...(last ? { startAfter: last } : {}) });
  const result = await page(listed, n);
  const headers = result.more ? link(`/v2/${name}/tags/list`, n, result.items.at(-1)!) : {};
  return replyJson({ name, tags: result.items }, 200, headers);
}

/** The descriptor as listed: the fields a referrers index entry has, nothing undefined. */
function entry(descriptor: Descriptor): Descriptor {
  const out: Descriptor = { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
  if (descriptor.artifactType !== undefined) out.artifactType = descriptor.artifactType;
  if (descriptor.annotations && Object.keys(descriptor.annotations).length > 0) out.annotations = descriptor.annotations;
  return out;
}

/** `GET /v2/<name>/referrers/<digest>[?artifactType=…]`: never 404 for a served repository. */
export async function referrers(call: Call, name: string, digest: string): Promise<Response> {
  const { source, repo } = await authorize(name, 'pull', call.caller, call.options);
  const filters = call.url.searchParams.getAll('artifactType').filter((value) => value !== '');
  const options = { signal: call.request.signal, ...(filters.length === 1 ? { artifactType: filters[0] } : {}) };
  const manifests: Descriptor[] = [];
  try {
    for await (const descriptor of source.registry.listReferrers(repo, digest, options)) {
      if (filters.length > 0 && !filters.includes(descriptor.artifactType ?? '')) continue;
      manifests.push(entry(descriptor));
      if (manifests.length >= MAX_REFERRERS) break;
    }
  } catch (error) {
    // An unknown repository of a served source has no referrers; the API must not answer 404 for that.
    if (!(error instanceof RegistryError && error.code === 'NAME_UNKNOWN')) throw error;
  }
  const headers: Record<string, string> = filters.length > 0 ? { 'oci-filters-applied': 'artifactType' } : {};
  const index = { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests };
  return replyJson(index, 200, headers, MediaType.OciIndex);
}
