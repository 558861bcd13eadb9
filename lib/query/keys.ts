/**
 * TanStack Query keys, ordered source → repository → resource, so that invalidating a repository's key
 * refreshes everything under it (e.g. after a delete).
 */
export interface TagsQueryParams {
  q?: string;
  sort?: string;
  details?: boolean;
}

/** Two images compared: tags or digests of the repository, or `SOURCE/REPO:TAG` anywhere. */
export interface CompareQueryParams {
  from: string;
  to: string;
  platform?: string;
}

export const registryKeys = {
  all: ['porthole'] as const,
  sources: () => [...registryKeys.all, 'sources'] as const,
  /** Live status of every source (`/api/sources?status=1`); under `sources` so that refreshing those refreshes it. */
  sourceStatus: () => [...registryKeys.sources(), 'status'] as const,
  source: (source: string) => [...registryKeys.all, 'source', source] as const,
  repositories: (source: string) => [...registryKeys.source(source), 'repositories'] as const,
  deletion: (source: string, repo?: string) => [...registryKeys.source(source), 'deletion', repo ?? ''] as const,
  repo: (source: string, repo: string) => [...registryKeys.source(source), 'repo', repo] as const,
  tags: (source: string, repo: string, params: TagsQueryParams = {}) =>
    [...registryKeys.repo(source, repo), 'tags', params] as const,
  /** Every tag name (the tags page's first rows); under `tags` so that refreshing those refreshes it. */
  tagNames: (source: string, repo: string) => [...registryKeys.repo(source, repo), 'tags', 'names'] as const,
  /** Every tag with details, streamed (the tags page); under `tags` so that refreshing those refreshes it. */
  tagStream: (source: string, repo: string) => [...registryKeys.repo(source, repo), 'tags', 'stream'] as const,
  manifest: (source: string, repo: string, reference: string) =>
    [...registryKeys.repo(source, repo), 'manifest', reference] as const,
  referrers: (source: string, repo: string, digest: string, params: { artifactType?: string; depth?: number } = {}) =>
    [...registryKeys.repo(source, repo), 'referrers', digest, params] as const,
  compare: (source: string, repo: string, params: CompareQueryParams) => [...registryKeys.repo(source, repo), 'compare', params] as const,
};
