/**
 * The catalog of a source, one page at a time: the registry's order is kept (distribution sorts by path
 * components, not bytes), `last` is passed to the registry as the place to continue from, and `q` filters by
 * the page's matcher (`lib/text/query.ts`) while reading on until the page is full.
 *
 * Whether a next page exists is known without reading ahead where the registry says so (its `Link` header,
 * reported through `onPage`): peeking one name further would cost a whole extra registry page on every request,
 * since the registry pages by at most 1000 and the UI asks for 1000. Where the registry says nothing (local
 * backends, registries paging without links) the next name is read, which is free within a fetched page.
 *
 * A client paging through (a page after the first, no `q`) gets the page after it read ahead
 * (`catalog-read-ahead.ts`): that registry page is read while the answer travels.
 */
import 'server-only';
import type { RepositoriesResponse } from '@/lib/api/types';
import { abortable } from '@/lib/registry/abort-fanout';
import { nameMatcher } from '@/lib/text/query';
import { readAhead, takeReadAhead } from './catalog-read-ahead';
import type { Source } from './sources';

export interface RepositoriesQuery {
  n: number;
  last?: string;
  q?: string;
}

export async function getRepositoriesPage(source: Source, query: RepositoriesQuery, signal?: AbortSignal): Promise<RepositoriesResponse> {
  // A page after the first, unfiltered: the client is paging through, and the next page is read while this one
  // travels (catalog-read-ahead.ts).
  const pagingThrough = Boolean(query.last) && !query.q?.trim();
  const ahead = pagingThrough ? takeReadAhead(source, query.n, query.last!) : undefined;
  // A read ahead that failed is a miss: the page is read again here, and its error (if it recurs) reported.
  const kept = ahead
    ? await abortable(ahead, signal).catch((error: unknown) => {
        if (signal?.aborted) throw error;
        return undefined;
      })
    : undefined;
  const page = kept ?? (await readPage(source, query, signal));
  const next = page.next;
  if (pagingThrough && next !== null) readAhead(source, query.n, next, () => readPage(source, { n: query.n, last: next }));
  return page;
}

async function readPage(source: Source, query: RepositoriesQuery, signal?: AbortSignal): Promise<RepositoriesResponse> {
  const needle = query.q?.trim() ? nameMatcher(query.q) : undefined;
  const repositories: string[] = [];
  let registrySaysMore: boolean | undefined;
  let more = false;
  await source.pool.run(async () => {
    const names = source.registry.listRepositories({
      ...(query.last ? { startAfter: query.last } : {}),
      pageSize: needle ? 1000 : Math.min(1000, query.n),
      onPage: (value) => (registrySaysMore = value),
      ...(signal ? { signal } : {}),
    });
    const iterator = names[Symbol.asyncIterator]();
    try {
      for (;;) {
        const step = await iterator.next();
        if (step.done) break;
        if (needle && !needle(step.value)) continue;
        if (repositories.length < query.n) {
          repositories.push(step.value);
          // Page full: only read on when that cannot cost another registry page.
          if (repositories.length === query.n && registrySaysMore === true) {
            more = true;
            break;
          }
          continue;
        }
        more = true;
        break;
      }
    } finally {
      await iterator.return?.();
    }
  }, signal);
  return { repositories, next: more ? repositories[repositories.length - 1]! : null };
}
