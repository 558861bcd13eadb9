/**
 * Server-side prefetching for the pages of a source: the same data the client queries would fetch, put into
 * a QueryClient under the same keys, so the first HTML already lists repositories and tag names.
 * A failing registry is not a page error: the client then shows the error state with a retry.
 */
import 'server-only';
import type { QueryClient } from '@tanstack/react-query';
import { isRegistryError } from '@/lib/oci/errors';
import { registryKeys } from '@/lib/query/keys';
import { getRepositoriesPage } from '@/lib/server/repositories-service';
import { getSource, getSources, type Source } from '@/lib/server/sources';
import { getTagsPage, listTagRows } from '@/lib/server/tags-service';

/** The source, or null when no source has this name (the page then calls notFound()). */
export async function findSource(name: string): Promise<Source | null> {
  try {
    return await getSource(name);
  } catch (error) {
    if (isRegistryError(error, 'NAME_UNKNOWN')) return null;
    throw error;
  }
}

export async function prefetchSources(client: QueryClient): Promise<void> {
  const sources = await getSources();
  client.setQueryData(registryKeys.sources(), { sources: sources.map((s) => s.summary) });
}

export async function prefetchRepositories(client: QueryClient, source: Source): Promise<void> {
  try {
    const repositories: string[] = [];
    let last: string | undefined;
    for (;;) {
      const page = await getRepositoriesPage(source, { n: 1000, ...(last ? { last } : {}) });
      repositories.push(...page.repositories);
      if (!page.next) break;
      last = page.next;
    }
    client.setQueryData(registryKeys.repositories(source.name), repositories);
  } catch {
    // Left to the client, which shows the registry's error code and a retry.
  }
}

/** Tag names only (`details: false`): one tag-list request, no manifest reads. */
export async function prefetchTagNames(client: QueryClient, source: Source, repo: string): Promise<void> {
  try {
    const sort = { key: 'name', descending: false } as const;
    const first = await getTagsPage(source, repo, { n: 1000, sort, details: false });
    const tags = [...first.tags];
    let next = first.next;
    while (next) {
      const page = await getTagsPage(source, repo, { n: 1000, last: next, sort, details: false });
      tags.push(...page.tags);
      next = page.next;
    }
    client.setQueryData(registryKeys.tags(source.name, repo, { details: false }), { tags, total: first.total });
  } catch {
    // Left to the client (see prefetchRepositories).
  }
}

/**
 * Starts reading every tag's details without waiting for them: the page renders tag names at once, and the
 * browser's details request, sent after hydration, joins the reads already under way instead of starting them
 * (about a second earlier on a cold 2,000-tag repository; see docs/performance.md).
 */
export function warmTagDetails(source: Source, repo: string): void {
  listTagRows(source, repo).catch(() => {
    // Errors reach the user through the browser's own request.
  });
}
