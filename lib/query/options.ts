/**
 * Query options for every API read, in one place. Digest-addressed data is immutable: never refetched.
 * Tag-addressed data is refreshed in the background.
 */
import { experimental_streamedQuery as streamedQuery, queryOptions } from '@tanstack/react-query';
import { isRegistryError } from '@/lib/oci/errors';
import { clientFetchers } from './client-fetchers';
import { isDigest } from '@/lib/oci/digest';
import { registryKeys, type CompareQueryParams, type TagsQueryParams } from './keys';
import { readAllPages } from './pages';
import { EMPTY_TAG_STREAM, foldTagEvents, streamTags } from './tag-stream';

/** Tag lists and tag-addressed manifests go stale after this long (refetched in the background). */
export const TAG_STALE_MS = 30_000;

/** How often the sources page asks for every source's live status again. */
export const SOURCE_STATUS_REFRESH_MS = 15_000;

/** How often a manifest page asks again while the server is still resolving the repository's tags. */
export const TAGS_CHECK_POLL_MS = 2_000;

/** Client errors (4xx) are answers, not glitches: do not retry them. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isRegistryError(error) && error.status >= 400 && error.status < 500 && error.status !== 429) return false;
  return failureCount < 2;
}

/** The reads the query options need; the browser's go through the API, the server's call the services. */
export type RegistryFetchers = Pick<typeof clientFetchers, 'sources' | 'repositories' | 'catalog' | 'tags' | 'manifest' | 'referrers' | 'compare'>;

/**
 * The query options of every API read, built on `fetchers`: the browser uses {@link registryQueries}, the
 * server's prefetch the same options over its own fetchers, so keys, stale times and paging cannot drift.
 */
export function createRegistryQueries(fetchers: RegistryFetchers) {
  return {
    sources: () =>
      queryOptions({
        queryKey: registryKeys.sources(),
        queryFn: ({ signal }) => fetchers.sources(signal),
        staleTime: 5 * 60_000,
      }),
    /**
     * The whole catalog in one answer (the list the server keeps), for instant filtering on the client. Asked
     * again every few seconds while the server is refreshing it, so a newer list replaces a stale one.
     */
    repositories: (source: string) =>
      queryOptions({
        queryKey: registryKeys.repositories(source),
        queryFn: ({ signal }) => fetchers.catalog(source, {}, signal),
        staleTime: 60_000,
        refetchInterval: (query) => (query.state.status !== 'error' && query.state.data?.refreshing ? TAGS_CHECK_POLL_MS : false),
      }),
    /** All tags of a repository (every page), with details unless `details: false`. */
    tags: (source: string, repo: string, params: TagsQueryParams = {}) =>
      queryOptions({
        queryKey: registryKeys.tags(source, repo, params),
        queryFn: async ({ signal }) => {
          const pages = await readAllPages((last) => fetchers.tags(source, repo, { ...params, n: 1000, ...(last ? { last } : {}) }, signal));
          return { tags: pages.flatMap((page) => page.tags), total: pages[0]!.total };
        },
        staleTime: TAG_STALE_MS,
      }),
    /**
     * Every tag name, as names only: the tags page renders its first rows from them, and the server sends them in
     * the page's HTML. Rows without details as the API gives them (`details=false`) made that HTML four times
     * larger (2,000 tags: 402 KB against 100 KB), to render, send, parse and hydrate while the details stream
     * needs the CPU (docs/performance.md); the page builds those rows itself (`shapeBareTagRow`).
     */
    tagNames: (source: string, repo: string) =>
      queryOptions({
        queryKey: registryKeys.tagNames(source, repo),
        queryFn: async ({ signal }) => {
          const pages = await readAllPages((last) => fetchers.tags(source, repo, { details: false, n: 1000, ...(last ? { last } : {}) }, signal));
          return { names: pages.flatMap((page) => page.tags.map((tag) => tag.name)) };
        },
        staleTime: TAG_STALE_MS,
      }),
    /**
     * A manifest with the tags on it. The content by digest never changes, but its tags do: refreshed like tag
     * data, and every few seconds while the server says it has not checked every tag yet (`tagsComplete: false`).
     */
    manifest: (source: string, repo: string, reference: string) =>
      queryOptions({
        queryKey: registryKeys.manifest(source, repo, reference),
        queryFn: ({ signal }) => fetchers.manifest(source, repo, reference, signal),
        staleTime: TAG_STALE_MS,
        refetchInterval: (query) => (query.state.status !== 'error' && query.state.data?.tagsComplete === false ? TAGS_CHECK_POLL_MS : false),
      }),
    referrers: (source: string, repo: string, digest: string, params: { artifactType?: string; depth?: number } = {}) =>
      queryOptions({
        queryKey: registryKeys.referrers(source, repo, digest, params),
        queryFn: ({ signal }) => fetchers.referrers(source, repo, digest, params, signal),
        // Referrers of a digest can grow (a signature pushed later): refresh them like tag data.
        staleTime: TAG_STALE_MS,
      }),
    /**
     * Two images compared. Between two digests the answer never changes; a tag may move, so a compare that
     * names one is refreshed like tag data.
     */
    compare: (source: string, repo: string, params: CompareQueryParams) =>
      queryOptions({
        queryKey: registryKeys.compare(source, repo, params),
        queryFn: ({ signal }) => fetchers.compare(source, repo, params, signal),
        staleTime: [params.from, params.to].every((ref) => isDigest(ref.slice(ref.lastIndexOf('@') + 1))) ? Infinity : TAG_STALE_MS,
      }),
  };
}

/** The browser's query options (through the JSON API). */
export const registryQueries = {
  ...createRegistryQueries(clientFetchers),
  /**
   * Every tag with details as the server reads them (the streamed answer, lib/query/tag-stream.ts): the data grows
   * batch by batch while the stream runs; a refetch keeps the previous data until its stream has ended. Not
   * prefetched: the first HTML carries the tag names, and the server starts reading details while rendering it.
   */
  tagStream: (source: string, repo: string) =>
    queryOptions({
      queryKey: registryKeys.tagStream(source, repo),
      queryFn: streamedQuery({
        streamFn: ({ signal }) => streamTags(source, repo, signal),
        reducer: foldTagEvents,
        initialValue: EMPTY_TAG_STREAM,
        refetchMode: 'replace',
      }),
      staleTime: TAG_STALE_MS,
    }),
  /** Whether deleting really works on a source (the registry is asked; see docs/api.md). Not prefetched. */
  deletion: (source: string, repo?: string) =>
    queryOptions({
      queryKey: registryKeys.deletion(source, repo),
      queryFn: ({ signal }) => clientFetchers.deletion(source, repo, signal),
      staleTime: 5 * 60_000,
    }),
  /**
   * Live status of every source, refreshed in the background while a page shows it (the server probes at most
   * every 10 s, so polling faster would only repeat its answer). Not prefetched: probing must not hold the page.
   */
  sourceStatus: () =>
    queryOptions({
      queryKey: registryKeys.sourceStatus(),
      queryFn: ({ signal }) => clientFetchers.sourceStatus(signal),
      staleTime: SOURCE_STATUS_REFRESH_MS,
      refetchInterval: SOURCE_STATUS_REFRESH_MS,
    }),
};
