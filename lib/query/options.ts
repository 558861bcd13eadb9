/**
 * Query options for every API read, in one place. Digest-addressed data is immutable: never refetched.
 * Tag-addressed data is refreshed in the background.
 */
import { queryOptions } from '@tanstack/react-query';
import { isRegistryError } from '@/lib/oci/errors';
import { clientFetchers } from './client-fetchers';
import { registryKeys, type TagsQueryParams } from './keys';

/** Tag lists and tag-addressed manifests go stale after this long (refetched in the background). */
export const TAG_STALE_MS = 30_000;

/** How often a manifest page asks again while the server is still resolving the repository's tags. */
export const TAGS_CHECK_POLL_MS = 2_000;

/** Client errors (4xx) are answers, not glitches: do not retry them. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isRegistryError(error) && error.status >= 400 && error.status < 500 && error.status !== 429) return false;
  return failureCount < 2;
}

export const registryQueries = {
  sources: () =>
    queryOptions({
      queryKey: registryKeys.sources(),
      queryFn: ({ signal }) => clientFetchers.sources(signal),
      staleTime: 5 * 60_000,
    }),
  /** Whether deleting really works on a source (the registry is asked; see docs/api.md). */
  deletion: (source: string, repo?: string) =>
    queryOptions({
      queryKey: registryKeys.deletion(source, repo),
      queryFn: ({ signal }) => clientFetchers.deletion(source, repo, signal),
      staleTime: 5 * 60_000,
    }),
  /** The whole catalog (all pages), for instant filtering on the client. */
  repositories: (source: string) =>
    queryOptions({
      queryKey: registryKeys.repositories(source),
      queryFn: async ({ signal }) => {
        const repositories: string[] = [];
        let last: string | undefined;
        for (;;) {
          const page = await clientFetchers.repositories(source, { n: 1000, last }, signal);
          repositories.push(...page.repositories);
          if (!page.next) break;
          last = page.next;
        }
        return repositories;
      },
      staleTime: 60_000,
    }),
  /** All tags of a repository (every page), with details unless `details: false`. */
  tags: (source: string, repo: string, params: TagsQueryParams = {}) =>
    queryOptions({
      queryKey: registryKeys.tags(source, repo, params),
      queryFn: async ({ signal }) => {
        const first = await clientFetchers.tags(source, repo, { ...params, n: 1000 }, signal);
        const tags = [...first.tags];
        let next = first.next;
        while (next) {
          const page = await clientFetchers.tags(source, repo, { ...params, n: 1000, last: next }, signal);
          tags.push(...page.tags);
          next = page.next;
        }
        return { tags, total: first.total };
      },
      staleTime: TAG_STALE_MS,
    }),
  /**
   * A manifest with the tags on it. The content by digest never changes, but its tags do: refreshed like tag data,
   * and every few seconds while the server says it has not checked every tag yet (`tagsComplete: false`).
   */
  manifest: (source: string, repo: string, reference: string) =>
    queryOptions({
      queryKey: registryKeys.manifest(source, repo, reference),
      queryFn: ({ signal }) => clientFetchers.manifest(source, repo, reference, signal),
      staleTime: TAG_STALE_MS,
      refetchInterval: (query) => (query.state.status !== 'error' && query.state.data?.tagsComplete === false ? TAGS_CHECK_POLL_MS : false),
    }),
  referrers: (source: string, repo: string, digest: string, params: { artifactType?: string; depth?: number } = {}) =>
    queryOptions({
      queryKey: registryKeys.referrers(source, repo, digest, params),
      queryFn: ({ signal }) => clientFetchers.referrers(source, repo, digest, params, signal),
      // Referrers of a digest can grow (a signature pushed later): refresh them like tag data.
      staleTime: TAG_STALE_MS,
    }),
};
