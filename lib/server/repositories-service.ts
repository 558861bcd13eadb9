/**
 * The catalog of a source, one page at a time: the registry's order is kept (distribution sorts by path
 * components, not bytes), `last` is passed to the registry as the place to continue from, and `q` filters by
 * a case-insensitive substring while reading on until the page is full.
 *
 * A full page always carries a `next` cursor, even when the catalog happens to end there (the following page
 * is then empty). Peeking one name further to rule that out would cost a whole extra registry page on every
 * request: the registry pages by at most 1000, and the UI asks for 1000.
 */
import 'server-only';
import type { RepositoriesResponse } from '@/lib/api/types';
import type { Source } from './sources';

export interface RepositoriesQuery {
  n: number;
  last?: string;
  q?: string;
}

export async function getRepositoriesPage(source: Source, query: RepositoriesQuery): Promise<RepositoriesResponse> {
  const needle = query.q?.toLowerCase();
  const repositories: string[] = [];
  await source.pool.run(async () => {
    const iterable = source.registry.listRepositories({
      ...(query.last ? { startAfter: query.last } : {}),
      pageSize: needle ? 1000 : Math.min(1000, query.n),
    });
    for await (const name of iterable) {
      if (needle && !name.toLowerCase().includes(needle)) continue;
      repositories.push(name);
      if (repositories.length === query.n) break;
    }
  });
  return { repositories, next: repositories.length === query.n ? repositories[repositories.length - 1]! : null };
}
