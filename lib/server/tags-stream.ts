/**
 * The streamed tags answer (`GET …/-/tags` with `Accept: application/x-ndjson`): every tag's row is written as
 * soon as its details are known, instead of after the whole repository like the paged answer, so a page can
 * show a sorted table that fills in while the registry is still being read.
 *
 * The tags are read exactly as for the paged answer (same listing, same shared reads, same bounded window), and
 * the rows are the same rows: a row is written with the tags on its digest seen so far and without attached
 * counts (both need every tag); once every tag is read, the rows that the whole listing changes are written
 * again, so the last row of each name equals the paged answer's. The request's signal stops the reads when the
 * client goes away.
 */
import 'server-only';
import type { TagRow, TagStreamEvent } from '@/lib/api/types';
import { tagMatcher } from '@/lib/text/query';
import { holdListing } from './listing-viewers';
import { ndjsonResponse } from './ndjson';
import type { TagListing } from './cache';
import type { Source } from './sources';
import { currentListing, listingRows, tagRowOf, type Resolved } from './tags-service';

/**
 * The row of one tag before every tag is read: no `sharedWith` yet (naming the tags read so far on its digest
 * would make a repository with thousands of tags on one image send a quadratic number of names).
 */
function provisionalRow(resolved: Resolved): TagRow {
  return tagRowOf(resolved, { sharedWith: [] });
}

/**
 * Emits `start`, a `row` per tag of `names` (the listing's tags) matching `q` as it is read (and again when the
 * complete listing changes it), then `end`. Throws the abort of `signal`.
 */
async function streamTagRows(
  source: Source,
  repo: string,
  listing: TagListing,
  names: readonly string[],
  q: string | undefined,
  emit: (event: TagStreamEvent) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const matches = tagMatcher(q ?? '');
  await emit({ type: 'start', tags: names.length });
  // Each tag's row as it is read (rows an earlier page or stream built for this very listing come at once).
  const sent = new Map<string, string>();
  const rows = await listingRows(source, repo, listing, names, signal, async (tag) => {
    const row = provisionalRow(tag);
    if (!matches(row)) return;
    sent.set(tag.name, JSON.stringify(row));
    // Awaited: a client reading slowly holds this reader back instead of the server buffering its rows.
    await emit({ type: 'row', row });
  });
  // Once every tag is read: the rows the complete listing changed (shared tags, attached counts), then the end.
  let total = 0;
  let errors = 0;
  for (const row of rows) {
    if (!matches(row)) continue;
    if (sent.get(row.name) !== JSON.stringify(row)) await emit({ type: 'row', row });
    total++;
    if (row.error) errors++;
  }
  await emit({ type: 'end', total, errors });
}

/**
 * The streamed answer: 200 with one JSON line per event once the tag list is known (a repository that cannot be
 * listed is an ordinary JSON error: NAME_UNKNOWN, UNAUTHORIZED…), an `error` line when the work fails later.
 */
export async function tagsStreamResponse(source: Source, repo: string, q: string | undefined, signal: AbortSignal): Promise<Response> {
  const listing = currentListing(source, repo);
  // Held from here: the page's warm-up keeps its reads going while this stream runs, and lets go when it ends.
  const release = holdListing(listing);
  try {
    const names = await listing.names.join(signal);
    return ndjsonResponse<TagStreamEvent>('tags stream', (emit) => streamTagRows(source, repo, listing, names, q, emit, signal).finally(release));
  } catch (error) {
    release();
    throw error;
  }
}
