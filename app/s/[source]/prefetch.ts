/**
 * Server-side prefetching for the pages of a source, with the very query options the browser uses
 * (`createRegistryQueries`, TanStack Query's server-rendering pattern) over the server's fetchers: same keys,
 * same shape, same paging, so the first HTML already lists repositories and tag names.
 * A failing registry is not a page error: a failed prefetch is not sent to the browser, whose own query then
 * shows the error state with a retry.
 */
import 'server-only';
import type { QueryClient } from '@tanstack/react-query';
import { isRegistryError } from '@/lib/oci/errors';
import type { CompareQueryParams } from '@/lib/query/keys';
import { createRegistryQueries } from '@/lib/query/options';
import { serverFetchers } from '@/lib/server/query-fetchers';
import { getSource, type Source } from '@/lib/server/sources';
import { abortWhenUnwatched } from '@/lib/server/listing-viewers';
import { currentListing, listTagRows } from '@/lib/server/tags-service';

const serverQueries = createRegistryQueries(serverFetchers);

/** The source, or null when no source has this name (the page then calls notFound()). */
export async function findSource(name: string): Promise<Source | null> {
  try {
    return await getSource(name);
  } catch (error) {
    if (isRegistryError(error, 'NAME_UNKNOWN')) return null;
    throw error;
  }
}

// No retries while rendering: the page must not wait out a registry's back-off; the browser retries.
const once = { retry: false } as const;

export function prefetchSources(client: QueryClient): Promise<void> {
  return client.prefetchQuery({ ...serverQueries.sources(), ...once });
}

export function prefetchRepositories(client: QueryClient, source: Source): Promise<void> {
  return client.prefetchQuery({ ...serverQueries.repositories(source.name), ...once });
}

/** Tag names only: one tag-list request, no manifest reads. */
export function prefetchTagNames(client: QueryClient, source: Source, repo: string): Promise<void> {
  return client.prefetchQuery({ ...serverQueries.tagNames(source.name, repo), ...once });
}

/** How long a page waits for a compare to finish on the server before it renders the loading state instead. */
const COMPARE_PREFETCH_BUDGET_MS = 4_000;

/**
 * The compare of two images, when it is ready within {@link COMPARE_PREFETCH_BUDGET_MS} (cached layer
 * indexes: at once). A first compare of big images indexes their layers for a while: the page then renders
 * at once and the browser's own request picks the result up (the layer indexing is shared, not repeated).
 */
export async function prefetchCompare(client: QueryClient, source: Source, repo: string, params: CompareQueryParams): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const budget = new Promise<void>((done) => (timer = setTimeout(done, COMPARE_PREFETCH_BUDGET_MS)));
  await Promise.race([client.prefetchQuery({ ...serverQueries.compare(source.name, repo, params), ...once }), budget]);
  clearTimeout(timer);
}

/**
 * How long the warm-up keeps reads going on its own: enough for the page to hydrate and send its details
 * request, not so long that a page left at once keeps the registry busy.
 */
export const WARM_UP_GRACE_MS = 10_000;

/**
 * Starts reading every tag's details without waiting for them: the page renders tag names at once, and the
 * browser's details request, sent after hydration, joins the reads already under way instead of starting them
 * (about a second earlier on a cold 2,000-tag repository; see docs/performance.md). The warm-up lets go after
 * {@link WARM_UP_GRACE_MS} once no stream of the listing runs (`listing-viewers.ts`): a page that was left
 * stops the reads, with its stream or without one.
 */
export function warmTagDetails(source: Source, repo: string): void {
  listTagRows(source, repo, abortWhenUnwatched(currentListing(source, repo), WARM_UP_GRACE_MS)).catch(() => {
    // Errors reach the user through the browser's own request.
  });
}
